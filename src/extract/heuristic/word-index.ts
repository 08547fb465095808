/** Items looked up by the content words they contain and by day, so a cancellation need not scan everything. */

export class WordIndex<T> {
  private readonly byWord = new Map<string, T[]>();
  private readonly byDay = new Map<string, T[]>();

  add(item: T, words: Iterable<string>, day: string | null): void {
    for (const w of new Set(words)) {
      const list = this.byWord.get(w);
      if (list) list.push(item);
      else this.byWord.set(w, [item]);
    }
    if (day !== null) {
      const list = this.byDay.get(day);
      if (list) list.push(item);
      else this.byDay.set(day, [item]);
    }
  }

  /** Items holding at least one of `words`, each once, in the order they were added per word. */
  withAnyWord(words: Iterable<string>): T[] {
    const seen = new Set<T>();
    for (const w of words) for (const item of this.byWord.get(w) ?? []) seen.add(item);
    return [...seen];
  }

  /** Does any item holding one of `words` pass `test`? Walks from the latest added, stops at the first. */
  someWithAnyWord(words: Iterable<string>, test: (item: T) => boolean): boolean {
    for (const w of words) {
      const list = this.byWord.get(w);
      if (list) for (let i = list.length - 1; i >= 0; i -= 1) if (test(list[i]!)) return true;
    }
    return false;
  }

  /** The latest added item holding one of `words` that passes `test` (null: none). */
  latestWithAnyWord(words: Iterable<string>, test: (item: T) => boolean, order: (item: T) => number): T | null {
    let best: T | null = null;
    for (const w of words) {
      const list = this.byWord.get(w) ?? [];
      for (let i = list.length - 1; i >= 0; i -= 1) {
        const item = list[i]!;
        if (best !== null && order(item) <= order(best)) break;
        if (test(item)) {
          best = item;
          break;
        }
      }
    }
    return best;
  }

  onDay(day: string): T[] {
    return this.byDay.get(day) ?? [];
  }
}
