/**
 * Cache of Gemini extraction results, keyed by what determines the answer: the conversation's
 * content, the chat time zone, the model and the prompt version. The app provides a database-backed
 * implementation; the in-memory one serves tests, the CLI and single runs.
 */
import { createHash } from 'node:crypto';
import type { ChatMessage } from '../../chat/types.js';
import type { ExtractionResult } from '../types.js';
import { PROMPT_VERSION } from './prompt.js';

export interface ExtractionCache {
  get(key: string): Promise<ExtractionResult | undefined>;
  set(key: string, value: ExtractionResult): Promise<void>;
}

/** A bounded in-memory cache (least recently used entries go first). */
export function createMemoryExtractionCache(maxEntries = 500): ExtractionCache & { readonly size: number } {
  const entries = new Map<string, ExtractionResult>();
  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return structuredClone(value);
    },
    async set(key, value) {
      entries.delete(key);
      entries.set(key, structuredClone(value));
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

/** SHA-256 of the parts of the messages the prompt shows. */
export function hashMessages(messages: readonly ChatMessage[]): string {
  const hash = createHash('sha256');
  for (const m of messages) {
    hash.update(JSON.stringify([m.id, m.sentAt, m.author.name, m.text, m.attachments, m.system]));
    hash.update('\n');
  }
  return hash.digest('hex');
}

export function extractionCacheKey(parts: { contentHash: string; model: string; timeZone: string }): string {
  return `gemini:${PROMPT_VERSION}:${parts.model}:${parts.timeZone}:${parts.contentHash}`;
}
