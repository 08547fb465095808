/**
 * Loads the labelled evaluation set from test/eval/conversations: chat scripts (`*.chat.txt`) and
 * raw exports with a sidecar gold file (`<name>.gold.json` next to `<name>.<txt|json|csv|vtt>`).
 * The chat parsers are asynchronous, so the default set is read once when this module loads and
 * `loadEvalSet()` stays synchronous for callers that build test suites from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelledConversation } from '../../src/extract/evaluate.js';
import { readLabelledExport } from './export.js';
import { parseChatScript } from './script.js';

export const EVAL_DIR = join(process.cwd(), 'test', 'eval', 'conversations');
/**
 * Real exports written after the first rules were settled. Their misses were studied when the
 * rules were generalized, so they now count as a second development set.
 */
export const HELD_OUT_DIR = join(process.cwd(), 'test', 'eval', 'held-out');

/**
 * Real exports written from the labelling rules alone by someone who never saw the extractor's
 * rules or output. Scored once blind, then used to generalize the rules: a third development set.
 */
export const UNSEEN_DIR = join(process.cwd(), 'test', 'eval', 'unseen');
/**
 * Real exports written the same way, in settings used nowhere else, and never used to tune the
 * extractor: how it does on chats it has not seen.
 */
export const BLIND_DIR = join(process.cwd(), 'test', 'eval', 'blind');

const GOLD = '.gold.json';

/** The export file a sidecar labels: the one other file sharing its base name. */
function exportFor(dir: string, files: string[], sidecar: string): string {
  const base = sidecar.slice(0, -GOLD.length);
  const found = files.filter((f) => f !== sidecar && f.startsWith(`${base}.`) && !f.endsWith('.chat.txt'));
  if (found.length !== 1) throw new Error(`${join(dir, sidecar)}: expected one export named ${base}.<ext>, found ${found.length}`);
  return found[0]!;
}

/** Chat scripts or raw exports. */
export type EvalSource = 'script' | 'export';

/** Every labelled conversation in `dir` (or only those of one source), in file-name order. */
export async function readEvalSet(dir = EVAL_DIR, only?: EvalSource): Promise<LabelledConversation[]> {
  const files = readdirSync(dir).sort();
  const out: Array<[string, LabelledConversation]> = [];
  for (const f of files) {
    if (f.endsWith('.chat.txt')) {
      if (only !== 'export') out.push([f, parseChatScript(readFileSync(join(dir, f), 'utf8'), f.replace(/\.chat\.txt$/, ''))]);
    } else if (f.endsWith(GOLD) && only !== 'script') {
      const file = exportFor(dir, files, f);
      out.push([file, await readLabelledExport(readFileSync(join(dir, file)), readFileSync(join(dir, f), 'utf8'), file)]);
    }
  }
  return out.sort((a, b) => a[0].localeCompare(b[0])).map(([, c]) => c);
}

const defaultSet = await readEvalSet();
const heldOutSet = await readEvalSet(HELD_OUT_DIR);
const unseenSet = await readEvalSet(UNSEEN_DIR);
const blindSet = await readEvalSet(BLIND_DIR);

/** The development set in test/eval/conversations (a fresh copy per call). */
export function loadEvalSet(): LabelledConversation[] {
  return structuredClone(defaultSet);
}

/** The held-out set in test/eval/held-out (a fresh copy per call). */
export function loadHeldOutSet(): LabelledConversation[] {
  return structuredClone(heldOutSet);
}

/** The unseen set in test/eval/unseen (a fresh copy per call). */
export function loadUnseenSet(): LabelledConversation[] {
  return structuredClone(unseenSet);
}

/** The blind set in test/eval/blind (a fresh copy per call). */
export function loadBlindSet(): LabelledConversation[] {
  return structuredClone(blindSet);
}
