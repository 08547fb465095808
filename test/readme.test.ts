/**
 * The README's promises, checked: its curl examples run verbatim against `npm start`, and
 * .env.example documents every variable the configuration reads.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve('.');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('shows exactly two set-up commands: start and test', () => {
    expect(readme).toContain('```sh\nnpm ci && npm start\n```');
    expect(readme).toContain('```sh\nnpm ci && npm test\n```');
    expect(readFileSync(join(root, '.ci/run'), 'utf8')).toContain('npm ci && npm test');
  });

  it("runs the curl examples verbatim against `npm start` on the embedded default", async () => {
    const block = /<!-- readme-curl:start -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'teamsync-readme-'));
    // npm start, in a fresh directory so the default ./data/ database starts empty.
    const server = spawn('npm', ['start', '--prefix', root], {
      cwd: dir,
      env: { ...process.env, PORT: '8000', BCRYPT_ROUNDS: '4', LOG_LEVEL: 'warn', DATABASE_URL: `sqlite:${join(dir, 'data/teamsync.sqlite')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let log = '';
    server.stdout.on('data', (d) => (log += d));
    server.stderr.on('data', (d) => (log += d));
    try {
      const deadline = Date.now() + 20000;
      for (;;) {
        const ok = await fetch('http://localhost:8000/healthz').then((r) => r.ok, () => false);
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const run = spawnSync('bash', ['-euo', 'pipefail', '-c', block!], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n').filter(Boolean);
      // register's answer, then me's answer (login only sets TOKEN)
      const registered = JSON.parse(lines[0]!);
      expect(lines).toHaveLength(2);
      const me = JSON.parse(lines[1]!);
      expect(registered).toMatchObject({ token_type: 'bearer', user: { username: 'ana' } });
      expect(me).toEqual(registered.user);
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('.env.example documents every variable the configuration reads', () => {
    const source = readFileSync(join(root, 'config/index.ts'), 'utf8');
    const schemaBlock = source.slice(source.indexOf('const schema = z.object({'), source.indexOf('});', source.indexOf('const schema = z.object({')));
    const variables = [...schemaBlock.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(30);
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = variables.filter((v) => !documented.has(v) && v !== 'NODE_ENV');
    expect(missing).toEqual([]);
    for (const v of variables) if (v !== 'NODE_ENV') expect(readme).toContain(v);
  });
});
