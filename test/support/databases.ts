/**
 * Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database on the local
 * server (127.0.0.1:5432, trust auth). Each call gets its own, dropped again by `dispose`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testConfig, type Config } from '../../config/index.js';
import { openServices, type Opened } from '../../src/boot.js';
import { createLogger } from '../../src/logger.js';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  dispose(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'teamsync-test-'));
    return { url: `sqlite:${join(dir, 'db.sqlite')}`, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `teamsync_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestServices extends Opened {
  dispose(): Promise<void>;
}

/** Opened and migrated services on a fresh database of the given kind. */
export async function openTestServices(kind: DatabaseKind, overrides: Record<string, string> = {}): Promise<TestServices> {
  const db = await createTestDatabase(kind);
  const config: Config = testConfig({ DATABASE_URL: db.url, ...overrides });
  const services = await openServices(config, { logger: createLogger('silent') });
  return {
    ...services,
    dispose: async () => {
      await services.close();
      await db.dispose();
    },
  };
}
