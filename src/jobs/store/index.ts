/**
 * Job storage for Agenda 6, chosen by URL (config `jobs.url`, env JOBS_URL):
 *
 *   unset             SQLite jobs table on the app's own Sequelize connection (embedded; no server)
 *   sqlite:<path>     SQLite on a file of its own
 *   postgres://...    @agendajs/postgres-backend, woken by LISTEN/NOTIFY
 *   redis://...       @agendajs/redis-backend, woken by pub/sub
 *   mongodb://...     @agendajs/mongo-backend; woken by Redis pub/sub when `redisUrl` is set,
 *                     otherwise by polling only (`mongodbUrl` is used when `url` is unset)
 *
 * A process that only enqueues (an API without a worker) never calls `agenda.start()`, so Agenda
 * never connects the wake-up channel there and workers would wait for their next poll: call
 * `connectForEnqueueing(agenda, backend)` in such a process.
 *
 * Tests: `node --experimental-vm-modules node_modules/jest/bin/jest.js test/jobs/store` runs the
 * contract suite on SQLite, PostgreSQL (postgres://postgres@127.0.0.1:5432/test, or JOBS_TEST_POSTGRES_URL)
 * and Redis (redis://127.0.0.1:6379, or JOBS_TEST_REDIS_URL). MongoDB runs only when a server is named:
 *
 *   MONGODB_URL=mongodb://127.0.0.1:27017/test npm test -- test/jobs/store
 */
import type { AgendaBackend } from 'agenda';
import type { Sequelize } from 'sequelize';
import { MongoBackend } from '@agendajs/mongo-backend';
import { RedisBackend, RedisNotificationChannel } from '@agendajs/redis-backend';
import { PostgresJobBackend } from './postgres-backend.js';
import { SqliteBackend } from './sqlite-backend.js';
import { withNotificationChannel } from './with-notification-channel.js';

export { SqliteBackend, type SqliteBackendOptions } from './sqlite-backend.js';
export { SqliteJobRepository, type SqliteJobRepositoryOptions } from './sqlite-repository.js';
export { SqliteStatements, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-connection.js';
export { ProcessNotificationChannel } from './process-notification-channel.js';
export { PostgresJobBackend, type PostgresJobBackendOptions } from './postgres-backend.js';
export { withNotificationChannel } from './with-notification-channel.js';

export interface JobBackendOptions {
  /** Job store URL; unset means the embedded SQLite store on `sequelize`. */
  url?: string;
  /** The app's Sequelize instance, used when `url` is unset. */
  sequelize?: Sequelize;
  /** Redis for wake-up notifications where the store has none of its own (MongoDB, SQLite). */
  redisUrl?: string;
  /** MongoDB store, used when `url` is unset. */
  mongodbUrl?: string;
  /**
   * Keeps these jobs apart from others in the same database: the table (SQLite, PostgreSQL; the
   * log table is `<namespace>_logs`), the collection (MongoDB) or the key prefix (Redis).
   */
  namespace?: string;
}

export function createJobBackend(options: JobBackendOptions): AgendaBackend {
  const url = options.url ?? options.mongodbUrl;
  const ns = options.namespace;
  const redisChannel = (): RedisNotificationChannel | undefined =>
    options.redisUrl
      ? new RedisNotificationChannel({ connectionString: options.redisUrl, channelName: `${ns ?? 'agenda'}:jobs` })
      : undefined;

  if (!url) {
    if (!options.sequelize) throw new Error('createJobBackend: pass `sequelize` (embedded store) or a job store `url`');
    if (options.sequelize.getDialect() === 'postgres') {
      return new PostgresJobBackend(postgresOptions(postgresUrlOf(options.sequelize), ns));
    }
    return new SqliteBackend({ sequelize: options.sequelize, tableName: ns, notificationChannel: redisChannel() });
  }
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  switch (scheme) {
    case 'sqlite:':
      return new SqliteBackend({ url, tableName: ns, notificationChannel: redisChannel() });
    case 'postgres:':
    case 'postgresql:':
      return new PostgresJobBackend(postgresOptions(url, ns));
    case 'redis:':
    case 'rediss:':
      return new RedisBackend({
        connectionString: url,
        keyPrefix: ns ? `${ns}:` : undefined,
        channelName: ns ? `${ns}:jobs` : undefined,
      });
    case 'mongodb:':
    case 'mongodb+srv:': {
      const mongo = new MongoBackend({ address: url, collection: ns });
      const channel = redisChannel();
      return channel ? withNotificationChannel(mongo, channel) : mongo;
    }
    default:
      throw new Error(`createJobBackend: unsupported job store URL scheme "${scheme}" (use sqlite:, postgres://, redis:// or mongodb://)`);
  }
}

/**
 * Readies an Agenda that saves jobs but never runs them (no `start()`): Agenda connects the
 * wake-up channel only in `start()`, so without this, workers hear of new jobs at their next poll.
 * Waits for the storage connection Agenda opens in its constructor (PostgreSQL's channel listens
 * on that pool). The returned `close` disconnects the channel, and the storage when the backend
 * owns it (`agenda.stop()` does nothing for an Agenda that never started).
 */
export async function connectForEnqueueing(
  agenda: { readonly ready: Promise<void> },
  backend: AgendaBackend,
): Promise<{ close(): Promise<void> }> {
  await agenda.ready;
  await backend.notificationChannel?.connect();
  return {
    async close(): Promise<void> {
      await backend.notificationChannel?.disconnect();
      if (backend.ownsConnection ?? true) await backend.disconnect();
    },
  };
}

function postgresOptions(connectionString: string, namespace: string | undefined) {
  return {
    connectionString,
    tableName: namespace,
    logTableName: namespace ? `${namespace}_logs` : undefined,
  };
}

/** The connection URL of a postgres Sequelize instance, so jobs live in the app's database. */
function postgresUrlOf(sequelize: Sequelize): string {
  const { host, port, database, username, password } = sequelize.config;
  const auth = username ? `${encodeURIComponent(username)}${password ? `:${encodeURIComponent(password)}` : ''}@` : '';
  // A Unix socket directory (DATABASE_URL ...?host=/var/run/postgresql) goes in the query string.
  const socket = host?.startsWith('/') ? `?host=${encodeURIComponent(host)}` : '';
  return `postgres://${auth}${socket ? 'localhost' : (host ?? '127.0.0.1')}${port ? `:${port}` : ''}/${encodeURIComponent(database)}${socket}`;
}
