/**
 * Opens the database named by DATABASE_URL: an SQLite file (embedded default) or PostgreSQL.
 * SQLite runs in WAL mode with a busy timeout so a worker and the API never hit "database is locked".
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize, type Options } from 'sequelize';
import type { Logger } from '../logger.js';

export const SQLITE_BUSY_TIMEOUT_MS = 10000;

export function sqlitePathFromUrl(url: string): string {
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  if (rest === '' || rest === ':memory:') return ':memory:';
  return resolve(rest);
}

export function isSqliteUrl(url: string): boolean {
  return url.startsWith('sqlite:');
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
      // One connection: SQLite serializes writers anyway, and pragmas are per connection.
      pool: { max: 1, min: 1, idle: 60000 },
      retry: { max: 5, match: [/SQLITE_BUSY/] },
    });
    // Pragmas are per connection: apply them to every connection the pool opens.
    sequelize.addHook('afterConnect', async (connection: unknown) => {
      const db = connection as { exec: (sql: string, cb: (err: Error | null) => void) => void };
      await new Promise<void>((done, fail) =>
        db.exec(
          `PRAGMA journal_mode = WAL; PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;`,
          (err) => (err ? fail(err) : done()),
        ),
      );
    });
    await sequelize.authenticate();
  } else {
    sequelize = new Sequelize(url, {
      ...common,
      dialect: 'postgres',
      pool: { max: 10, min: 0, idle: 10000, acquire: 30000 },
    });
    await sequelize.authenticate();
  }
  return sequelize;
}
