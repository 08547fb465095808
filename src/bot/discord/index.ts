/**
 * The Discord door.
 *
 *   discordBotFromConfig(services, { queue })   -> DiscordBot | null (null when DISCORD_TOKEN is unset)
 *   createDiscordBot(services, deps)            -> DiscordBot { client, notifier, start, stop, idle }
 *   discordNotifierFromConfig(config, logger)   -> ThreadNotifier | null (REST only, for a worker process)
 *   discordHistoryReaderFromConfig(config, logger) -> ChannelHistoryReader | null (REST only, likewise)
 *   registerDiscordCommands({ token, applicationId, guildId?, apiUrl })
 */
import type { Config } from '../../../config/index.js';
import type { Logger } from '../../logger.js';
import type { ThreadNotifier } from '../../services/process-file.js';
import type { ChannelHistoryReader } from '../../services/history-import.js';
import { discordHistoryReaderFromToken } from './history.js';
import { discordNotifierFromToken } from './notifier.js';

export { createDiscordBot, discordBotFromConfig, type DiscordBot, type DiscordBotDeps } from './bot.js';
export { createDiscordThreadNotifier, discordNotifierFromToken } from './notifier.js';
export { createDiscordHistoryReader, discordHistoryReaderFromToken, type DiscordHistoryReaderOptions } from './history.js';
export { registerDiscordCommands, type DiscordRegistration, type RegisteredCommands } from './register.js';
export { teamsyncCommandData, DISCORD_COMMAND_NAME } from './command-data.js';

/** Posts file results to Discord threads without a gateway connection; null without DISCORD_TOKEN. */
export function discordNotifierFromConfig(config: Config, logger?: Logger): ThreadNotifier | null {
  if (!config.discord.token) return null;
  return discordNotifierFromToken(config.discord.token, config.discord.apiUrl, config.defaultTimeZone, logger);
}

/** Reads channel histories for import jobs without a gateway connection; null without DISCORD_TOKEN. */
export function discordHistoryReaderFromConfig(config: Config, logger: Logger): ChannelHistoryReader | null {
  if (!config.discord.token) return null;
  return discordHistoryReaderFromToken(config.discord.token, config.discord.apiUrl, logger);
}
