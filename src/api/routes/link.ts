/**
 * /api/v1/auth/link and /api/v1/auth/link-code: connect a Slack or Discord identity to the logged-in
 * account, with a one-time code either way round (see src/services/linking.ts).
 * Mounted by createApi.
 */
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ServiceContext } from '../../services/context.js';
import { issueCodeForAccount, redeemCodeForAccount } from '../../services/linking.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import { z } from '../openapi.js';
import { defineRoute } from '../route.js';

const PREFIX = '/api/v1/auth';

const LinkIn = z.object({ code: z.string().trim().min(1, 'is required').max(64) }).strict().openapi('LinkRequest');
const LinkOut = z
  .object({
    user_id: z.string().uuid(),
    identity: z.object({ platform: z.string(), workspace_id: z.string(), platform_user_id: z.string(), display_name: z.string().nullable() }),
    merged: z.object({ files: z.number().int(), todos: z.number().int(), events: z.number().int() }),
    changed: z.boolean(),
  })
  .openapi('LinkResult');
const LinkCodeOut = z.object({ code: z.string(), expires_at: z.string() }).openapi('LinkCode');

export function linkRoutes(services: ServiceContext, registry: OpenAPIRegistry): Router {
  const router = new Router({ prefix: PREFIX });
  const requireAuth = authenticate(services);
  const tags = ['auth'];

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/link', summary: 'Link the chat identity that was shown this code (`/teamsync link`) to your account; its data moves over', tags, auth: true, body: LinkIn,
    responses: { 200: { description: 'Linked', schema: LinkOut }, 400: { description: 'Unknown, used or expired code' }, 409: { description: 'The identity belongs to another account' } },
    middleware: [requireAuth],
  }, async (ctx, { body }) => {
    ctx.body = await redeemCodeForAccount(services, authOf(ctx.state).user.id, body.code);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/link-code', summary: 'A one-time code to type to the bot (`/teamsync link CODE`) to link that chat identity to your account', tags, auth: true,
    responses: { 201: { description: 'Code issued', schema: LinkCodeOut } },
    middleware: [requireAuth],
  }, async (ctx) => {
    ctx.status = 201;
    ctx.body = await issueCodeForAccount(services, authOf(ctx.state).user.id);
  });

  return router;
}
