/**
 * The worker side of the job system: defines the jobs on an Agenda instance, starts taking them,
 * schedules the cleanup, and shuts down gracefully: stop taking jobs, let running ones finish
 * within the grace period, then stop the rest (they are unlocked and due again at once, for
 * another worker) and unlock whatever was locked but not yet started.
 */
import type { Agenda, Job } from 'agenda';
import type { Logger } from '../logger.js';
import type { JobContext } from './context.js';
import { analyzeChatJob } from './definitions/analyze-chat.js';
import { cleanupOldFilesJob } from './definitions/cleanup-old-files.js';
import { importChannelHistoryJob } from './definitions/import-channel-history.js';
import { processUploadedFileJob } from './definitions/process-uploaded-file.js';
import { lockLifetimeFor, retryBackoff } from './limits.js';
import { ANALYZE_CHAT, CLEANUP_OLD_FILES, IMPORT_CHANNEL_HISTORY, PROCESS_UPLOADED_FILE } from './names.js';

/** How long stopped jobs get to save their state and unlock after the grace period. */
const UNLOCK_WAIT_MS = 5000;

export interface WorkerSettings {
  concurrency: number;
  cleanupCron: string;
  timeZone: string;
}

export class JobWorker {
  /** Jobs this worker is running, by id; each resolves once Agenda has saved its outcome. */
  private readonly running = new Map<string, { done: Promise<void>; finish: () => void }>();
  private started = false;

  constructor(
    private readonly agenda: Agenda,
    private readonly jobs: JobContext,
    private readonly stopJobs: AbortController,
    private readonly settings: WorkerSettings,
    private readonly logger: Logger,
  ) {
    agenda.on('complete', (job: Job, remote?: boolean) => {
      if (remote === true) return;
      const id = String(job.attrs._id);
      this.running.get(id)?.finish();
      this.running.delete(id);
      // After Agenda has released the finished job's slot (right after this event).
      if (this.started) setImmediate(() => this.lookForMore(job.attrs.name));
    });
    this.define();
  }

  /**
   * Agenda looks for due jobs on its poll (every `processEvery`) and when the store announces a new
   * job, but not when a job finishes: with a backlog, a worker would run `concurrency` jobs per poll
   * interval and then sit idle. So a finished job's slot is offered at once to the next due job of
   * its type, through the path Agenda 6.2 takes for a store's announcement (it respects the lock
   * limits and does nothing once stopped). Without that path, polling still finds the jobs.
   * (On SQLite this relies on the store's writes taking the process's write turn: the lock
   * statement racing a job's transaction during a burst of uploads otherwise stalled the process.)
   */
  private lookForMore(jobName: string): void {
    type Processor = { handleNotification?: (n: { jobName: string; nextRunAt: null; timestamp: Date }) => Promise<void> };
    const processor = (this.agenda as unknown as { jobProcessor?: Processor }).jobProcessor;
    if (!this.started || typeof processor?.handleNotification !== 'function') return;
    processor.handleNotification({ jobName, nextRunAt: null, timestamp: new Date() }).catch((err: unknown) => {
      this.logger.warn({ err, job: jobName }, 'could not look for the next job');
    });
  }

  get activeJobs(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
    await this.agenda.start();
    this.started = true;
    await this.agenda.every(this.settings.cleanupCron, CLEANUP_OLD_FILES, undefined, { timezone: this.settings.timeZone, skipImmediate: true });
    this.logger.info(
      { worker: this.agenda.attrs.name, concurrency: this.settings.concurrency, cleanup: this.settings.cleanupCron, time_zone: this.settings.timeZone },
      'job worker started',
    );
  }

  /** Stops taking jobs; waits up to `graceMs` for running ones; stops and unlocks the rest. */
  async stop(graceMs: number): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Unlocks jobs locked but not started; running ones keep their locks until they finish.
    await this.agenda.stop(false);
    if (this.running.size > 0) {
      this.logger.info({ running: this.running.size, grace_ms: graceMs }, 'waiting for running jobs to finish');
      const finished = await this.waitForRunning(graceMs);
      if (!finished) {
        this.logger.warn({ running: [...this.running.keys()] }, 'grace period over: stopping the running jobs; they run again');
        this.stopJobs.abort();
        await this.waitForRunning(UNLOCK_WAIT_MS);
      }
    }
  }

  private async waitForRunning(ms: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const all = Promise.all([...this.running.values()].map((r) => r.done)).then(() => true as const);
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Wraps a job function so that shutdown knows it is running until Agenda saved its outcome. */
  private tracked<D>(fn: (job: Job<D>) => Promise<void>): (job: Job<D>) => Promise<void> {
    return async (job) => {
      const id = String(job.attrs._id);
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      this.running.set(id, { done, finish });
      await fn(job);
    };
  }

  private define(): void {
    const { agenda, jobs, settings } = this;
    const backoff = retryBackoff(jobs.retry);
    const perType = { concurrency: settings.concurrency, lockLimit: settings.concurrency, backoff };
    agenda.define(PROCESS_UPLOADED_FILE, this.tracked(processUploadedFileJob(jobs)), {
      ...perType,
      lockLifetime: lockLifetimeFor(jobs.timeoutMs[PROCESS_UPLOADED_FILE]),
    });
    agenda.define(ANALYZE_CHAT, this.tracked(analyzeChatJob(jobs)), {
      ...perType,
      lockLifetime: lockLifetimeFor(jobs.timeoutMs[ANALYZE_CHAT]),
    });
    // One import at a time per worker: it is slow and rate-limited, and must not hold every slot
    // that file processing needs.
    agenda.define(IMPORT_CHANNEL_HISTORY, this.tracked(importChannelHistoryJob(jobs)), {
      concurrency: 1,
      lockLimit: 1,
      backoff,
      lockLifetime: lockLifetimeFor(jobs.timeoutMs[IMPORT_CHANNEL_HISTORY]),
    });
    agenda.define(CLEANUP_OLD_FILES, this.tracked(cleanupOldFilesJob(jobs)), {
      concurrency: 1,
      lockLimit: 1,
      lockLifetime: lockLifetimeFor(jobs.timeoutMs[CLEANUP_OLD_FILES]),
    });
  }
}
