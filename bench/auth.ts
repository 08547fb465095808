/**
 * Account API figures: login latency with the production bcrypt cost, and GET /api/v1/auth/me
 * throughput next to a bare Koa handler that returns the same JSON (same process, same run).
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import autocannon from 'autocannon';
import { loadConfig } from '../config/index.js';
import { createApi } from '../src/api/app.js';
import { openServices } from '../src/boot.js';
import { createLogger } from '../src/logger.js';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

function cannon(url: string, token: string, seconds: number) {
  return autocannon({ url, connections: 20, duration: seconds, headers: { authorization: `Bearer ${token}` } });
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamsync-bench-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, BCRYPT_ROUNDS: '12', AUTH_RATE_LIMIT_PER_IP: '100000', AUTH_RATE_LIMIT_PER_ACCOUNT: '100000' });
  const services = await openServices(config, { logger: createLogger('silent') });
  const api = await listen(createApi(services).callback());
  try {
    const password = 'correct horse battery';
    await fetch(`${api.url}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', email: 'bench@example.com', password }) });
    const times: number[] = [];
    let token = '';
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const r = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password }) });
      times.push(performance.now() - t0);
      token = ((await r.json()) as { access_token: string }).access_token;
    }
    const unknown: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `nobody${i}`, password }) });
      unknown.push(performance.now() - t0);
    }
    const me = await (await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json();
    const bareApp = new Koa();
    bareApp.use((ctx) => {
      ctx.body = me;
    });
    const bare = await listen(bareApp.callback());
    await cannon(`${bare.url}/`, token, 2); // warm-up
    await cannon(`${api.url}/api/v1/auth/me`, token, 2);
    const bareResult = await cannon(`${bare.url}/`, token, 8);
    const apiResult = await cannon(`${api.url}/api/v1/auth/me`, token, 8);
    bare.server.close();
    console.log('| measure | value |\n| --- | --- |');
    console.log(`| login p50, bcrypt cost 12 (20 logins) | ${percentile(times, 50).toFixed(0)} ms |`);
    console.log(`| login p50, unknown user (10 tries) | ${percentile(unknown, 50).toFixed(0)} ms |`);
    console.log(`| GET /api/v1/auth/me | ${apiResult.requests.average.toFixed(0)} req/s (p50 ${apiResult.latency.p50} ms, non-2xx ${apiResult.non2xx}) |`);
    console.log(`| bare Koa, same JSON | ${bareResult.requests.average.toFixed(0)} req/s (p50 ${bareResult.latency.p50} ms) |`);
    console.log(`| ratio API / bare | ${(apiResult.requests.average / bareResult.requests.average).toFixed(3)} |`);
  } finally {
    api.server.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
