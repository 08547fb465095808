/**
 * Processing one uploaded file: parse -> extract -> store messages, todos and events in one
 * transaction that replaces the file's previous results (so a re-run is idempotent) -> mark it done
 * -> tell the place it came from. The job layer calls this and decides about retries.
 */
import type { Transaction } from 'sequelize';
import { ChatParseError, parseChat } from '../chat/index.js';
import type { ChatFormat, ChatMessage } from '../chat/types.js';
import type { ExtractedEvent, ExtractedTodo } from '../extract/types.js';
import type { UploadedFile } from '../models/index.js';
import type { ServiceContext } from './context.js';
import type { FileExtractor } from './extraction.js';
import type { UploadOrigin } from './uploads.js';

/** A failure that no retry can fix (the file cannot be read, or is gone). */
export class PermanentFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFileError';
  }
}

export interface FileSummary {
  fileId: string;
  userId: string;
  fileName: string;
  status: 'done' | 'failed';
  error?: string;
  messageCount: number;
  todos: Array<{ id: string; text: string; assignee: string | null; priority: string; due_at: string | null }>;
  events: Array<{ id: string; title: string; starts_at: string | null; all_day: boolean }>;
}

/** The port a bot implements to post a file's results where the file was shared. */
export interface ThreadNotifier {
  replyInThread(origin: UploadOrigin, summary: FileSummary): Promise<void>;
}

export interface ProcessOptions {
  extractor: FileExtractor;
  onProgress?: (percent: number) => Promise<void> | void;
  signal?: AbortSignal;
}

const INSERT_BATCH = 1000;
/**
 * Files with at least this many messages record their progress (on the file and the job, which
 * also renews the job's lock) after parsing and after extraction; smaller ones take well under a
 * second offline, and three more writes per file would be most of the database work of a busy queue.
 */
export const PROGRESS_MIN_MESSAGES = 1000;

export function originOf(file: UploadedFile): UploadOrigin | null {
  if (!file.origin_platform || !file.origin_channel_id) return null;
  return {
    platform: file.origin_platform as UploadOrigin['platform'],
    workspaceId: file.origin_workspace_id ?? '',
    channelId: file.origin_channel_id,
    threadId: file.origin_thread_id,
    messageId: file.origin_message_id,
  };
}

function evidenceColumns(source: ExtractedTodo['source']) {
  return {
    source_message_id: source.messageId,
    source_author: source.author,
    source_sent_at: new Date(source.sentAt),
    source_excerpt: source.excerpt,
  };
}

async function replaceResults(
  ctx: ServiceContext,
  file: UploadedFile,
  messages: ChatMessage[],
  todos: ExtractedTodo[],
  events: ExtractedEvent[],
  transaction: Transaction,
) {
  const { StoredMessage, TodoItem, CalendarEvent } = ctx.models;
  // Results are only ever written here, together with processed_at: a file never processed has
  // none. (Should another processing of the file have stored results since this one read it, the
  // unique (file, position) of its messages refuses this set, and the retry replaces them.)
  const done = new Set<string>();
  if (file.processed_at) {
    // Keep what people already ticked off when the same todo comes out again.
    for (const t of await TodoItem.findAll({ where: { file_id: file.id, status: 'done' }, attributes: ['source_message_id', 'text'], transaction })) {
      done.add(`${t.source_message_id}\u0000${t.text}`);
    }
    await StoredMessage.destroy({ where: { file_id: file.id }, transaction });
    await TodoItem.destroy({ where: { file_id: file.id }, transaction });
    await CalendarEvent.destroy({ where: { file_id: file.id }, transaction });
  }
  for (let i = 0; i < messages.length; i += INSERT_BATCH) {
    await StoredMessage.bulkCreate(
      messages.slice(i, i + INSERT_BATCH).map((m, j) => ({
        file_id: file.id,
        position: i + j,
        platform_message_id: m.id,
        sent_at: new Date(m.sentAt),
        author_id: m.author.id,
        author_name: m.author.name,
        text: m.text,
        thread_parent_id: m.threadId,
        attachments: m.attachments.length ? JSON.stringify(m.attachments) : null,
        system: m.system,
      })),
      { transaction },
    );
  }
  const storedTodos = await TodoItem.bulkCreate(
    todos.map((t) => ({
      user_id: file.user_id,
      file_id: file.id,
      text: t.text,
      assignee: t.assignee,
      priority: t.priority,
      due_at: t.dueAt ? new Date(t.dueAt) : null,
      status: done.has(`${t.source.messageId}\u0000${t.text}`) ? ('done' as const) : ('open' as const),
      extractor: t.extractor,
      ...evidenceColumns(t.source),
    })),
    { transaction },
  );
  const storedEvents = await CalendarEvent.bulkCreate(
    events.map((e) => ({
      user_id: file.user_id,
      file_id: file.id,
      title: e.title,
      starts_at: e.startsAt ? new Date(e.startsAt) : null,
      ends_at: e.endsAt ? new Date(e.endsAt) : null,
      all_day: e.allDay,
      extractor: e.extractor,
      ...evidenceColumns(e.source),
    })),
    { transaction },
  );
  return { storedTodos, storedEvents };
}

/** Marks the file as being processed (one more attempt) and reads it, content included. */
async function startProcessing(ctx: ServiceContext, fileId: string): Promise<UploadedFile | null> {
  const { UploadedFile } = ctx.models;
  const changes = { status: 'processing' as const, attempts: ctx.sequelize.literal('attempts + 1') as unknown as number, progress: 0 };
  if (ctx.sequelize.getDialect() === 'postgres') {
    // One round trip instead of two: the row comes back from the update.
    const [, rows] = await UploadedFile.scope('withContent').update(changes, { where: { id: fileId }, returning: true });
    return rows[0] ?? null;
  }
  const file = await UploadedFile.scope('withContent').findByPk(fileId);
  if (file) await UploadedFile.update(changes, { where: { id: fileId } });
  return file;
}

export async function processUploadedFile(ctx: ServiceContext, fileId: string, options: ProcessOptions): Promise<FileSummary> {
  const file = await startProcessing(ctx, fileId);
  if (!file) throw new PermanentFileError(`file ${fileId} no longer exists`);
  let recordsProgress = false;
  const progress = async (p: number) => {
    if (!recordsProgress) return;
    await ctx.models.UploadedFile.update({ progress: p }, { where: { id: file.id } });
    await options.onProgress?.(p);
  };

  const timeZone = file.time_zone ?? ctx.config.defaultTimeZone;
  let messages: ChatMessage[];
  try {
    const conversation = await parseChat(file.content, {
      format: (file.format as ChatFormat | null) ?? undefined,
      timeZone,
      limits: ctx.config.limits,
      fileName: file.file_name,
    });
    messages = conversation.messages;
    recordsProgress = messages.length >= PROGRESS_MIN_MESSAGES;
  } catch (err) {
    if (err instanceof ChatParseError) throw new PermanentFileError(err.message);
    throw err;
  }
  await progress(20);
  options.signal?.throwIfAborted();
  const extracted = await options.extractor.extract(messages, { timeZone }, { contentHash: file.sha256, signal: options.signal });
  await progress(70);
  options.signal?.throwIfAborted();

  const { storedTodos, storedEvents } = await ctx.sequelize.transaction(async (transaction) => {
    // The file's row first: it is locked until the commit, so a second processing of the same
    // file waits here for this one.
    const [updated] = await ctx.models.UploadedFile.update(
      {
        status: 'done',
        error: null,
        progress: 100,
        message_count: messages.length,
        todo_count: extracted.todos.length,
        event_count: extracted.events.length,
        processed_at: ctx.now(),
      },
      { where: { id: file.id }, transaction },
    );
    if (updated === 0) throw new PermanentFileError(`file ${file.id} no longer exists`);
    return replaceResults(ctx, file, messages, extracted.todos, extracted.events, transaction);
  });
  if (recordsProgress) await options.onProgress?.(100);
  return {
    fileId: file.id,
    userId: file.user_id,
    fileName: file.file_name,
    status: 'done',
    messageCount: messages.length,
    todos: storedTodos.map((t) => ({ id: t.id, text: t.text, assignee: t.assignee, priority: t.priority, due_at: t.due_at ? t.due_at.toISOString() : null })),
    events: storedEvents.map((e) => ({ id: e.id, title: e.title, starts_at: e.starts_at ? e.starts_at.toISOString() : null, all_day: e.all_day })),
  };
}

/** Records a failure that ends the file's processing; returns the summary to tell its origin. */
export async function markFileFailed(ctx: ServiceContext, fileId: string, reason: string): Promise<FileSummary | null> {
  const file = await ctx.models.UploadedFile.findByPk(fileId);
  if (!file) return null;
  await file.update({ status: 'failed', error: reason.slice(0, 2000) });
  return { fileId, userId: file.user_id, fileName: file.file_name, status: 'failed', error: reason, messageCount: file.message_count ?? 0, todos: [], events: [] };
}

/** Records that an attempt failed and another will follow. */
export async function markFileRetrying(ctx: ServiceContext, fileId: string, reason: string): Promise<void> {
  await ctx.models.UploadedFile.update({ status: 'queued', error: `retrying after: ${reason}`.slice(0, 2000) }, { where: { id: fileId } });
}
