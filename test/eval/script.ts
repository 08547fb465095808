/**
 * Reads a chat script (see LABELLING.md): a small text format holding one conversation with its
 * gold todos and events, times written as wall-clock times in the chat's zone.
 */
import { DateTime } from 'luxon';
import type { ChatMessage } from '../../src/chat/types.js';
import type { GoldEvent, GoldTodo, LabelledConversation } from '../../src/extract/evaluate.js';
import type { Priority } from '../../src/extract/types.js';

function slug(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** A wall-clock date and time in `zone` as an ISO instant. */
export function localInstant(date: string, time: string, zone: string, where: string): string {
  const dt = DateTime.fromISO(`${date}T${time.padStart(5, '0')}`, { zone });
  if (!dt.isValid) throw new Error(`${where}: bad date/time "${date} ${time}"`);
  return dt.toUTC().toJSDate().toISOString();
}

/** Parses the gold section's message references ("#3,#5") into message ids. */
function refs(field: string, messages: ChatMessage[], where: string): string[] {
  return field.split(',').map((r) => {
    const n = Number(r.trim().replace(/^#/, ''));
    const m = messages[n - 1];
    if (!m) throw new Error(`${where}: no message ${r.trim()}`);
    return m.id;
  });
}

/** A gold time field: `YYYY-MM-DD HH:MM`, a bare date (all day, local midnight), or `-` / `TBD` (none). */
export function moment(field: string, zone: string, where: string): { at: string | null; allDay: boolean } {
  const v = field.trim();
  if (v === '-' || /^tbd$/i.test(v)) return { at: null, allDay: false };
  const [date, time] = v.split(/\s+/);
  if (!date) throw new Error(`${where}: empty date`);
  return time ? { at: localInstant(date, time, zone, where), allDay: false } : { at: localInstant(date, '00:00', zone, where), allDay: true };
}

/** Parses a script; `messagesOverride` supplies messages parsed from a raw export instead. */
export function parseChatScript(source: string, name: string, messagesOverride?: ChatMessage[]): LabelledConversation {
  const lines = source.split(/\r?\n/);
  let timeZone = 'UTC';
  let title = name;
  let day: string | null = null;
  let inGold = false;
  const messages: ChatMessage[] = messagesOverride ? [...messagesOverride] : [];
  const todos: GoldTodo[] = [];
  const events: GoldEvent[] = [];
  lines.forEach((line, i) => {
    const where = `${name}:${i + 1}`;
    if (!line.trim()) return;
    if (line.startsWith('== gold')) {
      inGold = true;
      return;
    }
    if (inGold) {
      const [head, ...fields] = line.split('|').map((f) => f.trim());
      const [kind, ids] = (head ?? '').split(/\s+/);
      if (!ids) throw new Error(`${where}: gold line needs a kind and messages`);
      const messageIds = refs(ids, messages, where);
      if (kind === 'todo') {
        const [text, assignee, priority, due] = fields;
        if (!text || !priority || !['LOW', 'MEDIUM', 'HIGH'].includes(priority)) throw new Error(`${where}: bad todo`);
        todos.push({ messageIds, text, assignee: !assignee || assignee === '-' ? null : assignee, priority: priority as Priority, dueAt: moment(due ?? '-', timeZone, where).at });
      } else if (kind === 'event') {
        const [text, start, end] = fields;
        if (!text || !start) throw new Error(`${where}: bad event`);
        const s = moment(start, timeZone, where);
        events.push({ messageIds, title: text, startsAt: s.at, endsAt: moment(end ?? '-', timeZone, where).at, allDay: s.allDay });
      } else throw new Error(`${where}: unknown gold kind "${kind}"`);
      return;
    }
    const header = /^(title|tz):\s*(.+)$/.exec(line);
    if (header) {
      if (header[1] === 'tz') timeZone = header[2]!.trim();
      else title = header[2]!.trim();
      return;
    }
    if (messagesOverride) return;
    const dayLine = /^---\s*(\d{4}-\d{2}-\d{2})/.exec(line);
    if (dayLine) {
      day = dayLine[1]!;
      return;
    }
    if (line.startsWith('  ') && messages.length > 0) {
      const last = messages[messages.length - 1]!;
      last.text += `\n${line.trim()}`;
      return;
    }
    const system = /^(\d{1,2}:\d{2}) \* (.+)$/.exec(line);
    const said = /^(\d{1,2}:\d{2}) ([^:]+?): (.*)$/.exec(line);
    if (!day || (!system && !said)) throw new Error(`${where}: cannot read "${line}"`);
    const time = (system ?? said)![1]!;
    const authorName = said ? said[2]!.trim() : 'system';
    messages.push({
      id: `${slug(name)}-${messages.length + 1}`,
      sentAt: localInstant(day, time, timeZone, where),
      author: { id: slug(authorName), name: authorName },
      text: said ? said[3]! : system![2]!,
      threadId: null,
      attachments: [],
      system: Boolean(system),
    });
  });
  return { name: title, timeZone, messages, gold: { todos, events } };
}
