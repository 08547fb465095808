import type { SqliteStatements } from './sqlite-connection.js';

/**
 * The SQLite jobs table. It mirrors the PostgreSQL backend's table column for column; instants are
 * stored as integer milliseconds since the epoch (UTC), JSON values as text, flags as 0/1.
 * `repeat_interval` has no declared type so a number stays a number and a string a string.
 */
export function createJobsTableSql(table: string): string {
  const t = quoteIdentifier(table);
  return `
    CREATE TABLE IF NOT EXISTS ${t} (
      id TEXT PRIMARY KEY NOT NULL,
      name TEXT NOT NULL,
      priority INTEGER NOT NULL DEFAULT 0,
      next_run_at INTEGER,
      type TEXT NOT NULL DEFAULT 'normal' CHECK (type IN ('normal', 'single')),
      locked_at INTEGER,
      last_finished_at INTEGER,
      failed_at INTEGER,
      fail_count INTEGER,
      fail_reason TEXT,
      repeat_timezone TEXT,
      last_run_at INTEGER,
      repeat_interval,
      data TEXT NOT NULL DEFAULT '{}',
      repeat_at TEXT,
      disabled INTEGER NOT NULL DEFAULT 0,
      progress REAL,
      fork INTEGER NOT NULL DEFAULT 0,
      last_modified_by TEXT,
      debounce_started_at INTEGER,
      start_date INTEGER,
      end_date INTEGER,
      skip_days TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_find_and_lock_idx`)}
      ON ${t} (name, next_run_at, priority DESC, locked_at) WHERE disabled = 0;
    CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_single_job_idx`)}
      ON ${t} (name) WHERE type = 'single';
    CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_locked_at_idx`)}
      ON ${t} (locked_at) WHERE locked_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_next_run_at_idx`)}
      ON ${t} (next_run_at) WHERE next_run_at IS NOT NULL;
  `;
}

export function dropJobsTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdentifier(table)}`;
}

/** Quotes an SQL identifier; table names come from configuration, never from job data. */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`invalid SQLite table name: ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

const schemaReady = new Map<string, Promise<void>>();

/**
 * Creates the table and indexes once per database file and table in this process. Concurrent
 * callers share one attempt; SQLite's own write lock serializes other processes, and every
 * statement is `IF NOT EXISTS`, so a second process creating the schema at once is harmless.
 */
export function ensureJobsSchema(statements: SqliteStatements, table: string): Promise<void> {
  const key = `${statements.databaseKey}#${table}`;
  let ready = schemaReady.get(key);
  if (!ready) {
    ready = statements.exec(createJobsTableSql(table)).catch((error: unknown) => {
      schemaReady.delete(key);
      throw error;
    });
    schemaReady.set(key, ready);
  }
  return ready;
}

/** Forgets the schema check for a table, e.g. after it was dropped. */
export function forgetJobsSchema(statements: SqliteStatements, table: string): void {
  schemaReady.delete(`${statements.databaseKey}#${table}`);
}
