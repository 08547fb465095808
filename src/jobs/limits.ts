/**
 * How long a job may run and how it is retried. A job's lock lives a little longer than its
 * time limit, so a live worker always gives up (and unlocks) before another may take the job over;
 * a dead worker's lock simply expires.
 */
import type { BackoffStrategy } from 'agenda';
import { PermanentFileError } from '../services/process-file.js';

/** Lock lifetime for a job that may run `timeoutMs`: the limit plus a margin for saving its state. */
export function lockLifetimeFor(timeoutMs: number): number {
  return timeoutMs + Math.max(2000, Math.round(timeoutMs / 10));
}

/** The job was stopped because its worker is shutting down; it is not the job's fault. */
export class WorkerShutdownError extends Error {
  constructor() {
    super('the worker shut down before the job finished; it runs again');
    this.name = 'WorkerShutdownError';
  }
}

/** The job ran past its time limit. */
export class JobTimeoutError extends Error {
  constructor(seconds: number) {
    super(`timed out after ${seconds} s`);
    this.name = 'JobTimeoutError';
  }
}

export interface RetryPolicy {
  maxRetries: number;
  baseSeconds: number;
}

/** Failures that retrying cannot fix. */
export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentFileError || (error instanceof Error && error.name === 'PermanentFileError');
}

/**
 * Retries `maxRetries` times after base x 2^(n-1) seconds (n = 1, 2, ...); never for a permanent
 * failure. A shutdown is no failure: the job is due again at once, for another worker.
 */
export function retryBackoff(policy: RetryPolicy): BackoffStrategy {
  return ({ attempt, error }) => {
    if (error instanceof WorkerShutdownError) return 0;
    if (isPermanent(error) || attempt > policy.maxRetries) return null;
    return Math.round(policy.baseSeconds * 1000 * 2 ** (attempt - 1));
  };
}

/** Whether the run that just failed with `error` is the last one (no retry follows). */
export function isLastAttempt(policy: RetryPolicy, failuresBefore: number, error: unknown): boolean {
  if (error instanceof WorkerShutdownError) return false;
  return isPermanent(error) || failuresBefore + 1 > policy.maxRetries;
}

/**
 * Runs `work` with a signal that aborts at the time limit or when `stop` aborts, and settles at
 * that moment even if `work` does not heed its signal, so the job always unlocks in time.
 */
export async function withTimeLimit<T>(
  timeoutMs: number,
  stop: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new JobTimeoutError(Math.round(timeoutMs / 1000))), timeoutMs);
  const onStop = () => controller.abort(new WorkerShutdownError());
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(controller.signal.reason as Error);
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(controller.signal), aborted]);
  } catch (error) {
    // Whatever the work threw after the abort, the abort is the reason.
    throw controller.signal.aborted ? (controller.signal.reason as Error) : error;
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
    if (onAbort) controller.signal.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
  }
}

/**
 * Jobs one worker runs at once on an SQLite database. SQLite waits for a busy write lock inside
 * the driver, on one of libuv's four pool threads; with more concurrent jobs than that, every
 * thread can end up waiting for a lock whose holder then gets no thread to commit on, until the
 * busy timeout fails them all. Two is safe and keeps a network-bound extraction overlapping.
 */
export const SQLITE_MAX_CONCURRENCY = 2;

export function workerConcurrency(configured: number, databaseDialect: string): number {
  return databaseDialect === 'sqlite' ? Math.min(configured, SQLITE_MAX_CONCURRENCY) : configured;
}
