/**
 * The development sets, read once when this module loads so that `loadEvalSet()` and
 * `loadHeldOutSet()` stay synchronous for callers that build test suites from them.
 * (test/eval/sets.ts reads any set on demand.)
 */
import type { LabelledConversation } from '../../src/extract/evaluate.js';
import { EVAL_DIR, HELD_OUT_DIR, readEvalSet } from './sets.js';

export { EVAL_DIR, HELD_OUT_DIR, readEvalSet, type EvalSource } from './sets.js';

const defaultSet = await readEvalSet(EVAL_DIR);
const heldOutSet = await readEvalSet(HELD_OUT_DIR);

/** The development set in test/eval/conversations (a fresh copy per call). */
export function loadEvalSet(): LabelledConversation[] {
  return structuredClone(defaultSet);
}

/** The held-out set in test/eval/held-out (a fresh copy per call). */
export function loadHeldOutSet(): LabelledConversation[] {
  return structuredClone(heldOutSet);
}
