/** How answers write dates, messages, todos and events. */
import { DateTime } from 'luxon';
import type { ChatMessage } from '../chat/types.js';
import type { AnswerEvent, AnswerSource, AnswerTodo } from './types.js';

const SOURCE_TEXT_CHARS = 1000;

export function localDateTime(iso: string, timeZone: string): string {
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timeZone);
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy HH:mm', { locale: 'en-GB' }) : iso;
}

export function localDate(iso: string, timeZone: string): string {
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timeZone);
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy', { locale: 'en-GB' }) : iso;
}

export function oneLine(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function describeTodo(todo: AnswerTodo, timeZone: string): string {
  const parts = [todo.text];
  if (todo.assignee) parts.push(`assigned to ${todo.assignee}`);
  if (todo.dueAt) parts.push(`due ${localDateTime(todo.dueAt, timeZone)}`);
  if (todo.done) parts.push('done');
  return parts.join(', ');
}

export function describeEvent(event: AnswerEvent, timeZone: string): string {
  if (!event.startsAt) return `${event.title}, date not fixed yet`;
  const when = event.allDay ? localDate(event.startsAt, timeZone) : localDateTime(event.startsAt, timeZone);
  return `${event.title}, ${when}`;
}

export function toSource(message: ChatMessage): AnswerSource {
  return {
    id: message.id,
    author: message.author.name,
    sent_at: message.sentAt,
    text: message.text.length > SOURCE_TEXT_CHARS ? `${message.text.slice(0, SOURCE_TEXT_CHARS - 1)}…` : message.text,
  };
}
