import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgendaBackend } from 'agenda';
import { deleteRedisNamespace } from '../../support/redis.js';
import { Sequelize } from 'sequelize';
import { createJobBackend } from '../../../src/jobs/store/index.js';
import { uniqueNamespace } from './wait.js';

export const POSTGRES_URL = process.env.JOBS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.JOBS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MONGODB_URL = process.env.MONGODB_URL;

/** One job store the contract suite runs against: fresh backends on one shared, private namespace. */
export interface StoreUnderTest {
  label: string;
  /** Whether a save in one backend wakes an idle worker on another backend at once. */
  wakesWorkers: boolean;
  /** A new backend on the store (its own connection, unless the store is one shared app connection). */
  backend(): Promise<AgendaBackend>;
  /** Removes everything the run created. */
  cleanup(): Promise<void>;
}

function tempSqliteFile(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamsync-jobs-'));
  return { dir, file: path.join(dir, 'jobs.sqlite') };
}

/** The embedded default: every backend on the app's one Sequelize instance. */
export function sqliteAppConnectionStore(): StoreUnderTest {
  const { dir, file } = tempSqliteFile();
  const namespace = uniqueNamespace('jobs');
  let sequelize: Sequelize | undefined;
  return {
    label: 'SQLite (app Sequelize)',
    wakesWorkers: true,
    async backend() {
      sequelize ??= new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
      return createJobBackend({ sequelize, namespace });
    },
    async cleanup() {
      await sequelize?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `sqlite:<file>`: every backend opens its own connection to one file, as separate processes do. */
export function sqliteOwnConnectionsStore(): StoreUnderTest {
  const { dir, file } = tempSqliteFile();
  const namespace = uniqueNamespace('jobs');
  const opened: AgendaBackend[] = [];
  return {
    label: 'SQLite (own connections)',
    wakesWorkers: true,
    async backend() {
      const backend = createJobBackend({ url: `sqlite:${file}`, namespace });
      opened.push(backend);
      return backend;
    },
    async cleanup() {
      for (const backend of opened) await backend.disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresStore(): StoreUnderTest {
  const namespace = uniqueNamespace('jobs');
  return {
    label: 'PostgreSQL',
    wakesWorkers: true,
    backend: async () => createJobBackend({ url: POSTGRES_URL, namespace }),
    async cleanup() {
      const sequelize = new Sequelize(POSTGRES_URL, { logging: false });
      try {
        await sequelize.query(`DROP TABLE IF EXISTS "${namespace}" CASCADE`);
        await sequelize.query(`DROP TABLE IF EXISTS "${namespace}_logs" CASCADE`);
        await sequelize.query(`DROP FUNCTION IF EXISTS "update_${namespace}_updated_at"()`);
      } finally {
        await sequelize.close();
      }
    },
  };
}

export function redisStore(): StoreUnderTest {
  const namespace = uniqueNamespace('jobs');
  return {
    label: 'Redis',
    wakesWorkers: true,
    backend: async () => createJobBackend({ url: REDIS_URL, namespace }),
    cleanup: () => deleteRedisNamespace(REDIS_URL, namespace),
  };
}

/** MongoDB, woken through Redis pub/sub (MongoDB alone only polls). */
export function mongoStore(url: string): StoreUnderTest {
  const namespace = uniqueNamespace('jobs');
  return {
    label: 'MongoDB (+ Redis notifications)',
    wakesWorkers: true,
    backend: async () => createJobBackend({ url, redisUrl: REDIS_URL, namespace }),
    async cleanup() {
      const { MongoClient } = await import('mongodb');
      const client = await MongoClient.connect(url);
      try {
        await client.db().collection(namespace).drop().catch(() => undefined);
      } finally {
        await client.close();
      }
    },
  };
}
