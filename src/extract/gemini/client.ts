/**
 * The Gemini client: Google's @google/genai SDK pointed at the configured base URL, plus one
 * structured-JSON call with a per-attempt timeout that reports token usage and typed failures.
 */
import { GoogleGenAI, type Schema } from '@google/genai';
import { estimateTokens } from './windows.js';
import { GeminiCallError, parseRetryAfterHeader, toGeminiCallError } from './retry.js';

export interface GeminiClientOptions {
  apiKey: string;
  baseUrl?: string;
}

/**
 * The SDK is given the runtime's fetch explicitly. Without it, on Node, it routes requests through
 * undici's global dispatcher looked up on `globalThis`, which does not exist inside VM contexts (Jest
 * runs tests in one) and fails every request with "fetch failed". Timeouts are ours (abort signals).
 */
const runtimeFetch: typeof fetch = (input, init) => fetch(input, init);

export function createGeminiClient(options: GeminiClientOptions): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: options.apiKey,
    httpOptions: { fetch: runtimeFetch, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
  });
}

export interface TokenUsage {
  promptTokens: number;
  outputTokens: number;
  /** True when the server reported no usage and the figures are estimates (chars / 4). */
  estimated: boolean;
}

export interface JsonCallRequest {
  model: string;
  systemInstruction: string;
  prompt: string;
  responseSchema: Schema;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface JsonCallResult {
  value: unknown;
  usage: TokenUsage;
}

/**
 * A fetch that remembers the Retry-After header of a failed answer: the SDK turns failures into an
 * ApiError that keeps only the body, and a 429 may carry its delay in the header alone.
 */
function fetchRememberingRetryAfter(sink: { retryAfterMs?: number }): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.ok) sink.retryAfterMs = parseRetryAfterHeader(response.headers.get('retry-after'));
    return response;
  };
}

/** One generateContent call asking for JSON; throws GeminiCallError. */
export async function generateJson(ai: GoogleGenAI, request: JsonCallRequest): Promise<JsonCallResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const retryInfo: { retryAfterMs?: number } = {};
  try {
    const response = await ai.models.generateContent({
      model: request.model,
      contents: [{ role: 'user', parts: [{ text: request.prompt }] }],
      config: {
        systemInstruction: request.systemInstruction,
        responseMimeType: 'application/json',
        responseSchema: request.responseSchema,
        temperature: 0,
        automaticContinuation: false,
        abortSignal: controller.signal,
        httpOptions: { fetch: fetchRememberingRetryAfter(retryInfo) },
      },
    });
    const text = response.text ?? '';
    const meta = response.usageMetadata;
    const usage: TokenUsage =
      meta?.promptTokenCount !== undefined
        ? {
            promptTokens: meta.promptTokenCount,
            outputTokens: (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0),
            estimated: false,
          }
        : {
            promptTokens: estimateTokens(request.systemInstruction) + estimateTokens(request.prompt),
            outputTokens: estimateTokens(text),
            estimated: true,
          };
    if (text.trim() === '') {
      const reason = response.candidates?.[0]?.finishReason ?? response.promptFeedback?.blockReason ?? 'empty answer';
      throw new GeminiCallError(`Gemini returned no text (${reason})`, {});
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new GeminiCallError('Gemini returned invalid JSON', { cause: err });
    }
    return { value, usage };
  } catch (err) {
    throw toGeminiCallError(err, { timedOut, retryAfterHeaderMs: retryInfo.retryAfterMs });
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}
