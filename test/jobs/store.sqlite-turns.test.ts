/**
 * The job store on the app's own SQLite file waits for this process's write turn like the app's
 * transactions do. Before, job-store writes blocked by a transaction waited inside SQLite's busy
 * handler on libuv's threads (four by default): enough of them left no thread for the
 * transaction's COMMIT, and everything stalled until busy timeouts expired.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobParameters } from 'agenda';
import type { Sequelize } from 'sequelize';
import { openDatabase } from '../../src/models/database.js';
import { SqliteBackend } from '../../src/jobs/store/index.js';
import { sleep, uniqueNamespace } from './helpers/wait.js';

let dir: string;
let sequelize: Sequelize;
let backend: SqliteBackend;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamsync-turns-'));
  sequelize = await openDatabase(`sqlite:${path.join(dir, 'app.sqlite')}`);
  await sequelize.query('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
  backend = new SqliteBackend({ sequelize, tableName: uniqueNamespace('turns') });
  await backend.connect();
});

afterAll(async () => {
  await backend.disconnect();
  await sequelize.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function job(i: number): JobParameters {
  return { name: 'turns', priority: 0, nextRunAt: new Date(Date.now() - 1000), type: 'normal', data: { i } };
}

describe('job-store writes while an app transaction holds the SQLite write lock', () => {
  it('wait their turn and all land soon after the transaction commits', async () => {
    let committedAt = 0;
    const started = Date.now();
    const transaction = sequelize
      .transaction(async (t) => {
        await sequelize.query("INSERT INTO notes (text) VALUES ('held')", { transaction: t });
        await sleep(400);
      })
      .then(() => (committedAt = Date.now()));
    await sleep(50); // the transaction has its lock
    const saves = Array.from({ length: 12 }, (_, i) => backend.repository.saveJob(job(i), undefined));
    const saved = await Promise.all(saves);
    const doneAt = Date.now();
    await transaction;

    expect(saved.map((s) => s._id).filter(Boolean)).toHaveLength(12);
    expect(committedAt - started).toBeLessThan(3000);
    expect(doneAt - committedAt).toBeLessThan(3000);
    expect(await backend.repository.queryJobs({ name: 'turns' })).toMatchObject({ total: 12 });
  });
});
