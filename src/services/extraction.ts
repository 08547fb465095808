/**
 * The extractor the pipeline uses: Gemini when GOOGLE_API_KEY is configured (with the heuristic
 * extractor as its fallback and a database-backed result cache), the heuristic extractor otherwise.
 */
import type { ChatMessage } from '../chat/types.js';
import { extractHeuristic } from '../extract/index.js';
import type { ExtractionResult, ExtractionSettings, ExtractorName } from '../extract/types.js';
import { createGeminiExtractor, type ExtractionCache } from '../extract/gemini/index.js';
import type { ServiceContext } from './context.js';

export interface FileExtractor {
  readonly name: ExtractorName;
  extract(messages: ChatMessage[], settings: ExtractionSettings, opts?: { contentHash?: string; signal?: AbortSignal }): Promise<ExtractionResult>;
}

/** Extraction results kept in the app's database, so re-processing a file costs no model calls. */
export function databaseExtractionCache(ctx: ServiceContext): ExtractionCache {
  return {
    async get(key) {
      const row = await ctx.models.CachedExtraction.findByPk(key);
      return row ? (JSON.parse(row.value) as ExtractionResult) : undefined;
    },
    async set(key, value) {
      await ctx.models.CachedExtraction.upsert({ key, value: JSON.stringify(value), created_at: ctx.now() });
    },
  };
}

export function createFileExtractor(ctx: ServiceContext): FileExtractor {
  const { gemini } = ctx.config;
  if (!gemini.apiKey) {
    return { name: 'heuristic', extract: async (messages, settings) => extractHeuristic(messages, settings) };
  }
  const extractor = createGeminiExtractor({
    apiKey: gemini.apiKey,
    model: gemini.model,
    baseUrl: gemini.baseUrl,
    concurrency: gemini.concurrency,
    windowTokens: gemini.windowTokens,
    cache: databaseExtractionCache(ctx),
    fallback: extractHeuristic,
  });
  return {
    name: 'gemini',
    async extract(messages, settings, opts) {
      const { todos, events, stats } = await extractor.extract(messages, settings, opts);
      ctx.logger.info({ extraction: stats }, 'gemini extraction');
      return { todos, events };
    },
  };
}
