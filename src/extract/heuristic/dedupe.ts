/** Keeps each todo and event once when the chat repeats it. */
import type { ExtractedEvent, ExtractedTodo, ExtractionResult, Priority } from '../types.js';
import { contentWords, wordSimilarity } from './similarity.js';
import { WordIndex } from './word-index.js';
import { DateTime } from 'luxon';
import { eventNounsIn } from './events.js';

/** The happening a title names last ("Youth comp awards ceremony" -> "ceremony"), lower-cased; '' when none. */
const heads = new Map<string, string>();
function headNoun(title: string): string {
  let head = heads.get(title);
  if (head === undefined) {
    const nouns = eventNounsIn(title);
    head = (nouns[nouns.length - 1] ?? '').toLowerCase().replace(/e?s$/, '');
    if (heads.size > 20_000) heads.clear();
    heads.set(title, head);
  }
  return head;
}

/**
 * "Youth comp kicks off Saturday at 9" and "the youth comp awards ceremony starts at 4:30 on Saturday":
 * two timed happenings of one day, hours apart, each named by a different noun, are two events.
 */
function distinctHappenings(a: ExtractedEvent, b: ExtractedEvent): boolean {
  if (a.allDay || b.allDay || !a.startsAt || !b.startsAt) return false;
  if (Math.abs(Date.parse(a.startsAt) - Date.parse(b.startsAt)) < 3_600_000) return false;
  const na = headNoun(a.title);
  const nb = headNoun(b.title);
  return na !== '' && nb !== '' && na !== nb;
}

const RANK: Record<Priority, number> = { LOW: 0, MEDIUM: 1, HIGH: 2 };

/** Same local day in `timeZone` (UTC when none is given): an all-day event is local midnight, 23:00 UTC in summer London. */
const localDays = new Map<string, string>();
function localDay(iso: string, timeZone: string): string {
  const key = `${timeZone}|${iso}`;
  let day = localDays.get(key);
  if (day === undefined) {
    day = DateTime.fromISO(iso, { zone: timeZone }).toISODate() ?? iso.slice(0, 10);
    if (localDays.size > 20_000) localDays.clear();
    localDays.set(key, day);
  }
  return day;
}
function sameDay(a: string, b: string, timeZone = 'UTC'): boolean {
  if (timeZone === 'UTC') return a.slice(0, 10) === b.slice(0, 10);
  return localDay(a, timeZone) === localDay(b, timeZone);
}

/**
 * Todos with near-identical text and compatible assignees are one todo: the first mention is kept
 * and gains the assignee, due date and higher priority of the repeats.
 */
export function dedupeTodos(todos: ExtractedTodo[], threshold = 0.6): ExtractedTodo[] {
  const kept: ExtractedTodo[] = [];
  const index = new WordIndex<number>();
  const words: Array<Set<string>> = [];
  for (const todo of todos) {
    const own = new Set(contentWords(todo.text));
    const at = index
      .withAnyWord(own)
      .sort((a, b) => a - b)
      .find((i) => {
        const k = kept[i]!;
        return (
          wordSimilarity(words[i]!, own) >= threshold &&
          (k.assignee === null || todo.assignee === null || k.assignee.toLowerCase() === todo.assignee.toLowerCase())
        );
      });
    if (at === undefined) {
      index.add(kept.length, own, null);
      words.push(own);
      kept.push({ ...todo });
      continue;
    }
    const twin = kept[at]!;
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
/**
 * An undated and a dated mention are one happening only when neither says much the other does not:
 * "the information evening for the Year 11 options" (TBD) is not "the Year 9 parents' evening".
 */
function sameThing(undated: Set<string>, dated: Set<string>): boolean {
  const onlyUndated = [...undated].filter((w) => !dated.has(w));
  const onlyDated = [...dated].filter((w) => !undated.has(w));
  const numbers = (ws: string[]) => ws.some((w) => /^\d/.test(w));
  // "a night walk" (undated) and "the photo walk" (dated): each says what the other does not
  return !(numbers(onlyUndated) && numbers(onlyDated)) && (onlyUndated.length === 0 || (onlyUndated.length === 1 && onlyDated.length === 0));
}

export function dedupeEvents(events: ExtractedEvent[], threshold = 0.5, timeZone = 'UTC'): ExtractedEvent[] {
  const kept: ExtractedEvent[] = [];
  const index = new WordIndex<number>();
  const words: Array<Set<string>> = [];
  for (const event of events) {
    const own = new Set(contentWords(event.title));
    const at =
      index
        .withAnyWord(own)
        .sort((a, b) => a - b)
        .find((i) => {
          const k = kept[i]!;
          if (wordSimilarity(words[i]!, own) < threshold) return false;
          if (k.startsAt !== null && event.startsAt !== null) return sameDay(k.startsAt, event.startsAt, timeZone) && !distinctHappenings(k, event);
          if (k.startsAt !== null || event.startsAt !== null) return k.startsAt === null ? sameThing(words[i]!, own) : sameThing(own, words[i]!);
          return true;
        }) ?? -1;
    if (at < 0) {
      index.add(kept.length, own, null);
      words.push(own);
      kept.push({ ...event });
      continue;
    }
    const twin = kept[at]!;
    if (twin.startsAt === null && event.startsAt !== null) kept[at] = { ...event };
    else if (twin.allDay && event.startsAt !== null && !event.allDay && sameDay(twin.startsAt ?? '', event.startsAt, timeZone)) kept[at] = { ...event, source: twin.source, title: twin.title };
  }
  return kept;
}

export function dedupe(result: ExtractionResult, timeZone = 'UTC'): ExtractionResult {
  return { todos: dedupeTodos(result.todos), events: dedupeEvents(result.events, 0.5, timeZone) };
}
