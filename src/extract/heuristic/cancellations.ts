/**
 * Things called off or moved later in the chat: "the Friday sync is cancelled", "never mind, no
 * need to book Rosa's", "Thursday's off then", "the review call moves to Thursday 4pm".
 */
import type { DateMention } from './dates.js';
import { contentWords } from './similarity.js';

const CANCEL = /\b(?:cancel(?:l)?ed|cancel(?:l)?ing|(?:have to|need to|must|going to|gonna|['’]ll have to|had to|got to|gotta|let['’]s|we should|decided to)\s+(?:cancel|scrap|drop|skip)|scrapp(?:ed|ing)|(?:is|are|has been|have been|was|got)\s+(?:scrapped|dropped|shelved|called off)|(?:not|isn['’]t|won['’]t be|no longer)\s+going ahead|no (?!need|problem|worries|rush|hurry|idea|pressure|way|one|date|luck|time|thanks|clue|chance|longer|more\b|big deal|doubt|stress)[a-z'’]+(?:\s+[a-z'’]+)?\s+(?:this (?:year|week|weekend|time|month)|then|today|tonight|tomorrow|any ?more|after all)|called off|call(?:ing)? it off|(?:is|are|['’]s) off|off (?:then|now|this week)|not happening|no longer (?:happening|needed|necessary|on)|never ?mind|nvm|scratch that|no need to|don['’]?t need to|forget about|won['’]t be happening)\b/i;
const TODO_CANCEL = /\b(?:never ?mind|nvm|scratch that|no need to|don['’]?t need to|forget about|no longer needed|not needed)\b/i;
export const NOT_TARGET = new Set(
  'he she they them their it this that year bad news good fine sure have has got get move mov push postpon reschedul shift bump same time back forward instead cancel cancell cancelled canceled cancelling call off called never mind nvm scratch need no longer forget about happen happening sorry then now week today tonight tomorrow monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun guys everyone all folk too many out because sick ill due weather rain update heads unfortunately'.split(' '),
);

export interface Cancellation {
  /** Content words naming what is called off ("sync", "rosa"). */
  words: string[];
  /** Days named in the same sentence ("Thursday's off"). */
  days: string[];
  /** Only todos ("no need to ...") or events too. */
  todosOnly: boolean;
}

function dayKey(d: DateMention): string {
  const { year, month, day } = d.start.date;
  return `${year}-${month}-${day}`;
}

export function isCancellation(sentence: string): boolean {
  return CANCEL.test(sentence);
}

export function cancellationIn(sentence: string, dates: DateMention[]): Cancellation | null {
  if (!CANCEL.test(sentence)) return null;
  // "cancelled, I'll send notes instead": what is cancelled sits before the comma, mostly
  let words = contentWords(sentence.replace(/\b(?:i['’]ll|i will|we['’]ll)\b.*$/i, '')).filter((w) => !NOT_TARGET.has(w) && !/^\d/.test(w));
  // "found a box of flags, so no need to order any": what is called off is the action named after "no need to"
  const action = /\b(?:no need to|don['’]?t need to|no longer need to)\s+([^,.;!?]+)/i.exec(sentence);
  if (action) {
    const named = contentWords(action[1]!).filter((w) => !NOT_TARGET.has(w) && !/^\d/.test(w) && w !== 'any' && w !== 'one');
    if (named.length > 0) words = named.length > 1 ? named.slice(1) : named;
  }
  return {
    words,
    days: dates.map(dayKey),
    todosOnly: TODO_CANCEL.test(sentence) && !/\b(?:meeting|call|sync|dinner|party|game|match|practice|rehearsal|event|trip)\b/i.test(sentence),
  };
}

/** Does a cancellation hit an item with these content words and (for events) this day? */
export function cancels(c: Cancellation, item: Set<string>, itemDay: string | null): boolean {
  const shared = c.words.filter((w) => item.has(w)).length;
  if (c.days.length > 0 && itemDay !== null && !c.days.includes(itemDay)) return false;
  if (shared > 0) return true;
  return c.words.length === 0 && c.days.length > 0 && itemDay !== null;
}

export function dayKeyOf(date: { year: number; month: number; day: number }): string {
  return `${date.year}-${date.month}-${date.day}`;
}
