/**
 * The Agenda dashboard (agendash) at /admin/jobs, for administrators: every job in the store with
 * its state, search, retry, requeue, pause and delete. It uses only Agenda 6's store-neutral API
 * (queryJobs, getJobsOverview, cancel, disable/enable), so it works on every job store.
 *
 * Who may open it: an administrator, proven by
 * - the usual `Authorization: Bearer <access token>` (curl, scripts), or
 * - in a browser, which cannot send that header to a page: POST /api/v1/admin/jobs/dashboard with
 *   the bearer token returns a URL with a one-time ticket valid for 60 s; opening it sets an
 *   HttpOnly, SameSite=Strict cookie scoped to /admin/jobs and redirects to the dashboard.
 * Both are checked on every request against the session (logout or a disabled account ends them
 * at once) and the admin role. Tickets and cookies are signed with a key derived from SECRET_KEY
 * for this purpose only, so neither works as an API access token. Anonymous: 401; not an
 * administrator: 403 (JSON like every API error).
 */
import { createHmac, randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Agenda } from 'agenda';
import type { Context, Middleware, Next } from 'koa';
import jwt from 'jsonwebtoken';
import type { User } from '../../models/index.js';
import { assertAdmin, resolveSession } from '../../services/auth.js';
import type { ServiceContext } from '../../services/context.js';
import { forbidden, unauthorized } from '../../services/errors.js';
import { JWT_ALGORITHM, JWT_ISSUER } from '../../services/tokens.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import { z } from '../openapi.js';
import { defineRoute } from '../route.js';
import { requireAdmin } from './admin.js';

export const DASHBOARD_PATH = '/admin/jobs';
export const DASHBOARD_COOKIE = 'teamsync_jobs_dashboard';
const TICKET_SECONDS = 60;
const TICKET_AUDIENCE = 'teamsync-jobs-dashboard-ticket';
const COOKIE_AUDIENCE = 'teamsync-jobs-dashboard';

const DashboardTicketOut = z
  .object({
    url: z.string().describe('Open in a browser within expires_in seconds; works once'),
    expires_in: z.number().int(),
  })
  .openapi('JobsDashboardTicket');

/** The key dashboard tickets and cookies are signed with: not the access-token key. */
function dashboardKey(services: ServiceContext): string {
  return createHmac('sha256', services.config.secretKey).update('jobs-dashboard').digest('base64url');
}

function sign(services: ServiceContext, claims: { sub: string; sid: string }, audience: string, seconds: number): string {
  return jwt.sign({ sid: claims.sid }, dashboardKey(services), {
    algorithm: JWT_ALGORITHM,
    issuer: JWT_ISSUER,
    subject: claims.sub,
    audience,
    expiresIn: seconds,
    jwtid: randomUUID(),
  });
}

function verify(key: string, token: string, audience?: string): { sub?: string; sid?: string; jti?: string; exp?: number; aud?: unknown } | null {
  try {
    return jwt.verify(token, key, { algorithms: [JWT_ALGORITHM], issuer: JWT_ISSUER, ...(audience ? { audience } : {}) }) as {
      sub?: string;
      sid?: string;
      jti?: string;
      exp?: number;
    };
  } catch {
    return null;
  }
}

/** POST /api/v1/admin/jobs/dashboard: a one-time browser ticket for the dashboard. */
export function jobsDashboardTicketRoutes(services: ServiceContext, registry: OpenAPIRegistry): Router {
  const prefix = '/api/v1/admin/jobs';
  const router = new Router({ prefix });
  defineRoute(router, registry, prefix, {
    method: 'post', path: '/dashboard', summary: `A URL that opens the job dashboard (${DASHBOARD_PATH}) in a browser: one use, within ${TICKET_SECONDS} s`,
    tags: ['admin'], auth: true,
    responses: { 200: { description: 'Dashboard URL with its ticket', schema: DashboardTicketOut }, 403: { description: 'Not an administrator' } },
    middleware: [authenticate(services), requireAdmin],
  }, async (ctx) => {
    const { user, sessionId } = authOf(ctx.state);
    const ticket = sign(services, { sub: user.id, sid: sessionId }, TICKET_AUDIENCE, TICKET_SECONDS);
    ctx.body = { url: `${services.config.publicUrl}${DASHBOARD_PATH}/?ticket=${ticket}`, expires_in: TICKET_SECONDS };
  });
  return router;
}

/** The dashboard mounted at /admin/jobs behind the administrator check; other paths pass through. */
export function jobsDashboard(services: ServiceContext, agenda: Agenda): Middleware {
  const key = dashboardKey(services);
  let stack: Promise<Middleware[]> | undefined;
  /** Tickets already exchanged (until they expire): each works once. */
  const usedTickets = new Map<string, number>();

  async function adminFrom(token: string, viaCookie: boolean): Promise<User> {
    const claims = viaCookie ? verify(key, token, COOKIE_AUDIENCE) : verify(services.config.secretKey, token);
    if (!claims || (!viaCookie && claims.aud !== undefined)) throw unauthorized('the token is invalid or expired');
    const user = await resolveSession(services, claims);
    if (!user) throw unauthorized('the session has ended; sign in again');
    assertAdmin(user);
    return user;
  }

  /** Exchanges a ticket for the dashboard cookie and sends the browser on without it in the URL. */
  async function exchangeTicket(ctx: Context, ticket: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    for (const [jti, exp] of usedTickets) if (exp < now) usedTickets.delete(jti);
    const claims = verify(key, ticket, TICKET_AUDIENCE);
    if (!claims?.jti || usedTickets.has(claims.jti)) throw unauthorized('the dashboard link is invalid, used or expired; ask for a new one');
    usedTickets.set(claims.jti, claims.exp ?? now + TICKET_SECONDS);
    const user = await resolveSession(services, claims);
    if (!user) throw unauthorized('the session has ended; sign in again');
    assertAdmin(user);
    const minutes = services.config.accessTokenMinutes;
    ctx.cookies.set(DASHBOARD_COOKIE, sign(services, { sub: user.id, sid: claims.sid! }, COOKIE_AUDIENCE, minutes * 60), {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secure,
      path: DASHBOARD_PATH,
      maxAge: minutes * 60 * 1000,
      overwrite: true,
    });
    ctx.status = 303;
    ctx.redirect(`${DASHBOARD_PATH}/`);
  }

  return async (ctx: Context, next: Next) => {
    if (ctx.path !== DASHBOARD_PATH && !ctx.path.startsWith(`${DASHBOARD_PATH}/`)) return next();
    const ticket = typeof ctx.query.ticket === 'string' ? ctx.query.ticket : undefined;
    if (ticket && ctx.method === 'GET') return exchangeTicket(ctx, ticket);

    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    const cookie = bearer ? undefined : ctx.cookies.get(DASHBOARD_COOKIE);
    if (!bearer && !cookie) {
      throw unauthorized(`administrators only: send a bearer token, or POST /api/v1/admin/jobs/dashboard and open the URL it returns`);
    }
    await adminFrom((bearer ?? cookie)!, !bearer);
    // The cookie is SameSite=Strict; a changing request must also come from this origin.
    const origin = ctx.get('origin');
    const own = [`${ctx.protocol}://${ctx.host}`, new URL(services.config.publicUrl).origin];
    if (cookie && !['GET', 'HEAD'].includes(ctx.method) && origin && !own.includes(origin)) {
      throw forbidden('cross-origin request to the job dashboard');
    }

    // The page loads ./assets/... and calls ./api: it must be served below /admin/jobs/.
    if (ctx.path === DASHBOARD_PATH) {
      ctx.status = 301;
      ctx.redirect(`${DASHBOARD_PATH}/`);
      return;
    }
    stack ??= import('agendash').then((m) => m.createKoaMiddlewareAsync(agenda));
    const middlewares = await stack;
    const mountedAt = ctx.path;
    ctx.path = ctx.path.slice(DASHBOARD_PATH.length);
    try {
      await runAll(middlewares, ctx);
    } finally {
      ctx.path = mountedAt;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', `${ctx.response.get('Content-Security-Policy') || "default-src 'self'"}; frame-ancestors 'none'`);
  };
}

/** Runs the dashboard's middleware chain; nothing after it (an unknown path ends in a 404). */
function runAll(middlewares: Middleware[], ctx: Context, i = 0): Promise<void> {
  const mw = middlewares[i];
  if (!mw) return Promise.resolve();
  return Promise.resolve(mw(ctx as never, () => runAll(middlewares, ctx, i + 1)));
}
