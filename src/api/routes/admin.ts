/** /api/v1/admin: accounts and the audit log, for administrators only. */
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Context, Middleware } from 'koa';
import type { ServiceContext } from '../../services/context.js';
import { assertAdmin } from '../../services/auth.js';
import { listAudit } from '../../services/audit.js';
import { deleteUser, listUsers, setUserDisabled, setUserRole, type Actor } from '../../services/admin-users.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import { defineRoute } from '../route.js';
import { AuditList, AuditQuery, UserIdParams, UserList, UserListQuery, UserOut, UserPatchIn } from '../schemas/auth.js';

const PREFIX = '/api/v1/admin';

export const requireAdmin: Middleware = async (ctx, next) => {
  assertAdmin(authOf(ctx.state).user);
  await next();
};

const actor = (ctx: Context): Actor => {
  const u = authOf(ctx.state).user;
  return { id: u.id, username: u.username, ip: ctx.ip };
};

export function adminRoutes(services: ServiceContext, registry: OpenAPIRegistry): Router {
  const router = new Router({ prefix: PREFIX });
  const guard = [authenticate(services), requireAdmin];
  const tags = ['admin'];
  const forbidden = { 403: { description: 'Not an administrator' } };

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/users', summary: 'List and search accounts', tags, auth: true, query: UserListQuery,
    responses: { 200: { description: 'Accounts', schema: UserList }, ...forbidden }, middleware: guard,
  }, async (ctx, { query }) => {
    ctx.body = await listUsers(services, query);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'patch', path: '/users/:id', summary: 'Change an account\'s role or disabled flag', tags, auth: true, params: UserIdParams, body: UserPatchIn,
    responses: { 200: { description: 'Updated account', schema: UserOut }, 404: { description: 'No such account' }, ...forbidden }, middleware: guard,
  }, async (ctx, { params, body }) => {
    let out = undefined;
    if (body.role !== undefined) out = await setUserRole(services, actor(ctx), params.id, body.role);
    if (body.disabled !== undefined) out = await setUserDisabled(services, actor(ctx), params.id, body.disabled);
    ctx.body = out;
  });

  for (const [path, disabled] of [['/users/:id/disable', true], ['/users/:id/enable', false]] as const) {
    defineRoute(router, registry, PREFIX, {
      method: 'post', path, summary: disabled ? 'Disable an account (its sessions end)' : 'Enable an account', tags, auth: true, params: UserIdParams,
      responses: { 200: { description: 'Updated account', schema: UserOut }, 404: { description: 'No such account' }, ...forbidden }, middleware: guard,
    }, async (ctx, { params }) => {
      ctx.body = await setUserDisabled(services, actor(ctx), params.id, disabled);
    });
  }

  defineRoute(router, registry, PREFIX, {
    method: 'delete', path: '/users/:id', summary: 'Delete an account and everything it owns', tags, auth: true, params: UserIdParams,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such account' }, ...forbidden }, middleware: guard,
  }, async (ctx, { params }) => {
    await deleteUser(services, actor(ctx), params.id);
    ctx.status = 204;
  });

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/audit', summary: 'The audit log, newest first', tags, auth: true, query: AuditQuery,
    responses: { 200: { description: 'Audit entries', schema: AuditList }, ...forbidden }, middleware: guard,
  }, async (ctx, { query }) => {
    ctx.body = await listAudit(services, { action: query.action, actorId: query.actor_id, limit: query.limit, beforeId: query.cursor });
  });

  return router;
}
