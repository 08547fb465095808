/**
 * `teamsync worker`: runs background jobs until SIGTERM/SIGINT, then shuts down gracefully.
 * `teamsync jobs active|scheduled|stats|failed`: what the workers are doing, read from the job store.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { openServices } from '../boot.js';
import { createJobSystem } from '../jobs/index.js';
import type { JobsAdminView, JobView } from '../jobs/views.js';
import { createLogger } from '../logger.js';
import { platformHistoryReadersFromConfig, platformNotifierFromConfig } from '../bot/thread-notifiers.js';

async function runWorker(): Promise<void> {
  const config = loadConfig();
  const services = await openServices(config);
  // Results of files shared in Slack or Discord are posted back through the platforms' Web APIs,
  // and channel histories (`/teamsync import N`) are read through them too.
  const jobs = await createJobSystem(services, {
    worker: true,
    notifier: platformNotifierFromConfig(services),
    historyReaders: platformHistoryReadersFromConfig(services),
  });
  await jobs.start();
  services.logger.info({ pid: process.pid }, 'worker running; SIGTERM or SIGINT stops it gracefully');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const name of ['SIGTERM', 'SIGINT'] as const) process.once(name, () => resolve(name));
  });
  services.logger.info({ signal }, 'worker stopping');
  try {
    await jobs.stop(config.jobs.shutdownGraceSeconds * 1000);
  } finally {
    await services.close();
  }
  services.logger.info('worker stopped');
}

async function withOverview(print: (view: JobsAdminView) => void): Promise<void> {
  const config = loadConfig();
  const services = await openServices(config, { logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel), migrate: false });
  const jobs = await createJobSystem(services, { worker: false });
  try {
    await jobs.start();
    print(await jobs.queue.overview());
  } finally {
    await jobs.stop();
    await services.close();
  }
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function printJobs(jobs: JobView[], when: (j: JobView) => string | null): void {
  if (jobs.length === 0) return out('(none)');
  for (const j of jobs) out([j.id, j.name, j.state, when(j) ?? '-', j.file_id ?? '-', j.progress === null ? '' : `${j.progress}%`].join('\t'));
}

export function registerJobs(program: Command): void {
  program
    .command('worker')
    .description('run background jobs (file processing, channel history imports, answers, cleanup) until SIGTERM/SIGINT')
    .action(runWorker);

  const jobs = program.command('jobs').description('inspect background jobs across all workers');
  const json = (cmd: Command) => cmd.option('--json', 'print JSON');
  json(jobs.command('active').description('jobs running now')).action(async (opts: { json?: boolean }) =>
    withOverview((v) => (opts.json ? out(JSON.stringify(v.running)) : printJobs(v.running, (j) => j.last_run_at))),
  );
  json(jobs.command('scheduled').description('jobs due later (retries, the cleanup)')).action(async (opts: { json?: boolean }) =>
    withOverview((v) => (opts.json ? out(JSON.stringify(v.scheduled)) : printJobs(v.scheduled, (j) => j.next_run_at))),
  );
  json(jobs.command('stats').description('counts per job and state')).action(async (opts: { json?: boolean }) =>
    withOverview((v) => {
      if (opts.json) return out(JSON.stringify({ counts: v.counts, totals: v.totals }));
      const states = ['queued', 'running', 'scheduled', 'repeating', 'completed', 'failed', 'paused'] as const;
      out(['job', ...states, 'total'].join('\t'));
      for (const c of v.counts) out([c.name, ...states.map((s) => c[s]), c.total].join('\t'));
      out(['all', ...states.map((s) => v.totals[s]), v.counts.reduce((n, c) => n + c.total, 0)].join('\t'));
    }),
  );
  json(jobs.command('failed').description('failed jobs with their reasons')).action(async (opts: { json?: boolean }) =>
    withOverview((v) => {
      if (opts.json) return out(JSON.stringify(v.failed));
      if (v.failed.length === 0) return out('(none)');
      for (const f of v.failed) out([f.id, f.name, f.failed_at ?? '-', `x${f.fail_count}`, f.retry_at ? `retry ${f.retry_at}` : 'final', f.reason ?? ''].join('\t'));
    }),
  );
}
