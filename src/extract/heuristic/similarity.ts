/** Word-level similarity of two short texts (todo texts, event titles). */

const STOP = new Set(
  'a an the to of for and or with at on in by from up out it its this that these those my our your his her their me us you we i be is are was will can could would should please let lets just also too some any all get got do does go going'.split(' '),
);

/** Lower-cased content words, lightly stemmed; "Rosa's" -> "rosa", "tickets" -> "ticket". */
export function contentWords(text: string): string[] {
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]s\b/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP.has(w));
  return words.map(stem);
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed') && !word.endsWith('eed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Dice coefficient over content words, 0..1. */
export function textSimilarity(a: string, b: string): number {
  return wordSimilarity(new Set(contentWords(a)), new Set(contentWords(b)));
}

/** Dice coefficient of two sets of content words. */
export function wordSimilarity(wa: Set<string>, wb: Set<string>): number {
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared += 1;
  return (2 * shared) / (wa.size + wb.size);
}
