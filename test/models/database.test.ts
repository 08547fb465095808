/** The embedded SQLite database: every handle in WAL mode with a busy timeout, so two processes never hit "database is locked". */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { openDatabase, SQLITE_BUSY_TIMEOUT_MS } from '../../src/models/database.js';
import { migrate } from '../../src/models/migrate.js';
import { defineModels } from '../../src/models/index.js';

const pragma = async (db: Awaited<ReturnType<typeof openDatabase>>, name: string, transaction?: unknown) =>
  Object.values((await db.query(`PRAGMA ${name}`, { type: QueryTypes.SELECT, transaction: transaction as never }))[0] as object)[0];

describe('SQLite database', () => {
  it('puts plain and transaction handles in WAL mode with a busy timeout and foreign keys on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamsync-db-'));
    const db = await openDatabase(`sqlite:${join(dir, 'a.sqlite')}`);
    try {
      expect(await pragma(db, 'journal_mode')).toBe('wal');
      expect(await pragma(db, 'busy_timeout')).toBe(SQLITE_BUSY_TIMEOUT_MS);
      await db.transaction(async (t) => {
        expect(await pragma(db, 'busy_timeout', t)).toBe(SQLITE_BUSY_TIMEOUT_MS);
        expect(await pragma(db, 'foreign_keys', t)).toBe(1);
      });
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets two connections (an API and a worker) write in overlapping transactions without "database is locked"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamsync-db-'));
    const url = `sqlite:${join(dir, 'shared.sqlite')}`;
    const api = await openDatabase(url);
    await migrate(api);
    const worker = await openDatabase(url);
    try {
      const modelsApi = defineModels(api);
      const user = await modelsApi.User.create({ username: 'w', username_key: 'w', email: 'w@example.com', password_hash: 'x' });
      const write = (db: typeof api, n: number) =>
        db.transaction(async (t) => {
          await db.query('INSERT INTO audit_logs (action, target, at) VALUES (:a, :t, :at)', { replacements: { a: 'test.write', t: `${n}`, at: new Date() }, transaction: t });
          await new Promise((r) => setTimeout(r, 5));
          await db.query('UPDATE users SET updated_at = :at WHERE id = :id', { replacements: { at: new Date(), id: user.id }, transaction: t });
        });
      await Promise.all(Array.from({ length: 40 }, (_, i) => write(i % 2 ? api : worker, i)));
      const [{ n }] = (await api.query("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'test.write'", { type: QueryTypes.SELECT })) as Array<{ n: number }>;
      expect(Number(n)).toBe(40);
    } finally {
      await worker.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
