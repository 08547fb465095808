/** The jobs TeamSync runs in the background and the data each one carries. */

export const PROCESS_UPLOADED_FILE = 'process-uploaded-file';
export const ANALYZE_CHAT = 'analyze-chat';
export const CLEANUP_OLD_FILES = 'cleanup-old-files';

export const JOB_NAMES = [PROCESS_UPLOADED_FILE, ANALYZE_CHAT, CLEANUP_OLD_FILES] as const;
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
