/**
 * Turns the model's JSON for one window into domain items, trusting nothing: unknown message ids,
 * malformed or implausible dates and empty texts are dropped, and evidence is taken from the cited
 * message itself.
 */
import { DateTime } from 'luxon';
import type { ChatMessage } from '../../chat/types.js';
import type { Evidence, ExtractedEvent, ExtractedTodo, Priority } from '../types.js';

export const EXCERPT_CHARS = 200;
const MAX_TEXT_CHARS = 300;
/** Dates this far before the cited message are rejected as misreadings. */
const MAX_DAYS_BEFORE_MESSAGE = 366;
/** ... and this far after it. */
const MAX_DAYS_AFTER_MESSAGE = 5 * 366;

export type DropReason = 'malformed' | 'unknown-message' | 'invalid-date' | 'empty-text';

export interface WindowItems {
  todos: ExtractedTodo[];
  events: ExtractedEvent[];
  dropped: Array<{ kind: 'todo' | 'event'; reason: DropReason; messageId?: string }>;
}

export function evidenceFor(message: ChatMessage): Evidence {
  const text = message.text.replace(/\s+/g, ' ').trim();
  return {
    messageId: message.id,
    author: message.author.name,
    sentAt: message.sentAt,
    excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text,
  };
}

type ParsedDate = { ok: true; iso: string | null; dateOnly: boolean } | { ok: false };

/**
 * Reads a model date: null/empty means "none"; `YYYY-MM-DD` and `YYYY-MM-DDTHH:mm[:ss]` are local
 * to the chat; a value with `Z` or an offset is taken as absolute. Rejects dates outside a sane
 * range around the cited message.
 */
export function parseModelDate(
  value: unknown,
  timeZone: string,
  anchorIso: string,
  endOfDay: boolean,
): ParsedDate {
  if (value === null || value === undefined) return { ok: true, iso: null, dateOnly: false };
  if (typeof value !== 'string') return { ok: false };
  const text = value.trim();
  if (text === '' || /^(null|tbd|none|unknown)$/i.test(text)) return { ok: true, iso: null, dateOnly: false };
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  if (!dateOnly && !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text)) {
    return { ok: false };
  }
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) && !dateOnly;
  let dt = DateTime.fromISO(text.replace(' ', 'T'), hasZone ? { setZone: true } : { zone: timeZone });
  if (!dt.isValid) return { ok: false };
  if (dateOnly && endOfDay) dt = dt.endOf('day');
  const anchor = DateTime.fromISO(anchorIso, { zone: 'utc' });
  if (anchor.isValid) {
    const days = dt.diff(anchor, 'days').days;
    if (days < -MAX_DAYS_BEFORE_MESSAGE || days > MAX_DAYS_AFTER_MESSAGE) return { ok: false };
  }
  return { ok: true, iso: dt.toUTC().toISO(), dateOnly };
}

function cleanText(value: unknown): string {
  if (typeof value !== 'string') return '';
  const text = value.replace(/\s+/g, ' ').trim();
  return text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
}

function cleanAssignee(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value.replace(/^@+/, '').replace(/\s+/g, ' ').trim();
  return name === '' || /^(null|none|nobody|unknown)$/i.test(name) ? null : name;
}

function cleanPriority(value: unknown): Priority {
  const p = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return p === 'LOW' || p === 'HIGH' ? p : 'MEDIUM';
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Validates the JSON Gemini returned for one window against the messages that window showed. */
export function validateWindowOutput(
  raw: unknown,
  messagesById: ReadonlyMap<string, ChatMessage>,
  timeZone: string,
): WindowItems {
  const out: WindowItems = { todos: [], events: [], dropped: [] };
  const root = asRecord(raw);
  const rawTodos = Array.isArray(root?.todos) ? root.todos : [];
  const rawEvents = Array.isArray(root?.events) ? root.events : [];

  for (const item of rawTodos) {
    const t = asRecord(item);
    if (!t) {
      out.dropped.push({ kind: 'todo', reason: 'malformed' });
      continue;
    }
    const messageId = typeof t.message_id === 'string' ? t.message_id.trim().replace(/^\[|\]$/g, '') : '';
    const message = messagesById.get(messageId);
    if (!message) {
      out.dropped.push({ kind: 'todo', reason: 'unknown-message', messageId });
      continue;
    }
    const text = cleanText(t.text);
    if (!text) {
      out.dropped.push({ kind: 'todo', reason: 'empty-text', messageId });
      continue;
    }
    const due = parseModelDate(t.due_at, timeZone, message.sentAt, true);
    if (!due.ok) {
      out.dropped.push({ kind: 'todo', reason: 'invalid-date', messageId });
      continue;
    }
    out.todos.push({
      text,
      assignee: cleanAssignee(t.assignee),
      priority: cleanPriority(t.priority),
      dueAt: due.iso,
      source: evidenceFor(message),
      extractor: 'gemini',
    });
  }

  for (const item of rawEvents) {
    const e = asRecord(item);
    if (!e) {
      out.dropped.push({ kind: 'event', reason: 'malformed' });
      continue;
    }
    const messageId = typeof e.message_id === 'string' ? e.message_id.trim().replace(/^\[|\]$/g, '') : '';
    const message = messagesById.get(messageId);
    if (!message) {
      out.dropped.push({ kind: 'event', reason: 'unknown-message', messageId });
      continue;
    }
    const title = cleanText(e.title);
    if (!title) {
      out.dropped.push({ kind: 'event', reason: 'empty-text', messageId });
      continue;
    }
    const start = parseModelDate(e.starts_at, timeZone, message.sentAt, false);
    const end = parseModelDate(e.ends_at, timeZone, message.sentAt, false);
    if (!start.ok || !end.ok) {
      out.dropped.push({ kind: 'event', reason: 'invalid-date', messageId });
      continue;
    }
    const allDay = start.iso !== null && (e.all_day === true || start.dateOnly);
    let endsAt = start.iso === null ? null : end.iso;
    if (allDay && start.iso !== null && end.iso !== null && end.dateOnly) {
      // An all-day range ends at the start of the day after its last day.
      endsAt = DateTime.fromISO(end.iso).setZone(timeZone).plus({ days: 1 }).startOf('day').toUTC().toISO();
    }
    if (endsAt !== null && start.iso !== null && endsAt <= start.iso) endsAt = null;
    out.events.push({
      title,
      startsAt: start.iso,
      endsAt,
      allDay,
      source: evidenceFor(message),
      extractor: 'gemini',
    });
  }
  return out;
}
