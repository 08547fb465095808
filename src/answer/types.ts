import type { ChatMessage } from '../chat/types.js';

/** A message shown as evidence under an answer; `[n]` in the answer text is `messages[n - 1]`. */
export interface AnswerSource {
  id: string;
  author: string;
  sent_at: string;
  text: string;
}

/** One NDJSON line of a streamed answer. Order: meta, delta*, sources, done, or an error at any point after meta. */
export type AnswerChunk =
  | { type: 'meta'; mode: 'extractive' | 'gemini'; model?: string; retrieved?: number; fallback?: string }
  | { type: 'delta'; text: string }
  | { type: 'sources'; messages: AnswerSource[] }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** The parts of a todo an answer can mention (an ExtractedTodo or a stored todo fits). */
export interface AnswerTodo {
  text: string;
  assignee?: string | null;
  dueAt?: string | null;
  done?: boolean;
}

export interface AnswerEvent {
  title: string;
  startsAt?: string | null;
  endsAt?: string | null;
  allDay?: boolean;
}

export interface AnswerTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface AnswerInput {
  question: string;
  messages: ChatMessage[];
  todos?: AnswerTodo[];
  events?: AnswerEvent[];
  /** Earlier turns of this Q&A, oldest first. */
  history?: AnswerTurn[];
  timeZone: string;
}
