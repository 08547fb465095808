/**
 * Finding the messages (and todos/events) a question is about. The message index of a conversation
 * is kept for as long as its message array lives, so follow-up questions do not rebuild it.
 */
import type { ChatMessage } from '../chat/types.js';
import { buildBm25Index, searchBm25, type Bm25Index } from './bm25.js';

export interface MessageIndex {
  bm25: Bm25Index;
  /** Document number -> message (system messages are not indexed). */
  messages: ChatMessage[];
}

export interface MessageHit {
  message: ChatMessage;
  score: number;
}

const indexes = new WeakMap<readonly ChatMessage[], MessageIndex>();

export function indexMessages(messages: readonly ChatMessage[]): MessageIndex {
  let index = indexes.get(messages);
  if (!index) {
    const docs = messages.filter((m) => !m.system && m.text.trim() !== '');
    index = { bm25: buildBm25Index(docs.map((m) => `${m.author.name} ${m.text} ${m.attachments.join(' ')}`)), messages: docs };
    indexes.set(messages, index);
  }
  return index;
}

/**
 * Top `k` messages for a question. Hits scoring under `minRatio` of the best are left out: they
 * match only a common word and would dilute the answer.
 */
export function retrieveMessages(messages: readonly ChatMessage[], query: string, k: number, minRatio = 0.25): MessageHit[] {
  const index = indexMessages(messages);
  const hits = searchBm25(index.bm25, query, k);
  const best = hits[0]?.score ?? 0;
  return hits.filter((h) => h.score >= best * minRatio).map((h) => ({ message: index.messages[h.doc]!, score: h.score }));
}

/** Items whose label matches the question, best first. */
export function retrieveItems<T>(items: readonly T[], label: (item: T) => string, query: string, k: number): T[] {
  if (items.length === 0) return [];
  const bm25 = buildBm25Index(items.map(label));
  return searchBm25(bm25, query, k).map((h) => items[h.doc]!);
}
