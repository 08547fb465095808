/**
 * Telegram Desktop `result.json`: one chat (`{name, type, id, messages}`) or the whole account
 * (`{chats: {list: [...]}}`, plus `left_chats`). `text` is a string or an array of strings and
 * `{type, text, href}` entities. Times come from `date_unixtime` when present, else `date` is local
 * time in the given zone. Service messages (`type: "service"`) name an `actor` and an `action`.
 */
import { SYSTEM_AUTHOR, type ReadContext } from '../collect.js';
import { fileNameOf } from '../discord/markup.js';
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

/** Readable text of Telegram's `text` (string or entity array). */
export function telegramText(text: unknown): string {
  if (typeof text === 'string') return text;
  if (!Array.isArray(text)) return '';
  let out = '';
  for (const part of text) {
    if (typeof part === 'string') out += part;
    else if (part && typeof part === 'object') {
      const p = part as Json;
      const t = typeof p.text === 'string' ? p.text : '';
      out += p.type === 'text_link' && str(p.href) && p.href !== t ? `${t} (${p.href as string})` : t;
    }
  }
  return out;
}

const NOT_INCLUDED = /^\(File not included/;

function attachments(m: Json): string[] {
  const out: string[] = [];
  for (const key of ['photo', 'file']) {
    const v = str(m[key]);
    if (!v) continue;
    if (NOT_INCLUDED.test(v)) out.push(str(m.file_name) ?? str(m.media_type) ?? key);
    else out.push(str(m.file_name) && key === 'file' ? (m.file_name as string) : fileNameOf(v));
  }
  return out;
}

/** "create group "Launch" (Ben, Cara)" from a service message's action, title and members. */
function actionText(m: Json): string {
  const action = (str(m.action) ?? 'service message').replace(/_/g, ' ');
  const members = Array.isArray(m.members) ? (m.members as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  const title = str(m.title);
  return action + (title ? ` "${title}"` : '') + (members.length ? ` (${members.join(', ')})` : '');
}

function convert(m: Json, ctx: ReadContext, idPrefix: string, channel: string | undefined): ChatMessage | null {
  if (m.id === undefined || m.id === null) return null;
  let epoch = NaN;
  const unix = str(m.date_unixtime);
  if (unix && /^\d+$/.test(unix)) epoch = Number(unix) * 1000;
  else if (str(m.date)) epoch = parseIsoInstant(m.date as string, ctx.clock);
  if (Number.isNaN(epoch)) return null;
  const service = m.type === 'service';
  const who = service ? str(m.actor) : str(m.from);
  const whoId = service ? str(m.actor_id) : str(m.from_id);
  const author = who || whoId ? { id: whoId ?? who!, name: who ?? 'Deleted Account' } : service ? SYSTEM_AUTHOR : { id: 'unknown', name: 'Deleted Account' };
  let text = telegramText(m.text);
  if (service && text === '') text = actionText(m);
  const reply = m.reply_to_message_id;
  const message: ChatMessage = {
    id: idPrefix + String(m.id),
    sentAt: isoOf(epoch),
    author,
    text,
    threadId: reply === undefined || reply === null ? null : idPrefix + String(reply),
    attachments: attachments(m),
    system: service,
  };
  if (channel !== undefined) message.channel = channel;
  return message;
}

function readChat(chat: Json, ctx: ReadContext, multi: boolean): void {
  if (!Array.isArray(chat.messages)) return;
  const name = str(chat.name) ?? (chat.type === 'saved_messages' ? 'Saved Messages' : String(chat.id ?? 'chat'));
  const prefix = multi ? `${String(chat.id ?? name)}:` : '';
  for (const raw of chat.messages as unknown[]) {
    if (!raw || typeof raw !== 'object') continue;
    const m = convert(raw as Json, ctx, prefix, multi ? name : undefined);
    if (m) ctx.emitOnce(m);
  }
}

export function readTelegram(buf: ByteSource, ctx: ReadContext): void {
  // A single chat is read one message at a time; a whole-account export is parsed at once.
  const split = splitTopLevelArray(buf, 'messages', ctx.limits.jsonDepth, 'telegram-json');
  if (split) {
    ctx.name = str(split.outer.name) ?? null;
    forEachRange(buf, split.ranges, 'telegram-json', (raw) => {
      const m = convert(raw as Json, ctx, '', undefined);
      if (m) ctx.emitOnce(m);
    });
    return;
  }
  const value = parseJsonLimited(buf, ctx.limits.jsonDepth, 'telegram-json');
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ChatParseError('malformed', 'a Telegram export must be a JSON object (result.json)', 'telegram-json');
  }
  const root = value as Json;
  if (Array.isArray(root.messages)) {
    ctx.name = str(root.name) ?? null;
    readChat(root, ctx, false);
    return;
  }
  const lists: unknown[] = [];
  for (const key of ['chats', 'left_chats']) {
    const section = root[key] as Json | undefined;
    if (section && Array.isArray(section.list)) lists.push(...section.list);
  }
  if (lists.length === 0) {
    throw new ChatParseError('malformed', 'this Telegram export has neither "messages" nor "chats.list"', 'telegram-json');
  }
  for (const chat of lists) if (chat && typeof chat === 'object') readChat(chat as Json, ctx, true);
}
