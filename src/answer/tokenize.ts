/**
 * Search terms from free text: accents folded, lower-cased, stop words removed, light suffix
 * stemming so that "meetings", "meeting" and "meet" meet.
 */

const STOP_WORDS = new Set(
  (
    // English
    'a about above after again all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers him his how ' +
    'i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own ' +
    'same she should so some such than that the their theirs them then there these they this those through to too under ' +
    'until up very was we were what when where which while who whom why will with would you your yours ' +
    'anyone anything someone something please thanks thank hi hello hey ok okay yes yeah know think get got say said tell ' +
    // Spanish, German, French (chats are often mixed)
    'el la los las un una de del que y en por con para es se lo al como mas pero sus su ya o este esta ' +
    'der die das und ist nicht ein eine zu den von mit sich des auf fur im dem es wir ich sie er ' +
    'le les des du et est une pour pas que qui dans ce il elle nous vous sur au'
  ).split(' '),
);

const NON_ASCII = /[^\u0000-\u007f]/;

/** Lower case without diacritics: "Réunion" -> "reunion". */
export function foldText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** A light English stemmer: plural, -ing, -ed, -ment and a final -e come off. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  else if (w.endsWith('ment') && w.length > 7) w = w.slice(0, -4);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/** Word -> term ('' for a stop word). Chat vocabularies are small, so most words hit this memo. */
const memo = new Map<string, string>();
const MEMO_LIMIT = 200_000;

function termOf(word: string): string {
  let term = memo.get(word);
  if (term === undefined) {
    term = (word.length < 2 && !/\d/.test(word)) || STOP_WORDS.has(word) ? '' : stem(word);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(word, term);
  }
  return term;
}

/** Search terms of a text, in order, duplicates kept. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  const folded = foldText(text);
  const words = NON_ASCII.test(folded) ? folded.split(/[^\p{L}\p{N}]+/u) : folded.split(/[^a-z0-9]+/);
  for (const word of words) {
    if (word === '') continue;
    const term = termOf(word);
    if (term !== '') terms.push(term);
  }
  return terms;
}
