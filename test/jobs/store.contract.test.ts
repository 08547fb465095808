import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Agenda, Job } from 'agenda';
import { AgendaHarness } from './helpers/agendas.js';
import {
  MONGODB_URL,
  mongoStore,
  postgresStore,
  redisStore,
  sqliteAppConnectionStore,
  sqliteOwnConnectionsStore,
  type StoreUnderTest,
} from './helpers/stores.js';
import { sleep, waitFor } from './helpers/wait.js';

/**
 * One behaviour contract, run for real against every job store this machine has. Each store gets
 * a private namespace (table, key prefix or collection) that is removed afterwards.
 */
const stores: StoreUnderTest[] = [sqliteAppConnectionStore(), sqliteOwnConnectionsStore(), postgresStore(), redisStore()];
if (MONGODB_URL) stores.push(mongoStore(MONGODB_URL));

const report: string[] = [];
afterAll(async () => {
  if (report.length > 0) process.stdout.write(`job store measurements:\n  ${report.join('\n  ')}\n`);
  // After each run Agenda leaves a timer of max(processEvery, lockLifetime) / 2 pending (its
  // lock watchdog); let the last ones lapse so the test process exits cleanly.
  await sleep(2600);
});

if (!MONGODB_URL) {
  describe.skip('MongoDB job store (skipped: set MONGODB_URL=mongodb://... to run it)', () => {
    it('runs the same contract', () => undefined);
  });
}

describe.each(stores.map(store => [store.label, store] as const))('%s job store', (_label, store) => {
  let harness: AgendaHarness;
  let serial = 0;
  /** A job name no other test of this run uses, so tests never see each other's jobs. */
  const jobName = (base: string): string => `${base}-${++serial}`;

  beforeEach(() => {
    harness = new AgendaHarness(store);
  });
  afterEach(async () => {
    await harness.closeAll();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('runs a job saved with now() exactly once and unlocks it', async () => {
    const name = jobName('once');
    let runs = 0;
    const worker = await harness.worker({}, agenda => agenda.define(name, async () => void runs++));
    await worker.now(name, { n: 1 });
    await waitFor(() => runs >= 1, 5000, 'the job to run');
    await sleep(600);
    expect(runs).toBe(1);
    await waitFor(async () => (await worker.queryJobs({ name })).jobs[0]?.lastFinishedAt !== undefined, 2000, 'the finished state');
    const [stored] = (await worker.queryJobs({ name })).jobs;
    expect(stored?.lockedAt ?? null).toBeNull();
    expect(stored?.data).toEqual({ n: 1 });
    expect(harness.errors).toEqual([]);
  });

  it('runs a job scheduled in the future at its time, not before', async () => {
    const name = jobName('later');
    let ranAt = 0;
    const worker = await harness.worker({}, agenda => agenda.define(name, async () => void (ranAt = Date.now())));
    const due = Date.now() + 1500;
    await worker.schedule(new Date(due), name, {});
    await sleep(1000);
    expect(ranAt).toBe(0);
    await waitFor(() => ranAt > 0, 4000, 'the scheduled job');
    expect(ranAt).toBeGreaterThanOrEqual(due - 20);
    expect(ranAt - due).toBeLessThan(1000);
  });

  it('locks due jobs in priority order', async () => {
    const name = jobName('priority');
    const order: number[] = [];
    const enqueuer = await harness.idle();
    const sameTime = new Date(Date.now() - 1000);
    for (const priority of [5, 20, 1, 10]) {
      await enqueuer.create(name, { priority }).priority(priority).schedule(sameTime).save();
    }
    await harness.worker({}, agenda =>
      agenda.define(name, async (job: Job<{ priority: number }>) => void order.push(job.attrs.data.priority), {
        concurrency: 1,
        lockLimit: 1,
      }),
    );
    await waitFor(() => order.length === 4, 6000, 'all four jobs');
    expect(order).toEqual([20, 10, 5, 1]);
  });

  it('repeats an every() job and persists its next run', async () => {
    const name = jobName('repeat');
    const runs: number[] = [];
    const worker = await harness.worker({}, agenda => agenda.define(name, async () => void runs.push(Date.now())));
    await worker.every('1 second', name);
    await waitFor(() => runs.length >= 2, 5000, 'two runs');
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(800);
    await waitFor(async () => (await worker.queryJobs({ name })).jobs[0]?.lockedAt == null, 2000, 'the unlock');
    const { jobs, total } = await worker.queryJobs({ name });
    expect(total).toBe(1);
    const [job] = jobs;
    expect(job?.type).toBe('single');
    expect(String(job?.repeatInterval)).toBe('1 second');
    expect(job?.lastRunAt).toBeInstanceOf(Date);
    expect(job?.nextRunAt).toBeInstanceOf(Date);
    expect(job!.nextRunAt!.getTime()).toBeGreaterThan(job!.lastRunAt!.getTime());
  });

  it('does not run a disabled job until it is enabled again', async () => {
    const name = jobName('disabled');
    let runs = 0;
    const enqueuer = await harness.idle();
    await enqueuer.now(name);
    expect(await enqueuer.disable({ name })).toBe(1);
    const worker = await harness.worker({}, agenda => agenda.define(name, async () => void runs++));
    await sleep(800);
    expect(runs).toBe(0);
    expect((await worker.queryJobs({ name, state: 'paused' })).total).toBe(1);
    expect(await worker.enable({ name })).toBe(1);
    await waitFor(() => runs === 1, 4000, 'the enabled job');
  });

  it('cancels exactly the jobs a query names', async () => {
    const name = jobName('cancel');
    const agenda = await harness.idle();
    const later = new Date(Date.now() + 60_000);
    await agenda.schedule(later, name, { group: 'a', n: 1 });
    await agenda.schedule(later, name, { group: 'a', n: 2 });
    const kept = await agenda.schedule(later, name, { group: 'b', n: 3 });
    const other = await agenda.schedule(later, jobName('cancel-other'), { group: 'a', n: 4 });

    expect(await agenda.cancel({ name, data: { group: 'a' } })).toBe(2);
    const remaining = await agenda.queryJobs({ name });
    expect(remaining.total).toBe(1);
    expect(remaining.jobs[0]?.data).toEqual({ group: 'b', n: 3 });

    expect(await agenda.cancel({ ids: [kept.attrs._id!, other.attrs._id!] })).toBe(2);
    expect((await agenda.queryJobs({ name })).total).toBe(0);
    expect(await agenda.cancel({ name })).toBe(0);
  });

  it('saves a unique insertOnly job once however often it is saved', async () => {
    const name = jobName('unique');
    const agenda = await harness.idle();
    const later = new Date(Date.now() + 60_000);
    const first = await agenda.create(name, { key: 7, version: 1 }).unique({ 'data.key': 7 }, { insertOnly: true }).schedule(later).save();
    const second = await agenda.create(name, { key: 7, version: 2 }).unique({ 'data.key': 7 }, { insertOnly: true }).schedule(later).save();
    const otherKey = await agenda.create(name, { key: 8, version: 1 }).unique({ 'data.key': 8 }, { insertOnly: true }).schedule(later).save();

    expect(second.attrs._id?.toString()).toBe(first.attrs._id?.toString());
    expect(otherKey.attrs._id?.toString()).not.toBe(first.attrs._id?.toString());
    const { jobs, total } = await agenda.queryJobs({ name, sort: { name: 'asc' } });
    expect(total).toBe(2);
    expect(jobs.find(job => job._id.toString() === first.attrs._id?.toString())?.data).toEqual({ key: 7, version: 1 });
  });

  it('runs a job again whose worker died holding its lock, once the lock lifetime has passed', async () => {
    const expired = jobName('dead-worker');
    const fresh = jobName('live-lock');
    const enqueuer = await harness.idle();
    await enqueuer.now(expired);
    await enqueuer.now(fresh);
    // The "dead" worker: locks both jobs and never runs or unlocks them.
    const repository = enqueuer.db;
    const scanAhead = new Date(Date.now() + 1000);
    const deadLock = await repository.getNextJobToRun(expired, scanAhead, new Date(0), new Date(Date.now() - 5000), { lastModifiedBy: 'dead' });
    const liveLock = await repository.getNextJobToRun(fresh, scanAhead, new Date(0), new Date(), { lastModifiedBy: 'dead' });
    expect(deadLock?.lockedAt).toBeInstanceOf(Date);
    expect(liveLock?.lockedAt).toBeInstanceOf(Date);
    expect((await repository.getJobById(deadLock!._id!.toString()))?.lockedAt).toBeInstanceOf(Date);

    let expiredRuns = 0;
    let freshRuns = 0;
    await harness.worker({}, agenda => {
      agenda.define(expired, async () => void expiredRuns++, { lockLifetime: 1000 });
      agenda.define(fresh, async () => void freshRuns++, { lockLifetime: 60_000 });
    });
    await waitFor(() => expiredRuns === 1, 5000, 'the job with the expired lock');
    await sleep(500);
    expect(expiredRuns).toBe(1);
    expect(freshRuns).toBe(0);
  });

  it('runs each of 50 jobs exactly once with two workers on one store', async () => {
    const name = jobName('shared');
    const runs = new Map<number, string[]>();
    const record = (worker: string) => async (job: Job<{ i: number }>) => {
      await sleep(5);
      runs.set(job.attrs.data.i, [...(runs.get(job.attrs.data.i) ?? []), worker]);
    };
    // A backlog first, then both workers start at once and race for the same due jobs.
    const enqueuer = await harness.enqueuer();
    for (let i = 0; i < 50; i++) await enqueuer.now(name, { i });
    await Promise.all([
      harness.worker({ processEvery: 100, defaultConcurrency: 5 }, agenda => agenda.define(name, record('A'))),
      harness.worker({ processEvery: 100, defaultConcurrency: 5 }, agenda => agenda.define(name, record('B'))),
    ]);

    const total = (): number => [...runs.values()].reduce((sum, workers) => sum + workers.length, 0);
    await waitFor(() => total() >= 50, 20_000, 'all 50 jobs');
    await sleep(700);
    expect(total()).toBe(50);
    expect([...runs.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...runs.values()].every(workers => workers.length === 1)).toBe(true);
    const byA = [...runs.values()].filter(([worker]) => worker === 'A').length;
    report.push(`${store.label}: 50 jobs shared by two workers as A=${byA} B=${50 - byA}`);
    expect(harness.errors).toEqual([]);
  });

  (store.wakesWorkers ? it : it.skip)('wakes an idle worker at once when another backend enqueues', async () => {
    const name = jobName('wake');
    let startedAt = 0;
    // The worker scans at start, then every 5 s: its next scan comes about 4.7 s after the save
    // below, so a pickup within 1 s can only come from the notification.
    const worker: Agenda = await harness.worker({ processEvery: '5 seconds' }, agenda =>
      agenda.define(name, async () => void (startedAt = Date.now())),
    );
    expect(worker.hasNotificationChannel()).toBe(true);
    const enqueuer = await harness.enqueuer();
    await sleep(300); // the worker's first scan is over; only a notification can wake it now
    const savedAt = Date.now();
    await enqueuer.now(name);
    await waitFor(() => startedAt > 0, 3000, 'the worker to pick the job up');
    const latency = startedAt - savedAt;
    report.push(`${store.label}: pickup ${latency} ms after save (worker polls every 5 s)`);
    expect(latency).toBeLessThan(1000);
  });
});
