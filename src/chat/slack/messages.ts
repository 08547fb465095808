/**
 * Slack message objects (export day files and Web API `conversations.history`/`.replies` share the
 * shape) -> ChatMessage. `ts` stays a string: it is the message id and must not lose digits.
 */
import { SYSTEM_AUTHOR } from '../collect.js';
import type { ChatMessage } from '../types.js';
import { slackToText, type SlackNames } from './markup.js';
import { isoOf } from '../time/zone.js';

type Json = Record<string, unknown>;

const SYSTEM_SUBTYPES = /(?:_join|_leave|_topic|_purpose|_name|_archive|_unarchive|pinned_item|_convert_to_private|_convert_to_public|^bot_add|^bot_remove|^bot_enable|^bot_disable|^tombstone|^sh_room_created|^huddle_thread)$/;

export function isSlackSystemSubtype(subtype: string): boolean {
  return SYSTEM_SUBTYPES.test(subtype);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Epoch ms of a Slack `ts` ("1458980525.000012"), read without a float round trip; NaN if not a ts. */
export function slackTsToEpoch(ts: string): number {
  const m = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(ts);
  if (!m) return NaN;
  return Number(m[1]) * 1000 + Number(((m[2] ?? '') + '000').slice(0, 3));
}

/** Display name of a users.json / users.list member. */
export function slackUserName(user: Json): string | undefined {
  const profile = (user.profile ?? {}) as Json;
  return str(profile.display_name) ?? str(profile.real_name) ?? str(user.real_name) ?? str(user.name);
}

function fileNames(raw: Json): string[] {
  const files: unknown[] = Array.isArray(raw.files) ? raw.files : raw.file && typeof raw.file === 'object' ? [raw.file] : [];
  return files.map((f) => {
    const file = (f ?? {}) as Json;
    return str(file.name) ?? str(file.title) ?? 'file';
  });
}

function attachmentText(raw: Json): string {
  if (!Array.isArray(raw.attachments)) return '';
  const parts: string[] = [];
  for (const a of raw.attachments as Json[]) {
    if (!a || typeof a !== 'object') continue;
    const t = str(a.fallback) ?? str(a.text) ?? str(a.pretext) ?? str(a.title);
    if (t) parts.push(t);
  }
  return parts.join('\n');
}

export interface SlackConvertOptions {
  names: SlackNames;
  /** Prepended to `ts`-based ids (`C123/`), so ids stay unique across channels of one export. */
  idPrefix: string;
  /** Channel name written to `ChatMessage.channel`, if any. */
  channel?: string;
}

/** One Slack message object -> ChatMessage; null for objects that are no message (no valid `ts`). */
export function slackMessageToChat(raw: Json, options: SlackConvertOptions): ChatMessage | null {
  const ts = typeof raw.ts === 'string' ? raw.ts : typeof raw.ts === 'number' ? String(raw.ts) : '';
  const epoch = slackTsToEpoch(ts);
  if (Number.isNaN(epoch)) return null;
  const subtype = str(raw.subtype) ?? '';
  const userId = str(raw.user);
  const profile = (raw.user_profile ?? {}) as Json;
  let author: { id: string; name: string };
  if (userId) {
    author = {
      id: userId,
      name: options.names.user(userId) ?? str(profile.display_name) ?? str(profile.real_name) ?? str(profile.name) ?? userId,
    };
  } else if (str(raw.bot_id) || str(raw.username)) {
    const bot = (raw.bot_profile ?? {}) as Json;
    const id = str(raw.bot_id) ?? str(raw.username)!;
    author = { id, name: str(raw.username) ?? str(bot.name) ?? id };
  } else author = SYSTEM_AUTHOR;
  let text = typeof raw.text === 'string' ? slackToText(raw.text, options.names) : '';
  if (text.trim() === '') {
    const fallback = attachmentText(raw);
    if (fallback) text = slackToText(fallback, options.names);
  }
  const threadTs = str(raw.thread_ts);
  const message: ChatMessage = {
    id: options.idPrefix + ts,
    sentAt: isoOf(epoch),
    author,
    text,
    threadId: threadTs && threadTs !== ts ? options.idPrefix + threadTs : null,
    attachments: fileNames(raw),
    system: subtype !== '' && isSlackSystemSubtype(subtype),
  };
  if (options.channel !== undefined) message.channel = options.channel;
  return message;
}

function mapLookup(source: Record<string, string> | Map<string, string> | undefined): (id: string) => string | undefined {
  if (!source) return () => undefined;
  if (source instanceof Map) return (id) => source.get(id);
  return (id) => (Object.prototype.hasOwnProperty.call(source, id) ? source[id] : undefined);
}

export interface SlackApiConvertOptions {
  /** User id -> display name (e.g. from users.list or users.info). */
  users?: Record<string, string> | Map<string, string>;
  /** Channel id -> name, for `<#C1>` mentions without a label. */
  channels?: Record<string, string> | Map<string, string>;
  /** Channel name to record on each message. */
  channel?: string;
}

/**
 * Raw Slack Web API message objects (`conversations.history` / `.replies` `messages`) -> ChatMessages,
 * in the given order, each `ts` once (a thread_broadcast returned by both calls counts once).
 */
export function slackApiMessagesToChat(messages: readonly unknown[], options: SlackApiConvertOptions = {}): ChatMessage[] {
  const names: SlackNames = { user: mapLookup(options.users), channel: mapLookup(options.channels) };
  const seen = new Set<string>();
  const out: ChatMessage[] = [];
  for (const raw of messages) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const m = slackMessageToChat(raw as Json, { names, idPrefix: '', channel: options.channel });
    if (!m || seen.has(m.id)) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out;
}
