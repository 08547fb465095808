/**
 * Opens the database named by DATABASE_URL: an SQLite file (embedded default) or PostgreSQL.
 * SQLite runs in WAL mode with a busy timeout so a worker and the API never hit "database is locked".
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';
import type { Logger } from '../logger.js';
import { guardedPg } from './pg-client.js';
import { takeWriteTurn } from './sqlite-write-turn.js';

export const SQLITE_BUSY_TIMEOUT_MS = 10000;

export function sqlitePathFromUrl(url: string): string {
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  if (rest === '' || rest === ':memory:') return ':memory:';
  return resolve(rest);
}

export function isSqliteUrl(url: string): boolean {
  return url.startsWith('sqlite:');
}

// Per handle. WAL is a property of the database file: it is switched on once, in openDatabase.
const SQLITE_PRAGMAS = `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;`;

interface SqliteHandle {
  exec(sql: string, cb: (err: Error | null) => void): void;
}

interface SqliteHandle {
  exec(sql: string, cb: (err: Error | null) => void): void;
  uuid?: string;
}

/**
 * Sequelize's SQLite dialect bypasses its pool (and the afterConnect hooks): it opens one handle
 * for plain queries and a new one for every transaction (options.uuid), closed on release. Pragmas
 * are per handle, so each handle is prepared here before first use (busy timeout, foreign keys),
 * and a transaction's handle is only handed out on this process's write turn.
 */
function prepareEverySqliteConnection(sequelize: Sequelize, storage: string): void {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(options?: { uuid?: string }): Promise<SqliteHandle>;
    releaseConnection(handle: SqliteHandle, force?: boolean): Promise<void> | void;
  };
  const open = manager.getConnection.bind(manager);
  const close = manager.releaseConnection.bind(manager);
  const prepared = new WeakMap<SqliteHandle, Promise<void>>();
  const turns = new Map<string, () => void>();
  manager.getConnection = async (options) => {
    const uuid = options?.uuid;
    const forTransaction = uuid !== undefined && uuid !== 'default' && storage !== ':memory:';
    if (forTransaction && !turns.has(uuid)) turns.set(uuid, await takeWriteTurn(storage));
    try {
      const handle = await open(options);
      let ready = prepared.get(handle);
      if (!ready) {
        ready = new Promise<void>((done, fail) => handle.exec(SQLITE_PRAGMAS, (err) => (err ? fail(err) : done())));
        prepared.set(handle, ready);
      }
      await ready;
      return handle;
    } catch (err) {
      if (forTransaction) {
        turns.get(uuid)?.();
        turns.delete(uuid);
      }
      throw err;
    }
  };
  manager.releaseConnection = (handle, force) => {
    // Read the id now: the transaction clears it right after this call returns.
    const uuid = handle.uuid;
    const giveTurnBack = () => {
      if (uuid && turns.has(uuid)) {
        turns.get(uuid)!();
        turns.delete(uuid);
      }
    };
    try {
      const done = close(handle, force);
      if (done instanceof Promise) return done.finally(giveTurnBack);
      giveTurnBack();
      return done;
    } catch (err) {
      giveTurnBack();
      throw err;
    }
  };
}

export async function openDatabase(url: string, logger?: Logger): Promise<Sequelize> {
  const common: Options = {
    logging: logger ? (sql: string) => logger.trace({ sql }, 'sql') : false,
    define: { underscored: true },
  };
  let sequelize: Sequelize;
  if (isSqliteUrl(url)) {
    const storage = sqlitePathFromUrl(url);
    if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
    sequelize = new Sequelize({
      ...common,
      dialect: 'sqlite',
      storage,
      // Writers take the lock when the transaction begins, where the busy timeout applies; a
      // deferred transaction that upgrades from read to write fails at once when another writer holds it.
      transactionType: Transaction.TYPES.IMMEDIATE,
      retry: { max: 5, match: [/SQLITE_BUSY/] },
    });
    prepareEverySqliteConnection(sequelize, storage);
    await sequelize.query('PRAGMA journal_mode = WAL;');
  } else {
    sequelize = new Sequelize(url, {
      ...common,
      dialect: 'postgres',
      dialectModule: guardedPg(logger),
      pool: { max: 10, min: 0, idle: 10000, acquire: 30000 },
    });
    await sequelize.authenticate();
  }
  return sequelize;
}
