/**
 * Importing a channel's history, the platform-neutral part. `/teamsync import N` queues an
 * `import-channel-history` job; the job asks the platform's `ChannelHistoryReader` (Slack Web API,
 * Discord REST: a token and an API URL, no gateway or Bolt app) for the channel's last N days and
 * hands the result to `ingestUpload` like any upload, so `process-uploaded-file` processes it and
 * the thread notifier posts the summary in the import's thread.
 */
import type { UploadedFile } from '../models/index.js';
import { PermanentFileError } from './process-file.js';

/** No history import reads more than this many messages. */
export const HISTORY_MAX_MESSAGES = 50_000;

/** What a bot hands the job queue when someone asks for an import. */
export interface HistoryImportRequest {
  /** The TeamSync account of the person who asked; it owns the job and the resulting file. */
  userId: string;
  platform: 'slack' | 'discord';
  /** Slack team id / Discord guild id. */
  workspaceId: string;
  channelId: string;
  /** The platform user who asked. */
  requesterId: string;
  days: number;
  /**
   * The message the import's thread hangs from, posted by the bot before queueing (Slack `ts`,
   * Discord message id = thread id); null when the command was given inside a thread (Discord).
   */
  anchorId: string | null;
  /** The channel's name, for the file name, when the bot knows it. */
  channelName?: string;
}

/** Where an import stands, for `/teamsync status`. */
export interface HistoryImportStatus {
  jobId: string;
  days: number;
  /** The job's state: queued, running, retrying, completed, failed... */
  state: string;
  progress: number | null;
  /** Why the last attempt failed (failed or retrying). */
  error: string | null;
  requestedAt: string;
  /** Messages read, once taken in. */
  messageCount: number | null;
}

/** The job queue as a bot sees it for history imports. */
export interface HistoryImportQueue {
  /** Queues the import; returns the job id. */
  enqueueHistoryImport(request: HistoryImportRequest): Promise<string>;
  /** This account's latest imports of a channel, newest first. */
  recentHistoryImports(query: { userId: string; platform: 'slack' | 'discord'; channelId: string; limit: number }): Promise<HistoryImportStatus[]>;
}

/** One import as a reader gets it. */
export interface HistoryImport extends HistoryImportRequest {
  jobId: string;
  /** Messages sent at or after this instant are read... */
  since: Date;
  /** ...and before this one (when the import was asked for), so every attempt reads the same messages. */
  until: Date;
}

export interface HistoryRead {
  /** The messages as one export of `format`; null when the channel had none in the period. */
  content: Buffer | null;
  format: 'slack-api' | 'discord-api';
  fileName: string;
  /** Messages read. */
  count: number;
}

export interface HistoryReadOptions {
  /** Aborted at the job's time limit or when the worker shuts down. */
  signal: AbortSignal;
  /** How far the reading is, 0-100 (recorded on the job; also renews its lock). */
  onProgress(percent: number): Promise<void>;
}

/** What the job tells the import's thread, rendered by each platform its own way. */
export type HistoryNotice =
  | { kind: 'empty' }
  | { kind: 'queued'; fileName: string; messageCount: number; format: string }
  /** The same messages were imported before (into another thread). */
  | { kind: 'duplicate'; file: UploadedFile }
  | { kind: 'failed'; reason: string };

/** The port a platform implements to read a channel's history and talk in the import's thread. */
export interface ChannelHistoryReader {
  readonly platform: 'slack' | 'discord';
  /**
   * Reads the period page by page, honouring the platform's rate limits, posting progress in the
   * import's thread. Throws `PermanentImportError` for what no retry fixes (no access, no scope).
   */
  read(request: HistoryImport, options: HistoryReadOptions): Promise<HistoryRead>;
  notify(request: HistoryImport, notice: HistoryNotice): Promise<void>;
}

/** An import that cannot succeed by trying again (the bot is not in the channel, a scope is missing). */
export class PermanentImportError extends PermanentFileError {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentImportError';
  }
}

/** How far back a page reached, as a share of the period: 0 at `until`, `upTo` at `since`. */
export function periodProgress(request: Pick<HistoryImport, 'since' | 'until'>, reachedBackMs: number | null, upTo = 90): number {
  if (reachedBackMs === null) return 0;
  const span = request.until.getTime() - request.since.getTime();
  if (span <= 0) return upTo;
  const share = (request.until.getTime() - reachedBackMs) / span;
  return Math.max(0, Math.min(upTo, Math.round(share * upTo)));
}
