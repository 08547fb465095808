/**
 * Retrying Gemini calls: which failures are worth another try, how long to wait (the server's
 * RetryInfo / Retry-After first, else exponential backoff with jitter) and the loop itself.
 */
import { ApiError } from '@google/genai';

/** A failed Gemini call, with what is needed to decide on a retry. */
export class GeminiCallError extends Error {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly timedOut: boolean;
  constructor(message: string, opts: { status?: number; retryAfterMs?: number; timedOut?: boolean; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'GeminiCallError';
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.timedOut = opts.timedOut ?? false;
  }

  get retryable(): boolean {
    if (this.timedOut) return true;
    if (this.status === undefined) return true; // network failure or unreadable answer
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** "7s", "1.5s", "250ms" (protobuf Duration as JSON) -> milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(value);
    if (!m) return undefined;
    const n = Number(m[1]);
    return Math.round(m[2] === 'ms' ? n : n * 1000);
  }
  if (value && typeof value === 'object') {
    const d = value as { seconds?: unknown; nanos?: unknown };
    const seconds = Number(d.seconds ?? 0);
    const nanos = Number(d.nanos ?? 0);
    if (Number.isFinite(seconds) && Number.isFinite(nanos)) return Math.round(seconds * 1000 + nanos / 1e6);
  }
  return undefined;
}

/** Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfterHeader(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The SDK puts the JSON error body in ApiError.message; a 429 carries
 * `error.details[] = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}`.
 */
export function retryDelayFromErrorBody(body: string): number | undefined {
  const start = body.indexOf('{');
  if (start < 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.slice(start));
  } catch {
    return undefined;
  }
  const details = (parsed as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    if (d && typeof d === 'object' && String((d as Record<string, unknown>)['@type'] ?? '').endsWith('google.rpc.RetryInfo')) {
      const ms = parseDuration((d as Record<string, unknown>).retryDelay);
      if (ms !== undefined) return ms;
    }
  }
  return undefined;
}

/** Normalizes anything the SDK or fetch throws into a GeminiCallError. */
export function toGeminiCallError(err: unknown, ctx: { timedOut: boolean; retryAfterHeaderMs?: number }): GeminiCallError {
  if (err instanceof GeminiCallError) return err;
  if (ctx.timedOut) return new GeminiCallError('Gemini request timed out', { timedOut: true, cause: err });
  if (err instanceof ApiError) {
    const retryAfterMs = retryDelayFromErrorBody(err.message) ?? ctx.retryAfterHeaderMs;
    return new GeminiCallError(`Gemini answered ${err.status}: ${err.message.slice(0, 300)}`, {
      status: err.status,
      retryAfterMs,
      cause: err,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new GeminiCallError(`Gemini request failed: ${message}`, { cause: err });
}

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait before retry number `attempt` (0-based): the server's delay if it gave one, else backoff. */
export function retryDelayMs(err: GeminiCallError, attempt: number, policy: RetryPolicy): number {
  if (err.retryAfterMs !== undefined) return Math.min(err.retryAfterMs, policy.maxDelayMs);
  const backoff = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
  const random = policy.random ?? Math.random;
  return Math.round(backoff / 2 + (random() * backoff) / 2);
}

/**
 * Runs `call` until it succeeds, fails with a non-retryable error, or `maxRetries` retries are spent.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (raw) {
      const err = raw instanceof GeminiCallError ? raw : toGeminiCallError(raw, { timedOut: false });
      if (!err.retryable || attempt >= policy.maxRetries || signal?.aborted) throw err;
      await policy.sleep(retryDelayMs(err, attempt, policy));
      if (signal?.aborted) throw err;
    }
  }
}
