/** Jobs as the API and the CLI show them: one job for its owner, and the overview for operators. */
import type { JobParameters, JobsOverview, JobState } from 'agenda';
import { computeJobState } from 'agenda';

/** queued/scheduled/running/completed/failed as Agenda computes them, plus `retrying`: failed, with a retry due. */
export type JobStatus = Exclude<JobState, 'failed'> | 'failed' | 'retrying';

export interface JobView {
  id: string;
  name: string;
  state: JobStatus;
  /** Runs that started (failed ones plus the one under way or finished). */
  attempts: number;
  last_error: string | null;
  progress: number | null;
  result: unknown;
  file_id: string | null;
  next_run_at: string | null;
  last_run_at: string | null;
  last_finished_at: string | null;
  failed_at: string | null;
}

export interface FailedJobView {
  id: string;
  name: string;
  file_id: string | null;
  user_id: string | null;
  reason: string | null;
  fail_count: number;
  failed_at: string | null;
  retry_at: string | null;
}

export interface JobsAdminView {
  /** Counts per job name and state, across every worker on the store. */
  counts: JobsOverview[];
  totals: Record<JobState, number>;
  running: JobView[];
  scheduled: JobView[];
  failed: FailedJobView[];
  /** This process's worker, when it runs one. */
  worker: { name: string; running: number; locked: number; queued: number; concurrency: number; has_notification_channel: boolean } | null;
}

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

interface JobData {
  fileId?: string;
  userId?: string;
  result?: unknown;
}

export function jobStatus(job: JobParameters, now = new Date()): JobStatus {
  const state = computeJobState(job, now);
  if (state === 'failed' && job.nextRunAt && !job.disabled) return 'retrying';
  return state;
}

export function jobView(job: JobParameters & { _id?: unknown }, now = new Date()): JobView {
  const data = (job.data ?? {}) as JobData;
  const state = jobStatus(job, now);
  const failures = job.failCount ?? 0;
  const started = job.lastRunAt ? 1 : 0;
  const attempts = state === 'retrying' || state === 'failed' ? failures : failures + started;
  return {
    id: String(job._id),
    name: job.name,
    state,
    attempts,
    last_error: job.failReason ?? null,
    progress: job.progress ?? null,
    result: data.result ?? null,
    file_id: data.fileId ?? null,
    next_run_at: iso(job.nextRunAt),
    last_run_at: iso(job.lastRunAt),
    last_finished_at: iso(job.lastFinishedAt),
    failed_at: iso(job.failedAt),
  };
}

export function failedJobView(job: JobParameters & { _id?: unknown }): FailedJobView {
  const data = (job.data ?? {}) as JobData;
  return {
    id: String(job._id),
    name: job.name,
    file_id: data.fileId ?? null,
    user_id: data.userId ?? null,
    reason: job.failReason ?? null,
    fail_count: job.failCount ?? 0,
    failed_at: iso(job.failedAt),
    retry_at: job.nextRunAt ? iso(job.nextRunAt) : null,
  };
}

export function totalsOf(counts: JobsOverview[]): Record<JobState, number> {
  const totals: Record<JobState, number> = { running: 0, scheduled: 0, queued: 0, completed: 0, failed: 0, repeating: 0, paused: 0 };
  for (const c of counts) for (const key of Object.keys(totals) as JobState[]) totals[key] += c[key];
  return totals;
}
