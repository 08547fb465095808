/**
 * Taking in a chat export: validate it at once (size, format, readable messages), store it, and
 * queue its processing. The same bytes from the same account are stored once.
 */
import { createHash } from 'node:crypto';
import { Op } from 'sequelize';
import { ChatParseError, streamChat, SUPPORTED_FORMATS } from '../chat/index.js';
import type { ChatFormat } from '../chat/types.js';
import type { UploadedFile } from '../models/index.js';
import type { ServiceContext } from './context.js';
import { AppError, notFound } from './errors.js';

/** Where a file came from, so its results can be posted back there. */
export interface UploadOrigin {
  platform: 'slack' | 'discord';
  workspaceId: string;
  channelId: string;
  threadId?: string | null;
  messageId?: string | null;
}

/** The job queue as the upload use-case sees it. */
export interface FileProcessingQueue {
  /** Queues processing of the file; returns the job id. */
  enqueueFileProcessing(file: { id: string; userId: string }): Promise<string>;
}

export interface IngestInput {
  userId: string;
  fileName: string;
  content: Buffer;
  format?: ChatFormat;
  timeZone?: string;
  origin?: UploadOrigin;
  reprocess?: boolean;
}

export interface IngestResult {
  /** false when the same bytes were already uploaded by this account. */
  created: boolean;
  queued: boolean;
  file: UploadedFile;
  jobId: string | null;
}

/** Maps a parse failure to the API's error: the status the parser chose and its readable reason. */
export function chatErrorToAppError(err: ChatParseError): AppError {
  return new AppError(err.status, `chat_${err.kind.replace('-', '_')}`, err.message, err.format ? { format: err.format } : undefined);
}

export async function ingestUpload(ctx: ServiceContext, queue: FileProcessingQueue, input: IngestInput): Promise<IngestResult> {
  const { limits } = ctx.config;
  if (input.content.length > limits.uploadBytes) {
    throw new AppError(413, 'payload_too_large', `file is ${input.content.length} bytes; the limit is ${limits.uploadBytes} bytes`);
  }
  if (input.format && !SUPPORTED_FORMATS.some((f) => f.format === input.format)) {
    throw new AppError(422, 'validation_error', `format: unknown format "${input.format}"; supported: ${SUPPORTED_FORMATS.map((f) => f.format).join(', ')}`);
  }
  const timeZone = input.timeZone ?? ctx.config.defaultTimeZone;
  // Validation only counts the messages: none is kept (the job parses the stored file again).
  let conversation;
  try {
    conversation = await streamChat(input.content, { format: input.format, timeZone, limits, fileName: input.fileName }, () => {});
  } catch (err) {
    if (err instanceof ChatParseError) throw chatErrorToAppError(err);
    throw err;
  }
  if (conversation.count === 0) {
    throw new AppError(422, 'chat_empty', `this ${conversation.format} export holds no messages`);
  }
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const existing = await ctx.models.UploadedFile.findOne({ where: { user_id: input.userId, sha256 }, order: [['created_at', 'ASC']] });
  if (existing && !input.reprocess) return { created: false, queued: false, file: existing, jobId: existing.job_id };
  if (existing) {
    const jobId = await queue.enqueueFileProcessing({ id: existing.id, userId: input.userId });
    await existing.update({ status: 'queued', error: null, job_id: jobId, attempts: 0, progress: null });
    return { created: false, queued: true, file: existing, jobId };
  }

  const file = await ctx.models.UploadedFile.create({
    user_id: input.userId,
    file_name: input.fileName.slice(0, 512),
    format: conversation.format,
    byte_size: input.content.length,
    sha256,
    content: input.content,
    time_zone: timeZone,
    message_count: conversation.count,
    status: 'queued',
    origin_platform: input.origin?.platform ?? null,
    origin_workspace_id: input.origin?.workspaceId ?? null,
    origin_channel_id: input.origin?.channelId ?? null,
    origin_thread_id: input.origin?.threadId ?? null,
    origin_message_id: input.origin?.messageId ?? null,
  });
  let jobId: string;
  try {
    jobId = await queue.enqueueFileProcessing({ id: file.id, userId: input.userId });
  } catch (err) {
    // Without a job the file would sit queued forever: take it back and say so.
    await file.destroy();
    ctx.logger.error({ err }, 'could not queue file processing');
    throw new AppError(503, 'queue_unavailable', 'the job queue is unavailable; try again shortly');
  }
  await ctx.models.UploadedFile.update({ job_id: jobId }, { where: { id: file.id } });
  file.job_id = jobId;
  return { created: true, queued: true, file, jobId };
}

export interface FileView {
  id: string;
  file_name: string;
  format: string | null;
  byte_size: number;
  sha256: string;
  status: string;
  message_count: number | null;
  todo_count: number | null;
  event_count: number | null;
  error: string | null;
  attempts: number;
  progress: number | null;
  task_id: string | null;
  time_zone: string | null;
  origin: { platform: string; workspace_id: string | null; channel_id: string | null; thread_id: string | null } | null;
  created_at: string;
  processed_at: string | null;
}

export function fileView(f: UploadedFile): FileView {
  return {
    id: f.id,
    file_name: f.file_name,
    format: f.format ?? null,
    byte_size: f.byte_size,
    sha256: f.sha256,
    status: f.status,
    message_count: f.message_count ?? null,
    todo_count: f.todo_count ?? null,
    event_count: f.event_count ?? null,
    error: f.error ?? null,
    attempts: f.attempts,
    progress: f.progress ?? null,
    task_id: f.job_id ?? null,
    time_zone: f.time_zone ?? null,
    origin: f.origin_platform
      ? { platform: f.origin_platform, workspace_id: f.origin_workspace_id ?? null, channel_id: f.origin_channel_id ?? null, thread_id: f.origin_thread_id ?? null }
      : null,
    created_at: new Date(f.created_at).toISOString(),
    processed_at: f.processed_at ? new Date(f.processed_at).toISOString() : null,
  };
}

/** A file of this account, or 404 (another account's file is indistinguishable from none). */
export async function getOwnFile(ctx: ServiceContext, userId: string, fileId: string): Promise<UploadedFile> {
  const file = await ctx.models.UploadedFile.findOne({ where: { id: fileId, user_id: userId } });
  if (!file) throw notFound('file');
  return file;
}

export async function listFiles(ctx: ServiceContext, userId: string, q: { status?: string; limit: number; offset: number }) {
  const where: Record<string, unknown> = { user_id: userId };
  if (q.status) where.status = q.status;
  const { rows, count } = await ctx.models.UploadedFile.findAndCountAll({ where, order: [['created_at', 'DESC'], ['id', 'ASC']], limit: q.limit, offset: q.offset });
  return { items: rows.map(fileView), total: count, limit: q.limit, offset: q.offset };
}

export async function deleteFile(ctx: ServiceContext, userId: string, fileId: string): Promise<void> {
  const file = await getOwnFile(ctx, userId, fileId);
  await file.destroy();
}

/** Files older than the cut-off, with everything under them. Returns what was removed. */
export async function deleteFilesOlderThan(ctx: ServiceContext, cutoff: Date): Promise<Array<{ id: string; user_id: string; file_name: string }>> {
  const old = await ctx.models.UploadedFile.findAll({ where: { created_at: { [Op.lt]: cutoff } }, attributes: ['id', 'user_id', 'file_name'] });
  if (old.length) await ctx.models.UploadedFile.destroy({ where: { id: old.map((f) => f.id) } });
  return old.map((f) => ({ id: f.id, user_id: f.user_id, file_name: f.file_name }));
}
