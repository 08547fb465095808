/**
 * `npm run bench slack`: time from a signed Slack event announcing a shared 1,000-message export to
 * the summary posted in its thread, with the real Bolt app behind TeamSync's receiver on the API
 * port, the fake Slack Web API, SQLite and the embedded job system (worker in the same process,
 * heuristic extraction). Each run shares a different export (the same bytes twice are recognised).
 *
 * Two rows: `file_shared` alone (it waits `fileSharedGraceMs`, 2 s by default, for the message event
 * that knows the thread, then starts a thread of its own) and the `message`/`file_share` event
 * Slack sends with it (the usual path).
 */
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { createApi } from '../src/api/app.js';
import { openServices } from '../src/boot.js';
import { createSlackBot } from '../src/bot/slack/index.js';
import { createJobSystem, type JobSystem } from '../src/jobs/index.js';
import { createLogger } from '../src/logger.js';
import { startFakeSlackApi } from '../test/fakes/slack-api.js';
import { buildEventEnvelope, postSignedToApp } from '../test/fakes/slack-signing.js';
import { median, teamExport } from './team-export.js';

const RUNS = Number(process.env.BENCH_SLACK_RUNS ?? 20);
const MESSAGES = 1000;
const SECRET = 'bench-signing-secret';
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamsync-bench-slack-'));
  const slack = await startFakeSlackApi();
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, LOG_LEVEL: 'silent', BCRYPT_ROUNDS: '10' });
  const services = await openServices(config, { logger: createLogger('silent') });
  let jobs: JobSystem | undefined;
  const bot = createSlackBot(services, { queue: () => jobs!.queue, config: { botToken: slack.botToken, signingSecret: SECRET, apiUrl: slack.url } });
  jobs = await createJobSystem(services, { worker: true, notifier: bot.notifier });
  const api = createApi(services);
  api.middleware.unshift(bot.receiver!.koaMiddleware());
  const server = createServer(api.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/slack/events`;
  await jobs.start();
  await bot.start();

  const rows: Array<[string, number[]]> = [];
  let n = 0;
  try {
    for (const kind of ['message', 'file_shared'] as const) {
      const times: number[] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        n++;
        const name = `team-${n}.txt`;
        const file = slack.addFile({ id: `F${String(n).padStart(8, '0')}`, name, mimetype: 'text/plain', content: teamExport(n, MESSAGES), user: 'U0ALICE' });
        const ts = `${1_800_000_000 + n}.000100`;
        const event =
          kind === 'message'
            ? { type: 'message', subtype: 'file_share', channel: 'C0GENERAL', user: 'U0ALICE', text: '', ts, event_ts: ts, files: [file.info] }
            : { type: 'file_shared', file_id: file.id, user_id: 'U0ALICE', channel_id: 'C0GENERAL', file: { id: file.id }, event_ts: ts };
        const started = performance.now();
        const res = await postSignedToApp(endpoint, JSON.stringify(buildEventEnvelope({ event })), { signingSecret: SECRET });
        if (res.status !== 200) throw new Error(`event answered ${res.status}`);
        await slack.waitForCall('chat.postMessage', (c) => String(c.args.text ?? '').includes(`${name}: ${MESSAGES} messages`), 60_000);
        // The first run warms up the caches and the JIT.
        if (i > 0) times.push(performance.now() - started);
      }
      rows.push([kind === 'message' ? 'message (file_share) event' : 'file_shared event alone (incl. 2 s grace)', times]);
    }
  } finally {
    await bot.stop();
    await jobs.stop(1000);
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
    await slack.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`| event -> threaded summary, ${MESSAGES}-message export, embedded jobs on SQLite | runs | median ms | min ms | max ms |`);
  console.log(`|---|---|---|---|---|`);
  for (const [label, times] of rows) {
    console.log(`| ${label} | ${times.length} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)} | ${Math.max(...times).toFixed(0)} |`);
  }
}
