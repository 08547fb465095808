/**
 * `npm run eval`: runs the heuristic extractor over the labelled evaluation set and prints
 * precision / recall / F1 and date, priority and assignee accuracy as a markdown table.
 * `--verbose` also lists every miss and every spurious item. `EVAL_SETS=dev,held-out,unseen`
 * limits the run to the named sets (dev, held-out, unseen, fresh, blind, blind-2, blind-3, blind-4).
 */
import { extractHeuristic } from '../src/extract/index.js';
import { evaluate, formatReport } from '../src/extract/evaluate.js';
import { EVAL_SETS, readEvalSet } from '../test/eval/sets.js';

const verbose = process.argv.includes('--verbose');
// EVAL_SETS=dev,held-out,unseen scores only the named sets (all of them when unset), so that
// work on the rules never loads, scores or prints a set kept back for a final, one-off measure.
const wanted = process.env.EVAL_SETS?.split(',').map((name) => name.trim()).filter(Boolean);
if (wanted) {
  const unknown = wanted.filter((name) => !EVAL_SETS.some((set) => set.key === name));
  if (unknown.length) throw new Error(`EVAL_SETS names unknown sets: ${unknown.join(', ')} (known: ${EVAL_SETS.map((set) => set.key).join(', ')})`);
}
for (const { title, dir } of EVAL_SETS.filter((set) => !wanted || wanted.includes(set.key))) {
  const conversations = await readEvalSet(dir);
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
