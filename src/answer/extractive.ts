/**
 * The offline answer: no model, just the best matching messages quoted with author and date, and the
 * todos and events that match the question.
 */
import type { MessageHit } from './retrieve.js';
import { describeEvent, describeTodo, localDateTime, oneLine } from './format.js';
import type { AnswerEvent, AnswerTodo } from './types.js';

const QUOTE_CHARS = 280;

export const NOTHING_FOUND = "I couldn't find anything about that in this conversation.";

/** The answer as a sequence of text pieces (each becomes one delta). `[n]` refers to hits[n - 1]. */
export function composeExtractiveAnswer(input: {
  hits: MessageHit[];
  todos: AnswerTodo[];
  events: AnswerEvent[];
  timeZone: string;
}): string[] {
  const { hits, todos, events, timeZone } = input;
  if (hits.length === 0 && todos.length === 0 && events.length === 0) return [NOTHING_FOUND];
  const pieces: string[] = [];
  if (hits.length > 0) {
    pieces.push(hits.length === 1 ? 'The most relevant message:\n' : 'The most relevant messages:\n');
    hits.forEach((hit, i) => {
      const m = hit.message;
      pieces.push(`[${i + 1}] ${m.author.name}, ${localDateTime(m.sentAt, timeZone)}: "${oneLine(m.text, QUOTE_CHARS)}"\n`);
    });
  }
  if (todos.length > 0) {
    pieces.push(`${pieces.length ? '\n' : ''}Matching todos:\n`);
    for (const todo of todos) pieces.push(`- ${describeTodo(todo, timeZone)}\n`);
  }
  if (events.length > 0) {
    pieces.push(`${pieces.length ? '\n' : ''}Matching events:\n`);
    for (const event of events) pieces.push(`- ${describeEvent(event, timeZone)}\n`);
  }
  return pieces;
}
