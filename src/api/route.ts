/**
 * `defineRoute` registers a handler on the router and its request/response schemas in the
 * OpenAPI registry, and validates params, query and JSON body before the handler runs.
 */
import type Router from '@koa/router';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Context, Middleware } from 'koa';
import type { ZodType, z } from 'zod';
import { AppError, validationFailed } from '../services/errors.js';
import { ErrorBody } from './openapi.js';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteSpec<P extends ZodType, Q extends ZodType, B extends ZodType> {
  method: Method;
  path: string; // koa style: /users/:id
  summary: string;
  tags: string[];
  auth: boolean;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  middleware?: Middleware[];
}

export interface Validated<P extends ZodType, Q extends ZodType, B extends ZodType> {
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
}

function zodIssues(error: z.ZodError, where: string) {
  return error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].filter((p) => p !== 'body').join('.') || where,
    message: i.message,
  }));
}

function parseOrThrow<T extends ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return value as z.infer<T>;
  const r = schema.safeParse(value);
  if (!r.success) {
    const details = zodIssues(r.error, where);
    const first = details[0]!;
    throw validationFailed(`${first.field}: ${first.message}`, details);
  }
  return r.data as z.infer<T>;
}

export function defineRoute<P extends ZodType, Q extends ZodType, B extends ZodType>(
  router: Router,
  registry: OpenAPIRegistry,
  prefix: string,
  spec: RouteSpec<P, Q, B>,
  handler: (ctx: Context, input: Validated<P, Q, B>) => Promise<void>,
): void {
  const openApiPath = (prefix + spec.path).replace(/:(\w+)/g, '{$1}');
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[Number(status)] = r.schema
      ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema } } }
      : { description: r.description };
  }
  const errors: Array<[number, string]> = [[422, 'Invalid input']];
  if (spec.auth) errors.push([401, 'Missing, invalid, expired or revoked token']);
  for (const [status, description] of errors) {
    responses[status] ??= { description, content: { 'application/json': { schema: ErrorBody } } };
  }
  registry.registerPath({
    method: spec.method,
    path: openApiPath,
    summary: spec.summary,
    tags: spec.tags,
    security: spec.auth ? [{ bearer: [] }] : undefined,
    request: {
      params: spec.params as never,
      query: spec.query as never,
      body: spec.body ? { content: { 'application/json': { schema: spec.body } }, required: true } : undefined,
    },
    responses,
  });

  const run: Middleware = async (ctx) => {
    if (spec.body) {
      const length = Number(ctx.get('content-length') || 0);
      if ((length > 0 || ctx.get('transfer-encoding')) && !ctx.is('application/json')) {
        throw new AppError(415, 'unsupported_media_type', 'request body must be JSON (Content-Type: application/json)');
      }
    }
    const input = {
      params: parseOrThrow(spec.params, ctx.params ?? {}, 'path'),
      query: parseOrThrow(spec.query, ctx.query, 'query'),
      body: parseOrThrow(spec.body, (ctx.request as { body?: unknown }).body ?? {}, 'body'),
    };
    await handler(ctx, input);
  };
  router[spec.method](spec.path, ...(spec.middleware ?? []), run);
}
