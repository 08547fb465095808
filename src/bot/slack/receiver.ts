/**
 * A Bolt receiver served by TeamSync's own HTTP server: Events API, slash commands and
 * interactivity all arrive at `POST /slack/events` on the API's port.
 *
 * Every request is verified first (Bolt's `verifySlackRequest`: HMAC-SHA256 of
 * `v0:{timestamp}:{raw body}` with the signing secret, constant-time comparison, timestamps more
 * than 5 minutes off refused) against the raw bytes, so the route must see the body before any
 * body parser does. Mount it one of three ways:
 *   - `koaMiddleware()` first in a Koa app (before koa-body),
 *   - `router()` (a @koa/router with the one route) likewise,
 *   - `requestListener(next)` around another listener: `createServer(receiver.requestListener(koa.callback()))`.
 */
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../logger.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface KoaSlackReceiverOptions {
  signingSecret: string;
  logger: Logger;
  path?: string;
  /** Largest request body read (Slack's payloads are small). Default 1 MiB. */
  bodyLimitBytes?: number;
  /** How long to hold the HTTP response for a listener's ack. Default 2.8 s (Slack waits 3 s). */
  ackTimeoutMs?: number;
  /** Clock for the signature's timestamp window (tests). */
  now?: () => number;
}

class BodyTooLarge extends Error {}

async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const text = (status: number, body = ''): SlackHttpResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });
const json = (status: number, body: unknown): SlackHttpResponse => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });

export class KoaSlackReceiver implements Receiver {
  private app?: App;
  private readonly path: string;
  private readonly limit: number;
  private readonly ackTimeoutMs: number;
  private readonly log: Logger;

  constructor(private readonly options: KoaSlackReceiverOptions) {
    this.path = options.path ?? SLACK_EVENTS_PATH;
    this.limit = options.bodyLimitBytes ?? 1024 * 1024;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 2800;
    this.log = options.logger;
  }

  init(app: App): void {
    this.app = app;
  }

  /** Nothing to listen on: the API's server carries the route. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Verifies, parses and dispatches one request; resolves with the HTTP answer once the listener acks. */
  async handle(raw: Buffer, headers: IncomingHttpHeaders): Promise<SlackHttpResponse> {
    const rawBody = raw.toString('utf8');
    const signature = header(headers, 'x-slack-signature');
    const timestamp = Number(header(headers, 'x-slack-request-timestamp'));
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: rawBody,
        headers: { 'x-slack-signature': signature ?? '', 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: this.options.now?.(),
      });
    } catch (err) {
      this.log.warn({ reason: (err as Error).message }, 'refused a Slack request that failed signature verification');
      return text(401);
    }

    let body: Record<string, unknown>;
    try {
      body = this.parseBody(rawBody, header(headers, 'content-type') ?? '');
    } catch {
      return text(400, 'unreadable body');
    }
    if (body.ssl_check !== undefined && body.ssl_check !== null) return text(200);
    if (body.type === 'url_verification') return json(200, { challenge: body.challenge });
    if (!this.app) return text(503, 'not ready');

    let settle!: (r: SlackHttpResponse) => void;
    const answered = new Promise<SlackHttpResponse>((resolve) => (settle = resolve));
    let acked = false;
    const event: ReceiverEvent = {
      body,
      retryNum: header(headers, 'x-slack-retry-num') !== undefined ? Number(header(headers, 'x-slack-retry-num')) : undefined,
      retryReason: header(headers, 'x-slack-retry-reason'),
      customProperties: {},
      ack: async (response?: unknown) => {
        if (acked) {
          this.log.warn('a Slack request was acknowledged twice; the second ack is ignored');
          return;
        }
        acked = true;
        if (response === undefined || response === null || response === '') settle(text(200));
        else if (typeof response === 'string') settle(text(200, response));
        else settle(json(200, response));
      },
    };
    const timer = setTimeout(() => {
      if (acked) return;
      acked = true;
      // Answer anyway: a late 200 keeps Slack from retrying an event that is still being handled.
      this.log.warn({ type: body.type ?? body.command }, 'no ack within the time Slack waits; answered 200 without a body');
      settle(text(200));
    }, this.ackTimeoutMs);
    timer.unref();
    this.app.processEvent(event).then(
      () => {
        if (!acked) {
          acked = true;
          settle(text(200));
        }
      },
      (err: unknown) => {
        this.log.error({ err }, 'a Slack listener failed');
        if (!acked) {
          acked = true;
          settle(text(500));
        }
      },
    );
    const response = await answered;
    clearTimeout(timer);
    return response;
  }

  private parseBody(rawBody: string, contentType: string): Record<string, unknown> {
    if (contentType.includes('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(rawBody);
      const payload = form.get('payload');
      if (payload !== null) return JSON.parse(payload) as Record<string, unknown>;
      return Object.fromEntries(form.entries());
    }
    return JSON.parse(rawBody) as Record<string, unknown>;
  }

  private async respondTo(req: IncomingMessage): Promise<SlackHttpResponse> {
    let raw: Buffer;
    try {
      raw = await readRaw(req, this.limit);
    } catch (err) {
      if (err instanceof BodyTooLarge) return text(413, 'request body too large');
      throw err;
    }
    return this.handle(raw, req.headers);
  }

  private matches(method: string | undefined, url: string | undefined): boolean {
    return method === 'POST' && (url ?? '').split('?')[0] === this.path;
  }

  /** Koa middleware answering `POST /slack/events`; put it before any body parser. */
  koaMiddleware(): Middleware {
    return async (ctx, next) => {
      if (!this.matches(ctx.method, ctx.url)) return next();
      const r = await this.respondTo(ctx.req);
      ctx.status = r.status;
      ctx.set(r.headers);
      ctx.body = r.body;
    };
  }

  /** The same as a router with one route (mount it before any body parser). */
  router(): Router {
    const router = new Router();
    const handle = this.koaMiddleware();
    router.post(this.path, (ctx, next) => handle(ctx, next));
    return router;
  }

  /** A request listener that answers the Slack route and hands every other request to `next`. */
  requestListener(next: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      if (!this.matches(req.method, req.url)) return void next(req, res);
      this.respondTo(req).then(
        (r) => {
          res.writeHead(r.status, r.headers);
          res.end(r.body);
        },
        (err: unknown) => {
          this.log.error({ err }, 'Slack request failed');
          if (!res.headersSent) res.writeHead(500);
          res.end();
        },
      );
    };
  }
}
