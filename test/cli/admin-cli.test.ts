/** The operator CLI as an operator runs it: the built `teamsync` binary against a real database. */
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

function teamsync(args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(process.execPath, ['bin/teamsync.js', ...args], {
    input,
    env: { ...process.env, LOG_LEVEL: 'warn', BCRYPT_ROUNDS: '4', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(['sqlite', 'postgres'] as const)('teamsync CLI on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db?.dispose());

  it('migrates, creates an admin from a password on stdin, and issues a reset token', () => {
    const env = { DATABASE_URL: db.url };
    expect(teamsync(['db', 'migrate'], env)).toMatchObject({ code: 0, stdout: 'applied: 001-initial, 002-extraction-cache-and-answers, 003-linking\n' });
    expect(teamsync(['db', 'migrate'], env)).toMatchObject({ code: 0, stdout: 'database is up to date\n' });

    const created = teamsync(['user', 'create', '--username', 'ops', '--email', 'Ops@Example.com', '--password-stdin', '--admin'], env, 'a long operator password\n');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ username: 'ops', email: 'ops@example.com', role: 'admin' });

    const dup = teamsync(['user', 'create', '--username', 'OPS', '--email', 'x@example.com', '--password-stdin'], env, 'another long password\n');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toBe('teamsync: username is already taken\n');

    const noStdin = teamsync(['user', 'create', '--username', 'x', '--email', 'x@example.com'], env);
    expect(noStdin.code).toBe(2);
    expect(noStdin.stderr).toMatch(/--password-stdin/);

    const token = teamsync(['user', 'reset-token', '--username', 'ops'], env);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]{40,}$/);
  });

  it('stops with a message naming the variable when the configuration is invalid', () => {
    const r = teamsync(['db', 'migrate'], { DATABASE_URL: db.url, ACCESS_TOKEN_EXPIRE_MINUTES: 'soon' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ACCESS_TOKEN_EXPIRE_MINUTES/);
  });
});
