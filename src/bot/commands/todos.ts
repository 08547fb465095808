/** `todos [mine|all|@someone] [open|done|any]`: this account's todos, filtered by assignee and status. */
import { listTodos, type TodoStatus, type TodoView } from '../../services/todos.js';
import type { CommandContext } from './context.js';
import { argumentWords } from './parse.js';
import { privateReply } from './replies.js';
import type { CommandReply, TodoLine } from './types.js';

const SHOWN = 25;
const FETCHED = 500;

const personKey = (name: string) => name.normalize('NFKD').replace(/\p{M}/gu, '').replace(/^@/, '').trim().toLowerCase();

/** Whether an extracted assignee ("Alice", "alice smith", "@alice") names this person. */
export function samePerson(assignee: string | null, name: string): boolean {
  if (!assignee) return false;
  const a = personKey(assignee);
  const n = personKey(name);
  if (!a || !n) return false;
  if (a === n || a.includes(n) || n.includes(a)) return true;
  return a.split(/\s+/)[0] === n.split(/\s+/)[0];
}

/** `<@U1|alice>` or `@alice` -> alice; null for anything else. */
function mentionedName(word: string): string | null {
  const slack = /^<@[A-Z0-9]+\|([^>]+)>$/i.exec(word);
  if (slack) return slack[1]!;
  if (word.startsWith('@') && word.length > 1) return word.slice(1);
  return null;
}

export const todoLine = (t: Pick<TodoView, 'id' | 'text' | 'assignee' | 'priority' | 'due_at'> & { status?: TodoView['status'] }): TodoLine => ({
  id: t.id,
  text: t.text,
  assignee: t.assignee,
  priority: t.priority,
  due_at: t.due_at,
  status: t.status ?? 'open',
});

export async function todosCommand(c: CommandContext): Promise<CommandReply> {
  let who: { kind: 'all' } | { kind: 'name'; name: string; label: string } = { kind: 'all' };
  let status: TodoStatus | undefined = 'open';
  const unknown: string[] = [];
  for (const word of argumentWords(c.request.args)) {
    const w = word.toLowerCase();
    const mention = mentionedName(word);
    if (w === 'all' || w === 'everyone') who = { kind: 'all' };
    else if (w === 'mine' || w === 'me') {
      const name = c.request.actor.displayName;
      if (!name) return privateReply({ kind: 'text', text: 'I do not know your name here; try `todos @yourname`.' });
      who = { kind: 'name', name, label: 'you' };
    } else if (mention) who = { kind: 'name', name: mention, label: mention };
    else if (w === 'open' || w === 'done') status = w;
    else if (w === 'any' || w === 'both') status = undefined;
    else unknown.push(word);
  }
  if (unknown.length) {
    return privateReply({ kind: 'text', text: `I did not understand "${unknown.join(' ')}". Usage: \`todos [mine|all|@someone] [open|done|any]\`` });
  }
  const { items } = await listTodos(c.ctx, c.userId, { status, limit: FETCHED });
  const matching = who.kind === 'all' ? items : items.filter((t) => samePerson(t.assignee, who.name));
  const scope = who.kind === 'all' ? '' : ` for ${who.label}`;
  const state = status ?? 'open and done';
  if (matching.length === 0) {
    return privateReply({ kind: 'text', text: `No ${state} todos${scope}. Share a chat export in a channel with me, or \`import\` this channel's history.` });
  }
  const shown = matching.slice(0, SHOWN);
  const more = matching.length > shown.length ? ` (showing ${shown.length} of ${matching.length})` : '';
  return privateReply(
    { kind: 'heading', text: `Your ${state} todos${scope}${more}` },
    { kind: 'todos', todos: shown.map(todoLine), actions: status !== 'done' },
  );
}
