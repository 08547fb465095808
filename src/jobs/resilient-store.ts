/**
 * A job's outcome must reach the store. Agenda saves it once, after the job, and ignores a failed
 * save; when the database dropped the connection at that moment, the job would stay locked until
 * its lock expired (the time limit plus a margin) before it ran again. This wrapper retries that
 * save with short backoff, on a fresh connection from the pool.
 *
 * The same holds for giving a lock back: a worker that locked one job more than it has room for
 * releases it at once, without waiting for or handling the result, so a dropped connection there
 * left the job locked, with no one running it, for the whole lock lifetime (and the rejection
 * unhandled). That release is retried the same way, and a last failure is logged, not thrown.
 */
import type { AgendaBackend, JobLogger, JobParameters, JobRepository, JobRepositoryOptions, NotificationChannel } from 'agenda';
import type { Logger } from '../logger.js';

const SAVE_ATTEMPTS = 6;
const FIRST_DELAY_MS = 100;

export function withOutcomeSaveRetries(backend: AgendaBackend, log: Logger): AgendaBackend {
  const inner = backend.repository;
  /** Runs `write` up to SAVE_ATTEMPTS times with doubling delays; `permanent` errors are not retried. */
  async function withRetries(job: JobParameters, what: string, write: () => Promise<void>, permanent = (_err: Error) => false): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (attempt >= SAVE_ATTEMPTS || permanent(err as Error)) throw err;
        log.warn({ err, job: job.name, id: String(job._id), attempt }, `could not ${what}; trying again`);
        await new Promise((resolve) => setTimeout(resolve, FIRST_DELAY_MS * 2 ** (attempt - 1)));
      }
    }
  }
  const saveJobState = (job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> =>
    // A removed job (cancelled while it ran) cannot be saved however often we try.
    withRetries(job, 'save the job state', () => inner.saveJobState(job, options), (err) => /does not exist anymore/.test(err.message));
  const unlockJob = (job: JobParameters): Promise<void> =>
    withRetries(job, 'release a job lock', () => inner.unlockJob(job)).catch((err: unknown) => {
      log.error({ err, job: job.name, id: String(job._id) }, 'could not release a job lock; it is taken again when the lock expires');
    });
  const repository = new Proxy(inner, {
    get(target, property) {
      if (property === 'saveJobState') return saveJobState;
      if (property === 'unlockJob') return unlockJob;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as JobRepository;
  return {
    get name(): string {
      return backend.name;
    },
    repository,
    get notificationChannel(): NotificationChannel | undefined {
      return backend.notificationChannel;
    },
    get logger(): JobLogger | undefined {
      return backend.logger;
    },
    get ownsConnection(): boolean | undefined {
      return backend.ownsConnection;
    },
    connect: () => backend.connect(),
    disconnect: () => backend.disconnect(),
  };
}
