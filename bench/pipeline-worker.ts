/**
 * A worker process for `npm run bench pipeline`: the real job system of `teamsync worker` (store
 * from DATABASE_URL/JOBS_URL, heuristic extraction, default polling), configured by the
 * environment the bench passes. It prints "ready" once connected, starts taking jobs on the line
 * "go" on stdin, prints "done <ms>" (ms since "go") for every file it finished and "failed <reason>"
 * for every failed attempt, and on "stop" prints "cpu <ms>" (its CPU time since "go"), stops
 * gracefully, prints "stopped" and exits.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../config/index.js';
import { openServices } from '../src/boot.js';
import { createJobSystem } from '../src/jobs/index.js';
import { PROCESS_UPLOADED_FILE } from '../src/jobs/names.js';
import { createLogger } from '../src/logger.js';

const config = loadConfig({ ...process.env });
const services = await openServices(config, { logger: createLogger(config.logLevel), migrate: false });
const jobs = await createJobSystem(services, { worker: true, name: process.env.WORKER_NAME, namespace: process.env.JOBS_NAMESPACE || undefined });
let goAt = 0;
let cpuAtGo = process.cpuUsage();
// The file is done (its results committed) when the job function returns.
// (Other workers' jobs come in as remote events.)
jobs.agenda.on(`success:${PROCESS_UPLOADED_FILE}`, (_job: unknown, remote?: boolean) => {
  if (remote !== true) process.stdout.write(`done ${(performance.now() - goAt).toFixed(1)}\n`);
});
jobs.agenda.on(`fail:${PROCESS_UPLOADED_FILE}`, (err: Error | string, _job: unknown, remote?: boolean) => {
  if (remote !== true) process.stdout.write(`failed ${String(err instanceof Error ? err.message : err).replace(/\n/g, ' ')}\n`);
});
await jobs.agenda.ready;
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === 'go') {
    goAt = performance.now();
    cpuAtGo = process.cpuUsage();
    await jobs.start();
  } else if (line === 'stop') {
    const cpu = process.cpuUsage(cpuAtGo);
    process.stdout.write(`cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)}\n`);
    await jobs.stop(10_000);
    await services.close();
    process.stdout.write('stopped\n');
    process.exit(0);
  }
}
