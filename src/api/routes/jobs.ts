/** /api/v1/jobs: follow a background job of yours, and ask about a chat in the background. */
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { JobQueue } from '../../jobs/queue.js';
import type { ServiceContext } from '../../services/context.js';
import { notFound } from '../../services/errors.js';
import { getOwnFile } from '../../services/uploads.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import { z } from '../openapi.js';
import { defineRoute } from '../route.js';

const PREFIX = '/api/v1/jobs';

export const JobStateEnum = z.enum(['queued', 'scheduled', 'running', 'retrying', 'completed', 'failed', 'repeating', 'paused']);

export const JobOut = z
  .object({
    id: z.string(),
    name: z.string(),
    state: JobStateEnum,
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    progress: z.number().nullable(),
    result: z.unknown().openapi({ description: 'what the job produced, when it keeps a result (analyze-chat: the answer)' }),
    file_id: z.string().nullable(),
    next_run_at: z.string().nullable(),
    last_run_at: z.string().nullable(),
    last_finished_at: z.string().nullable(),
    failed_at: z.string().nullable(),
  })
  .openapi('Job');

const TaskIdParams = z.object({ task_id: z.string().min(1).max(128) });
const AnalyzeIn = z.object({
  file_id: z.string().uuid('must be a file id'),
  question: z.string().trim().min(1, 'ask a question').max(2000),
});
const JobAccepted = z.object({ task_id: z.string(), status: z.literal('queued') }).openapi('JobAccepted');

export function jobRoutes(services: ServiceContext, registry: OpenAPIRegistry, queue: JobQueue): Router {
  const router = new Router({ prefix: PREFIX });
  const requireAuth = authenticate(services);
  const tags = ['jobs'];

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/analyze-chat', summary: 'Answer a question about one of your files in the background', tags, auth: true, body: AnalyzeIn,
    responses: { 202: { description: 'Queued; follow it at /api/v1/jobs/{task_id}', schema: JobAccepted }, 404: { description: 'No such file of yours' } },
    middleware: [requireAuth],
  }, async (ctx, { body }) => {
    const userId = authOf(ctx.state).user.id;
    const file = await getOwnFile(services, userId, body.file_id);
    const taskId = await queue.enqueueAnalyzeChat({ fileId: file.id, userId, question: body.question });
    ctx.status = 202;
    ctx.body = { task_id: taskId, status: 'queued' };
  });

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/:task_id', summary: 'One of your jobs: state, attempts, last error, progress and result', tags, auth: true, params: TaskIdParams,
    responses: { 200: { description: 'The job', schema: JobOut }, 404: { description: 'No such job of yours' } }, middleware: [requireAuth],
  }, async (ctx, { params }) => {
    const job = await queue.getJob(params.task_id, authOf(ctx.state).user.id);
    if (!job) throw notFound('job');
    ctx.body = job;
  });

  return router;
}
