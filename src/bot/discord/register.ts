/**
 * Registering `/teamsync` with Discord over REST. A guild registration shows up at once (use it
 * while developing); a global one reaches every server the bot is in, after Discord propagates it.
 */
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { teamsyncCommandData } from './command-data.js';

export interface DiscordRegistration {
  token: string;
  applicationId: string;
  /** Register in this guild only (instant); otherwise globally. */
  guildId?: string;
  /** Base URL of the REST API, e.g. `https://discord.com/api`. */
  apiUrl: string;
}

export interface RegisteredCommands {
  scope: 'guild' | 'global';
  commands: Array<{ id: string; name: string }>;
}

/** Replaces the application's commands in the scope with `/teamsync` (PUT is idempotent). */
export async function registerDiscordCommands(options: DiscordRegistration, rest?: REST): Promise<RegisteredCommands> {
  const client = rest ?? new REST({ api: options.apiUrl }).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const result = (await client.put(route, { body: [teamsyncCommandData()] })) as RESTPutAPIApplicationCommandsResult;
  return {
    scope: options.guildId ? 'guild' : 'global',
    commands: result.map((c) => ({ id: c.id, name: c.name })),
  };
}
