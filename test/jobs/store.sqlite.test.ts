import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Agenda, type JobParameters, type JobRepository } from 'agenda';
import { Sequelize } from 'sequelize';
import { SqliteBackend, SqliteStatements, createJobBackend } from '../../src/jobs/store/index.js';
import { compileStoreForChildProcesses } from './helpers/compile-store.js';
import { sleep, uniqueNamespace, waitFor } from './helpers/wait.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

let dir: string;
let file: string;
const toClose: { disconnect(): Promise<void> }[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamsync-sqlite-store-'));
  file = path.join(dir, 'jobs.sqlite');
});
afterEach(async () => {
  for (const backend of toClose.splice(0)) await backend.disconnect();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A connected backend with its own connection to the test file. */
async function openBackend(table: string): Promise<SqliteBackend> {
  const backend = new SqliteBackend({ url: `sqlite:${file}`, tableName: table });
  await backend.connect();
  toClose.push(backend);
  return backend;
}

function job(name: string, overrides: Partial<JobParameters> = {}): JobParameters {
  return { name, priority: 0, nextRunAt: new Date(Date.now() - 1000), type: 'normal', data: {}, ...overrides };
}

describe('SQLite job store connection', () => {
  it('puts the file in WAL mode with a 5 s busy timeout', async () => {
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
    try {
      const backend = new SqliteBackend({ sequelize, tableName: uniqueNamespace('wal') });
      await backend.connect();
      const statements = new SqliteStatements(sequelize);
      expect(await statements.all('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await statements.all('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
    } finally {
      await sequelize.close();
    }
  });

  it('leaves a shared app connection open when Agenda stops, and closes one it opened itself', async () => {
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
    const shared = new SqliteBackend({ sequelize, tableName: uniqueNamespace('shared') });
    const own = new SqliteBackend({ url: `sqlite:${file}`, tableName: uniqueNamespace('own') });
    expect(shared.ownsConnection).toBe(false);
    expect(own.ownsConnection).toBe(true);
    for (const backend of [shared, own]) {
      const agenda = new Agenda({ backend, processEvery: 200 });
      await agenda.start();
      await agenda.stop();
    }
    expect(await sequelize.query('SELECT 1 AS one', { plain: true })).toEqual({ one: 1 });
    await sequelize.close();
    // A store-created connection reopens when the backend is connected again.
    await own.connect();
    expect(await own.repository.getQueueSize()).toBe(0);
    await own.disconnect();
  });

  it('accepts sqlite::memory: and rejects URLs it cannot serve', async () => {
    const memory = createJobBackend({ url: 'sqlite::memory:' });
    await memory.connect();
    const saved = await memory.repository.saveJob(job('in-memory'), undefined);
    expect((await memory.repository.getJobById(saved._id!.toString()))?.name).toBe('in-memory');
    await memory.disconnect();
    expect(() => createJobBackend({ url: 'mysql://localhost/jobs' })).toThrow(/unsupported job store URL/);
    expect(() => createJobBackend({})).toThrow(/sequelize/);
    expect(() => new SqliteBackend({ url: `sqlite:${file}`, tableName: 'bad name;' })).toThrow(/invalid SQLite table name/);
  });
});

describe('SQLite job repository', () => {
  let backend: SqliteBackend;
  let repo: JobRepository;

  beforeAll(async () => {
    // One table for this block; each test uses job names of its own.
    backend = new SqliteBackend({ url: `sqlite:${file}`, tableName: uniqueNamespace('repo') });
    await backend.connect();
    repo = backend.repository;
  });
  afterAll(() => backend.disconnect());

  it('locks a job once: a second lock attempt and a lock of a disabled job fail', async () => {
    const saved = await repo.saveJob(job('lock-once'), undefined);
    const locked = await repo.lockJob(saved, { lastModifiedBy: 'w1' });
    expect(locked?.lockedAt).toBeInstanceOf(Date);
    expect(locked?.lastModifiedBy).toBe('w1');
    expect(await repo.lockJob(saved, undefined)).toBeUndefined();
    const disabled = await repo.saveJob(job('lock-disabled', { disabled: true }), undefined);
    expect(await repo.lockJob(disabled, undefined)).toBeUndefined();
    expect(await repo.getNextJobToRun('lock-disabled', new Date(), new Date(0), undefined, undefined)).toBeUndefined();
  });

  it('picks jobs due before the next scan, earliest first then highest priority, and expired locks', async () => {
    const now = Date.now();
    await repo.saveJob(job('next', { priority: 1, nextRunAt: new Date(now - 5000), data: { id: 'old-low' } }), undefined);
    await repo.saveJob(job('next', { priority: 9, nextRunAt: new Date(now - 5000), data: { id: 'old-high' } }), undefined);
    await repo.saveJob(job('next', { priority: 50, nextRunAt: new Date(now + 2000), data: { id: 'soon' } }), undefined);
    await repo.saveJob(job('next', { priority: 99, nextRunAt: new Date(now + 60_000), data: { id: 'later' } }), undefined);
    const scanAt = new Date(now + 3000);
    const lockDeadline = new Date(now - 600_000);
    const picked: unknown[] = [];
    for (;;) {
      const next = await repo.getNextJobToRun('next', scanAt, lockDeadline, undefined, undefined);
      if (!next) break;
      picked.push((next.data as { id: string }).id);
    }
    expect(picked).toEqual(['old-high', 'old-low', 'soon']);
    // Locks older than the deadline count as abandoned.
    const expired = await repo.getNextJobToRun('next', scanAt, new Date(Date.now() + 1), undefined, undefined);
    expect(expired).toBeDefined();
  });

  it('unlocks jobs, but leaves a finished one-off job as it is', async () => {
    const a = await repo.lockJob(await repo.saveJob(job('unlock'), undefined), undefined);
    const b = await repo.lockJob(await repo.saveJob(job('unlock'), undefined), undefined);
    await repo.unlockJobs([a!._id!, b!._id!]);
    expect((await repo.getJobById(a!._id!))?.lockedAt).toBeUndefined();
    expect((await repo.getJobById(b!._id!))?.lockedAt).toBeUndefined();
    const finished = await repo.lockJob(await repo.saveJob(job('unlock-finished'), undefined), undefined);
    await repo.saveJobState({ ...finished!, nextRunAt: null }, undefined);
    await repo.unlockJob({ ...finished!, nextRunAt: null });
    expect((await repo.getJobById(finished!._id!))?.lockedAt).toBeInstanceOf(Date);
  });

  it('refuses to save the state of a job that no longer exists', async () => {
    const saved = await repo.saveJob(job('gone'), undefined);
    await repo.removeJobs({ id: saved._id! });
    await expect(repo.saveJobState(saved, undefined)).rejects.toThrow(/cannot be updated/);
  });

  it('keeps one every() job per name and does not postpone a due run on re-save', async () => {
    const due = new Date(Date.now() - 10_000);
    const first = await repo.saveJob(job('single', { type: 'single', nextRunAt: due, repeatInterval: 60_000 }), undefined);
    const second = await repo.saveJob(job('single', { type: 'single', nextRunAt: new Date(), repeatInterval: 60_000, priority: 3 }), undefined);
    expect(second._id).toBe(first._id);
    expect(second.nextRunAt?.getTime()).toBe(due.getTime());
    expect(second.priority).toBe(3);
    expect(second.repeatInterval).toBe(60_000);
    const future = new Date(Date.now() + 60_000);
    const third = await repo.saveJob(job('single', { type: 'single', nextRunAt: future }), undefined);
    expect(third.nextRunAt?.getTime()).toBe(future.getTime());
    expect((await repo.queryJobs({ name: 'single' })).total).toBe(1);
  });

  it('matches unique keys inside data by JSON value and type', async () => {
    const save = (data: unknown, unique: Record<string, unknown>) =>
      repo.saveJob({ ...job('unique-typed', { data }), unique, uniqueOpts: { insertOnly: true } }, undefined);
    const number = await save({ user: { id: 7 } }, { 'data.user.id': 7 });
    const string = await save({ user: { id: '7' } }, { 'data.user.id': '7' });
    const again = await save({ user: { id: 7 }, extra: true }, { 'data.user.id': 7 });
    expect(string._id).not.toBe(number._id);
    expect(again._id).toBe(number._id);
    expect(again.data).toEqual({ user: { id: 7 } });
    // Without insertOnly, the matching job is updated in place.
    const updated = await repo.saveJob({ ...job('unique-typed', { data: { user: { id: 7 }, v: 2 } }), unique: { 'data.user.id': 7 } }, undefined);
    expect(updated._id).toBe(number._id);
    expect(updated.data).toEqual({ user: { id: 7 }, v: 2 });
    expect((await repo.queryJobs({ name: 'unique-typed' })).total).toBe(2);
  });

  it('inserts a unique job once when many savers race', async () => {
    const saves = Array.from({ length: 20 }, (_, i) =>
      repo.saveJob({ ...job('unique-race', { data: { key: 'k', i } }), unique: { 'data.key': 'k' }, uniqueOpts: { insertOnly: true } }, undefined),
    );
    const ids = new Set((await Promise.all(saves)).map(saved => saved._id));
    expect(ids.size).toBe(1);
    expect((await repo.queryJobs({ name: 'unique-race' })).total).toBe(1);
  });

  it('debounces: trailing saves push the run back, maxWait forces it, leading keeps the first time', async () => {
    const trailing = (data: unknown, maxWait?: number) =>
      repo.saveJob(
        { ...job('debounce', { data, nextRunAt: new Date() }), unique: { 'data.key': 'a' }, uniqueOpts: { debounce: { delay: 5000, maxWait } } },
        undefined,
      );
    const before = Date.now();
    const first = await trailing({ key: 'a', n: 1 });
    expect(first.nextRunAt!.getTime()).toBeGreaterThanOrEqual(before + 5000);
    expect(first.debounceStartedAt).toBeInstanceOf(Date);
    await sleep(20);
    const second = await trailing({ key: 'a', n: 2 });
    expect(second._id).toBe(first._id);
    expect(second.nextRunAt!.getTime()).toBeGreaterThan(first.nextRunAt!.getTime());
    expect(second.data).toEqual({ key: 'a', n: 2 });
    const forced = await trailing({ key: 'a', n: 3 }, 1);
    expect(forced.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(forced.debounceStartedAt).toBeUndefined();

    const leading = (n: number) =>
      repo.saveJob(
        { ...job('debounce-leading', { data: { n }, nextRunAt: new Date() }), unique: { name: 'debounce-leading' }, uniqueOpts: { debounce: { delay: 5000, strategy: 'leading' } } },
        undefined,
      );
    const lead = await leading(1);
    const lead2 = await leading(2);
    expect(lead2._id).toBe(lead._id);
    expect(lead2.nextRunAt?.getTime()).toBe(lead.nextRunAt?.getTime());
    expect(lead2.data).toEqual({ n: 2 });
  });

  it('queries by name, search, data and state with pagination, and counts the overview', async () => {
    const later = new Date(Date.now() + 60_000);
    await repo.saveJob(job('report_daily', { data: { team: 'x' }, nextRunAt: later }), undefined);
    await repo.saveJob(job('report_daily', { data: { team: 'y' }, nextRunAt: later, disabled: true }), undefined);
    await repo.saveJob(job('reportXdaily', { data: { team: 'x' } }), undefined);
    // "_" is a literal in a search, not a LIKE wildcard.
    expect((await repo.queryJobs({ search: 'report_' })).total).toBe(2);
    expect((await repo.queryJobs({ names: ['report_daily', 'reportXdaily'], data: { team: 'x' } })).total).toBe(2);
    expect((await repo.queryJobs({ name: 'report_daily', includeDisabled: false })).total).toBe(1);
    expect((await repo.queryJobs({ name: 'report_daily', state: 'paused' })).total).toBe(1);
    const page = await repo.queryJobs({ names: ['report_daily', 'reportXdaily'], sort: { name: 'asc' }, skip: 1, limit: 1 });
    expect(page.total).toBe(3);
    expect(page.jobs).toHaveLength(1);
    const overview = (await repo.getJobsOverview()).find(entry => entry.name === 'report_daily');
    expect(overview).toMatchObject({ total: 2, scheduled: 2, paused: 1 });
    expect(await repo.getDistinctJobNames()).toEqual(expect.arrayContaining(['report_daily', 'reportXdaily']));
    expect(await repo.removeJobs({ notNames: (await repo.getDistinctJobNames()).filter(n => n !== 'reportXdaily') })).toBe(1);
    expect(await repo.removeJobs({})).toBe(0);
  });

  it('counts the queue of due jobs', async () => {
    const before = await repo.getQueueSize();
    await repo.saveJob(job('queue', { nextRunAt: new Date(Date.now() - 1000) }), undefined);
    await repo.saveJob(job('queue', { nextRunAt: new Date(Date.now() + 60_000) }), undefined);
    expect(await repo.getQueueSize()).toBe(before + 1);
  });
});

describe('SQLite locking across connections', () => {
  it('never hands one job to two connections racing for it', async () => {
    const table = uniqueNamespace('race');
    const backends = await Promise.all(Array.from({ length: 4 }, () => openBackend(table)));
    const seed = backends[0]!.repository;
    for (let i = 0; i < 200; i++) await seed.saveJob(job('race', { data: { i } }), undefined);

    const scanAt = new Date(Date.now() + 1000);
    const attempts = Array.from({ length: 300 }, (_, k) =>
      backends[k % backends.length]!.repository.getNextJobToRun('race', scanAt, new Date(0), undefined, { lastModifiedBy: `c${k % 4}` }),
    );
    const locked = (await Promise.all(attempts)).filter((found): found is JobParameters => found !== undefined);
    const ids = locked.map(found => found._id!.toString());
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
    const byConnection = new Set(locked.map(found => found.lastModifiedBy));
    expect(byConnection.size).toBeGreaterThan(1);
  });
});

describe('SQLite store shared by worker processes', () => {
  let compiled: ReturnType<typeof compileStoreForChildProcesses>;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeAll(() => {
    compiled = compileStoreForChildProcesses();
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    compiled.dispose();
  });

  it('runs each of 100 jobs exactly once with two worker processes on one file', async () => {
    const table = uniqueNamespace('procs');
    const jobCount = 100;
    const seed = await openBackend(table);
    for (let i = 0; i < jobCount; i++) await seed.repository.saveJob(job('shared-file', { data: { i } }), undefined);

    const runs = new Map<number, string[]>();
    const stderr: string[] = [];
    const start = (label: string): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; exited: Promise<number | null> } => {
      const child = spawn(
        process.execPath,
        [path.join(fixtures, 'sqlite-worker.mjs'), compiled.moduleUrl, file, table, 'shared-file', label],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      children.push(child);
      child.stderr.on('data', chunk => stderr.push(String(chunk)));
      const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
      const ready = new Promise<void>((resolve, reject) => {
        child.on('exit', code => reject(new Error(`${label} exited early (${code}): ${stderr.join('')}`)));
        readline.createInterface({ input: child.stdout }).on('line', line => {
          if (line === 'READY') resolve();
          const ran = /^RAN (\d+)$/.exec(line);
          if (ran) runs.set(Number(ran[1]), [...(runs.get(Number(ran[1])) ?? []), label]);
        });
      });
      return { child, ready, exited };
    };

    const t0 = Date.now();
    const workers = [start('P1'), start('P2')];
    await Promise.all(workers.map(worker => worker.ready));
    const t1 = Date.now();
    for (const { child } of workers) child.stdin.write('GO\n');

    const total = (): number => [...runs.values()].reduce((sum, labels) => sum + labels.length, 0);
    await waitFor(() => total() >= jobCount, 30_000, `${jobCount} jobs to run (stderr: ${stderr.join('')})`);
    const t2 = Date.now();
    await sleep(500);
    for (const { child } of workers) child.stdin.write('STOP\n');
    expect(await Promise.all(workers.map(worker => worker.exited))).toEqual([0, 0]);

    expect(total()).toBe(jobCount);
    expect([...runs.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: jobCount }, (_, i) => i));
    expect([...runs.values()].every(labels => labels.length === 1)).toBe(true);
    const byP1 = [...runs.values()].filter(([label]) => label === 'P1').length;
    process.stdout.write(
      `SQLite, two worker processes: P1 ran ${byP1}, P2 ran ${jobCount - byP1}; ` +
        `start-up ${t1 - t0} ms, ${jobCount} jobs in ${t2 - t1} ms\n`,
    );
    expect(stderr.join('')).not.toMatch(/SQLITE_BUSY|database is locked/);
    const remaining = await seed.repository.queryJobs({ name: 'shared-file' });
    expect(remaining.jobs.every(stored => stored.lastFinishedAt instanceof Date && stored.lockedAt === undefined)).toBe(true);
  }, 60_000);
});
