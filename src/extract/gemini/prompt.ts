/**
 * What Gemini is told. Bump PROMPT_VERSION whenever the instruction, the message format or the
 * schema changes: it is part of the cache key, so cached results of an older prompt are not reused.
 */
import { DateTime } from 'luxon';
import type { ChatMessage } from '../../chat/types.js';

export const PROMPT_VERSION = 'extract-2026-03.1';

/** Longest message text shown to the model; longer texts are cut (the id still cites the whole). */
export const MAX_MESSAGE_CHARS = 2000;

export const EXTRACTION_INSTRUCTION = `You read a team chat and list the action items (todos) and calendar events it contains.

Each message is one line: [message id] local date, weekday, local time, author: text.
Times are local to the chat time zone given at the top. Answer with JSON that matches the schema.

Rules:
1. Cite the message an item comes from in message_id, copied exactly from the [brackets]. Never invent ids.
2. Resolve relative dates ("tomorrow", "on Friday", "next week", "in 2 hours") against the local date and
   time of the message that says them, not against today and not against other messages.
3. Write dates in the chat's local time, without offset: YYYY-MM-DDTHH:mm, or YYYY-MM-DD when no time is
   said. Never guess a time that the chat does not give.
4. A todo is something someone commits to or is asked to do ("I'll send the deck", "Ana, can you book the
   room?", "we need to renew the cert by Friday"). Questions that only ask for information, opinions,
   jokes and greetings are not todos.
5. Things already done or that happened in the past ("I sent it", "we met yesterday") are neither todos
   nor events.
6. An event is a meeting, call, deadline-day, trip, launch or other dated occurrence that people plan to
   attend or hold. If it is planned but its date is not fixed yet, give starts_at null (TBD).
   all_day is true when only a date is known (starts_at then is YYYY-MM-DD).
7. If a later message cancels or completes an item ("call is off", "done!"), leave the item out.
   If a later message moves it ("let's do Thursday instead"), give the final date and cite the
   message that first proposed it.
8. assignee is the person who should act, as named in the chat (the author when they say "I'll ...");
   null when nobody is named. "@Name" means Name.
9. priority is HIGH for urgent, blocking or same-day items, LOW for "whenever"/"nice to have",
   MEDIUM otherwise.
10. Write text and title in the chat's language, short and self-contained, without "@" or ids.
11. Each item once. If nothing qualifies, answer {"todos": [], "events": []}.`;

/** `[m123] 2026-03-13 Fri 16:05 Ana: text` (local time in the chat's zone). */
export function formatMessageLine(message: ChatMessage, timeZone: string): string {
  const local = DateTime.fromISO(message.sentAt, { zone: 'utc' }).setZone(timeZone);
  const when = local.isValid ? local.toFormat('yyyy-MM-dd ccc HH:mm', { locale: 'en-US' }) : message.sentAt;
  let text = message.text.replace(/\s*\r?\n\s*/g, ' / ').trim();
  if (text.length > MAX_MESSAGE_CHARS) text = text.slice(0, MAX_MESSAGE_CHARS) + ' [...]';
  if (message.attachments.length > 0) text += ` (attached: ${message.attachments.join(', ')})`;
  const author = message.author.name.replace(/[\r\n:]+/g, ' ').trim() || 'unknown';
  return `[${message.id}] ${when} ${author}: ${text}`;
}

export function promptHeader(timeZone: string, part: { index: number; count: number }): string {
  const note = part.count > 1 ? ` This is part ${part.index + 1} of ${part.count} of the conversation.` : '';
  return `Chat time zone: ${timeZone}.${note}\nMessages:`;
}

/** The user turn for one window: header plus pre-formatted message lines. */
export function buildWindowPrompt(lines: string[], timeZone: string, part: { index: number; count: number }): string {
  return `${promptHeader(timeZone, part)}\n${lines.join('\n')}`;
}
