/**
 * Bearer authentication: koa-jwt checks the signature (HS256 only, so `alg: none` and tokens
 * signed with another key fail), expiry and issuer; then the session must still be open and the
 * account enabled, so logout and disabling take effect at once.
 */
import jwt from 'koa-jwt';
import type { Middleware } from 'koa';
import type { ServiceContext } from '../../services/context.js';
import { resolveSession } from '../../services/auth.js';
import { JWT_ALGORITHM, JWT_ISSUER } from '../../services/tokens.js';
import type { User } from '../../models/index.js';

export interface AuthState {
  user: User;
  sessionId: string;
}

export function authenticate(ctx: ServiceContext): Middleware {
  return jwt({
    secret: ctx.config.secretKey,
    algorithms: [JWT_ALGORITHM],
    issuer: JWT_ISSUER,
    key: 'jwt',
    getToken: (koaCtx) => {
      const header = koaCtx.get('authorization');
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      return m ? m[1]! : null;
    },
    isRevoked: async (koaCtx, decoded) => {
      const claims = decoded as { sub?: string; sid?: string };
      const user = await resolveSession(ctx, claims);
      if (!user) return true;
      koaCtx.state.auth = { user, sessionId: claims.sid! } satisfies AuthState;
      return false;
    },
  }) as unknown as Middleware;
}

export function authOf(state: Record<string, unknown>): AuthState {
  return state.auth as AuthState;
}
