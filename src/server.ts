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
import { slackBotFromConfig } from './bot/slack/index.js';
import { discordBotFromConfig } from './bot/discord/index.js';
import { combineNotifiers } from './bot/thread-notifiers.js';

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
  // The bots are built first: the job system posts results through their notifiers, and the bots
  // queue uploads on the job system (given as a function, resolved on first use).
  let jobs: JobSystem | undefined;
  const queue = () => {
    if (!jobs) throw new Error('job system not started');
    return jobs.queue;
  };
  const slack = slackBotFromConfig(services, { queue });
  const discord = discordBotFromConfig(services, {
    queue: {
      enqueueFileProcessing: (file) => queue().enqueueFileProcessing(file),
      enqueueHistoryImport: (request) => queue().enqueueHistoryImport(request),
      recentHistoryImports: (query) => queue().recentHistoryImports(query),
    },
  });
  // RUN_WORKER=false: this process only enqueues; `teamsync worker` processes run the jobs.
  jobs = await createJobSystem(services, {
    worker: config.jobs.runWorker,
    notifier: options.notifier ?? combineNotifiers([slack?.notifier, discord?.notifier]),
    // `/teamsync import N` runs as a job: the bots' readers read the channel (Web API / REST only).
    historyReaders: [slack?.historyReader, discord?.historyReader],
  });
  await jobs.start();
  const app = createApi(services, {
    jobs: jobs.queue,
    agenda: jobs.agenda,
    extraRouters: options.extraRouters,
    earlyMiddleware: slack?.receiver ? [slack.receiver.koaMiddleware()] : [],
  });
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
  await slack?.start();
  await discord?.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      services.logger.info('shutting down');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), config.jobs.shutdownGraceSeconds * 1000).unref();
      });
      await Promise.all([slack?.stop(), discord?.stop()]);
      await jobs!.stop(config.jobs.shutdownGraceSeconds * 1000);
      await services.close();
      services.logger.info('stopped');
    })());
  return { server, services, jobs, url, stop };
}
