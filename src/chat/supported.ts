import type { ChatFormat } from './types.js';

/** Every format `parseChat` reads, with what a person would call it. */
export const SUPPORTED_FORMATS: ReadonlyArray<{ format: ChatFormat; description: string }> = Object.freeze([
  { format: 'slack-zip', description: 'Slack workspace export (.zip)' },
  { format: 'slack-json', description: 'Slack channel day file (.json)' },
  { format: 'slack-api', description: 'Slack Web API conversations.history/replies response (.json)' },
  { format: 'discord-json', description: 'DiscordChatExporter JSON' },
  { format: 'discord-csv', description: 'DiscordChatExporter CSV' },
  { format: 'discord-txt', description: 'DiscordChatExporter plain text' },
  { format: 'discord-api', description: 'Discord messages as JSON (discord.js toJSON() or REST API objects)' },
  { format: 'whatsapp', description: 'WhatsApp "Export chat" text, Android or iOS (.txt, or the .zip it shares)' },
  { format: 'telegram-json', description: 'Telegram Desktop export (result.json), one chat or the whole account' },
  { format: 'transcript', description: 'Plain transcript ("[2026-03-14 09:15] Name: text" or "Name: text" lines)' },
  { format: 'webvtt', description: 'WebVTT meeting transcript (Teams, Zoom, Meet)' },
]);

export function supportedFormatsText(): string {
  return SUPPORTED_FORMATS.map((f) => f.description).join('; ');
}
