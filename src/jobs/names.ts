/** The jobs TeamSync runs in the background and the data each one carries. */
import type { HistoryImportRequest } from '../services/history-import.js';

export const PROCESS_UPLOADED_FILE = 'process-uploaded-file';
export const ANALYZE_CHAT = 'analyze-chat';
export const CLEANUP_OLD_FILES = 'cleanup-old-files';
export const IMPORT_CHANNEL_HISTORY = 'import-channel-history';

export const JOB_NAMES = [PROCESS_UPLOADED_FILE, ANALYZE_CHAT, CLEANUP_OLD_FILES, IMPORT_CHANNEL_HISTORY] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Every job a user starts names its owner, so that nobody else can read it. */
export interface OwnedJobData {
  userId: string;
}

export interface ProcessUploadedFileData extends OwnedJobData {
  fileId: string;
}

export interface AnalyzeChatData extends OwnedJobData {
  fileId: string;
  question: string;
  /** Written by the job when the answer is complete. */
  result?: AnalyzeChatResult;
}

export interface AnalyzeChatResult {
  mode: 'extractive' | 'gemini';
  model?: string;
  /** Why the model was not used, when it failed and the extractive answer stood in. */
  fallback?: string;
  answer: string;
  sources: Array<{ id: string; author: string; sent_at: string; text: string }>;
  /** Set when the answer broke off part-way. */
  error?: string;
}

/**
 * A bot's `/teamsync import N`: read the channel's last N days and take them in like an upload.
 * `userId` is the asker's TeamSync account, `requesterId` their platform user id, `anchorId` the
 * message the progress and results thread hangs from.
 */
export interface ImportChannelHistoryData extends OwnedJobData, HistoryImportRequest {
  /** When the import was asked for (ISO): every attempt reads the same `days` before it. */
  requestedAt: string;
  /** The stored file, once the history was taken in (a later run of the job stops there). */
  fileId?: string;
  /** Written by the job when the history is taken in. */
  result?: ImportChannelHistoryResult;
}

export interface ImportChannelHistoryResult {
  message_count: number;
  /** false when the same messages had been imported before (the earlier file stands). */
  created: boolean;
  file_id: string | null;
  /** The `process-uploaded-file` job of the file. */
  processing_job_id: string | null;
}
