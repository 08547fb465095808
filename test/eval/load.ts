/** Loads the labelled evaluation set from test/eval/conversations. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelledConversation } from '../../src/extract/evaluate.js';
import { parseChatScript } from './script.js';

export const EVAL_DIR = join(process.cwd(), 'test', 'eval', 'conversations');

export function loadEvalSet(dir = EVAL_DIR): LabelledConversation[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.chat.txt'))
    .sort()
    .map((f) => parseChatScript(readFileSync(join(dir, f), 'utf8'), f.replace(/\.chat\.txt$/, '')));
}
