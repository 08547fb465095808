/**
 * `teamsync discord register-commands [--guild <id> | --global]`: registers `/teamsync` with
 * Discord through its REST API, in DISCORD_GUILD_ID's guild (instant) or globally.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { registerDiscordCommands } from '../bot/discord/register.js';

function fail(message: string, code = 2): void {
  process.stderr.write(`teamsync: ${message}\n`);
  process.exitCode = code;
}

export function registerDiscord(program: Command): void {
  const discord = program.command('discord').description('the Discord bot');
  discord
    .command('register-commands')
    .description('register the /teamsync slash command (in DISCORD_GUILD_ID, or globally)')
    .option('--guild <id>', 'register in this guild (default: DISCORD_GUILD_ID)')
    .option('--global', 'register globally even when DISCORD_GUILD_ID is set (takes a while to reach every server)')
    .action(async (opts: { guild?: string; global?: boolean }) => {
      const config = loadConfig();
      const { token, applicationId, apiUrl } = config.discord;
      if (!token) return fail('DISCORD_TOKEN is not set');
      if (!applicationId) return fail('DISCORD_APPLICATION_ID is not set');
      if (opts.guild && opts.global) return fail('give --guild or --global, not both');
      const guildId = opts.global ? undefined : (opts.guild ?? config.discord.guildId);
      if (guildId && !/^\d{17,20}$/.test(guildId)) return fail(`not a guild id: ${guildId}`);
      const registered = await registerDiscordCommands({ token, applicationId, guildId, apiUrl });
      const where = registered.scope === 'guild' ? `in guild ${guildId}` : 'globally (it can take up to an hour to appear everywhere)';
      process.stdout.write(`registered ${registered.commands.map((c) => `/${c.name}`).join(', ')} ${where}\n`);
    });
}
