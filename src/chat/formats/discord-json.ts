/**
 * DiscordChatExporter JSON: `{guild, channel, dateRange, messages: [...], messageCount}`. The
 * `messages` array is cut into per-message byte ranges and parsed one message at a time.
 * `messageCount` is ignored (it can disagree with the array); duplicate ids are emitted once.
 */
import type { ReadContext } from '../collect.js';
import { NO_DISCORD_NAMES, discordToText, fileNameOf, isDiscordSystemType, type DiscordNames } from '../discord/markup.js';
import { discordMessagesToChat } from '../discord/messages.js';
import { ChatParseError } from '../errors.js';
import { forEachRange, parseJsonLimited, splitTopLevelArray } from '../json/scan.js';
import type { ByteSource } from '../source.js';
import { parseIsoInstant } from '../time/iso.js';
import type { ChatMessage } from '../types.js';
import { isoOf } from '../time/zone.js';

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function embedText(embeds: unknown): string {
  if (!Array.isArray(embeds)) return '';
  const parts: string[] = [];
  for (const e of embeds as Json[]) {
    if (!e || typeof e !== 'object') continue;
    for (const t of [str(e.title), str(e.description)]) if (t) parts.push(t);
  }
  return parts.join('\n');
}

function convert(raw: Json, ctx: ReadContext, threadId: string | null): ChatMessage | null {
  const id = str(raw.id);
  const stamp = str(raw.timestamp);
  if (!id || !stamp) return null;
  const epoch = parseIsoInstant(stamp, ctx.clock);
  if (Number.isNaN(epoch)) return null;
  const author = (raw.author ?? {}) as Json;
  const authorId = str(author.id) ?? 'unknown';
  const mentions = Array.isArray(raw.mentions) ? (raw.mentions as Json[]) : [];
  let names: DiscordNames = NO_DISCORD_NAMES;
  if (mentions.length) {
    const byId = new Map<string, string>();
    for (const u of mentions) if (u && str(u.id)) byId.set(u.id as string, str(u.nickname) ?? str(u.name) ?? (u.id as string));
    names = { ...NO_DISCORD_NAMES, user: (uid) => byId.get(uid) };
  }
  let text = discordToText(typeof raw.content === 'string' ? raw.content : '', names);
  if (text === '') text = embedText(raw.embeds);
  const attachments: string[] = [];
  if (Array.isArray(raw.attachments)) {
    for (const a of raw.attachments as Json[]) {
      if (!a || typeof a !== 'object') continue;
      const name = str(a.fileName) ?? (str(a.url) ? fileNameOf(a.url as string) : undefined);
      if (name) attachments.push(name);
    }
  }
  const reference = (raw.reference ?? {}) as Json;
  return {
    id,
    sentAt: isoOf(epoch),
    author: { id: authorId, name: str(author.nickname) ?? str(author.name) ?? authorId },
    text,
    threadId: str(reference.messageId) ?? threadId,
    attachments,
    system: isDiscordSystemType(raw.type),
  };
}

export function readDiscordExporterJson(buf: ByteSource, ctx: ReadContext): void {
  const split = splitTopLevelArray(buf, 'messages', ctx.limits.jsonDepth, 'discord-json');
  if (!split) {
    parseJsonLimited(buf, ctx.limits.jsonDepth, 'discord-json');
    throw new ChatParseError('malformed', 'this looks like a DiscordChatExporter file but it has no "messages" array', 'discord-json');
  }
  const channel = (split.outer.channel ?? {}) as Json;
  ctx.name = str(channel.name) ?? null;
  const isThread = /thread/i.test(String(channel.type ?? ''));
  const threadId = isThread ? (str(channel.id) ?? null) : null;
  forEachRange(buf, split.ranges, 'discord-json', (raw) => {
    const m = convert(raw as Json, ctx, threadId);
    if (m) ctx.emitOnce(m);
  });
}

/** A JSON array of discord.js / REST message objects. */
export function readDiscordApiJson(buf: ByteSource, ctx: ReadContext): void {
  const value = parseJsonLimited(buf, ctx.limits.jsonDepth, 'discord-api');
  const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as Json).messages) ? ((value as Json).messages as unknown[]) : null;
  if (!list) throw new ChatParseError('malformed', 'Discord API messages must be a JSON array of message objects', 'discord-api');
  for (const m of discordMessagesToChat(list)) ctx.emitOnce(m);
}
