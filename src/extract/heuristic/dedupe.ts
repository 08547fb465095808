/** Keeps each todo and event once when the chat repeats it. */
import type { ExtractedEvent, ExtractedTodo, ExtractionResult, Priority } from '../types.js';
import { textSimilarity } from './similarity.js';

const RANK: Record<Priority, number> = { LOW: 0, MEDIUM: 1, HIGH: 2 };

function sameDay(a: string, b: string): boolean {
  return a.slice(0, 10) === b.slice(0, 10);
}

/**
 * Todos with near-identical text and compatible assignees are one todo: the first mention is kept
 * and gains the assignee, due date and higher priority of the repeats.
 */
export function dedupeTodos(todos: ExtractedTodo[], threshold = 0.6): ExtractedTodo[] {
  const kept: ExtractedTodo[] = [];
  for (const todo of todos) {
    const twin = kept.find(
      (k) =>
        textSimilarity(k.text, todo.text) >= threshold &&
        (k.assignee === null || todo.assignee === null || k.assignee.toLowerCase() === todo.assignee.toLowerCase()),
    );
    if (!twin) {
      kept.push({ ...todo });
      continue;
    }
    twin.assignee ??= todo.assignee;
    twin.dueAt ??= todo.dueAt;
    if (RANK[todo.priority] > RANK[twin.priority]) twin.priority = todo.priority;
  }
  return kept;
}

/**
 * Events with similar titles on the same day (or with one undated) are one event. A dated
 * mention replaces an undated (TBD) one; otherwise the first mention is kept.
 */
export function dedupeEvents(events: ExtractedEvent[], threshold = 0.5): ExtractedEvent[] {
  const kept: ExtractedEvent[] = [];
  for (const event of events) {
    const at = kept.findIndex(
      (k) =>
        textSimilarity(k.title, event.title) >= threshold &&
        (k.startsAt === null || event.startsAt === null || sameDay(k.startsAt, event.startsAt)),
    );
    if (at < 0) {
      kept.push({ ...event });
      continue;
    }
    const twin = kept[at]!;
    if (twin.startsAt === null && event.startsAt !== null) kept[at] = { ...event };
    else if (twin.allDay && event.startsAt !== null && !event.allDay && sameDay(twin.startsAt ?? '', event.startsAt)) kept[at] = { ...event, source: twin.source, title: twin.title };
  }
  return kept;
}

export function dedupe(result: ExtractionResult): ExtractionResult {
  return { todos: dedupeTodos(result.todos), events: dedupeEvents(result.events) };
}
