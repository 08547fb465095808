/**
 * The job system of one process, built from configuration: the store chosen by JOBS_URL
 * (unset: the app's own database), a queue to enqueue and inspect jobs, and, when `worker` is set,
 * a worker that runs them.
 *
 *   const jobs = await createJobSystem(services, { worker: config.jobs.runWorker, notifier });
 *   await jobs.start();              // connects; starts the worker when there is one
 *   await ingestUpload(services, jobs.queue, input);
 *   await jobs.stop(graceMs);        // graceful: see JobWorker.stop
 */
import { hostname } from 'node:os';
import { Agenda, type AgendaBackend } from 'agenda';
import type { ServiceContext } from '../services/context.js';
import { createFileExtractor, type FileExtractor } from '../services/extraction.js';
import type { ChannelHistoryReader } from '../services/history-import.js';
import type { ThreadNotifier } from '../services/process-file.js';
import { connectForEnqueueing, createJobBackend } from './store/index.js';
import type { JobContext } from './context.js';
import { workerConcurrency } from './limits.js';
import { ANALYZE_CHAT, CLEANUP_OLD_FILES, IMPORT_CHANNEL_HISTORY, PROCESS_UPLOADED_FILE, type JobName } from './names.js';
import { createJobQueue, type JobQueue } from './queue.js';
import { withOutcomeSaveRetries } from './resilient-store.js';
import { wakeUpOnly } from './store/wake-up-only.js';
import { JobWorker } from './worker.js';

export interface JobSystemOptions {
  /** Run jobs in this process (the API with RUN_WORKER=true, or `teamsync worker`). */
  worker: boolean;
  /** Posts a file's results back to the chat thread it came from. */
  notifier?: ThreadNotifier;
  /**
   * Read channel histories for `import-channel-history` (the bots', or built from configuration in
   * `teamsync worker`); an import for a platform without a reader here fails with that reason.
   */
  historyReaders?: Array<ChannelHistoryReader | null | undefined>;
  /** Extraction for `process-uploaded-file`; by default Gemini or heuristic, as configured. */
  extractor?: FileExtractor;
  /** Keeps these jobs apart from others on the same store (table, key prefix or collection). */
  namespace?: string;
  /** How often an idle worker looks for due jobs besides notifications (default 5 s). */
  processEvery?: number | string;
  /** Shown as the worker's name in the store (default host:pid). */
  name?: string;
}

export interface JobSystem {
  queue: JobQueue;
  /** The Agenda instance (for the dashboard and operator tools). */
  agenda: Agenda;
  /** Whether this process runs jobs. */
  readonly isWorker: boolean;
  /** Connects the store; starts the worker when there is one. */
  start(): Promise<void>;
  /** Stops the worker gracefully (at most `graceMs` for running jobs) and closes the store. */
  stop(graceMs?: number): Promise<void>;
}

export async function createJobSystem(services: ServiceContext, options: JobSystemOptions): Promise<JobSystem> {
  const { config, logger } = services;
  const log = logger.child({ component: 'jobs' });
  const store = await createJobBackend({
    url: config.jobs.url,
    sequelize: config.jobs.url ? undefined : services.sequelize,
    redisUrl: config.jobs.redisUrl,
    mongodbUrl: config.jobs.mongodbUrl,
    namespace: options.namespace,
  });
  keepAliveOnConnectionErrors(store, log);
  const backend = withOutcomeSaveRetries(store, log);

  const concurrency = workerConcurrency(config.jobs.concurrency, services.sequelize.getDialect());
  if (options.worker && concurrency < config.jobs.concurrency) {
    log.info({ configured: config.jobs.concurrency, concurrency }, 'SQLite database: fewer jobs at once per worker');
  }
  const agenda = new Agenda({
    backend,
    notificationChannel: backend.notificationChannel && wakeUpOnly(backend.notificationChannel),
    name: options.name ?? `${hostname()}:${process.pid}`,
    processEvery: options.processEvery ?? '5 seconds',
    maxConcurrency: concurrency,
    defaultConcurrency: concurrency,
  });
  agenda.on('error', (err: Error) => log.warn({ err }, 'job store error'));

  const timeoutMs: Record<JobName, number> = {
    [PROCESS_UPLOADED_FILE]: config.jobs.timeoutSeconds * 1000,
    [ANALYZE_CHAT]: config.jobs.timeoutSeconds * 1000,
    [CLEANUP_OLD_FILES]: Math.max(config.jobs.timeoutSeconds, 3600) * 1000,
    // Paced reading of a long history, with rate-limit waits, takes a while.
    [IMPORT_CHANNEL_HISTORY]: Math.max(config.jobs.timeoutSeconds, 1800) * 1000,
  };
  const queue = createJobQueue(agenda, services);
  const stopJobs = new AbortController();
  const jobContext: JobContext = {
    services,
    extractor: options.extractor ?? createFileExtractor(services),
    notifier: options.notifier,
    historyReaders: (options.historyReaders ?? []).filter((r): r is ChannelHistoryReader => Boolean(r)),
    queue,
    retry: { maxRetries: config.jobs.maxRetries, baseSeconds: config.jobs.retryBaseSeconds },
    timeoutMs,
    stopping: stopJobs.signal,
  };
  const worker = options.worker
    ? new JobWorker(agenda, jobContext, stopJobs, { concurrency, cleanupCron: config.jobs.cleanupCron, timeZone: config.defaultTimeZone }, log)
    : undefined;

  let enqueueOnly: { close(): Promise<void> } | undefined;
  let state: 'new' | 'started' | 'stopped' = 'new';

  return {
    queue,
    agenda,
    isWorker: Boolean(worker),
    async start() {
      if (state !== 'new') return;
      state = 'started';
      if (worker) await worker.start();
      else enqueueOnly = await connectForEnqueueing(agenda, backend);
      log.info({ store: backend.name, worker: Boolean(worker), notifications: Boolean(backend.notificationChannel) }, 'job system ready');
    },
    async stop(graceMs = config.jobs.shutdownGraceSeconds * 1000) {
      if (state !== 'started') {
        state = 'stopped';
        return;
      }
      state = 'stopped';
      if (worker) await worker.stop(graceMs);
      // A connection the database dropped can leave the pool waiting for a client that never
      // comes back: closing the store must not hold up the shutdown.
      const closed = await settlesWithin(STORE_CLOSE_MS, async () => {
        if (worker) {
          await backend.notificationChannel?.disconnect().catch(() => undefined);
          if (backend.ownsConnection ?? true) await backend.disconnect();
        } else {
          await enqueueOnly?.close();
        }
      });
      if (!closed) log.warn({ after_ms: STORE_CLOSE_MS }, 'the job store did not close in time; leaving it');
    },
  };
}

const STORE_CLOSE_MS = 5000;

/** Runs `work`; true when it settled within `ms`. */
async function settlesWithin(ms: number, work: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work().then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A dropped store connection (database restarted, connection terminated) must not end the
 * process: the pools reconnect on next use and failed jobs are retried. Without listeners, the
 * `error` events of an idle pooled client or of the wake-up channel would be thrown.
 */
function keepAliveOnConnectionErrors(backend: AgendaBackend, log: ServiceContext['logger']): void {
  const channel = backend.notificationChannel as unknown as { on?: (event: 'error', listener: (err: Error) => void) => void } | undefined;
  channel?.on?.('error', (err) => log.warn({ err }, 'job notification channel error; reconnecting'));
  // The PostgreSQL store's pg pool: an idle client's error comes from the pool, a checked-out
  // client's (e.g. between the queries of a lock) from the client itself.
  type Emitter = { on(event: string, listener: (arg: Error & EventEmitterLike) => void): void };
  type EventEmitterLike = { on?: Emitter['on'] };
  const repository = backend.repository as unknown as { getPool?: () => Emitter };
  const pool = repository.getPool?.();
  const lost = (err: Error) => log.warn({ err }, 'job store connection lost; reconnecting on next use');
  pool?.on('error', lost);
  pool?.on('connect', (client) => client.on?.('error', lost));
  // Clients the pool opened before this point (while the schema was being checked) get it too.
  for (const client of (pool as unknown as { _clients?: EventEmitterLike[] } | undefined)?._clients ?? []) client.on?.('error', lost);
}
