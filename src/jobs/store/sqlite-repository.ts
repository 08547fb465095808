import { randomUUID } from 'node:crypto';
import {
  computeJobState,
  type JobId,
  type JobParameters,
  type JobRepository,
  type JobRepositoryOptions,
  type JobsOverview,
  type JobsQueryOptions,
  type JobsResult,
  type JobsSort,
  type DebounceOptions,
  type JobWithState,
  type RemoveJobsOptions,
  type SortDirection,
} from 'agenda';
import type { SqliteStatements, SqlValue } from './sqlite-connection.js';
import { Where, addDataContains, placeholders, whereFromRemoveOptions, whereFromUnique } from './sqlite-filters.js';
import { definitionColumns, rowToJob, toMillis, type DefinitionColumns, type SqliteJobRow } from './sqlite-rows.js';
import { ensureJobsSchema, quoteIdentifier } from './sqlite-schema.js';

export interface SqliteJobRepositoryOptions {
  statements: SqliteStatements;
  /** Jobs table (default `agenda_jobs`). */
  tableName?: string;
  /** Create the table and indexes on connect (default true). */
  ensureSchema?: boolean;
  /** Order in which due jobs are locked (default: earliest nextRunAt first, then highest priority). */
  sort?: { nextRunAt?: SortDirection; priority?: SortDirection };
}

const DEFINITION_COLUMN_NAMES: readonly (keyof DefinitionColumns)[] = [
  'name', 'priority', 'next_run_at', 'type', 'repeat_timezone', 'repeat_interval', 'data', 'repeat_at',
  'disabled', 'fork', 'last_modified_by', 'start_date', 'end_date', 'skip_days',
];

function direction(dir: SortDirection | undefined, fallback: 'ASC' | 'DESC'): 'ASC' | 'DESC' {
  if (dir === undefined) return fallback;
  return dir === 'asc' ? 'ASC' : 'DESC';
}

/**
 * Agenda's JobRepository on SQLite, mirroring the PostgreSQL backend's semantics.
 *
 * Locking is one `UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING *` statement. An SQLite
 * write statement takes the database write lock before it reads, so the candidate it selects is
 * current and no other connection, in this process or another, can lock the same row in between.
 */
export class SqliteJobRepository implements JobRepository {
  private readonly statements: SqliteStatements;
  private readonly table: string;
  private readonly ensureSchema: boolean;
  private readonly lockOrder: string;
  readonly tableName: string;

  constructor(options: SqliteJobRepositoryOptions) {
    this.statements = options.statements;
    this.tableName = options.tableName ?? 'agenda_jobs';
    this.table = quoteIdentifier(this.tableName);
    this.ensureSchema = options.ensureSchema ?? true;
    const sort = options.sort ?? {};
    this.lockOrder = `next_run_at ${direction(sort.nextRunAt, 'ASC')} NULLS LAST, priority ${direction(sort.priority, 'DESC')}`;
  }

  async connect(): Promise<void> {
    if (this.ensureSchema) await ensureJobsSchema(this.statements, this.tableName);
    else await this.statements.all('SELECT 1');
  }

  async getJobById(id: string): Promise<JobParameters | null> {
    const rows = await this.statements.all<SqliteJobRow>(`SELECT * FROM ${this.table} WHERE id = ?`, [id]);
    return rows[0] ? rowToJob(rows[0]) : null;
  }

  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const { name, names, state, id, ids, search, data, includeDisabled = true, sort, skip = 0, limit = 0 } = options;
    const where = new Where();
    if (name) where.add('name = ?', name);
    else if (names && names.length > 0) where.add(`name IN (${placeholders(names.length)})`, ...names);
    if (id) where.add('id = ?', id);
    else if (ids && ids.length > 0) where.add(`id IN (${placeholders(ids.length)})`, ...ids);
    if (search) where.add("name LIKE ? ESCAPE '\\'", `%${search.replace(/[\\%_]/g, c => `\\${c}`)}%`);
    if (data !== undefined) addDataContains(where, data);
    if (!includeDisabled) where.add('disabled = 0');

    const rows = await this.statements.all<SqliteJobRow>(
      `SELECT * FROM ${this.table} ${where.toSql()} ORDER BY ${this.orderBy(sort)}`,
      where.params,
    );
    const now = new Date();
    const jobs = rows
      .map(row => {
        const job = rowToJob(row);
        return { ...job, _id: job._id as JobId, state: computeJobState(job, now) } satisfies JobWithState;
      })
      .filter(job => !state || (state === 'paused' ? job.disabled === true : job.state === state));
    const page = limit > 0 ? jobs.slice(skip, skip + limit) : jobs.slice(skip);
    return { jobs: page, total: jobs.length };
  }

  async getJobsOverview(): Promise<JobsOverview[]> {
    const rows = await this.statements.all<SqliteJobRow>(`SELECT * FROM ${this.table} ORDER BY name`);
    const now = new Date();
    const overviews = new Map<string, JobsOverview>();
    for (const row of rows) {
      const job = rowToJob(row);
      let overview = overviews.get(job.name);
      if (!overview) {
        overview = { name: job.name, total: 0, running: 0, scheduled: 0, queued: 0, completed: 0, failed: 0, repeating: 0, paused: 0 };
        overviews.set(job.name, overview);
      }
      overview.total++;
      overview[computeJobState(job, now)]++;
      if (job.disabled === true) overview.paused++;
    }
    return [...overviews.values()];
  }

  async getDistinctJobNames(): Promise<string[]> {
    const rows = await this.statements.all<{ name: string }>(`SELECT DISTINCT name FROM ${this.table} ORDER BY name`);
    return rows.map(row => row.name);
  }

  async getQueueSize(): Promise<number> {
    const rows = await this.statements.all<{ count: number }>(
      `SELECT COUNT(*) AS count FROM ${this.table} WHERE next_run_at < ?`,
      [Date.now()],
    );
    return rows[0]?.count ?? 0;
  }

  async removeJobs(options: RemoveJobsOptions): Promise<number> {
    const where = whereFromRemoveOptions(options);
    if (!where) return 0;
    return this.statements.run(`DELETE FROM ${this.table} ${where.toSql()}`, where.params);
  }

  async disableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, true);
  }

  async enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, false);
  }

  async purgeAllJobs(): Promise<number> {
    return this.statements.run(`DELETE FROM ${this.table}`);
  }

  async unlockJob(job: JobParameters): Promise<void> {
    if (!job._id) return;
    // A job that has finished for good (nextRunAt null) keeps its row as it is.
    await this.statements.run(
      `UPDATE ${this.table} SET locked_at = NULL, updated_at = ? WHERE id = ? AND next_run_at IS NOT NULL`,
      [Date.now(), job._id.toString()],
    );
  }

  async unlockJobs(jobIds: (JobId | string)[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.statements.run(
      `UPDATE ${this.table} SET locked_at = NULL, updated_at = ? WHERE id IN (${placeholders(jobIds.length)})`,
      [Date.now(), ...jobIds.map(id => id.toString())],
    );
  }

  async lockJob(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    if (!job._id) return undefined;
    const now = Date.now();
    const rows = await this.statements.all<SqliteJobRow>(
      `UPDATE ${this.table} SET locked_at = ?, last_modified_by = ?, updated_at = ?
       WHERE id = ? AND name = ? AND locked_at IS NULL AND next_run_at IS ? AND disabled = 0
       RETURNING *`,
      [now, options?.lastModifiedBy ?? null, now, job._id.toString(), job.name, toMillis(job.nextRunAt)],
    );
    return rows[0] ? rowToJob(rows[0]) : undefined;
  }

  async getNextJobToRun(
    jobName: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date | undefined,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    const lockTime = (now ?? new Date()).getTime();
    const rows = await this.statements.all<SqliteJobRow>(
      `UPDATE ${this.table} SET locked_at = ?, last_modified_by = ?, updated_at = ?
       WHERE id = (
         SELECT id FROM ${this.table}
         WHERE name = ? AND disabled = 0
           AND ((locked_at IS NULL AND next_run_at <= ?) OR locked_at <= ?)
         ORDER BY ${this.lockOrder}
         LIMIT 1
       )
       RETURNING *`,
      [lockTime, options?.lastModifiedBy ?? null, Date.now(), jobName, nextScanAt.getTime(), lockDeadline.getTime()],
    );
    return rows[0] ? rowToJob(rows[0]) : undefined;
  }

  async saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    if (!job._id) throw new Error('Cannot save job state without job ID');
    const changes = await this.statements.run(
      `UPDATE ${this.table}
       SET locked_at = ?, next_run_at = ?, last_run_at = ?, progress = ?, fail_reason = ?, fail_count = ?,
           failed_at = ?, last_finished_at = ?, last_modified_by = ?, updated_at = ?
       WHERE id = ? AND name = ?`,
      [
        toMillis(job.lockedAt),
        toMillis(job.nextRunAt),
        toMillis(job.lastRunAt),
        job.progress ?? null,
        job.failReason ?? null,
        job.failCount ?? null,
        toMillis(job.failedAt),
        toMillis(job.lastFinishedAt),
        options?.lastModifiedBy ?? null,
        Date.now(),
        job._id.toString(),
        job.name,
      ],
    );
    if (changes !== 1) {
      throw new Error(`job ${job._id} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`);
    }
  }

  async saveJob<DATA = unknown>(
    job: JobParameters<DATA>,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters<DATA>> {
    const saved = await this.saveJobParameters(job as JobParameters, options?.lastModifiedBy);
    return saved as JobParameters<DATA>;
  }

  private async saveJobParameters(job: JobParameters, lastModifiedBy: string | undefined): Promise<JobParameters> {
    const { _id, unique, uniqueOpts } = job;
    const columns = definitionColumns(job, lastModifiedBy);

    if (_id) return (await this.updateDefinition(_id.toString(), job.name, columns, job)) ?? job;
    if (columns.type === 'single') return this.upsertSingle(columns);
    if (unique) {
      const where = whereFromUnique(job.name, unique);
      const debounce = uniqueOpts?.debounce;
      if (debounce) return this.saveDebounced(columns, where, debounce);
      if (uniqueOpts?.insertOnly) {
        const inserted = await this.insert(columns, null, where);
        return inserted ?? (await this.findOne(where)) ?? job;
      }
      // Update whatever matches; insert when nothing does; a concurrent insert wins the race.
      for (let attempt = 0; attempt < 3; attempt++) {
        const updated = await this.updateMatching(columns, where, null);
        if (updated) return updated;
        const inserted = await this.insert(columns, null, where);
        if (inserted) return inserted;
      }
      throw new Error(`could not save unique job ${job.name}`);
    }
    return (await this.insert(columns, null)) as JobParameters;
  }

  /**
   * Debounced saves: trailing (default) pushes nextRunAt to `delay` after the latest save, until
   * `maxWait` since the first save forces a run; leading keeps the first save's nextRunAt.
   */
  private async saveDebounced(
    columns: DefinitionColumns,
    where: Where,
    debounce: DebounceOptions,
  ): Promise<JobParameters> {
    const now = Date.now();
    const existing = await this.findRow(where);
    if (!existing) {
      if (debounce.strategy !== 'leading') columns.next_run_at = now + debounce.delay;
      const inserted = await this.insert(columns, now, where);
      if (inserted) return inserted;
      return this.saveDebounced(columns, where, debounce);
    }
    const startedAt = existing.debounce_started_at ?? now;
    let debounceStartedAt: number | null = startedAt;
    if (debounce.strategy === 'leading') {
      columns.next_run_at = existing.next_run_at;
    } else if (debounce.maxWait && now - startedAt >= debounce.maxWait) {
      columns.next_run_at = now;
      debounceStartedAt = null;
    } else {
      columns.next_run_at = now + debounce.delay;
    }
    return (await this.updateMatching(columns, new Where().add('id = ?', existing.id), debounceStartedAt)) ?? rowToJob(existing);
  }

  private async findRow(where: Where): Promise<SqliteJobRow | undefined> {
    const rows = await this.statements.all<SqliteJobRow>(`SELECT * FROM ${this.table} ${where.toSql()} LIMIT 1`, where.params);
    return rows[0];
  }

  private async findOne(where: Where): Promise<JobParameters | undefined> {
    const row = await this.findRow(where);
    return row ? rowToJob(row) : undefined;
  }

  /** Overwrites the definition of the jobs matching `where`; returns the first, if any. */
  private async updateMatching(
    columns: DefinitionColumns,
    where: Where,
    debounceStartedAt: number | null,
  ): Promise<JobParameters | undefined> {
    const names = DEFINITION_COLUMN_NAMES.filter(c => c !== 'name');
    const rows = await this.statements.all<SqliteJobRow>(
      `UPDATE ${this.table}
       SET ${names.map(c => `${c} = ?`).join(', ')}, debounce_started_at = ?, updated_at = ?
       ${where.toSql()} RETURNING *`,
      [...names.map(c => columns[c]), debounceStartedAt, Date.now(), ...where.params],
    );
    return rows[0] ? rowToJob(rows[0]) : undefined;
  }

  /** Saves user-editable fields of an existing job; undefined when the job is gone. */
  private async updateDefinition(
    id: string,
    name: string,
    columns: DefinitionColumns,
    job: JobParameters,
  ): Promise<JobParameters | undefined> {
    const rows = await this.statements.all<SqliteJobRow>(
      `UPDATE ${this.table}
       SET ${DEFINITION_COLUMN_NAMES.map(c => `${c} = ?`).join(', ')},
           fail_reason = ?, fail_count = ?, failed_at = ?, updated_at = ?
       WHERE id = ? AND name = ? RETURNING *`,
      [
        ...DEFINITION_COLUMN_NAMES.map(c => columns[c]),
        job.failReason ?? null,
        job.failCount ?? null,
        toMillis(job.failedAt),
        Date.now(),
        id,
        name,
      ],
    );
    return rows[0] ? rowToJob(rows[0]) : undefined;
  }

  /**
   * `every()` jobs: one row per name. A due nextRunAt already stored is kept, so restarting a
   * process does not postpone a run that is waiting (as in the MongoDB and PostgreSQL backends).
   */
  private async upsertSingle(columns: DefinitionColumns): Promise<JobParameters> {
    const now = Date.now();
    const protectNextRunAt = columns.next_run_at !== null && columns.next_run_at <= now;
    const updates = DEFINITION_COLUMN_NAMES.filter(c => c !== 'name' && c !== 'type').map(c =>
      c === 'next_run_at' && protectNextRunAt
        ? `next_run_at = COALESCE(${this.table}.next_run_at, excluded.next_run_at)`
        : `${c} = excluded.${c}`,
    );
    const rows = await this.statements.all<SqliteJobRow>(
      `INSERT INTO ${this.table} (id, ${DEFINITION_COLUMN_NAMES.join(', ')}, created_at, updated_at)
       VALUES (?, ${placeholders(DEFINITION_COLUMN_NAMES.length)}, ?, ?)
       ON CONFLICT (name) WHERE type = 'single'
       DO UPDATE SET ${updates.join(', ')}, updated_at = excluded.updated_at
       RETURNING *`,
      [randomUUID(), ...DEFINITION_COLUMN_NAMES.map(c => columns[c]), now, now],
    );
    return rowToJob(rows[0] as SqliteJobRow);
  }

  /**
   * Inserts a job; with `unlessExists`, only when no row matches it, in the same statement, so
   * two savers of one unique job cannot both insert. Undefined when a matching row existed.
   */
  private async insert(
    columns: DefinitionColumns,
    debounceStartedAt: number | null,
    unlessExists?: Where,
  ): Promise<JobParameters | undefined> {
    const now = Date.now();
    const values = [randomUUID(), ...DEFINITION_COLUMN_NAMES.map(c => columns[c]), debounceStartedAt, now, now];
    const guard = unlessExists ? `WHERE NOT EXISTS (SELECT 1 FROM ${this.table} ${unlessExists.toSql()})` : '';
    const rows = await this.statements.all<SqliteJobRow>(
      `INSERT INTO ${this.table} (id, ${DEFINITION_COLUMN_NAMES.join(', ')}, debounce_started_at, created_at, updated_at)
       SELECT ${placeholders(values.length)} ${guard}
       RETURNING *`,
      [...values, ...(unlessExists?.params ?? [])],
    );
    return rows[0] ? rowToJob(rows[0]) : undefined;
  }

  private async setDisabled(options: RemoveJobsOptions, disabled: boolean): Promise<number> {
    const where = whereFromRemoveOptions(options);
    if (!where) return 0;
    const params: SqlValue[] = [disabled ? 1 : 0, Date.now(), ...where.params];
    return this.statements.run(`UPDATE ${this.table} SET disabled = ?, updated_at = ? ${where.toSql()}`, params);
  }

  private orderBy(sort: JobsSort | undefined): string {
    const parts: string[] = [];
    if (sort?.nextRunAt !== undefined) parts.push(`next_run_at ${direction(sort.nextRunAt, 'ASC')} NULLS LAST`);
    if (sort?.lastRunAt !== undefined) parts.push(`last_run_at ${direction(sort.lastRunAt, 'ASC')} NULLS LAST`);
    if (sort?.lastFinishedAt !== undefined) {
      parts.push(`last_finished_at ${direction(sort.lastFinishedAt, 'ASC')} NULLS LAST`);
    }
    if (sort?.priority !== undefined) parts.push(`priority ${direction(sort.priority, 'DESC')}`);
    if (sort?.name !== undefined) parts.push(`name ${direction(sort.name, 'ASC')}`);
    return parts.length > 0 ? parts.join(', ') : 'next_run_at DESC NULLS LAST, last_run_at DESC NULLS LAST';
  }
}
