/** The service process: JSON logs carrying request ids, readiness, and a clean stop on SIGTERM. */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('service process', () => {
  it('serves, logs JSON lines with request ids, and stops gracefully on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamsync-proc-'));
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, RUN_WORKER: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening line:\n${out}`)), 20000);
        child.stdout.on('data', () => {
          const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
          if (m) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
      });
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: expect.objectContaining({ database: 'ok' }) });
      const res = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'trace-me-123' } });
      expect(res.headers.get('x-request-id')).toBe('trace-me-123');

      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l.request_id === 'trace-me-123')).toMatchObject({ path: '/healthz', status: 200, msg: 'request' });
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start in production with the default secret, naming the variable', async () => {
    const child = spawn(process.execPath, ['dist/src/main.js'], { env: { ...process.env, ENVIRONMENT: 'production', SECRET_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toMatch(/SECRET_KEY: must be set/);
  });
});
