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

  onDay(day: string): T[] {
    return this.byDay.get(day) ?? [];
  }
}
