/**
 * Discord messages as the bot sees them -> ChatMessage: discord.js `Message#toJSON()` objects
 * (camelCase: channelId, createdTimestamp, author.globalName, reference.messageId) and raw REST API
 * objects (snake_case: channel_id, timestamp, author.global_name, message_reference.message_id).
 */
import type { ChatMessage } from '../types.js';
import { discordToText, fileNameOf, isDiscordSystemType, type DiscordNames } from './markup.js';
import { isoOf } from '../time/zone.js';

type Json = Record<string, unknown>;

const DISCORD_EPOCH = 1420070400000n;

/** Creation time of a snowflake id (epoch ms), or NaN. */
export function snowflakeTime(id: string): number {
  if (!/^\d{1,20}$/.test(id)) return NaN;
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function attachmentNames(value: unknown): string[] {
  const items: unknown[] = value instanceof Map ? [...value.values()] : Array.isArray(value) ? value : [];
  const names: string[] = [];
  for (const a of items) {
    if (typeof a === 'string') names.push(a);
    else if (a && typeof a === 'object') {
      const att = a as Json;
      const name = str(att.name) ?? str(att.filename) ?? str(att.fileName) ?? (str(att.url) ? fileNameOf(att.url as string) : undefined);
      if (name) names.push(name);
    }
  }
  return names;
}

function lookup(source: Record<string, string> | Map<string, string> | undefined): (id: string) => string | undefined {
  if (!source) return () => undefined;
  if (source instanceof Map) return (id) => source.get(id);
  return (id) => (Object.prototype.hasOwnProperty.call(source, id) ? source[id] : undefined);
}

export interface DiscordConvertOptions {
  /** User id -> display name, for `<@id>` mentions (authors name themselves). */
  users?: Record<string, string> | Map<string, string>;
  channels?: Record<string, string> | Map<string, string>;
  roles?: Record<string, string> | Map<string, string>;
  /** Thread id for messages that are no reply (when the messages were fetched from a thread). */
  threadId?: string;
}

/** One discord.js / REST message object -> ChatMessage; null when it has no id or time. */
export function discordMessageToChat(raw: Json, names: DiscordNames, threadId: string | null): ChatMessage | null {
  const id = typeof raw.id === 'string' ? raw.id : typeof raw.id === 'bigint' ? String(raw.id) : '';
  if (!id) return null;
  let epoch = typeof raw.createdTimestamp === 'number' ? raw.createdTimestamp : NaN;
  if (Number.isNaN(epoch) && typeof raw.timestamp === 'string') epoch = Date.parse(raw.timestamp);
  if (Number.isNaN(epoch)) epoch = snowflakeTime(id);
  if (Number.isNaN(epoch)) return null;
  const author = (raw.author ?? {}) as Json;
  const authorId = str(author.id) ?? 'unknown';
  const member = (raw.member ?? {}) as Json;
  const authorName =
    str(member.nick) ?? str(member.nickname) ?? str(author.globalName) ?? str(author.global_name) ?? str(author.displayName) ?? str(author.username) ?? authorId;
  const reference = (raw.reference ?? raw.message_reference ?? {}) as Json;
  const replyTo = str(reference.messageId) ?? str(reference.message_id);
  const mentions = Array.isArray(raw.mentions) ? (raw.mentions as Json[]) : [];
  const mentionNames = new Map<string, string>();
  for (const u of mentions) {
    if (u && typeof u === 'object' && str(u.id)) mentionNames.set(u.id as string, str(u.global_name) ?? str(u.globalName) ?? str(u.username) ?? (u.id as string));
  }
  const resolved: DiscordNames = mentionNames.size
    ? { ...names, user: (uid) => names.user(uid) ?? mentionNames.get(uid) }
    : names;
  const system = typeof raw.system === 'boolean' ? raw.system : isDiscordSystemType(raw.type);
  return {
    id,
    sentAt: isoOf(epoch),
    author: { id: authorId, name: authorName },
    text: discordToText(typeof raw.content === 'string' ? raw.content : '', resolved),
    threadId: replyTo ?? threadId,
    attachments: attachmentNames(raw.attachments),
    system,
  };
}

/**
 * discord.js `Message` objects (or their `toJSON()`) / REST API message objects -> ChatMessages,
 * oldest first (fetches return newest first), each id once.
 */
export function discordMessagesToChat(messages: readonly unknown[], options: DiscordConvertOptions = {}): ChatMessage[] {
  const names: DiscordNames = { user: lookup(options.users), channel: lookup(options.channels), role: lookup(options.roles) };
  const seen = new Set<string>();
  const out: ChatMessage[] = [];
  for (const item of messages) {
    if (!item || typeof item !== 'object') continue;
    const raw = (typeof (item as { toJSON?: unknown }).toJSON === 'function' ? (item as { toJSON(): unknown }).toJSON() : item) as Json;
    const m = discordMessageToChat(raw, names, options.threadId ?? null);
    if (!m || seen.has(m.id)) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out.sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));
}
