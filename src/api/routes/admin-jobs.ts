/**
 * /api/v1/admin/jobs: what the workers are doing (counts per job and state, running, scheduled and
 * failed jobs with their reasons), and retrying or cancelling one job. Administrators only.
 */
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { JobQueue } from '../../jobs/queue.js';
import type { ServiceContext } from '../../services/context.js';
import { authenticate } from '../middleware/authenticate.js';
import { z } from '../openapi.js';
import { defineRoute } from '../route.js';
import { requireAdmin } from './admin.js';
import { JobOut } from './jobs.js';

const PREFIX = '/api/v1/admin/jobs';

const Counts = z.object({
  running: z.number().int(), scheduled: z.number().int(), queued: z.number().int(), completed: z.number().int(),
  failed: z.number().int(), repeating: z.number().int(), paused: z.number().int(),
});
const FailedJob = z
  .object({
    id: z.string(), name: z.string(), file_id: z.string().nullable(), user_id: z.string().nullable(), reason: z.string().nullable(),
    fail_count: z.number().int(), failed_at: z.string().nullable(), retry_at: z.string().nullable(),
  })
  .openapi('FailedJob');
const JobsOverviewOut = z
  .object({
    counts: z.array(Counts.extend({ name: z.string(), total: z.number().int() })),
    totals: Counts,
    running: z.array(JobOut),
    scheduled: z.array(JobOut),
    failed: z.array(FailedJob),
    worker: z
      .object({ name: z.string(), running: z.number().int(), locked: z.number().int(), queued: z.number().int(), concurrency: z.number().int(), has_notification_channel: z.boolean() })
      .nullable(),
  })
  .openapi('JobsOverview');
const JobIdParams = z.object({ id: z.string().min(1).max(128) });

export function adminJobRoutes(services: ServiceContext, registry: OpenAPIRegistry, queue: JobQueue): Router {
  const router = new Router({ prefix: PREFIX });
  const guard = [authenticate(services), requireAdmin];
  const tags = ['admin'];
  const forbidden = { 403: { description: 'Not an administrator' } };

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/', summary: 'Jobs across all workers: counts per job and state, running, scheduled, failed with reasons', tags, auth: true,
    responses: { 200: { description: 'Overview', schema: JobsOverviewOut }, ...forbidden }, middleware: guard,
  }, async (ctx) => {
    ctx.body = await queue.overview();
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/:id/retry', summary: 'Run a failed or finished job again now', tags, auth: true, params: JobIdParams,
    responses: { 200: { description: 'The job, due now', schema: JobOut }, 404: { description: 'No such job' }, 409: { description: 'The job is running or repeats' }, ...forbidden },
    middleware: guard,
  }, async (ctx, { params }) => {
    ctx.body = await queue.retry(params.id);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/:id/cancel', summary: 'Remove a job that is not running (a file waiting for it is marked failed)', tags, auth: true, params: JobIdParams,
    responses: { 204: { description: 'Cancelled' }, 404: { description: 'No such job' }, 409: { description: 'The job is running' }, ...forbidden },
    middleware: guard,
  }, async (ctx, { params }) => {
    await queue.cancel(params.id);
    ctx.status = 204;
  });

  return router;
}
