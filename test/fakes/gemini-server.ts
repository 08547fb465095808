/**
 * A local stand-in for the Gemini REST API (generativelanguage v1beta) on 127.0.0.1:0.
 * Records every request and serves scripted replies for `:generateContent` and
 * `:streamGenerateContent?alt=sse`: JSON answers, errors (429 with RetryInfo, 500), slow answers and
 * SSE streams that can be held open until the client goes away.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  model: string;
  action: 'generateContent' | 'streamGenerateContent' | 'other';
  headers: IncomingMessage['headers'];
  body: any;
  /** The prompt text: every text part of `contents`, joined. */
  prompt: string;
  /** True when the client closed the connection before the reply was complete. */
  abortedByClient: boolean;
  /** Settles when the exchange ends (reply written or client gone). */
  ended: Promise<void>;
}

export interface Reply {
  status?: number;
  /** JSON body for unary replies and errors. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Serve these objects as SSE `data:` events instead of a JSON body. */
  sse?: unknown[];
  /** Pause between SSE events. */
  sseIntervalMs?: number;
  /** After the SSE events, keep the stream open until the client disconnects. */
  holdOpen?: boolean;
}

export type Responder = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface FakeGemini {
  url: string;
  requests: RecordedRequest[];
  /** Highest number of requests in progress at the same moment. */
  maxInFlight: number;
  /** Replies served in order before `respond` is consulted. */
  queue: Reply[];
  respond: Responder;
  close(): Promise<void>;
}

/** A unary generateContent answer whose text is `text` (JSON-encoded when not a string). */
export function textReply(value: unknown, usage?: { prompt?: number; output?: number }): Reply {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return {
    body: {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
      ...(usage
        ? {
            usageMetadata: {
              promptTokenCount: usage.prompt ?? 0,
              candidatesTokenCount: usage.output ?? 0,
              totalTokenCount: (usage.prompt ?? 0) + (usage.output ?? 0),
            },
          }
        : {}),
      modelVersion: 'fake',
    },
  };
}

/** 429 RESOURCE_EXHAUSTED with a google.rpc.RetryInfo detail, as the real API sends it. */
export function rateLimitReply(retryDelay = '7s'): Reply {
  return {
    status: 429,
    body: {
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generate_content_requests' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
        ],
      },
    },
  };
}

export function serverErrorReply(status = 500): Reply {
  return {
    status,
    body: { error: { code: status, message: 'An internal error has occurred.', status: status === 503 ? 'UNAVAILABLE' : 'INTERNAL' } },
  };
}

/** A streamed answer: one SSE event per piece of text. */
export function streamReply(pieces: string[], opts: { intervalMs?: number; holdOpen?: boolean } = {}): Reply {
  return {
    sse: pieces.map((text, i) => ({
      candidates: [
        {
          content: { role: 'model', parts: [{ text }] },
          ...(i === pieces.length - 1 && !opts.holdOpen ? { finishReason: 'STOP' } : {}),
          index: 0,
        },
      ],
    })),
    sseIntervalMs: opts.intervalMs,
    holdOpen: opts.holdOpen,
  };
}

/** The message ids (`[id]` at line starts) a prompt shows. */
export function promptMessageIds(prompt: string): string[] {
  return [...prompt.matchAll(/^\[([^\]]+)\]/gm)].map((m) => m[1]!);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeGemini(respond?: Responder): Promise<FakeGemini> {
  let inFlight = 0;
  const fake: FakeGemini = {
    url: '',
    requests: [],
    maxInFlight: 0,
    queue: [],
    respond: respond ?? (() => textReply({ todos: [], events: [] })),
    close: async () => {},
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const prompt = Array.isArray(body?.contents)
      ? body.contents.flatMap((c: any) => (c?.parts ?? []).map((p: any) => p?.text ?? '')).join('\n')
      : '';
    let endRequest!: () => void;
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      model: m?.[1] ?? '',
      action: (m?.[2] as RecordedRequest['action']) ?? 'other',
      headers: req.headers,
      body,
      prompt,
      abortedByClient: false,
      ended: new Promise<void>((r) => (endRequest = r)),
    };
    const index = fake.requests.push(record) - 1;
    inFlight += 1;
    fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
    res.on('close', () => {
      if (!res.writableFinished) record.abortedByClient = true;
      inFlight -= 1;
      endRequest();
    });

    if (!m || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 404, message: 'not found', status: 'NOT_FOUND' } }));
      return;
    }
    const reply = fake.queue.shift() ?? (await fake.respond(record, index));
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    if (reply.sse && (reply.status ?? 200) === 200) {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...reply.headers });
      for (const event of reply.sse) {
        if (res.destroyed) return;
        res.write(`data: ${JSON.stringify(event)}\r\n\r\n`);
        if (reply.sseIntervalMs) await sleep(reply.sseIntervalMs);
      }
      if (!reply.holdOpen) res.end();
      return;
    }
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body ?? {}));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 500, message: String(err), status: 'INTERNAL' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
