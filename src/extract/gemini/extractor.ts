/**
 * Gemini extraction of a whole conversation: cache lookup, windowing, bounded-concurrency calls with
 * retries, validation, merging, and the heuristic result for whatever Gemini could not cover.
 */
import type { GoogleGenAI } from '@google/genai';
import type { ChatMessage } from '../../chat/types.js';
import type { ExtractionResult, ExtractionSettings } from '../types.js';
import { extractionCacheKey, hashMessages, type ExtractionCache } from './cache.js';
import { createGeminiClient, generateJson } from './client.js';
import { mergeWindowResults } from './merge.js';
import { buildWindowPrompt, EXTRACTION_INSTRUCTION, formatMessageLine, promptHeader } from './prompt.js';
import { defaultSleep, GeminiCallError, withRetry, type RetryPolicy } from './retry.js';
import { extractionResponseSchema } from './schema.js';
import { validateWindowOutput, type WindowItems } from './validate.js';
import { estimateTokens, splitIntoWindows, type ConversationWindow, type PromptLine } from './windows.js';

export type HeuristicExtract = (messages: ChatMessage[], settings: ExtractionSettings) => ExtractionResult;

export interface GeminiExtractorOptions {
  apiKey: string;
  model: string;
  baseUrl?: string;
  /** Most windows in flight at once. */
  concurrency: number;
  /** Token budget of one request (instruction + messages), estimated as chars / 4. */
  windowTokens: number;
  cache?: ExtractionCache;
  /** Used for the messages Gemini could not process. */
  fallback: HeuristicExtract;
  /** Per attempt. Default 60 s. */
  timeoutMs?: number;
  /** Retries per window after the first attempt. Default 4. */
  maxRetries?: number;
  /** First backoff step when the server gives no delay. Default 1 s. */
  baseDelayMs?: number;
  /** Longest wait between attempts. Default 60 s. */
  maxDelayMs?: number;
  /** Messages repeated at the start of the next window. Default 3. */
  overlapMessages?: number;
  sleep?: (ms: number) => Promise<void>;
  /** An SDK client to use instead of building one from apiKey/baseUrl. */
  client?: GoogleGenAI;
}

export interface ExtractionStats {
  /** HTTP requests made to Gemini, retries included. */
  calls: number;
  cacheHits: number;
  promptTokens: number;
  outputTokens: number;
  windows: number;
  /** True when some or all of the result comes from the heuristic extractor. */
  fellBack: boolean;
  /** Items the model returned that failed validation. */
  dropped: number;
}

export type GeminiExtraction = ExtractionResult & { stats: ExtractionStats };

export interface GeminiExtractor {
  /** Rejects with the signal's reason when `opts.signal` aborts. */
  extract(messages: ChatMessage[], settings: ExtractionSettings, opts?: { contentHash?: string; signal?: AbortSignal }): Promise<GeminiExtraction>;
}

/** Statuses after which no other window can succeed either (bad key, unknown model, bad request). */
const FATAL_STATUSES = new Set([400, 401, 403, 404]);

async function runPool<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return results;
}

export function createGeminiExtractor(options: GeminiExtractorOptions): GeminiExtractor {
  const ai = options.client ?? createGeminiClient({ apiKey: options.apiKey, baseUrl: options.baseUrl });
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? 4,
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 60_000,
    sleep: options.sleep ?? defaultSleep,
  };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const overlap = options.overlapMessages ?? 3;

  async function extract(
    messages: ChatMessage[],
    settings: ExtractionSettings,
    opts: { contentHash?: string; signal?: AbortSignal } = {},
  ): Promise<GeminiExtraction> {
    const stats: ExtractionStats = {
      calls: 0,
      cacheHits: 0,
      promptTokens: 0,
      outputTokens: 0,
      windows: 0,
      fellBack: false,
      dropped: 0,
    };
    const key = extractionCacheKey({
      contentHash: opts.contentHash ?? hashMessages(messages),
      model: options.model,
      timeZone: settings.timeZone,
    });
    const cached = await options.cache?.get(key);
    if (cached) {
      stats.cacheHits = 1;
      return { ...cached, stats };
    }

    const lines: PromptLine[] = messages
      .filter((m) => !m.system && (m.text.trim() !== '' || m.attachments.length > 0))
      .map((message) => {
        const line = formatMessageLine(message, settings.timeZone);
        return { message, line, tokens: estimateTokens(line) + 1 };
      });
    const overhead = estimateTokens(EXTRACTION_INSTRUCTION) + estimateTokens(promptHeader(settings.timeZone, { index: 99, count: 99 }));
    const budget = Math.max(100, options.windowTokens - overhead);
    const windows = splitIntoWindows(lines, budget, overlap);
    stats.windows = windows.length;

    let fatal: GeminiCallError | undefined;
    const runWindow = async (window: ConversationWindow): Promise<WindowItems | undefined> => {
      if (fatal || opts.signal?.aborted) return undefined;
      const byId = new Map(window.lines.map((l) => [l.message.id, l.message] as const));
      const prompt = buildWindowPrompt(
        window.lines.map((l) => l.line),
        settings.timeZone,
        { index: window.index, count: windows.length },
      );
      try {
        const { value, usage } = await withRetry(
          async () => {
            if (fatal) throw fatal;
            stats.calls += 1;
            return generateJson(ai, {
              model: options.model,
              systemInstruction: EXTRACTION_INSTRUCTION,
              prompt,
              responseSchema: extractionResponseSchema,
              timeoutMs,
              signal: opts.signal,
            });
          },
          policy,
          opts.signal,
        );
        stats.promptTokens += usage.promptTokens;
        stats.outputTokens += usage.outputTokens;
        const items = validateWindowOutput(value, byId, settings.timeZone);
        stats.dropped += items.dropped.length;
        return items;
      } catch (err) {
        if (err instanceof GeminiCallError && err.status !== undefined && FATAL_STATUSES.has(err.status)) fatal = err;
        return undefined;
      }
    };

    const outcomes = await runPool(windows.length, options.concurrency, (i) => runWindow(windows[i]!));
    opts.signal?.throwIfAborted();

    const merged = mergeWindowResults(outcomes.filter((o): o is WindowItems => o !== undefined));
    const covered = new Set<string>();
    outcomes.forEach((o, i) => {
      if (o) for (const l of windows[i]!.lines) covered.add(l.message.id);
    });
    const failed = outcomes.some((o) => o === undefined);
    if (!failed) {
      const result: ExtractionResult = { todos: merged.todos, events: merged.events };
      await options.cache?.set(key, result);
      return { ...result, stats };
    }

    // Gemini missed some windows: the heuristic reads the whole conversation (it needs the context)
    // and contributes the items whose message no successful window covered.
    stats.fellBack = true;
    const heuristic = options.fallback(messages, settings);
    const uncovered = <T extends { source: { messageId: string } }>(items: T[]) =>
      items.filter((item) => !covered.has(item.source.messageId));
    const byTime = (a: { source: { sentAt: string } }, b: { source: { sentAt: string } }) =>
      a.source.sentAt < b.source.sentAt ? -1 : a.source.sentAt > b.source.sentAt ? 1 : 0;
    return {
      todos: [...merged.todos, ...uncovered(heuristic.todos).map((t) => ({ ...t, extractor: 'heuristic' as const }))].sort(byTime),
      events: [...merged.events, ...uncovered(heuristic.events).map((e) => ({ ...e, extractor: 'heuristic' as const }))].sort(byTime),
      stats,
    };
  }

  return { extract };
}
