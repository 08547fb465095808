/**
 * The whole service in one process: API (and, as they are configured, the worker and the bots),
 * with graceful shutdown on SIGTERM/SIGINT.
 */
import { createServer, type Server } from 'node:http';
import type { Config } from '../config/index.js';
import { createApi } from './api/app.js';
import { openServices, type Opened } from './boot.js';

export interface Running {
  server: Server;
  services: Opened;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<Running> {
  const services = await openServices(config);
  const app = createApi(services);
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
      await services.close();
      services.logger.info('stopped');
    })());
  return { server, services, url, stop };
}
