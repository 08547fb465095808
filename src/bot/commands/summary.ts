/** A processed (or failed) file as a reply for the thread it was shared in. */
import type { FileSummary } from '../../services/process-file.js';
import { eventLine } from './calendar.js';
import { reply } from './replies.js';
import { todoLine } from './todos.js';
import type { CommandReply, ReplyPart } from './types.js';

const SHOWN = 15;

export function fileSummaryReply(summary: FileSummary, timeZone: string): CommandReply {
  if (summary.status === 'failed') {
    return reply('thread', [{ kind: 'text', text: `❌ I could not process *${summary.fileName}*: ${summary.error ?? 'unknown error'}` }]);
  }
  const parts: ReplyPart[] = [
    {
      kind: 'heading',
      text: `✅ ${summary.fileName}: ${summary.messageCount} messages, ${summary.todos.length} todo(s), ${summary.events.length} event(s)`,
    },
  ];
  const byPriority = { HIGH: 0, MEDIUM: 1, LOW: 2 } as Record<string, number>;
  const todos = [...summary.todos].sort((a, b) => (byPriority[a.priority] ?? 1) - (byPriority[b.priority] ?? 1));
  if (todos.length) {
    parts.push({ kind: 'todos', todos: todos.slice(0, SHOWN).map((t) => todoLine({ ...t, priority: t.priority as 'LOW' | 'MEDIUM' | 'HIGH' })), actions: true });
    if (todos.length > SHOWN) parts.push({ kind: 'text', text: `…and ${todos.length - SHOWN} more: \`todos\` lists them all.` });
  }
  if (summary.events.length) {
    parts.push({ kind: 'events', events: summary.events.slice(0, SHOWN).map(eventLine), timeZone });
    if (summary.events.length > SHOWN) parts.push({ kind: 'text', text: `…and ${summary.events.length - SHOWN} more: \`calendar\` lists them.` });
  }
  if (!todos.length && !summary.events.length) parts.push({ kind: 'text', text: 'No todos or events found in this conversation.' });
  parts.push({ kind: 'action', action: 'calendar-feed', label: '📅 My calendar feed' });
  return reply('thread', parts);
}
