/**
 * `npm run eval`: runs the heuristic extractor over the labelled evaluation set and prints
 * precision / recall / F1 and date, priority and assignee accuracy as a markdown table.
 * `--verbose` also lists every miss and every spurious item. `EVAL_SETS=dev,held-out,unseen`
 * limits the run to the named sets (dev, held-out, unseen, blind).
 */
import { extractHeuristic } from '../src/extract/index.js';
import { evaluate, formatReport } from '../src/extract/evaluate.js';
import type { LabelledConversation } from '../src/extract/evaluate.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabelledExport } from '../test/eval/export.js';
import { parseChatScript } from '../test/eval/script.js';

const GOLD = '.gold.json';

/**
 * The labelled conversations in `dir`, read the way test/eval/load.ts reads them, but only for the
 * sets asked for: importing load.ts would read every set, the held-back ones included.
 */
async function readSet(dir: string): Promise<LabelledConversation[]> {
  const files = readdirSync(dir).sort();
  const out: Array<[string, LabelledConversation]> = [];
  for (const f of files) {
    if (f.endsWith('.chat.txt')) {
      out.push([f, parseChatScript(readFileSync(join(dir, f), 'utf8'), f.replace(/\.chat\.txt$/, ''))]);
    } else if (f.endsWith(GOLD)) {
      const base = f.slice(0, -GOLD.length);
      const found = files.filter((g) => g !== f && g.startsWith(`${base}.`) && !g.endsWith('.chat.txt'));
      if (found.length !== 1) throw new Error(`${join(dir, f)}: expected one export named ${base}.<ext>, found ${found.length}`);
      out.push([found[0]!, await readLabelledExport(readFileSync(join(dir, found[0]!)), readFileSync(join(dir, f), 'utf8'), found[0]!)]);
    }
  }
  return out.sort((a, b) => a[0].localeCompare(b[0])).map(([, c]) => c);
}

const verbose = process.argv.includes('--verbose');
const dir = (name: string) => join(process.cwd(), 'test', 'eval', name);
const sets: Array<[string, string, string]> = [
  ['dev', 'development set (test/eval/conversations)', dir('conversations')],
  ['held-out', 'second development set of real exports (test/eval/held-out)', dir('held-out')],
  ['unseen', 'third development set, scored blind once (test/eval/unseen)', dir('unseen')],
  ['blind', 'blind set, never used for tuning (test/eval/blind)', dir('blind')],
];
// EVAL_SETS=dev,held-out,unseen scores only the named sets (all of them when unset), so that
// work on the rules never loads, scores or prints a set kept back for a final, one-off measure.
const wanted = process.env.EVAL_SETS?.split(',').map((name) => name.trim()).filter(Boolean);
if (wanted) {
  const unknown = wanted.filter((name) => !sets.some(([key]) => key === name));
  if (unknown.length) throw new Error(`EVAL_SETS names unknown sets: ${unknown.join(', ')} (known: ${sets.map(([key]) => key).join(', ')})`);
}
for (const [, title, path] of sets.filter(([key]) => !wanted || wanted.includes(key))) {
  const conversations = await readSet(path);
  const { report, scores } = evaluate(conversations, extractHeuristic);
  console.log(`\n## heuristic extractor, ${title}\n`);
  console.log(formatReport(report));
  if (verbose) {
    for (const s of scores) {
      const lines: string[] = [];
      for (const g of s.todos.unmatchedGold) lines.push(`  missed todo   [${g.messageIds[0]}] ${g.text}`);
      for (const p of s.todos.unmatchedPredicted) lines.push(`  extra todo    [${p.source.messageId}] ${p.text}`);
      for (const g of s.events.unmatchedGold) lines.push(`  missed event  [${g.messageIds[0]}] ${g.title} ${g.startsAt ?? 'TBD'}`);
      for (const p of s.events.unmatchedPredicted) lines.push(`  extra event   [${p.source.messageId}] ${p.title} ${p.startsAt ?? 'TBD'}`);
      for (const { predicted: p, gold: g } of s.todos.pairs) {
        const notes: string[] = [];
        if ((p.dueAt ?? '-') !== (g.dueAt ?? '-')) notes.push(`due ${p.dueAt ?? '-'} vs ${g.dueAt ?? '-'}`);
        if (p.priority !== g.priority) notes.push(`priority ${p.priority} vs ${g.priority}`);
        if ((p.assignee ?? '-').split(' ')[0]!.toLowerCase() !== (g.assignee ?? '-').split(' ')[0]!.toLowerCase()) notes.push(`assignee ${p.assignee ?? '-'} vs ${g.assignee ?? '-'}`);
        if (notes.length) lines.push(`  todo ~        [${g.messageIds[0]}] ${p.text}: ${notes.join('; ')}`);
      }
      for (const { predicted: p, gold: g } of s.events.pairs) {
        if ((p.startsAt ?? '-') !== (g.startsAt ?? '-') || p.allDay !== g.allDay) lines.push(`  event ~       [${g.messageIds[0]}] ${p.title}: ${p.startsAt ?? 'TBD'}${p.allDay ? ' (all day)' : ''} vs ${g.startsAt ?? 'TBD'}${g.allDay ? ' (all day)' : ''}`);
      }
      if (lines.length) console.log(`\n${s.name}\n${lines.join('\n')}`);
    }
  }
}
