/**
 * `npm run bench pipeline`: the upload -> job -> results pipeline on each job store.
 *
 * 1. Latency, one upload at a time (so pickup is measured, not queueing): a 1,000-message WhatsApp
 *    export goes through `ingestUpload` (what POST /api/v1/agent/upload does before answering 202)
 *    on an enqueue-only job system, as in an API with RUN_WORKER=false; a worker job system in the
 *    same process (its own Agenda and store connection, default 5 s polling) hears of the job from
 *    the store's wake-up channel. Measured from ingestUpload's return to the job's start and to
 *    the file done (the job function returned: results committed, file status `done`). The app
 *    database is an SQLite file in every row; only the job store changes.
 * 2. Throughput: 1,000 queued 20-message exports, then one or two worker processes (the real
 *    `teamsync worker` job system, heuristic extraction) are told to start at the same moment;
 *    files/s from the first file done to the last (the time to the first file, the workers' start,
 *    is shown apart), with the CPU time per file of the workers and of PostgreSQL and how busy the
 *    whole machine was. On SQLite the app database and the jobs share one file; on PostgreSQL both
 *    live in a fresh database.
 *
 * Runs from the compiled dist/ (the worker processes run dist/bench/pipeline-worker.js).
 *    Then the same with Gemini extraction (BENCH_PIPELINE_GEMINI_FILES, default 200), against a local
 *    stand-in that answers each request after BENCH_PIPELINE_GEMINI_MS (default 250 ms): work that
 *    waits on the network, as with a key configured, rather than on this machine's two cores.
 *
 * BENCH_PIPELINE_RUNS (default 20), BENCH_PIPELINE_FILES (default 1000) and
 * BENCH_PIPELINE_CAP_S (default 30: a throughput run stops there and reports what got done) tune it,
 * BENCH_PIPELINE_ONLY=latency|throughput runs one part, BENCH_PIPELINE_STORES=postgres|sqlite
 * limits the throughput part to one store; BENCH_PG_LOG=1 has PostgreSQL log every statement of the
 * bench databases (to count the statements a file costs);
 * BENCH_POSTGRES_URL and BENCH_REDIS_URL name the servers (default the local ones);
 * BENCH_WORKER_NODE_ARGS are passed to node for the worker processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Agenda, Job } from 'agenda';
import { deleteRedisNamespace } from '../test/support/redis.js';
import pg from 'pg';
import { loadConfig } from '../config/index.js';
import { openServices, type Opened } from '../src/boot.js';
import { createJobSystem, type JobSystem } from '../src/jobs/index.js';
import { PROCESS_UPLOADED_FILE } from '../src/jobs/names.js';
import { createLogger } from '../src/logger.js';
import { createUser } from '../src/services/auth.js';
import { ingestUpload } from '../src/services/uploads.js';
import { whatsAppChat } from '../test/jobs/pipeline-support.js';
import { startGeminiStandIn } from './gemini-stand-in.js';
import { median } from './team-export.js';

const RUNS = Number(process.env.BENCH_PIPELINE_RUNS ?? 20);
const ALL_FILES = Number(process.env.BENCH_PIPELINE_FILES ?? 1000);
/** Files and the stand-in model's answer time (ms) for the runs with Gemini extraction. */
const GEMINI_FILES = Number(process.env.BENCH_PIPELINE_GEMINI_FILES ?? 200);
const GEMINI_DELAY_MS = Number(process.env.BENCH_PIPELINE_GEMINI_MS ?? 250);
const CAP_MS = Number(process.env.BENCH_PIPELINE_CAP_S ?? 30) * 1000;
/** `latency` or `throughput` runs that part alone. */
const ONLY = process.env.BENCH_PIPELINE_ONLY;
/** A comma list (postgres,sqlite) limits the throughput part to those stores. */
const STORES = process.env.BENCH_PIPELINE_STORES?.split(',');
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'pipeline-worker.js');

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const ms = (x: number) => x.toFixed(x < 10 ? 1 : 0);

type StoreKind = 'sqlite' | 'postgres' | 'redis';
const STORE_LABEL: Record<StoreKind, string> = {
  sqlite: 'SQLite (embedded, app DB file; in-process wake-up)',
  postgres: 'PostgreSQL (JOBS_URL; LISTEN/NOTIFY)',
  redis: 'Redis (JOBS_URL; pub/sub)',
};

// ------------------------------------------------------------------ 1. latency

/** When each file's job started and succeeded, as the worker's Agenda reports it. */
class Timeline {
  private readonly at = new Map<string, { start?: number; done?: number; failed?: string }>();
  private readonly waiters = new Map<string, () => void>();

  constructor(agenda: Agenda) {
    const fileOf = (job: Job) => (job.attrs.data as { fileId: string }).fileId;
    agenda.on(`start:${PROCESS_UPLOADED_FILE}`, (job: Job) => this.mark(fileOf(job), { start: performance.now() }));
    agenda.on(`success:${PROCESS_UPLOADED_FILE}`, (job: Job) => this.mark(fileOf(job), { done: performance.now() }));
    agenda.on(`fail:${PROCESS_UPLOADED_FILE}`, (err: Error, job: Job) => this.mark(fileOf(job), { failed: err.message }));
  }

  private mark(fileId: string, what: { start?: number; done?: number; failed?: string }): void {
    const entry = this.at.get(fileId) ?? {};
    this.at.set(fileId, { ...entry, ...what, start: entry.start ?? what.start });
    if (what.done !== undefined || what.failed !== undefined) this.waiters.get(fileId)?.();
  }

  async finished(fileId: string, timeoutMs: number): Promise<{ start: number; done: number }> {
    const entry = this.at.get(fileId);
    if (entry?.done === undefined && entry?.failed === undefined) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        this.waiters.set(fileId, resolve);
        timer = setTimeout(() => reject(new Error(`file ${fileId} not done after ${timeoutMs} ms`)), timeoutMs);
      }).finally(() => {
        clearTimeout(timer);
        this.waiters.delete(fileId);
      });
    }
    const { start, done, failed } = this.at.get(fileId)!;
    if (failed !== undefined || start === undefined || done === undefined) throw new Error(`file ${fileId} failed: ${failed}`);
    return { start, done };
  }
}

interface LatencyRow {
  store: StoreKind;
  accept: number[];
  pickup: number[];
  /** From the job saved in the store (agenda.now returned), before ingestUpload's last update. */
  pickupFromSave: number[];
  done: number[];
}

async function latency(store: StoreKind): Promise<LatencyRow> {
  const dir = mkdtempSync(join(tmpdir(), 'teamsync-bench-pipeline-'));
  const namespace = `bench_pipeline_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = { DATABASE_URL: `sqlite:${join(dir, 'app.sqlite')}`, LOG_LEVEL: 'silent', BCRYPT_ROUNDS: '4' };
  if (store === 'postgres') env.JOBS_URL = POSTGRES_URL;
  if (store === 'redis') env.JOBS_URL = REDIS_URL;
  const services = await openServices(loadConfig(env), { logger: createLogger('silent') });
  const systems: JobSystem[] = [];
  const row: LatencyRow = { store, accept: [], pickup: [], pickupFromSave: [], done: [] };
  try {
    const user = await createUser(services, { username: 'bench', email: 'bench@example.com', password: 'correct horse battery' });
    const api = await createJobSystem(services, { worker: false, namespace });
    systems.push(api);
    const worker = await createJobSystem(services, { worker: true, namespace, name: 'bench-worker' });
    systems.push(worker);
    const timeline = new Timeline(worker.agenda);
    await api.start();
    await worker.start();
    // The first upload warms up the JIT, the parsers and the connections.
    for (let i = 0; i <= RUNS; i++) {
      const content = whatsAppChat(`${namespace} run ${i}`, 1000);
      let enqueued = 0;
      const queue = {
        async enqueueFileProcessing(f: { id: string; userId: string }) {
          const id = await api.queue.enqueueFileProcessing(f);
          enqueued = performance.now();
          return id;
        },
      };
      const t0 = performance.now();
      const { file, created } = await ingestUpload(services, queue, { userId: user.id, fileName: `chat-${i}.txt`, content });
      const accepted = performance.now();
      if (!created) throw new Error('the upload was recognised as a duplicate');
      const { start, done } = await timeline.finished(file.id, 60_000);
      if (i === 0) continue;
      row.accept.push(accepted - t0);
      row.pickup.push(start - accepted);
      row.pickupFromSave.push(start - enqueued);
      row.done.push(done - accepted);
    }
    const done = await services.models.UploadedFile.count({ where: { status: 'done' } });
    if (done !== RUNS + 1) throw new Error(`${done} of ${RUNS + 1} files are done`);
  } finally {
    for (const system of systems.reverse()) await system.stop(5000);
    await services.close();
    await dropNamespace(store, namespace);
    rmSync(dir, { recursive: true, force: true });
  }
  return row;
}

/** Removes the job store's tables or keys of `namespace` (the SQLite one goes with its file). */
async function dropNamespace(store: StoreKind, namespace: string): Promise<void> {
  if (store === 'postgres') {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`DROP TABLE IF EXISTS "${namespace}" CASCADE`);
      await client.query(`DROP TABLE IF EXISTS "${namespace}_logs" CASCADE`);
      await client.query(`DROP FUNCTION IF EXISTS "update_${namespace}_updated_at"()`);
    } finally {
      await client.end();
    }
  } else if (store === 'redis') {
    await deleteRedisNamespace(REDIS_URL, namespace);
  }
}

// ------------------------------------------------------------------ 2. throughput

interface Database {
  url: string;
  dispose(): Promise<void>;
}

async function freshDatabase(kind: 'sqlite' | 'postgres'): Promise<Database> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'teamsync-bench-pipeline-'));
    return { url: `sqlite:${join(dir, 'app.sqlite')}`, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `teamsync_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  if (process.env.BENCH_PG_LOG) await admin(`ALTER DATABASE ${name} SET log_statement = 'all'`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), dispose: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

interface WorkerChild {
  child: ChildProcess;
  /** Main-process times (performance.now()) of each file this worker finished. */
  doneAt: number[];
  /** Failed attempts the worker reported. */
  failures: string[];
  /** The worker's CPU time from "go" to "stop". */
  cpu: { ms: number };
  output: () => string;
  ready: Promise<void>;
  stopped: Promise<void>;
}

function startWorker(name: string, env: Record<string, string>): WorkerChild {
  // e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where a worker's time goes
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, WORKER_SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      WORKER_NAME: name,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const doneAt: number[] = [];
  const failures: string[] = [];
  const cpu = { ms: 0 };
  let output = '';
  let pending = '';
  let onReady!: () => void;
  let onStopped!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const stopped = new Promise<void>((resolve) => (onStopped = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    const now = performance.now();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('done ')) doneAt.push(now);
      else if (line.startsWith('failed ')) failures.push(line.slice(7));
      else if (line.startsWith('cpu ')) cpu.ms = Number(line.slice(4));
      else if (line === 'ready') onReady();
      else if (line === 'stopped') onStopped();
      else output += line + '\n';
    }
  });
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    onStopped();
    onReady();
  });
  return { child, doneAt, failures, cpu, output: () => output, ready, stopped: Promise.all([stopped, exited]).then(() => undefined) };
}

interface ThroughputRow {
  kind: 'sqlite' | 'postgres';
  extraction: Extraction['kind'];
  workers: number;
  files: number;
  done: number;
  /** From "go" to the last file done (or to the cap). */
  seconds: number;
  /** From "go" to the first file done: the workers' start (first poll, connections, JIT). */
  firstSeconds: number;
  /** Files per second from the first file done to the last. */
  steadyRate: number;
  perWorker: number[];
  failures: number;
  ingestSeconds: number;
  /** CPU time per file: the worker processes together, and PostgreSQL's server processes. */
  workerCpuMsPerFile: number;
  postgresCpuMsPerFile: number;
  /** Share of the machine's CPU time that was busy (all processes, others' too), go to last file. */
  machineBusy: number;
}

/** CPU time (ms) of the PostgreSQL server's processes so far, from /proc (0 where there is none). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // gone meanwhile, or not readable
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Busy and total CPU ticks of the whole machine so far. */
function machineTicks(): { busy: number; total: number } {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = values.map(Number);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** How the workers extract: offline rules (CPU-bound), or Gemini through a stand-in that answers after a model's delay. */
type Extraction = { kind: 'heuristic' } | { kind: 'gemini'; url: string };

async function throughput(kind: 'sqlite' | 'postgres', workers: number, extraction: Extraction = { kind: 'heuristic' }): Promise<ThroughputRow> {
  const FILES = extraction.kind === 'gemini' ? GEMINI_FILES : ALL_FILES;
  const extractorEnv: Record<string, string> = extraction.kind === 'gemini' ? { GOOGLE_API_KEY: 'bench-key', GEMINI_BASE_URL: extraction.url } : {};
  const db = await freshDatabase(kind);
  const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', BCRYPT_ROUNDS: '4' };
  let services: Opened | undefined;
  let queueSystem: JobSystem | undefined;
  const children: WorkerChild[] = [];
  try {
    services = await openServices(loadConfig(env), { logger: createLogger('silent') });
    queueSystem = await createJobSystem(services, { worker: false });
    await queueSystem.start();
    const user = await createUser(services, { username: 'bench', email: 'bench@example.com', password: 'correct horse battery' });
    const tag = randomBytes(4).toString('hex');
    const ingestStart = performance.now();
    for (let i = 0; i < FILES; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, FILES - i) }, (_, j) =>
          ingestUpload(services!, queueSystem!.queue, { userId: user.id, fileName: `small-${i + j}.txt`, content: whatsAppChat(`${tag} file ${i + j}`, 20) }),
        ),
      );
    }
    const ingestSeconds = (performance.now() - ingestStart) / 1000;

    for (let w = 0; w < workers; w++) children.push(startWorker(`bench-worker-${w + 1}`, { DATABASE_URL: db.url, ...extractorEnv }));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) if (c.child.exitCode !== null) throw new Error(`a worker exited before it was ready:\n${c.output()}`);
    const pgCpuAtGo = postgresCpuMs();
    const machineAtGo = machineTicks();
    const go = performance.now();
    for (const c of children) c.child.stdin!.write('go\n');
    const total = () => children.reduce((n, c) => n + c.doneAt.length, 0);
    while (total() < FILES && performance.now() - go < CAP_MS && children.every((c) => c.child.exitCode === null)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = total();
    const pgCpu = postgresCpuMs() - pgCpuAtGo;
    const machine = machineTicks();
    const times = children.flatMap((c) => c.doneAt);
    const first = Math.min(...times);
    const last = done >= FILES ? Math.max(...times) : performance.now();
    const row: ThroughputRow = {
      kind,
      extraction: extraction.kind,
      workers,
      files: FILES,
      done,
      seconds: (last - go) / 1000,
      firstSeconds: (first - go) / 1000,
      steadyRate: (done - 1) / ((last - first) / 1000),
      perWorker: children.map((c) => c.doneAt.length),
      failures: children.reduce((n, c) => n + c.failures.length, 0),
      ingestSeconds,
      workerCpuMsPerFile: 0,
      postgresCpuMsPerFile: pgCpu / done,
      machineBusy: (machine.busy - machineAtGo.busy) / Math.max(1, machine.total - machineAtGo.total),
    };
    for (const c of children) c.child.stdin!.write('stop\n');
    await Promise.all(children.map((c) => c.stopped));
    row.workerCpuMsPerFile = children.reduce((n, c) => n + c.cpu.ms, 0) / done;
    if (done >= FILES) {
      const stored = await services.models.UploadedFile.count({ where: { status: 'done' } });
      if (stored !== FILES) {
        const byStatus = await services.models.UploadedFile.count({ group: ['status'] });
        throw new Error(`the workers reported ${done} files done, the database ${stored}: ${JSON.stringify(byStatus)}`);
      }
    }
    return row;
  } finally {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await queueSystem?.stop(1000);
    await services?.close();
    await db.dispose();
  }
}

// ------------------------------------------------------------------ report

export async function run(): Promise<void> {
  const latencies: LatencyRow[] = [];
  if (ONLY !== 'throughput') for (const store of ['sqlite', 'postgres', 'redis'] as const) latencies.push(await latency(store));
  console.log(`| upload accepted -> job started / file done, 1,000-message WhatsApp export, one at a time, ${RUNS} uploads; app DB SQLite | ingestUpload median ms | pickup median ms | pickup p95 ms | pickup from job saved, median ms | done median ms | done p95 ms |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const r of latencies.filter((l) => l.done.length > 0)) {
    console.log(
      `| ${STORE_LABEL[r.store]} | ${ms(median(r.accept))} | ${ms(median(r.pickup))} | ${ms(percentile(r.pickup, 95))} | ${ms(median(r.pickupFromSave))} | ${ms(median(r.done))} | ${ms(percentile(r.done, 95))} |`,
    );
  }

  const rows: ThroughputRow[] = [];
  if (ONLY !== 'latency') {
    const kinds = (['postgres', 'sqlite'] as const).filter((k) => !STORES || STORES.includes(k));
    for (const kind of kinds) for (const workers of [1, 2]) rows.push(await throughput(kind, workers));
    const standIn = await startGeminiStandIn({ delayMs: GEMINI_DELAY_MS });
    try {
      for (const kind of kinds) for (const workers of [1, 2]) rows.push(await throughput(kind, workers, { kind: 'gemini', url: standIn.url }));
    } finally {
      await standIn.close();
    }
  }
  console.log('');
  console.log(
    `| queued 20-message WhatsApp exports, worker processes (default concurrency) told to start together | extraction | workers | files done | s to first file | s to last file | files/s first to last | vs one worker | files per worker | failed attempts | worker CPU ms/file | postgres CPU ms/file | machine CPU busy |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const one = rows.find((o) => o.kind === r.kind && o.extraction === r.extraction && o.workers === 1)!;
    const label = r.kind === 'postgres' ? 'PostgreSQL (app DB and jobs in one database)' : 'SQLite (app DB and jobs in one file)';
    const extraction = r.extraction === 'gemini' ? `Gemini (stand-in answering in ${GEMINI_DELAY_MS} ms)` : 'heuristic (offline)';
    console.log(
      `| ${label}, ${r.files} files | ${extraction} | ${r.workers} | ${r.done}${r.done < r.files ? ` (stopped at ${CAP_MS / 1000} s)` : ''} | ${r.firstSeconds.toFixed(2)} | ${r.seconds.toFixed(1)} | ${r.steadyRate.toFixed(1)} | ${(r.steadyRate / one.steadyRate).toFixed(2)}x | ${r.perWorker.join(' + ')} | ${r.failures} | ${r.workerCpuMsPerFile.toFixed(1)} | ${r.kind === 'postgres' ? r.postgresCpuMsPerFile.toFixed(1) : '-'} | ${(r.machineBusy * 100).toFixed(0)}% |`,
    );
  }
}
