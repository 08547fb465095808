/**
 * The whole service in one process: API (and, as they are configured, the worker and the bots),
 * with graceful shutdown on SIGTERM/SIGINT: stop accepting requests, let running jobs finish within
 * SHUTDOWN_GRACE_SECONDS (the rest are unlocked for another worker), close the database.
 */
import { createServer, type Server } from 'node:http';
import type { Config } from '../config/index.js';
import type Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { createApi } from './api/app.js';
import { openServices, type Opened } from './boot.js';
import { createJobSystem, type JobSystem } from './jobs/index.js';
import type { ThreadNotifier } from './services/process-file.js';

export interface ServerOptions {
  /** Posts processed files back to the chat thread they came from (the bots provide it). */
  notifier?: ThreadNotifier;
  /** Routers of other parts (bots, agent), given the shared OpenAPI registry. */
  extraRouters?: Array<(registry: OpenAPIRegistry) => Router>;
}

export interface Running {
  server: Server;
  services: Opened;
  jobs: JobSystem;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<Running> {
  const services = await openServices(config);
  // RUN_WORKER=false: this process only enqueues; `teamsync worker` processes run the jobs.
  const jobs = await createJobSystem(services, { worker: config.jobs.runWorker, notifier: options.notifier });
  await jobs.start();
  const app = createApi(services, { jobs: jobs.queue, extraRouters: options.extraRouters });
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  services.logger.info({ url, environment: config.environment, database: config.databaseUrl.split(':')[0] }, 'TeamSync API listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      services.logger.info('shutting down');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), config.jobs.shutdownGraceSeconds * 1000).unref();
      });
      await jobs.stop(config.jobs.shutdownGraceSeconds * 1000);
      await services.close();
      services.logger.info('stopped');
    })());
  return { server, services, jobs, url, stop };
}
