import path from 'node:path';
import type { Database, RunResult } from 'sqlite3';
import { Sequelize } from 'sequelize';
import { withSqliteWriteTurn } from '../../models/sqlite-write-turn.js';

/** A bound SQL parameter as the sqlite3 driver accepts it. */
export type SqlValue = string | number | null;

/** How long a statement waits for another connection's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

const preparedConnections = new WeakSet<Database>();

/** Statements that only read. */
const READ_ONLY = /^\s*SELECT\b/i;

/**
 * Runs raw statements on the SQLite connection a Sequelize instance holds.
 *
 * Sequelize picks the sqlite3 method (`run` or `all`) from the statement text, which loses the rows
 * of `INSERT ... RETURNING`; the job store needs both the rows and the change count, so it talks to
 * the driver connection directly. That connection is the instance's shared default connection, so
 * the app and the job store use one handle per process.
 */
export class SqliteStatements {
  private sequelize: Sequelize;
  private closed = false;
  /**
   * `synchronous = NORMAL` on a connection the store opened itself: in WAL mode a commit then
   * skips its fsync (about 5 ms each here) and the file still cannot corrupt; only an OS crash
   * may lose the last commits. A shared app connection keeps the app's own setting.
   */
  private relaxedSync = false;

  /**
   * @param sequelize the connection to use
   * @param reopen creates a fresh instance after `close()`; only for a connection the store created
   */
  constructor(
    sequelize: Sequelize,
    private readonly reopen?: () => Sequelize,
  ) {
    if (sequelize.getDialect() !== 'sqlite') {
      throw new Error(`the SQLite job store needs a sqlite Sequelize instance (got ${sequelize.getDialect()})`);
    }
    this.sequelize = sequelize;
  }

  /** A connection of its own to the file named by an URL such as `sqlite:./data/jobs.sqlite`. */
  static fromUrl(url: string): SqliteStatements {
    const storage = sqliteStorageFromUrl(url);
    const open = (): Sequelize => new Sequelize({ dialect: 'sqlite', storage, logging: false });
    const statements = new SqliteStatements(open(), open);
    statements.relaxedSync = true;
    return statements;
  }

  /**
   * Identifies the database file, so that every store on one file in this process can share a
   * notification channel and a schema check. In-memory databases are private to their connection.
   */
  get databaseKey(): string {
    const storage = (this.sequelize as unknown as { options: { storage?: string } }).options.storage ?? ':memory:';
    return storage === ':memory:' || storage === '' ? `memory:${instanceId(this.sequelize)}` : path.resolve(storage);
  }

  get isInMemory(): boolean {
    return this.databaseKey.startsWith('memory:');
  }

  /** Rows produced by a statement (SELECT, or any statement with RETURNING). */
  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.inTurn(sql, async () => {
      const db = await this.connection();
      return new Promise<T[]>((resolve, reject) => {
        db.all<T>(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)));
      });
    });
  }

  /** Number of rows a statement changed. */
  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.inTurn(sql, async () => {
      const db = await this.connection();
      return new Promise<number>((resolve, reject) => {
        db.run(sql, params, function (this: RunResult, error: Error | null) {
          if (error) reject(error);
          else resolve(this.changes);
        });
      });
    });
  }

  /** Several statements without parameters (schema scripts). */
  async exec(sql: string): Promise<void> {
    return this.inTurn(sql, async () => {
      const db = await this.connection();
      return new Promise<void>((resolve, reject) => {
        db.exec(sql, error => (error ? reject(error) : resolve()));
      });
    });
  }

  /**
   * A statement that writes waits for this process's write turn on the file, like the app's
   * transactions: blocked on the event loop, not in SQLite's busy handler on a libuv thread.
   * Reads never wait (WAL lets them run beside a writer).
   */
  private inTurn<T>(sql: string, work: () => Promise<T>): Promise<T> {
    if (this.isInMemory || READ_ONLY.test(sql)) return work();
    return withSqliteWriteTurn(this.databaseKey, work);
  }

  /** Closes the Sequelize instance; a store-created one is opened again on next use. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sequelize.close();
  }

  /**
   * The driver connection, prepared once: a busy timeout so a writer waits for another process's
   * write instead of failing with "database is locked", and WAL so readers never block the writer.
   */
  private async connection(): Promise<Database> {
    if (this.closed) {
      if (!this.reopen) throw new Error('the SQLite job store connection is closed');
      this.sequelize = this.reopen();
      this.closed = false;
    }
    const db = (await this.sequelize.connectionManager.getConnection({ type: 'write' })) as unknown as Database;
    if (!preparedConnections.has(db)) {
      preparedConnections.add(db);
      db.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
      if (!this.isInMemory) {
        await new Promise<void>((resolve, reject) => {
          const pragmas = `PRAGMA journal_mode = WAL;${this.relaxedSync ? ' PRAGMA synchronous = NORMAL;' : ''}`;
          db.exec(pragmas, error => (error ? reject(error) : resolve()));
        });
      }
    }
    return db;
  }
}

const instanceIds = new WeakMap<Sequelize, number>();
let nextInstanceId = 1;

function instanceId(sequelize: Sequelize): number {
  let id = instanceIds.get(sequelize);
  if (id === undefined) {
    id = nextInstanceId++;
    instanceIds.set(sequelize, id);
  }
  return id;
}

/** The storage of `sqlite:<path>`, `sqlite://<path>` or `sqlite::memory:`. */
export function sqliteStorageFromUrl(url: string): string {
  const match = /^sqlite:(?:\/\/)?(.*)$/.exec(url);
  if (!match || match[1] === undefined || match[1] === '') {
    throw new Error(`not an SQLite URL: ${url} (expected sqlite:./path.sqlite or sqlite::memory:)`);
  }
  return match[1];
}
