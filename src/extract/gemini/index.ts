export { createGeminiExtractor } from './extractor.js';
export type { GeminiExtractor, GeminiExtractorOptions, GeminiExtraction, ExtractionStats, HeuristicExtract } from './extractor.js';
export { createMemoryExtractionCache, extractionCacheKey, hashMessages } from './cache.js';
export type { ExtractionCache } from './cache.js';
export { PROMPT_VERSION, EXTRACTION_INSTRUCTION, formatMessageLine } from './prompt.js';
export { createGeminiClient } from './client.js';
export { GeminiCallError } from './retry.js';
export { measureGeminiUsage, syntheticConversation } from './measure.js';
export type { GeminiUsageReport } from './measure.js';
