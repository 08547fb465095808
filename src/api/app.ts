/**
 * The Koa application: middleware in the order a request meets it, then the routers.
 * Later parts of the system (uploads, agent, jobs, bots) add routers through `extraRouters`.
 */
import Koa, { type Middleware } from 'koa';
import cors from '@koa/cors';
import helmet from 'koa-helmet';
import { koaBody, HttpMethodEnum } from 'koa-body';
import type Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ServiceContext } from '../services/context.js';
import { operatorOnlyDelivery, type ResetTokenDelivery } from '../services/password-reset.js';
import { createRegistry } from './openapi.js';
import { requestContext } from './middleware/request-context.js';
import { errorResponses } from './middleware/errors.js';
import { createAuthRateLimiter } from './middleware/rate-limit.js';
import { authRoutes } from './routes/auth.js';
import { adminRoutes } from './routes/admin.js';
import { healthRoutes } from './routes/health.js';
import { docsRoutes } from './routes/docs.js';
import { fileRoutes } from './routes/files.js';
import { jobRoutes } from './routes/jobs.js';
import { adminJobRoutes } from './routes/admin-jobs.js';
import { todoRoutes } from './routes/todos.js';
import { calendarRoutes } from './routes/calendar.js';
import { chatRoutes } from './routes/chat.js';
import { linkRoutes } from './routes/link.js';
import { jobsDashboard, jobsDashboardTicketRoutes } from './routes/jobs-dashboard.js';
import type { Agenda } from 'agenda';
import type { JobQueue } from '../jobs/queue.js';

export interface ApiOptions {
  resetDelivery?: ResetTokenDelivery;
  /** Routers contributed by other parts, given the shared OpenAPI registry. */
  extraRouters?: Array<(registry: OpenAPIRegistry) => Router>;
  /** Middleware that must see the raw request, before the body parser (Slack's signed events). */
  earlyMiddleware?: Middleware[];
  readinessChecks?: Array<{ name: string; check: () => Promise<void> }>;
  /** The job queue: mounts uploads and files, /api/v1/jobs and the operators' /api/v1/admin/jobs. */
  jobs?: JobQueue;
  /** The job system's Agenda: mounts the administrators' job dashboard at /admin/jobs. */
  agenda?: Agenda;
  /** Trust X-Forwarded-For (behind a reverse proxy). */
  proxy?: boolean;
}

export function createApi(services: ServiceContext, options: ApiOptions = {}): Koa {
  const { config } = services;
  const app = new Koa({ proxy: options.proxy ?? config.environment === 'production' });
  const registry = createRegistry();

  app.use(requestContext(services.logger));
  app.use(errorResponses());
  for (const m of options.earlyMiddleware ?? []) app.use(m);
  app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));
  if (config.corsOrigins.length) {
    const allowed = new Set(config.corsOrigins);
    app.use(
      cors({
        origin: (ctx) => {
          const origin = ctx.get('origin');
          return allowed.has('*') ? '*' : allowed.has(origin) ? origin : '';
        },
        allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
        exposeHeaders: ['X-Request-Id', 'Retry-After'],
        maxAge: 600,
      }),
    );
  }
  app.use(
    koaBody({
      json: true,
      jsonStrict: true,
      jsonLimit: config.bodyLimitBytes,
      formLimit: config.bodyLimitBytes,
      textLimit: config.bodyLimitBytes,
      urlencoded: false,
      text: false,
      multipart: false,
      parsedMethods: [HttpMethodEnum.POST, HttpMethodEnum.PUT, HttpMethodEnum.PATCH, HttpMethodEnum.DELETE],
    }),
  );

  if (options.agenda) app.use(jobsDashboard(services, options.agenda));

  const limiter = createAuthRateLimiter(config.authRateLimit);
  const routers: Router[] = [
    healthRoutes(services.sequelize, options.readinessChecks),
    authRoutes(services, registry, limiter, options.resetDelivery ?? operatorOnlyDelivery(services)),
    adminRoutes(services, registry),
    linkRoutes(services, registry),
    todoRoutes(services, registry),
    calendarRoutes(services, registry),
    chatRoutes(services, registry),
    ...(options.jobs
      ? [fileRoutes(services, registry, options.jobs), jobRoutes(services, registry, options.jobs), adminJobRoutes(services, registry, options.jobs)]
      : []),
    ...(options.agenda ? [jobsDashboardTicketRoutes(services, registry)] : []),
    ...(options.extraRouters ?? []).map((make) => make(registry)),
    docsRoutes(registry, config.publicUrl),
  ];
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
