/** Command text as people type it (`/teamsync todos mine open`) -> the command name and its arguments. */
import type { CommandName } from './types.js';

export const COMMAND_NAMES: readonly CommandName[] = ['help', 'link', 'todos', 'calendar', 'ask', 'import', 'status', 'forget'];

const ALIASES: Record<string, CommandName> = { todo: 'todos', tasks: 'todos', cal: 'calendar', events: 'calendar', question: 'ask', history: 'import', files: 'status', '?': 'help' };

/** The first word picks the command (case-insensitive); the rest are its arguments. `unknown` names a word that is no command. */
export function parseCommandText(text: string): { name: CommandName; args: string; unknown?: string } {
  const trimmed = text.trim();
  if (!trimmed) return { name: 'help', args: '' };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  const args = trimmed.slice(first.length).trim();
  if ((COMMAND_NAMES as readonly string[]).includes(word)) return { name: word as CommandName, args };
  if (ALIASES[word]) return { name: ALIASES[word], args };
  void rest;
  return { name: 'help', args: '', unknown: first };
}

/** The words of an argument string; "quoted phrases" stay one word. */
export function argumentWords(args: string): string[] {
  const words: string[] = [];
  for (const m of args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}
