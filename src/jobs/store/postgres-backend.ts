import type { AgendaBackend, JobLogger, JobRepository, NotificationChannel } from 'agenda';
import {
  PostgresBackend,
  PostgresJobRepository,
  getCreateIndexesSQL,
  getCreateLogsIndexesSQL,
  getCreateLogsTableSQL,
  getCreateTableSQL,
  getUpdateTimestampTriggerSQL,
} from '@agendajs/postgres-backend';

/** The part of a `pg` pool the schema step uses. */
interface SchemaPool {
  connect(): Promise<SchemaClient>;
}
interface SchemaClient {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  release(): void;
}

export interface PostgresJobBackendOptions {
  connectionString: string;
  /** Jobs table (default `agenda_jobs`). */
  tableName?: string;
  /** Job log table (default `agenda_logs`). */
  logTableName?: string;
  /** LISTEN/NOTIFY channel (default: the table name). */
  channelName?: string;
  /** Create the tables on connect (default true). */
  ensureSchema?: boolean;
}

const schemaReady = new Map<string, Promise<void>>();

/**
 * Creates the jobs and log tables under a transaction-scoped advisory lock, once per database and
 * table in this process. Two backends (or processes) creating the schema at the same moment
 * otherwise race inside PostgreSQL ("duplicate key value violates unique constraint
 * pg_type_typname_nsp_index", "tuple concurrently updated" on the trigger function).
 */
function ensureSchemaOnce(key: string, pool: SchemaPool, tableName: string, logTableName: string): Promise<void> {
  let ready = schemaReady.get(key);
  if (!ready) {
    ready = createSchema(pool, tableName, logTableName).catch((error: unknown) => {
      schemaReady.delete(key);
      throw error;
    });
    schemaReady.set(key, ready);
  }
  return ready;
}

async function createSchema(pool: SchemaPool, tableName: string, logTableName: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`agenda-schema:${tableName}`]);
    await client.query(getCreateTableSQL(tableName));
    // Columns that later versions of the backend added to the first schema.
    for (const column of ['start_date TIMESTAMPTZ', 'end_date TIMESTAMPTZ', 'skip_days JSONB']) {
      await client.query(`ALTER TABLE "${tableName}" ADD COLUMN IF NOT EXISTS ${column}`);
    }
    for (const sql of getCreateIndexesSQL(tableName)) await client.query(sql);
    await client.query(getUpdateTimestampTriggerSQL(tableName));
    await client.query(getCreateLogsTableSQL(logTableName));
    for (const sql of getCreateLogsIndexesSQL(logTableName)) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * `@agendajs/postgres-backend` (storage plus LISTEN/NOTIFY wake-up) with schema creation that is
 * safe when several backends start at once. The wrapped backend owns its pool, so `agenda.stop()`
 * closes it.
 */
export class PostgresJobBackend implements AgendaBackend {
  readonly name = 'PostgreSQL';
  private readonly inner: PostgresBackend;
  private readonly schemaKey: string;

  constructor(private readonly options: PostgresJobBackendOptions) {
    const tableName = options.tableName ?? 'agenda_jobs';
    this.inner = new PostgresBackend({
      connectionString: options.connectionString,
      tableName,
      logTableName: options.logTableName,
      channelName: options.channelName ?? tableName,
      ensureSchema: false,
    });
    this.schemaKey = `${options.connectionString}#${tableName}`;
  }

  get repository(): JobRepository {
    return this.inner.repository;
  }

  get notificationChannel(): NotificationChannel | undefined {
    return this.inner.notificationChannel;
  }

  get logger(): JobLogger {
    return this.inner.logger;
  }

  get ownsConnection(): boolean {
    return this.inner.ownsConnection;
  }

  async connect(): Promise<void> {
    await this.inner.connect();
    if (this.options.ensureSchema ?? true) {
      const pool = (this.inner.repository as PostgresJobRepository).getPool() as SchemaPool;
      await ensureSchemaOnce(
        this.schemaKey,
        pool,
        this.options.tableName ?? 'agenda_jobs',
        this.options.logTableName ?? 'agenda_logs',
      );
    }
  }

  async disconnect(): Promise<void> {
    await this.inner.disconnect();
  }
}
