/**
 * Answers a question about a conversation as a stream of chunks (the NDJSON lines of the API):
 * extractive when no model is configured or the model fails to start, otherwise Gemini's streamed
 * answer. Both cite the retrieved messages as [n] and end with those messages as sources.
 */
import { composeExtractiveAnswer } from './extractive.js';
import { toSource } from './format.js';
import { buildAnswerContents, startGeminiAnswer, type GeminiAnswerOptions } from './gemini-answer.js';
import { retrieveItems, retrieveMessages, type MessageHit } from './retrieve.js';
import type { AnswerChunk, AnswerEvent, AnswerInput, AnswerTodo } from './types.js';

export type { AnswerChunk, AnswerEvent, AnswerInput, AnswerSource, AnswerTodo, AnswerTurn } from './types.js';
export type { GeminiAnswerOptions } from './gemini-answer.js';
export { buildBm25Index, searchBm25 } from './bm25.js';
export type { Bm25Index, Bm25Hit } from './bm25.js';
export { indexMessages, retrieveMessages } from './retrieve.js';
export { tokenize } from './tokenize.js';

export interface AnswerOptions {
  gemini?: GeminiAnswerOptions;
  signal?: AbortSignal;
  /** Messages quoted in an extractive answer. Default 5. */
  extractiveMessages?: number;
  /** Messages given to the model. Default 12. */
  modelMessages?: number;
}

const ITEM_LIMIT = 5;

/** The question plus the last thing the user asked, so that follow-ups ("and when?") keep their topic. */
function searchQuery(input: AnswerInput): string {
  const lastUser = [...(input.history ?? [])].reverse().find((t) => t.role === 'user');
  return lastUser ? `${input.question} ${lastUser.text}` : input.question;
}

function matchingItems(input: AnswerInput, query: string): { todos: AnswerTodo[]; events: AnswerEvent[] } {
  return {
    todos: retrieveItems(input.todos ?? [], (t) => `${t.text} ${t.assignee ?? ''}`, query, ITEM_LIMIT),
    events: retrieveItems(input.events ?? [], (e) => e.title, query, ITEM_LIMIT),
  };
}

async function* extractiveAnswer(input: AnswerInput, hits: MessageHit[], query: string): AsyncGenerator<AnswerChunk> {
  const { todos, events } = matchingItems(input, query);
  for (const text of composeExtractiveAnswer({ hits, todos, events, timeZone: input.timeZone })) {
    yield { type: 'delta', text };
  }
  yield { type: 'sources', messages: hits.map((h) => toSource(h.message)) };
  yield { type: 'done' };
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

export async function* answerQuestion(input: AnswerInput, options: AnswerOptions = {}): AsyncGenerator<AnswerChunk> {
  const query = searchQuery(input);
  if (!options.gemini) {
    // Announce at once: indexing a long conversation takes a moment.
    yield { type: 'meta', mode: 'extractive' };
    const hits = retrieveMessages(input.messages, query, options.extractiveMessages ?? 5);
    yield* extractiveAnswer(input, hits, query);
    return;
  }

  const gemini = options.gemini;
  const hits = retrieveMessages(input.messages, query, options.modelMessages ?? 12);
  const { todos, events } = matchingItems(input, query);
  const contents = buildAnswerContents({
    question: input.question,
    hits,
    todos,
    events,
    history: input.history ?? [],
    timeZone: input.timeZone,
  });
  // One controller for the HTTP request: aborted when the caller's signal fires or when the consumer
  // stops iterating early, so an abandoned answer does not keep generating.
  const request = new AbortController();
  const onAbort = () => request.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let rest: AsyncIterator<string> | undefined;
  try {
    let first: string;
    try {
      ({ first, rest } = await startGeminiAnswer(gemini, contents, request.signal));
    } catch (err) {
      if (options.signal?.aborted) return;
      yield { type: 'meta', mode: 'extractive', retrieved: hits.length, fallback: errorText(err) };
      const shown = hits.slice(0, options.extractiveMessages ?? 5);
      yield* extractiveAnswer(input, shown, query);
      return;
    }
    yield { type: 'meta', mode: 'gemini', model: gemini.model, retrieved: hits.length };
    yield { type: 'delta', text: first };
    try {
      for (;;) {
        if (request.signal.aborted) return;
        const next = await rest.next();
        if (next.done) break;
        yield { type: 'delta', text: next.value };
      }
    } catch (err) {
      if (options.signal?.aborted) return;
      yield { type: 'error', message: `the answer was interrupted: ${errorText(err)}` };
      return;
    }
    yield { type: 'sources', messages: hits.map((h) => toSource(h.message)) };
    yield { type: 'done' };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    request.abort();
    await rest?.return?.().catch(() => undefined);
  }
}
