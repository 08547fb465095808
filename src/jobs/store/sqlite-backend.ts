import type { AgendaBackend, JobRepository, NotificationChannel, SortDirection } from 'agenda';
import type { Sequelize } from 'sequelize';
import { SqliteStatements } from './sqlite-connection.js';
import { SqliteJobRepository } from './sqlite-repository.js';
import { ProcessNotificationChannel } from './process-notification-channel.js';

interface SqliteBackendCommonOptions {
  /** Jobs table (default `agenda_jobs`). */
  tableName?: string;
  /** Create the table and indexes on connect (default true). */
  ensureSchema?: boolean;
  /**
   * Whether `agenda.stop()` closes the connection. Defaults to false for a `sequelize` passed in
   * (the app keeps using it) and true for a connection created from `url`.
   */
  ownsConnection?: boolean;
  /**
   * Wake-up channel. Defaults to one shared by every SQLite backend on the same file and table in
   * this process; pass another channel (e.g. Redis) to wake workers in other processes too, or
   * `false` to rely on polling alone.
   */
  notificationChannel?: NotificationChannel | false;
  /** Order in which due jobs are locked (default: earliest nextRunAt first, then highest priority). */
  sort?: { nextRunAt?: SortDirection; priority?: SortDirection };
}

export type SqliteBackendOptions = SqliteBackendCommonOptions &
  ({ sequelize: Sequelize; url?: undefined } | { url: string; sequelize?: undefined });

/**
 * An Agenda backend on an SQLite file, for single-host deployments without a job server.
 *
 * Several processes may share the file (an API and a worker): SQLite runs in WAL mode with a busy
 * timeout, and each lock is taken by one atomic statement, so no two workers lock the same job.
 * Immediate wake-up after `now()`/`schedule()` works between backends of one process; workers in
 * other processes pick new jobs up at their next poll (`processEvery`) unless a cross-process
 * channel is passed in.
 */
export class SqliteBackend implements AgendaBackend {
  readonly name = 'SQLite';
  readonly repository: JobRepository;
  readonly notificationChannel: NotificationChannel | undefined;
  readonly ownsConnection: boolean;
  private readonly statements: SqliteStatements;

  constructor(options: SqliteBackendOptions) {
    if (options.sequelize) {
      this.statements = new SqliteStatements(options.sequelize);
      this.ownsConnection = options.ownsConnection ?? false;
    } else if (options.url) {
      this.statements = SqliteStatements.fromUrl(options.url);
      this.ownsConnection = options.ownsConnection ?? true;
    } else {
      throw new Error('SqliteBackend needs a sequelize instance or an sqlite: url');
    }
    const tableName = options.tableName ?? 'agenda_jobs';
    this.repository = new SqliteJobRepository({
      statements: this.statements,
      tableName,
      ensureSchema: options.ensureSchema,
      sort: options.sort,
    });
    this.notificationChannel =
      options.notificationChannel === false
        ? undefined
        : (options.notificationChannel ??
          new ProcessNotificationChannel(`sqlite:${this.statements.databaseKey}#${tableName}`, {
            channelName: tableName,
          }));
  }

  async connect(): Promise<void> {
    await this.repository.connect();
  }

  /** Closes the connection when the backend owns it; a shared one stays open for the app. */
  async disconnect(): Promise<void> {
    if (this.ownsConnection) await this.statements.close();
  }
}
