/**
 * Faults the pipeline survives, on real stores with real processes:
 * - a worker killed with SIGKILL mid-job: the job runs again once its lock expires and the file
 *   ends done with exactly one set of results;
 * - two worker processes on one store (SQLite file, PostgreSQL): 200 uploads, each processed
 *   exactly once, none lost;
 * - the database dropping every connection during processing: jobs retry and finish.
 * Worker processes run the compiled code (dist/, rebuilt here when stale).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Op } from 'sequelize';
import { testConfig } from '../../config/index.js';
import { openServices, type Opened } from '../../src/boot.js';
import { extractHeuristic } from '../../src/extract/index.js';
import { createJobSystem, type JobSystem } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logger.js';
import { createUser } from '../../src/services/auth.js';
import type { FileExtractor } from '../../src/services/extraction.js';
import { ingestUpload } from '../../src/services/uploads.js';
import { createTestDatabase, POSTGRES_ADMIN_URL, type DatabaseKind, type TestDatabase } from '../support/databases.js';
import { sleep, waitFor } from './helpers/wait.js';
import { CLI, ensureBuilt, FAULTS_WORKER, startProcess, type WorkerProcess } from './faults-support.js';
import { storedResults, whatsAppChat } from './pipeline-support.js';

interface Setup {
  db: TestDatabase;
  services: Opened;
  jobs: JobSystem;
  userId: string;
  env: Record<string, string>;
}

const running: WorkerProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

/** A fresh database with the schema, an account, and a queue that only enqueues (like an API with RUN_WORKER=false). */
async function setUp(kind: DatabaseKind, env: Record<string, string> = {}): Promise<Setup> {
  const db = await createTestDatabase(kind);
  const allEnv = { ENVIRONMENT: 'test', DATABASE_URL: db.url, BCRYPT_ROUNDS: '4', ...env };
  const services = await openServices(testConfig(allEnv), { logger: createLogger('silent') });
  const jobs = await createJobSystem(services, { worker: false });
  await jobs.start();
  const user = await createUser(services, { username: 'fay', email: 'fay@example.com', password: 'correct horse battery' });
  cleanups.push(async () => {
    await jobs.stop();
    await services.close();
    await db.dispose();
  });
  return { db, services, jobs, userId: user.id, env: allEnv };
}

function worker(args: string[], env: Record<string, string>): WorkerProcess {
  const w = startProcess(args, env);
  running.push(w);
  return w;
}

beforeAll(() => ensureBuilt(), 120_000);
afterEach(async () => {
  for (const w of running.splice(0)) {
    if (w.child.exitCode === null && w.child.signalCode === null) {
      w.child.kill('SIGKILL');
      await w.exited;
    }
  }
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

describe('a worker killed mid-job', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'teamsync-faults-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves its job locked; another worker runs it once the lock expires, and the file has one set of results', async () => {
    // Time limit 2 s, so the lock lives 4 s: the dead worker's job becomes free 4 s after it was locked.
    const setup = await setUp('sqlite', { JOB_TIMEOUT_SECONDS: '2', JOB_RETRY_BASE_SECONDS: '0.1' });
    const hold = join(dir, 'release');
    const doomed = worker([FAULTS_WORKER], { ...setup.env, HOLD_FILE: hold, WORKER_NAME: 'doomed' });
    await doomed.ready;

    const { file, jobId } = await ingestUpload(setup.services, setup.jobs.queue, { userId: setup.userId, fileName: 'big.txt', content: whatsAppChat('killed', 400) });
    await waitFor(async () => (await setup.services.models.UploadedFile.findByPk(file.id))?.status === 'processing', 10_000, 'the doomed worker to start the job');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const orphan = (await setup.jobs.agenda.queryJobs({ id: jobId! })).jobs[0]!;
    expect(orphan.lockedAt).toBeInstanceOf(Date);
    expect(orphan.lastModifiedBy).toBe('doomed');

    writeFileSync(hold, '');
    const killedAt = Date.now();
    const rescuer = worker([CLI, 'worker'], { ...setup.env, JOB_TIMEOUT_SECONDS: '2' });
    await waitFor(async () => (await setup.services.models.UploadedFile.findByPk(file.id))?.status === 'done', 30_000, 'the job to run again and finish');
    expect(Date.now() - killedAt).toBeGreaterThan(1000); // not before the lock expired

    const results = await storedResults(setup.services, file.id);
    expect(results).toMatchObject({ status: 'done', attempts: 2, oneSet: true, messages: 400 });
    await waitFor(async () => (await setup.jobs.queue.getJob(jobId!))?.state === 'completed', 5000, 'the job to be completed');

    // The CLI worker stops gracefully on SIGTERM.
    rescuer.child.kill('SIGTERM');
    expect(await rescuer.exited).toBe(0);
  }, 60_000);
});

describe.each(['sqlite', 'postgres'] as const)('two worker processes on one %s store', (kind) => {
  it('process each of 200 uploads exactly once and lose none', async () => {
    const setup = await setUp(kind, { WORKER_CONCURRENCY: '4' });
    const a = worker([FAULTS_WORKER], { ...setup.env, WORKER_NAME: 'worker-a', PROCESS_EVERY_MS: '100' });
    await a.ready;
    const b = worker([FAULTS_WORKER], { ...setup.env, WORKER_NAME: 'worker-b', PROCESS_EVERY_MS: '100' });
    await b.ready;

    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      try {
        const { file } = await ingestUpload(setup.services, setup.jobs.queue, { userId: setup.userId, fileName: `f${i}.txt`, content: whatsAppChat(`twin ${i}`) });
        ids.push(file.id);
      } catch (err) {
        throw new Error(`upload ${i}: ${(err as Error).message}\nworker a:\n${a.output().slice(-1500)}\nworker b:\n${b.output().slice(-1500)}`);
      }
    }
    const { UploadedFile } = setup.services.models;
    try {
      await waitFor(async () => (await UploadedFile.count({ where: { status: 'done' } })) === 200, 40_000, 'all 200 files to be done');
    } catch (err) {
      const states = await UploadedFile.findAll({ attributes: ['status', 'error', 'attempts'], raw: true });
      const summary = states.filter((f) => f.status !== 'done').slice(0, 5);
      throw new Error(`${(err as Error).message}; not done: ${JSON.stringify(summary)}\nworker a:\n${a.output().slice(-2000)}\nworker b:\n${b.output().slice(-2000)}`);
    }
    await sleep(500); // a second run, if any, would show now

    const files = await UploadedFile.findAll({ attributes: ['id', 'status', 'attempts'] });
    expect(files).toHaveLength(200);
    expect(files.filter((f) => f.attempts !== 1).map((f) => [f.id, f.attempts])).toEqual([]);
    for (const id of ids) expect((await storedResults(setup.services, id)).oneSet).toBe(true);

    const { jobs } = await setup.jobs.agenda.queryJobs({ name: 'process-uploaded-file', limit: 500 });
    expect(jobs).toHaveLength(200);
    expect(jobs.every((j) => j.lastFinishedAt && !j.failedAt && !j.lockedAt)).toBe(true);
    const byWorker = new Map<string, number>();
    for (const j of jobs) byWorker.set(j.lastModifiedBy ?? '?', (byWorker.get(j.lastModifiedBy ?? '?') ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual(['worker-a', 'worker-b']);
  }, 60_000);
});

describe('the database dropping its connections during processing', () => {
  it('retries the jobs it interrupted and finishes every file', async () => {
    const setup = await setUp('postgres', { JOB_RETRY_BASE_SECONDS: '0.2', JOB_MAX_RETRIES: '5', WORKER_CONCURRENCY: '4' });
    let entered = 0;
    const slow: FileExtractor = {
      name: 'heuristic',
      async extract(messages, settings) {
        entered++;
        await sleep(150);
        return extractHeuristic(messages, settings);
      },
    };
    const worker = await createJobSystem(setup.services, { worker: true, extractor: slow, processEvery: 200 });
    let failures = 0;
    worker.agenda.on('fail', () => void failures++);
    await worker.start();
    cleanups.push(() => worker.stop(1000));

    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { file } = await ingestUpload(setup.services, setup.jobs.queue, { userId: setup.userId, fileName: `d${i}.txt`, content: whatsAppChat(`drop ${i}`) });
      ids.push(file.id);
    }
    await waitFor(() => entered >= 4, 10_000, 'processing to be under way');

    // Another connection ends every other connection to the database, several times over a second.
    const database = new URL(setup.db.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    let terminated = 0;
    try {
      for (let round = 0; round < 5; round++) {
        const { rows } = await admin.query<{ ok: boolean }>(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [database],
        );
        terminated += rows.filter((r) => r.ok).length;
        await sleep(200);
      }
    } finally {
      await admin.end();
    }
    expect(terminated).toBeGreaterThan(0);

    const { UploadedFile } = setup.services.models;
    try {
      await waitFor(async () => {
        try {
          return (await UploadedFile.count({ where: { status: 'done' } })) === 30;
        } catch {
          return false; // this process's own connections were dropped too
        }
      }, 45_000, 'every file to be done');
    } catch (err) {
      // Say where the files and their jobs are stuck.
      const files = await UploadedFile.findAll({ where: { status: { [Op.ne]: 'done' } }, attributes: ['id', 'status', 'attempts', 'error', 'job_id'] });
      const { jobs } = await worker.agenda.queryJobs({ name: 'process-uploaded-file', limit: 100 });
      const stuck = files.map((f) => ({ file: f.toJSON(), job: jobs.find((j) => String(j._id) === f.job_id) }));
      throw new Error(`${(err as Error).message}; running here: ${worker.agenda.attrs.name}; not done: ${JSON.stringify(stuck)}`);
    }
    for (const id of ids) expect((await storedResults(setup.services, id)).oneSet).toBe(true);
    expect(await UploadedFile.count({ where: { status: 'failed' } })).toBe(0);
    process.stdout.write(`connections terminated: ${terminated}; failed attempts retried: ${failures}\n`);
  }, 60_000);
});
