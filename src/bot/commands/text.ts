/** Plain-text rendering of a reply: the fallback every door can show (notifications, logs, plain clients). */
import type { EventLine, ReplyPart, TodoLine } from './types.js';

const PRIORITY_MARK: Record<TodoLine['priority'], string> = { HIGH: '!!!', MEDIUM: '!!', LOW: '!' };

/** "Tue 3 Mar 2026, 14:00" in the zone, "Tue 3 Mar 2026" for all-day, "TBD" when undated. */
export function formatWhen(iso: string | null, allDay: boolean, timeZone: string): string {
  if (!iso) return 'TBD';
  const date = new Date(iso);
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(date);
  if (allDay) return day;
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return `${day}, ${time}`;
}

export function todoText(t: TodoLine, timeZone = 'UTC'): string {
  const bits = [`[${PRIORITY_MARK[t.priority]}]`, t.status === 'done' ? `~${t.text}~ (done)` : t.text];
  if (t.assignee) bits.push(`— ${t.assignee}`);
  if (t.due_at) bits.push(`(due ${formatWhen(t.due_at, false, timeZone)})`);
  return bits.join(' ');
}

export function eventText(e: EventLine, timeZone: string): string {
  return `${formatWhen(e.starts_at, e.all_day, timeZone)}: ${e.title}`;
}

export function partsText(parts: ReplyPart[]): string {
  const out: string[] = [];
  for (const p of parts) {
    switch (p.kind) {
      case 'text':
      case 'heading':
      case 'code':
        out.push(p.text);
        break;
      case 'todos':
        for (const t of p.todos) out.push(`• ${todoText(t)}`);
        break;
      case 'events':
        for (const e of p.events) out.push(`• ${eventText(e, p.timeZone)}`);
        break;
      case 'sources':
        p.messages.forEach((m, i) => out.push(`[${i + 1}] ${m.author}, ${m.sent_at}: ${m.text}`));
        break;
      case 'link':
        out.push(`${p.label}: ${p.url}`);
        break;
      case 'action':
        break;
    }
  }
  return out.join('\n');
}
