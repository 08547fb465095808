/**
 * Turns every failure into JSON {error:{code, message, details?}} with the right status.
 * Unexpected errors are logged with their stack and answered 500 without it.
 */
import type { Middleware } from 'koa';
import { AppError } from '../../services/errors.js';
import type { Logger } from '../../logger.js';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'rate_limited',
};

interface HttpishError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
  type?: string;
  code?: string;
  headers?: Record<string, string>;
}

export function errorResponses(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` } };
      }
    } catch (raw) {
      const err = raw as HttpishError & Error;
      if (err instanceof AppError) {
        ctx.status = err.status;
        if (err.headers) ctx.set(err.headers);
        ctx.body = { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
        return;
      }
      const status = err.status ?? err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        ctx.status = status;
        if (err.headers) ctx.set(err.headers);
        let message = err.expose !== false && err.message ? err.message : (CODES[status] ?? 'bad request').replace(/_/g, ' ');
        if (err.type === 'entity.parse.failed' || /JSON|Unexpected token|Invalid JSON/i.test(err.message ?? '')) {
          message = 'request body is not valid JSON';
        } else if (status === 413) {
          message = 'request body is too large';
        } else if (status === 401) {
          message = 'missing, invalid, expired or revoked token';
        }
        ctx.body = { error: { code: CODES[status] ?? 'bad_request', message } };
        return;
      }
      const log = (ctx.state.log as Logger | undefined) ?? undefined;
      log?.error({ err }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal_error', message: 'internal server error', request_id: ctx.state.requestId } };
    }
  };
}
