/** Who is who in a conversation: resolving @mentions and addressed names to participants. */
import type { ChatMessage } from '../types.js';

export interface Roster {
  /** Resolves a name as written ("Seun", "@Dev Patel", "kat") to a participant name, or null. */
  resolve(name: string): string | null;
  /** Participant names, longest first, for finding multi-word @mentions. */
  names: string[];
}

function fold(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/^@/, '').trim();
}

export function buildRoster(messages: ChatMessage[]): Roster {
  const byKey = new Map<string, string>();
  const names: string[] = [];
  for (const m of messages) {
    const name = m.author.name.trim();
    if (!name || byKey.has(fold(name))) continue;
    byKey.set(fold(name), name);
    names.push(name);
  }
  // platform ids stand for their people: a Slack day file without users.json writes <@U01MARTA> as @U01MARTA
  const seenIds = new Set<string>();
  for (const m of messages) {
    const id = m.author.id;
    if (!id || seenIds.has(id)) continue;
    seenIds.add(id);
    const key = fold(id);
    if (key && m.author.name.trim() && !byKey.has(key)) byKey.set(key, m.author.name.trim());
  }
  names.sort((a, b) => b.length - a.length);
  const parts = names.map((n) => ({ name: n, words: fold(n).split(/[\s_.-]+/).filter(Boolean) }));
  const cache = new Map<string, string | null>();
  return {
    names,
    resolve(raw: string): string | null {
      const key = fold(raw);
      if (!key) return null;
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      let found: string | null = byKey.get(key) ?? null;
      if (!found) found = parts.find((p) => p.words[0] === key)?.name ?? null;
      if (!found) found = parts.find((p) => p.words.includes(key))?.name ?? null;
      // nicknames that are the end or start of a longer name ("Seun" for "Oluwaseun")
      if (!found && key.length >= 3) found = parts.find((p) => p.words.some((w) => w.length > key.length && (w.endsWith(key) || w.startsWith(key))))?.name ?? null;
      cache.set(key, found);
      return found;
    },
  };
}
