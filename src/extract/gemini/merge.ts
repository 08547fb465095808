/**
 * Joins the items of overlapping windows: an item read twice (same kind, same cited message, same or
 * nearly the same wording) is kept once, in the version of the later window, which saw more of the
 * messages that follow it.
 */
import type { ExtractedEvent, ExtractedTodo, ExtractionResult } from '../types.js';

function words(text: string): Set<string> {
  return new Set(
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );
}

function similar(a: string, b: string): boolean {
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 || wb.size === 0) return a.trim().toLowerCase() === b.trim().toLowerCase();
  let common = 0;
  for (const w of wa) if (wb.has(w)) common += 1;
  return common / (wa.size + wb.size - common) >= 0.5;
}

function mergeInto<T extends ExtractedTodo | ExtractedEvent>(
  target: T[],
  byMessage: Map<string, number[]>,
  incoming: T[],
  label: (item: T) => string,
): void {
  for (const item of incoming) {
    const slots = byMessage.get(item.source.messageId) ?? [];
    const at = slots.find((i) => similar(label(target[i]!), label(item)));
    if (at !== undefined) {
      target[at] = item;
    } else {
      slots.push(target.length);
      byMessage.set(item.source.messageId, slots);
      target.push(item);
    }
  }
}

/** Merges per-window results in window order. */
export function mergeWindowResults(parts: ExtractionResult[]): ExtractionResult {
  const todos: ExtractedTodo[] = [];
  const events: ExtractedEvent[] = [];
  const todoSlots = new Map<string, number[]>();
  const eventSlots = new Map<string, number[]>();
  for (const part of parts) {
    mergeInto(todos, todoSlots, part.todos, (t) => t.text);
    mergeInto(events, eventSlots, part.events, (e) => e.title);
  }
  return { todos, events };
}
