/**
 * The `pg` module Sequelize's PostgreSQL dialect uses, with one change: every client has an
 * `error` listener from the moment it exists.
 *
 * Sequelize attaches its own listener only after `connect()` has resolved, one microtask after
 * pg reports the connection ready. When the server ends a connection right after accepting it
 * (a restart, `pg_terminate_backend`), the FATAL message can arrive in the same socket read as
 * ReadyForQuery: pg then emits `error` before Sequelize listens, and an `error` event without a
 * listener ends the process. With this listener the error instead fails the connection's next
 * query, which the caller sees and retries like any lost connection.
 */
import pg from 'pg';
import type { Logger } from '../logger.js';

export function guardedPg(logger?: Logger): typeof pg {
  class GuardedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', (err) => logger?.warn({ err }, 'database connection lost'));
    }
  }
  return Object.assign(Object.create(pg) as typeof pg, { Client: GuardedClient });
}
