/** /api/v1/auth: register, login, refresh, me, logout, password change and reset. */
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Context } from 'koa';
import type { ServiceContext } from '../../services/context.js';
import * as auth from '../../services/auth.js';
import { confirmPasswordReset, requestPasswordReset, type ResetTokenDelivery } from '../../services/password-reset.js';
import { publicUser } from '../../services/users.js';
import { dummyHash } from '../../services/passwords.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import type { AuthRateLimiter } from '../middleware/rate-limit.js';
import { defineRoute } from '../route.js';
import {
  Accepted,
  LoginIn,
  PasswordChangeIn,
  RefreshIn,
  RegisterIn,
  ResetConfirmIn,
  ResetRequestIn,
  TokenOut,
  UserOut,
} from '../schemas/auth.js';

const PREFIX = '/api/v1/auth';
const client = (ctx: Context) => ({ ip: ctx.ip, userAgent: ctx.get('user-agent') || null });

export function authRoutes(
  services: ServiceContext,
  registry: OpenAPIRegistry,
  limiter: AuthRateLimiter,
  resetDelivery: ResetTokenDelivery,
): Router {
  const router = new Router({ prefix: PREFIX });
  const requireAuth = authenticate(services);
  // Computed now rather than on the first login for an unknown name, which would then take twice as long.
  void dummyHash(services.config.bcryptRounds);
  const tags = ['auth'];

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/register', summary: 'Create an account and log in', tags, auth: false, body: RegisterIn,
    responses: { 201: { description: 'Account created', schema: TokenOut }, 409: { description: 'Username or email taken' }, 429: { description: 'Too many attempts' } },
    middleware: [limiter.perIp('register')],
  }, async (ctx, { body }) => {
    ctx.status = 201;
    ctx.body = await auth.register(services, body, client(ctx));
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/login', summary: 'Log in with username (or email) and password', tags, auth: false, body: LoginIn,
    responses: { 200: { description: 'Logged in', schema: TokenOut }, 401: { description: 'Wrong credentials' }, 429: { description: 'Too many attempts' } },
    middleware: [limiter.perIp('login')],
  }, async (ctx, { body }) => {
    await limiter.perAccount('login', body.username);
    ctx.body = await auth.login(services, body, client(ctx));
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/refresh', summary: 'Exchange a refresh token for new tokens (rotation)', tags, auth: false, body: RefreshIn,
    responses: { 200: { description: 'New tokens', schema: TokenOut }, 401: { description: 'Invalid, expired or reused refresh token' } },
    middleware: [limiter.perIp('refresh')],
  }, async (ctx, { body }) => {
    ctx.body = await auth.refresh(services, body.refresh_token, client(ctx));
  });

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/me', summary: 'The logged-in account', tags, auth: true,
    responses: { 200: { description: 'The account', schema: UserOut } },
    middleware: [requireAuth],
  }, async (ctx) => {
    ctx.body = publicUser(authOf(ctx.state).user);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/logout', summary: 'End this session; its access and refresh tokens stop working', tags, auth: true,
    responses: { 204: { description: 'Logged out' } },
    middleware: [requireAuth],
  }, async (ctx) => {
    const a = authOf(ctx.state);
    await auth.logout(services, { userId: a.user.id, sessionId: a.sessionId }, client(ctx));
    ctx.status = 204;
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/password', summary: 'Change password (other sessions end)', tags, auth: true, body: PasswordChangeIn,
    responses: { 204: { description: 'Changed' } },
    middleware: [requireAuth, limiter.perIp('password')],
  }, async (ctx, { body }) => {
    const a = authOf(ctx.state);
    await auth.changePassword(services, { userId: a.user.id, sessionId: a.sessionId }, body, client(ctx));
    ctx.status = 204;
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/password-reset/request', summary: 'Ask for a password reset token (never reveals whether the account exists)', tags, auth: false, body: ResetRequestIn,
    responses: { 202: { description: 'Accepted', schema: Accepted }, 429: { description: 'Too many attempts' } },
    middleware: [limiter.perIp('reset')],
  }, async (ctx, { body }) => {
    await limiter.perAccount('reset', body.email);
    await requestPasswordReset(services, resetDelivery, body.email, client(ctx));
    ctx.status = 202;
    ctx.body = { status: 'accepted', message: 'If an account matches, a reset token has been sent to it.' };
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/password-reset/confirm', summary: 'Set a new password with a reset token (all sessions end)', tags, auth: false, body: ResetConfirmIn,
    responses: { 204: { description: 'Password set' } },
    middleware: [limiter.perIp('reset-confirm')],
  }, async (ctx, { body }) => {
    await confirmPasswordReset(services, body, client(ctx));
    ctx.status = 204;
  });

  return router;
}
