/**
 * `import-channel-history`: a bot's `/teamsync import N`. The platform's reader reads the channel's
 * last N days (before the moment it was asked for, so every attempt reads the same messages),
 * posting progress in the import's thread; the messages go through `ingestUpload` like an upload
 * with the thread as origin, so `process-uploaded-file` processes them and posts the summary there.
 *
 * A run interrupted anywhere simply runs again: before the file is stored nothing is kept; once it
 * is, the job records it and a later run stops there (and the same bytes would be recognised too).
 * Failed attempts are retried with the usual backoff; a permanent failure (no access to the
 * channel, a missing scope, no reader for the platform on this worker) fails at once, and the last
 * failure is told in the thread.
 */
import type { Job } from 'agenda';
import { AppError } from '../../services/errors.js';
import { PermanentImportError, type ChannelHistoryReader, type HistoryImport, type HistoryNotice } from '../../services/history-import.js';
import { ingestUpload } from '../../services/uploads.js';
import type { JobContext } from '../context.js';
import { isLastAttempt, withTimeLimit, WorkerShutdownError } from '../limits.js';
import { IMPORT_CHANNEL_HISTORY, type ImportChannelHistoryData } from '../names.js';

const TOKEN_VARIABLE = { slack: 'SLACK_BOT_TOKEN', discord: 'DISCORD_TOKEN' } as const;

export function importChannelHistoryJob(jobs: JobContext) {
  const { services } = jobs;
  const log = services.logger.child({ job: IMPORT_CHANNEL_HISTORY });
  const readers = new Map<string, ChannelHistoryReader>(jobs.historyReaders.map((r) => [r.platform, r]));

  function importOf(job: Job<ImportChannelHistoryData>): HistoryImport {
    const d = job.attrs.data;
    const until = new Date(d.requestedAt);
    return {
      jobId: String(job.attrs._id),
      userId: d.userId,
      platform: d.platform,
      workspaceId: d.workspaceId,
      channelId: d.channelId,
      requesterId: d.requesterId,
      days: d.days,
      anchorId: d.anchorId ?? null,
      channelName: d.channelName,
      since: new Date(until.getTime() - d.days * 86_400_000),
      until,
    };
  }

  /** Tells the thread; a failure to post never fails or re-runs the import. */
  async function tell(reader: ChannelHistoryReader | undefined, request: HistoryImport, notice: HistoryNotice): Promise<void> {
    if (!reader) return;
    try {
      await reader.notify(request, notice);
    } catch (err) {
      log.warn({ err, job_id: request.jobId, notice: notice.kind }, 'could not post to the import thread');
    }
  }

  async function run(job: Job<ImportChannelHistoryData>, reader: ChannelHistoryReader, request: HistoryImport, signal: AbortSignal): Promise<void> {
    const data = job.attrs.data;
    if (data.fileId && (await services.models.UploadedFile.count({ where: { id: data.fileId } }))) {
      log.info({ job_id: request.jobId, file_id: data.fileId }, 'history taken in by an earlier run');
      return;
    }
    const onProgress = async (percent: number): Promise<void> => {
      try {
        await job.touch(percent); // also renews the lock
      } catch (err) {
        log.debug({ err, job_id: request.jobId }, 'could not record job progress');
      }
    };
    const read = await reader.read(request, { signal, onProgress });
    signal.throwIfAborted();
    if (!read.content || read.count === 0) {
      job.attrs.data = { ...data, result: { message_count: 0, created: false, file_id: null, processing_job_id: null } };
      job.attrs.progress = 100;
      await job.save();
      await tell(reader, request, { kind: 'empty' });
      return;
    }
    let ingested;
    try {
      ingested = await ingestUpload(services, jobs.queue, {
        userId: data.userId,
        fileName: read.fileName,
        content: read.content,
        format: read.format,
        origin: { platform: data.platform, workspaceId: data.workspaceId, channelId: data.channelId, threadId: request.anchorId, messageId: request.anchorId },
      });
    } catch (err) {
      // The parser or the size limit refused it: reading again gives the same.
      if (err instanceof AppError && err.status < 500) throw new PermanentImportError(err.message);
      throw err;
    }
    const { file } = ingested;
    job.attrs.data = {
      ...data,
      fileId: file.id,
      result: { message_count: read.count, created: ingested.created, file_id: file.id, processing_job_id: ingested.jobId },
    };
    job.attrs.progress = 100;
    await job.save();
    log.info({ job_id: request.jobId, file_id: file.id, messages: read.count, created: ingested.created }, 'channel history taken in');
    if (ingested.created) {
      await tell(reader, request, { kind: 'queued', fileName: file.file_name, messageCount: file.message_count ?? read.count, format: read.format });
    } else if (!(file.origin_channel_id === data.channelId && (file.origin_thread_id ?? null) === request.anchorId)) {
      // Imported before into another thread (an earlier run of this job used this one: nothing to say).
      await tell(reader, request, { kind: 'duplicate', file });
    }
  }

  async function recordFailure(job: Job<ImportChannelHistoryData>, reader: ChannelHistoryReader | undefined, request: HistoryImport, failuresBefore: number, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof WorkerShutdownError) {
      // Not the job's fault: Agenda's fail() adds one to the count, so leave the count as it was.
      job.attrs.failCount = failuresBefore - 1;
      log.info({ job_id: request.jobId }, 'history import interrupted by the shutdown; it runs again');
      return;
    }
    if (isLastAttempt(jobs.retry, failuresBefore, error)) {
      log.warn({ job_id: request.jobId, platform: request.platform, channel: request.channelId, attempts: failuresBefore + 1, reason }, 'history import failed for good');
      await tell(reader, request, { kind: 'failed', reason });
    } else {
      log.info({ job_id: request.jobId, attempt: failuresBefore + 1, reason }, 'history import failed; it will be retried');
    }
  }

  return async (job: Job<ImportChannelHistoryData>): Promise<void> => {
    const request = importOf(job);
    const failuresBefore = job.attrs.failCount ?? 0;
    const reader = readers.get(request.platform);
    try {
      if (!reader) {
        throw new PermanentImportError(`this worker cannot read ${request.platform} channels: ${TOKEN_VARIABLE[request.platform]} is not set for it`);
      }
      await withTimeLimit(jobs.timeoutMs[IMPORT_CHANNEL_HISTORY], jobs.stopping, (signal) => run(job, reader, request, signal));
    } catch (error) {
      await recordFailure(job, reader, request, failuresBefore, error);
      throw error;
    }
  };
}
