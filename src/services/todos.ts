/**
 * A user's todos: filtered, keyset-paginated listing, edits and deletion. Another user's todo is
 * indistinguishable from a missing one (404).
 *
 * Order: due_at ascending with undated todos last, then created_at, then id. The cursor is the
 * (due_at, created_at, id) of the last item of a page, base64url-encoded JSON; it stays valid while
 * items are added or removed, and must be used with the same filters.
 */
import { Op, col, fn, where as sqlWhere, type WhereOptions } from 'sequelize';
import type { TodoItem } from '../models/index.js';
import type { ServiceContext } from './context.js';
import { notFound, validationFailed } from './errors.js';
import { getOwnFile } from './uploads.js';

export type Priority = 'LOW' | 'MEDIUM' | 'HIGH';
export type TodoStatus = 'open' | 'done';

export interface EvidenceView {
  message_id: string | null;
  author: string | null;
  sent_at: string | null;
  excerpt: string | null;
}

export interface TodoView {
  id: string;
  file_id: string | null;
  text: string;
  assignee: string | null;
  priority: Priority;
  due_at: string | null;
  status: TodoStatus;
  extractor: string;
  source: EvidenceView;
  created_at: string;
  updated_at: string;
}

export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export function evidenceView(row: {
  source_message_id: string | null;
  source_author: string | null;
  source_sent_at: Date | null;
  source_excerpt: string | null;
}): EvidenceView {
  return {
    message_id: row.source_message_id ?? null,
    author: row.source_author ?? null,
    sent_at: iso(row.source_sent_at),
    excerpt: row.source_excerpt ?? null,
  };
}

export function todoView(t: TodoItem): TodoView {
  return {
    id: t.id,
    file_id: t.file_id ?? null,
    text: t.text,
    assignee: t.assignee ?? null,
    priority: t.priority,
    due_at: iso(t.due_at),
    status: t.status,
    extractor: t.extractor,
    source: evidenceView(t),
    created_at: iso(t.created_at)!,
    updated_at: iso(t.updated_at)!,
  };
}

/** Opaque page cursors: base64url JSON. A cursor that does not decode is a 422 naming `query.cursor`. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(raw: string, check: (v: unknown) => v is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!check(value)) {
    throw validationFailed('query.cursor: is not a cursor of this list', [{ field: 'query.cursor', message: 'is not a cursor of this list' }]);
  }
  return value;
}

export const isIsoString = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
export const isUuidString = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v);

/** Position of the last todo of a page: [due_at or null, created_at, id]. */
type TodoCursor = [string | null, string, string];
const isTodoCursor = (v: unknown): v is TodoCursor =>
  Array.isArray(v) && v.length === 3 && (v[0] === null || isIsoString(v[0])) && isIsoString(v[1]) && isUuidString(v[2]);

export interface TodoFilter {
  fileId?: string;
  status?: TodoStatus;
  priority?: Priority;
  assignee?: string;
  dueBefore?: string;
  dueAfter?: string;
  limit: number;
  cursor?: string;
}

/** Rows after (created_at, id) = (c, i) within the same due_at. */
const afterCreated = (c: Date, i: string): WhereOptions => ({
  [Op.or]: [{ created_at: { [Op.gt]: c } }, { created_at: c, id: { [Op.gt]: i } }],
});

function afterTodo([due, created, id]: TodoCursor): WhereOptions {
  const c = new Date(created);
  if (due === null) return { [Op.and]: [{ due_at: null }, afterCreated(c, id)] };
  const d = new Date(due);
  return {
    [Op.or]: [{ due_at: { [Op.gt]: d } }, { due_at: null }, { [Op.and]: [{ due_at: d }, afterCreated(c, id)] }],
  };
}

export async function listTodos(ctx: ServiceContext, userId: string, f: TodoFilter): Promise<{ items: TodoView[]; next_cursor: string | null }> {
  if (f.fileId) await getOwnFile(ctx, userId, f.fileId);
  const conditions: WhereOptions[] = [{ user_id: userId }];
  if (f.fileId) conditions.push({ file_id: f.fileId });
  if (f.status) conditions.push({ status: f.status });
  if (f.priority) conditions.push({ priority: f.priority });
  if (f.assignee) conditions.push(sqlWhere(fn('lower', col('assignee')), f.assignee.toLowerCase()));
  if (f.dueBefore) conditions.push({ due_at: { [Op.lt]: new Date(f.dueBefore) } });
  if (f.dueAfter) conditions.push({ due_at: { [Op.gte]: new Date(f.dueAfter) } });
  if (f.cursor) conditions.push(afterTodo(decodeCursor(f.cursor, isTodoCursor)));

  const rows = await ctx.models.TodoItem.findAll({
    where: { [Op.and]: conditions },
    order: [
      ['due_at', 'ASC NULLS LAST'],
      ['created_at', 'ASC'],
      ['id', 'ASC'],
    ],
    limit: f.limit + 1,
  });
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const next = rows.length > f.limit && last ? encodeCursor([iso(last.due_at), iso(last.created_at)!, last.id] satisfies TodoCursor) : null;
  return { items: page.map(todoView), next_cursor: next };
}

export async function getOwnTodo(ctx: ServiceContext, userId: string, id: string): Promise<TodoItem> {
  const todo = await ctx.models.TodoItem.findOne({ where: { id, user_id: userId } });
  if (!todo) throw notFound('todo');
  return todo;
}

export interface TodoPatch {
  status?: TodoStatus;
  priority?: Priority;
  due_at?: string | null;
  assignee?: string | null;
  text?: string;
}

export async function updateTodo(ctx: ServiceContext, userId: string, id: string, patch: TodoPatch): Promise<TodoView> {
  const todo = await getOwnTodo(ctx, userId, id);
  const changes: Partial<Pick<TodoItem, 'status' | 'priority' | 'due_at' | 'assignee' | 'text'>> = {};
  if (patch.status !== undefined) changes.status = patch.status;
  if (patch.priority !== undefined) changes.priority = patch.priority;
  if (patch.due_at !== undefined) changes.due_at = patch.due_at === null ? null : new Date(patch.due_at);
  if (patch.assignee !== undefined) changes.assignee = patch.assignee;
  if (patch.text !== undefined) changes.text = patch.text;
  await todo.update(changes);
  return todoView(todo);
}

export async function deleteTodo(ctx: ServiceContext, userId: string, id: string): Promise<void> {
  const todo = await getOwnTodo(ctx, userId, id);
  await todo.destroy();
}
