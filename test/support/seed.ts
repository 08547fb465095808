/**
 * Test data written straight through the models: an account with an access token, and a
 * processed file with its messages, todos and events (as processing would have stored them).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CalendarEvent, FileStatus, TodoItem, UploadedFile, User } from '../../src/models/index.js';
import { register } from '../../src/services/auth.js';
import type { ServiceContext } from '../../src/services/context.js';

export interface SeededUser {
  user: User;
  token: string;
}

export async function seedUser(services: ServiceContext, username: string): Promise<SeededUser> {
  const pair = await register(services, { username, email: `${username}@example.com`, password: 'correct horse battery' }, {});
  const user = await services.models.User.findByPk(pair.user.id);
  return { user: user!, token: pair.access_token };
}

export interface SeedMessage {
  id: string;
  at: string;
  author: string;
  text: string;
}

export interface SeedTodo {
  text: string;
  assignee?: string | null;
  priority?: 'LOW' | 'MEDIUM' | 'HIGH';
  due_at?: string | null;
  status?: 'open' | 'done';
  /** Index into the file's messages for the evidence; default 0. */
  message?: number;
}

export interface SeedEvent {
  title: string;
  starts_at?: string | null;
  ends_at?: string | null;
  all_day?: boolean;
  message?: number;
}

export interface SeedFileSpec {
  fileName?: string;
  status?: FileStatus;
  timeZone?: string;
  messages?: SeedMessage[];
  todos?: SeedTodo[];
  events?: SeedEvent[];
}

export interface SeededFile {
  file: UploadedFile;
  todos: TodoItem[];
  events: CalendarEvent[];
}

export const DEFAULT_MESSAGES: SeedMessage[] = [
  { id: 'm1', at: '2026-03-12T09:00:00Z', author: 'Ana', text: 'Morning all. The Acme contract renewal is due on March 31.' },
  { id: 'm2', at: '2026-03-12T09:05:00Z', author: 'Bo', text: 'Chen, can you send the signed Acme contract to legal by Friday?' },
  { id: 'm3', at: '2026-03-12T09:07:00Z', author: 'Chen', text: 'Sure, I will send it to legal on Friday.' },
  { id: 'm4', at: '2026-03-12T09:10:00Z', author: 'Ana', text: 'Team offsite planning: we still need to pick a date for the offsite.' },
  { id: 'm5', at: '2026-03-12T09:12:00Z', author: 'Bo', text: 'Release review meeting on Tuesday at 14:00 in room 3.' },
];

export async function seedFile(services: ServiceContext, userId: string, spec: SeedFileSpec = {}): Promise<SeededFile> {
  const { UploadedFile, StoredMessage, TodoItem, CalendarEvent } = services.models;
  const messages = spec.messages ?? DEFAULT_MESSAGES;
  const content = Buffer.concat([Buffer.from(messages.map((m) => `${m.at} ${m.author}: ${m.text}`).join('\n')), randomBytes(8)]);
  const status = spec.status ?? 'done';
  const file = await UploadedFile.create({
    user_id: userId,
    file_name: spec.fileName ?? 'chat.txt',
    format: 'transcript',
    byte_size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    content,
    time_zone: spec.timeZone ?? 'UTC',
    message_count: messages.length,
    status,
    processed_at: status === 'done' ? new Date() : null,
  });
  if (status !== 'done') return { file, todos: [], events: [] };

  await StoredMessage.bulkCreate(
    messages.map((m, position) => ({
      file_id: file.id,
      position,
      platform_message_id: m.id,
      sent_at: new Date(m.at),
      author_id: m.author.toLowerCase(),
      author_name: m.author,
      text: m.text,
      thread_parent_id: null,
      attachments: null,
      system: false,
    })),
  );
  const evidence = (index = 0) => {
    const m = messages[Math.min(index, messages.length - 1)]!;
    return { source_message_id: m.id, source_author: m.author, source_sent_at: new Date(m.at), source_excerpt: m.text.slice(0, 200) };
  };
  // One at a time so that created_at follows the given order.
  const todos: TodoItem[] = [];
  for (const t of spec.todos ?? []) {
    todos.push(
      await TodoItem.create({
        user_id: userId,
        file_id: file.id,
        text: t.text,
        assignee: t.assignee ?? null,
        priority: t.priority ?? 'MEDIUM',
        due_at: t.due_at ? new Date(t.due_at) : null,
        status: t.status ?? 'open',
        extractor: 'heuristic',
        ...evidence(t.message),
      }),
    );
  }
  const events: CalendarEvent[] = [];
  for (const e of spec.events ?? []) {
    events.push(
      await CalendarEvent.create({
        user_id: userId,
        file_id: file.id,
        title: e.title,
        starts_at: e.starts_at ? new Date(e.starts_at) : null,
        ends_at: e.ends_at ? new Date(e.ends_at) : null,
        all_day: e.all_day ?? false,
        extractor: 'heuristic',
        ...evidence(e.message),
      }),
    );
  }
  await file.update({ todo_count: todos.length, event_count: events.length });
  return { file, todos, events };
}
