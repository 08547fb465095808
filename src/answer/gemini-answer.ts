/**
 * The model answer: Gemini, streamed, grounded in the retrieved messages (numbered so the answer can
 * cite them as [n]) and in the earlier turns of the conversation.
 */
import type { Content, GoogleGenAI } from '@google/genai';
import { createGeminiClient } from '../extract/gemini/client.js';
import { describeEvent, describeTodo, localDateTime, oneLine } from './format.js';
import type { MessageHit } from './retrieve.js';
import type { AnswerEvent, AnswerTodo, AnswerTurn } from './types.js';

export interface GeminiAnswerOptions {
  model: string;
  /** An SDK client; otherwise one is built from apiKey and baseUrl. */
  client?: GoogleGenAI;
  apiKey?: string;
  baseUrl?: string;
  /** Longest wait for the first piece of the answer. Default 30 s. */
  firstChunkTimeoutMs?: number;
}

export const ANSWER_INSTRUCTION = `You answer questions about a team chat, using only the chat excerpts, todos and events given.
Cite the excerpts you rely on as [n]. If the excerpts do not contain the answer, say so briefly instead
of guessing. Dates and times are in the chat's time zone. Answer in the language of the question,
concisely (a few sentences or a short list).`;

const MAX_HISTORY_TURNS = 10;
const EXCERPT_CHARS = 1200;

export function buildAnswerContents(input: {
  question: string;
  hits: MessageHit[];
  todos: AnswerTodo[];
  events: AnswerEvent[];
  history: AnswerTurn[];
  timeZone: string;
}): Content[] {
  const { question, hits, todos, events, history, timeZone } = input;
  const lines = [`Chat time zone: ${timeZone}.`, '', 'Chat excerpts:'];
  if (hits.length === 0) lines.push('(none found)');
  hits.forEach((h, i) => {
    const m = h.message;
    lines.push(`[${i + 1}] ${localDateTime(m.sentAt, timeZone)} ${m.author.name}: ${oneLine(m.text, EXCERPT_CHARS)}`);
  });
  if (todos.length) lines.push('', 'Todos:', ...todos.map((t) => `- ${describeTodo(t, timeZone)}`));
  if (events.length) lines.push('', 'Events:', ...events.map((e) => `- ${describeEvent(e, timeZone)}`));
  lines.push('', `Question: ${question}`);
  const turns: Content[] = history.slice(-MAX_HISTORY_TURNS).map((turn) => ({
    role: turn.role === 'user' ? 'user' : 'model',
    parts: [{ text: turn.text }],
  }));
  return [...turns, { role: 'user', parts: [{ text: lines.join('\n') }] }];
}

/**
 * Opens the answer stream and waits for its first non-empty text, so that a failure to start is
 * known before anything was sent to the client. Returns that text and an iterator over the rest.
 * Aborting `signal` stops the HTTP request.
 */
export async function startGeminiAnswer(
  options: GeminiAnswerOptions,
  contents: Content[],
  signal: AbortSignal,
): Promise<{ first: string; rest: AsyncIterator<string> }> {
  const ai = options.client ?? createGeminiClient({ apiKey: options.apiKey ?? '', baseUrl: options.baseUrl });
  const firstChunk = new AbortController();
  const onAbort = () => firstChunk.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => firstChunk.abort(), options.firstChunkTimeoutMs ?? 30_000);
  const requestSignal = AbortSignal.any([signal, firstChunk.signal]);
  try {
    const stream = await ai.models.generateContentStream({
      model: options.model,
      contents,
      config: {
        systemInstruction: ANSWER_INSTRUCTION,
        temperature: 0.2,
        automaticContinuation: false,
        abortSignal: requestSignal,
      },
    });
    const texts = (async function* () {
      for await (const chunk of stream) {
        const text = chunk.text;
        if (text) yield text;
      }
    })();
    const first = await texts.next();
    if (first.done) throw new Error('Gemini returned an empty answer');
    return { first: first.value, rest: texts };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
