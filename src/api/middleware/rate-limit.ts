/**
 * Rate limits for the endpoints people try to brute-force (login, register, reset): a budget per
 * client IP and per account name. Over budget: 429 with Retry-After.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Context, Middleware } from 'koa';
import { tooManyRequests } from '../../services/errors.js';

export interface AuthRateLimits {
  perIp: number;
  perAccount: number;
  windowSeconds: number;
}

export function createAuthRateLimiter(limits: AuthRateLimits) {
  const byIp = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.perIp, duration: limits.windowSeconds });
  const byAccount = new RateLimiterMemory({ keyPrefix: 'acct', points: limits.perAccount, duration: limits.windowSeconds });

  async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw tooManyRequests(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      throw res;
    }
  }

  /** Middleware: counts every request from an IP to the route. */
  const perIp = (action: string): Middleware => async (ctx, next) => {
    await consume(byIp, `${action}:${ctx.ip}`);
    await next();
  };
  /** Counts an attempt against an account name (called after the body is validated). */
  const perAccount = (action: string, account: string) => consume(byAccount, `${action}:${account.trim().toLowerCase()}`);
  return { perIp, perAccount };
}

export type AuthRateLimiter = ReturnType<typeof createAuthRateLimiter>;
export type { Context };
