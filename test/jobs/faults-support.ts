/** Worker processes for the fault tests: the compiled job system in child processes. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Compiles the sources to dist/ when the job system there is older than its sources. */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(root, 'dist/src/jobs/system.js')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= Math.max(newest(join(root, 'src/jobs')), newest(join(root, 'src/services')))) return;
  // Type errors elsewhere in the tree do not stop tsc from emitting.
  spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
}

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  ready: Promise<void>;
}

/** Starts `node <script> [args]` with the environment given; `ready` resolves when it prints "ready" (or at once). */
export function startProcess(args: string[], env: Record<string, string>, waitForReady = true): WorkerProcess {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = waitForReady
    ? new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output.includes('ready\n')) {
            child.stdout!.off('data', check);
            resolve();
          }
        };
        child.stdout!.on('data', check);
        void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
      })
    : Promise.resolve();
  ready.catch(() => undefined);
  return { child, output: () => output, exited, ready };
}

export const FAULTS_WORKER = 'test/jobs/faults-worker.mjs';
export const CLI = 'bin/teamsync.js';
