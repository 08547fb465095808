/**
 * `process-uploaded-file`: parse, extract and store one upload (processUploadedFile replaces the
 * file's results in one transaction, so a re-run after a crash leaves exactly one set), then tell
 * the chat it came from. Failed attempts are retried with backoff; a permanent failure or the last
 * attempt marks the file failed with its reason and tells the origin.
 */
import type { Job } from 'agenda';
import { markFileFailed, markFileRetrying, originOf, processUploadedFile, type FileSummary } from '../../services/process-file.js';
import type { JobContext } from '../context.js';
import { isLastAttempt, withTimeLimit, WorkerShutdownError } from '../limits.js';
import { PROCESS_UPLOADED_FILE, type ProcessUploadedFileData } from '../names.js';

export function processUploadedFileJob(jobs: JobContext) {
  const { services, extractor } = jobs;
  const log = services.logger.child({ job: PROCESS_UPLOADED_FILE });

  /** Posts the outcome where the file was shared; a failure to post never re-runs the processing. */
  async function tellOrigin(summary: FileSummary): Promise<void> {
    if (!jobs.notifier) return;
    try {
      const file = await services.models.UploadedFile.findByPk(summary.fileId);
      const origin = file ? originOf(file) : null;
      if (origin) await jobs.notifier.replyInThread(origin, summary);
    } catch (err) {
      log.warn({ err, file_id: summary.fileId }, 'could not post the file result to its origin');
    }
  }

  async function recordFailure(job: Job<ProcessUploadedFileData>, failuresBefore: number, error: unknown): Promise<void> {
    const { fileId } = job.attrs.data;
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof WorkerShutdownError) {
      // Not the job's fault: Agenda's fail() adds one to the count, so leave the count as it was.
      job.attrs.failCount = failuresBefore - 1;
    }
    try {
      if (isLastAttempt(jobs.retry, failuresBefore, error)) {
        log.warn({ file_id: fileId, attempts: failuresBefore + 1, reason }, 'file processing failed for good');
        const summary = await markFileFailed(services, fileId, reason);
        if (summary) await tellOrigin(summary);
      } else {
        log.info({ file_id: fileId, attempt: failuresBefore + 1, reason }, 'file processing failed; it will be retried');
        await markFileRetrying(services, fileId, reason);
      }
    } catch (err) {
      log.error({ err, file_id: fileId }, 'could not record the failed attempt on the file');
    }
  }

  return async (job: Job<ProcessUploadedFileData>): Promise<void> => {
    const { fileId } = job.attrs.data;
    const failuresBefore = job.attrs.failCount ?? 0;
    const onProgress = async (percent: number): Promise<void> => {
      try {
        await job.touch(percent); // also renews the lock
      } catch (err) {
        log.debug({ err, file_id: fileId }, 'could not record job progress');
      }
    };
    let summary: FileSummary;
    try {
      summary = await withTimeLimit(jobs.timeoutMs[PROCESS_UPLOADED_FILE], jobs.stopping, (signal) =>
        processUploadedFile(services, fileId, { extractor, signal, onProgress }),
      );
    } catch (error) {
      await recordFailure(job, failuresBefore, error);
      throw error;
    }
    log.info({ file_id: fileId, todos: summary.todos.length, events: summary.events.length }, 'file processed');
    await tellOrigin(summary);
  };
}
