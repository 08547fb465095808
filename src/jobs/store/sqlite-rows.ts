import { toJobId, type JobParameters } from 'agenda';
import type { SqlValue } from './sqlite-connection.js';

/** One row of the SQLite jobs table, as the driver returns it. */
export interface SqliteJobRow {
  id: string;
  name: string;
  priority: number;
  next_run_at: number | null;
  type: 'normal' | 'single';
  locked_at: number | null;
  last_finished_at: number | null;
  failed_at: number | null;
  fail_count: number | null;
  fail_reason: string | null;
  repeat_timezone: string | null;
  last_run_at: number | null;
  repeat_interval: string | number | null;
  data: string | null;
  repeat_at: string | null;
  disabled: number;
  progress: number | null;
  fork: number;
  last_modified_by: string | null;
  debounce_started_at: number | null;
  start_date: number | null;
  end_date: number | null;
  skip_days: string | null;
  created_at: number;
  updated_at: number;
}

export function toMillis(date: Date | string | null | undefined): number | null {
  if (date === null || date === undefined) return null;
  const ms = (date instanceof Date ? date : new Date(date)).getTime();
  return Number.isNaN(ms) ? null : ms;
}

function toDate(ms: number | null): Date | undefined {
  return ms === null ? undefined : new Date(ms);
}

export function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? {} : value);
}

export function rowToJob(row: SqliteJobRow): JobParameters {
  return {
    _id: toJobId(row.id),
    name: row.name,
    priority: row.priority,
    nextRunAt: row.next_run_at === null ? null : new Date(row.next_run_at),
    type: row.type,
    lockedAt: toDate(row.locked_at),
    lastFinishedAt: toDate(row.last_finished_at),
    failedAt: toDate(row.failed_at),
    failCount: row.fail_count ?? undefined,
    failReason: row.fail_reason ?? undefined,
    repeatTimezone: row.repeat_timezone ?? undefined,
    lastRunAt: toDate(row.last_run_at),
    repeatInterval: row.repeat_interval ?? undefined,
    data: row.data === null ? {} : (JSON.parse(row.data) as unknown),
    repeatAt: row.repeat_at ?? undefined,
    disabled: row.disabled === 1,
    progress: row.progress ?? undefined,
    fork: row.fork === 1,
    lastModifiedBy: row.last_modified_by ?? undefined,
    debounceStartedAt: toDate(row.debounce_started_at),
    startDate: toDate(row.start_date),
    endDate: toDate(row.end_date),
    skipDays: row.skip_days === null ? undefined : (JSON.parse(row.skip_days) as number[]),
  };
}

/** The columns a job definition writes when it is inserted or saved by user code. */
export interface DefinitionColumns {
  name: string;
  priority: number;
  next_run_at: number | null;
  type: 'normal' | 'single';
  repeat_timezone: string | null;
  repeat_interval: string | number | null;
  data: string;
  repeat_at: string | null;
  disabled: number;
  fork: number;
  last_modified_by: string | null;
  start_date: number | null;
  end_date: number | null;
  skip_days: string | null;
}

export function definitionColumns(job: JobParameters, lastModifiedBy: string | undefined): DefinitionColumns {
  return {
    name: job.name,
    priority: job.priority ?? 0,
    next_run_at: toMillis(job.nextRunAt),
    type: job.type ?? 'normal',
    repeat_timezone: job.repeatTimezone ?? null,
    repeat_interval: job.repeatInterval ?? null,
    data: toJson(job.data),
    repeat_at: job.repeatAt ?? null,
    disabled: job.disabled ? 1 : 0,
    fork: job.fork ? 1 : 0,
    last_modified_by: lastModifiedBy ?? null,
    start_date: toMillis(job.startDate),
    end_date: toMillis(job.endDate),
    skip_days: job.skipDays ? JSON.stringify(job.skipDays) : null,
  };
}

/** Columns that a `unique` constraint may name directly (its values are always bound). */
export const UNIQUE_QUERYABLE_COLUMNS: ReadonlySet<string> = new Set([
  'id', 'name', 'priority', 'next_run_at', 'type', 'locked_at', 'last_finished_at', 'failed_at',
  'fail_count', 'fail_reason', 'repeat_timezone', 'last_run_at', 'repeat_interval', 'data', 'repeat_at',
  'disabled', 'progress', 'fork', 'last_modified_by', 'debounce_started_at', 'start_date', 'end_date',
  'skip_days', 'created_at', 'updated_at',
]);

const DATE_COLUMNS: ReadonlySet<string> = new Set([
  'next_run_at', 'locked_at', 'last_finished_at', 'failed_at', 'last_run_at', 'debounce_started_at',
  'start_date', 'end_date', 'created_at', 'updated_at',
]);

/** Converts a value compared against a column into the column's stored representation. */
export function columnValue(column: string, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (DATE_COLUMNS.has(column)) return toMillis(value as Date | string);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}
