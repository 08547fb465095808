/**
 * The job queue as the rest of the app sees it: enqueue work, look a job up for its owner, and the
 * operator's overview, retry and cancel. Works the same whether this process also runs a worker.
 */
import { Job, type Agenda, type JobParameters } from 'agenda';
import type { ServiceContext } from '../services/context.js';
import { conflict, notFound } from '../services/errors.js';
import type { HistoryImportQueue } from '../services/history-import.js';
import type { FileProcessingQueue } from '../services/uploads.js';
import {
  ANALYZE_CHAT,
  IMPORT_CHANNEL_HISTORY,
  PROCESS_UPLOADED_FILE,
  type AnalyzeChatData,
  type ImportChannelHistoryData,
  type ProcessUploadedFileData,
} from './names.js';
import { failedJobView, jobStatus, jobView, totalsOf, type JobsAdminView, type JobView } from './views.js';

const LIST_LIMIT = 50;

export interface JobQueue extends FileProcessingQueue, HistoryImportQueue {
  enqueueAnalyzeChat(request: { fileId: string; userId: string; question: string }): Promise<string>;
  /** The job, if it exists and (when `userId` is given) belongs to that user. */
  getJob(id: string, userId?: string): Promise<JobView | null>;
  overview(): Promise<JobsAdminView>;
  /** Runs a failed (or finished) job again now. */
  retry(id: string): Promise<JobView>;
  /** Removes a job that is not running; a file waiting for it is marked failed. */
  cancel(id: string): Promise<void>;
}

export function createJobQueue(agenda: Agenda, services: ServiceContext): JobQueue {
  async function find(id: string): Promise<(JobParameters & { _id: unknown }) | null> {
    try {
      const { jobs } = await agenda.queryJobs({ id, limit: 1 });
      return jobs[0] ?? null;
    } catch (err) {
      // A store with typed ids (PostgreSQL uuid, MongoDB ObjectId) refuses a malformed one: no such job.
      if (/invalid input syntax|must be a (24 character hex|string of 12 bytes)|BSONError|ObjectId/i.test((err as Error).message)) return null;
      throw err;
    }
  }

  /** Processing attempts are counted on the file too (also those a dead worker never reported). */
  async function withFileAttempts(view: JobView): Promise<JobView> {
    if (view.name !== PROCESS_UPLOADED_FILE || !view.file_id) return view;
    const file = await services.models.UploadedFile.findByPk(view.file_id, { attributes: ['attempts', 'job_id', 'progress'] });
    if (!file || file.job_id !== view.id) return view;
    return { ...view, attempts: file.attempts, progress: view.progress ?? file.progress ?? null };
  }

  async function mustFind(id: string): Promise<JobParameters & { _id: unknown }> {
    const job = await find(id);
    if (!job) throw notFound('job');
    return job;
  }

  return {
    async enqueueFileProcessing(file) {
      const data: ProcessUploadedFileData = { fileId: file.id, userId: file.userId };
      const job = await agenda.now(PROCESS_UPLOADED_FILE, data);
      return String(job.attrs._id);
    },

    async enqueueAnalyzeChat(request) {
      const data: AnalyzeChatData = { fileId: request.fileId, userId: request.userId, question: request.question };
      const job = await agenda.now(ANALYZE_CHAT, data);
      return String(job.attrs._id);
    },

    async enqueueHistoryImport(request) {
      const data: ImportChannelHistoryData = { ...request, requestedAt: services.now().toISOString() };
      const job = await agenda.now(IMPORT_CHANNEL_HISTORY, data);
      return String(job.attrs._id);
    },

    async recentHistoryImports({ userId, platform, channelId, limit }) {
      const { jobs } = await agenda.queryJobs({ name: IMPORT_CHANNEL_HISTORY, data: { userId, platform, channelId }, limit: 100 });
      return jobs
        .map((job) => ({ view: jobView(job), data: job.data as ImportChannelHistoryData }))
        .filter(({ data }) => data.userId === userId && data.platform === platform && data.channelId === channelId)
        .sort((a, b) => b.data.requestedAt.localeCompare(a.data.requestedAt))
        .slice(0, limit)
        .map(({ view, data }) => ({
          jobId: view.id,
          days: data.days,
          state: view.state,
          progress: view.progress,
          error: view.state === 'completed' ? null : view.last_error,
          requestedAt: data.requestedAt,
          messageCount: data.result?.message_count ?? null,
        }));
    },

    async getJob(id, userId) {
      const job = await find(id);
      if (!job) return null;
      if (userId !== undefined && (job.data as { userId?: string } | undefined)?.userId !== userId) return null;
      return withFileAttempts(jobView(job));
    },

    async overview() {
      const [counts, running, scheduled, failed, stats] = await Promise.all([
        agenda.getJobsOverview(),
        agenda.queryJobs({ state: 'running', limit: LIST_LIMIT, sort: { lastRunAt: 'desc' } }),
        agenda.queryJobs({ state: 'scheduled', limit: LIST_LIMIT, sort: { nextRunAt: 'asc' } }),
        agenda.queryJobs({ state: 'failed', limit: LIST_LIMIT, sort: { lastFinishedAt: 'desc' } }),
        agenda.isActiveJobProcessor() ? agenda.getRunningStats() : Promise.resolve(null),
      ]);
      const count = (v: number | unknown[]): number => (typeof v === 'number' ? v : v.length);
      return {
        counts,
        totals: totalsOf(counts),
        running: running.jobs.map((j) => jobView(j)),
        scheduled: scheduled.jobs.map((j) => jobView(j)),
        failed: failed.jobs.map(failedJobView),
        worker: stats
          ? {
              name: agenda.attrs.name ?? '',
              running: count(stats.runningJobs),
              locked: count(stats.lockedJobs),
              queued: count(stats.queuedJobs),
              concurrency: stats.config.maxConcurrency,
              has_notification_channel: stats.backend.hasNotificationChannel,
            }
          : null,
      };
    },

    async retry(id) {
      const attrs = await mustFind(id);
      const state = jobStatus(attrs);
      if (state === 'running') throw conflict('the job is running; wait for it to finish');
      if (attrs.repeatInterval) throw conflict('a repeating job runs on its schedule; it cannot be retried');
      const now = new Date();
      // A fresh start: no failures counted, no lock; then due now, which wakes a worker.
      await agenda.db.saveJobState({ ...attrs, lockedAt: undefined, failCount: 0, nextRunAt: now }, { lastModifiedBy: agenda.attrs.name });
      const job = new Job(agenda, { ...attrs, failCount: 0, lockedAt: undefined, type: attrs.type ?? 'normal' });
      job.attrs.disabled = false;
      await job.schedule(now).save();
      if (attrs.name === PROCESS_UPLOADED_FILE) {
        const { fileId } = attrs.data as ProcessUploadedFileData;
        await services.models.UploadedFile.update({ status: 'queued', error: null, job_id: id, progress: null }, { where: { id: fileId } });
      }
      return (await withFileAttempts(jobView((await find(id)) ?? attrs)));
    },

    async cancel(id) {
      const attrs = await mustFind(id);
      if (jobStatus(attrs) === 'running') throw conflict('the job is running; it cannot be cancelled now');
      await agenda.cancel({ id });
      if (attrs.name === PROCESS_UPLOADED_FILE) {
        const { fileId } = attrs.data as ProcessUploadedFileData;
        await services.models.UploadedFile.update(
          { status: 'failed', error: 'processing was cancelled by an administrator' },
          { where: { id: fileId, job_id: id, status: ['queued', 'processing'] } },
        );
      }
    },
  };
}
