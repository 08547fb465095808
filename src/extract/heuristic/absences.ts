/**
 * A person away on a day the group is told about: "I'm off Friday", "Sam is on leave 20-24 March",
 * "Priya's out Thursday", "I'll be out of office on the 12th". An absence is a happening on the
 * team's calendar; "Sam is off" is not a cancellation the way "practice is off" is.
 */

export interface Absence {
  /** Offset of the subject in the text. */
  at: number;
  /** End of the absence phrase. */
  end: number;
  /** The name written as the subject, or null for the speaker ("I'm off"). */
  name: string | null;
  /** How the person is away, as a title word: "off", "on leave", "away", "out of office". */
  state: string;
}

const STATE =
  '(at\\s+(?:the\\s+)?(?:\\p{Lu}[\\p{L}’\'-]*(?:\\s+(?!(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\b)\\p{Lu}[\\p{L}’\'-]*)*|dentist|doctor|doctors|doctor[’\']s|hospital|clinic|vet|vets|vet[’\']s|bank|embassy|consulate|court|registry office|notary|lawyer|solicitor|accountant|site(?:\\s+in\\s+\\p{Lu}[\\p{L}’\'-]*)?|conference|airport)(?=\\s+(?:(?:with|in)\\s+\\S+\\s+)?(?:on\\s|all\\s|from\\s|next\\s|this\\s|tomorrow|today|[Mm]on|[Tt]ue|[Ww]ed|[Tt]hu|[Ff]ri|[Ss]at|[Ss]un|\\d|for\\s))|with\\s+(?:the|my|our)\\s+[\\p{L}’\'-]+(?:\\s+[\\p{L}’\'-]+)?(?=\\s+(?:all\\s|on\\s|this\\s|next\\s|tomorrow|today|[Mm]on|[Tt]ue|[Ww]ed|[Tt]hu|[Ff]ri|[Ss]at|[Ss]un))|off(?:\\s+sick|\\s+work)?(?!\\s+(?:to|for\\s+a|it|the\\s+\\w+|home|now|then|this\\s+week)\\b)|out\\s+of\\s+town|away(?!\\s+(?:from\\s+the\\s+desk|with\\s+it|game|match|kit|team|fixture))|out\\s+of\\s+(?:the\\s+)?office|ooo|OOO|on\\s+(?:annual\\s+|sick\\s+|parental\\s+|maternity\\s+|paternity\\s+|study\\s+|compassionate\\s+)?leave|on\\s+holiday|on\\s+hols|on\\s+vacation|on\\s+PTO|on\\s+pto|out(?=\\s+(?:on\\s|all\\s+day|from\\s|next\\s|this\\s|tomorrow|today|[Mm]on|[Tt]ue|[Ww]ed|[Tt]hu|[Ff]ri|[Ss]at|[Ss]un|\\d)))';
const SPEAKER = new RegExp(`(?:^|[^\\p{L}])([Ii](?:['’]m|\\s+am|['’]ll\\s+be|\\s+will\\s+be))\\s+(?:also\\s+|still\\s+|going\\s+to\\s+be\\s+)?${STATE}`, 'u');
const NAMED = new RegExp(`(?:^|[^\\p{L}])(\\p{Lu}[\\p{L}'’-]*)(?:\\s+is|['’]s|\\s+will\\s+be|['’]ll\\s+be)\\s+(?:also\\s+|still\\s+|going\\s+to\\s+be\\s+)?${STATE}`, 'u');

/**
 * The absence a sentence states. `isPerson` tells whether a capitalised subject names someone
 * ("Sam is off") rather than a thing ("Practice is off").
 */
/** "travelling to Abuja today for work": the speaker away in a place. */
const TRAVEL = /\b(?:(?:I['’]m|I am|I['’]ll be|I will be)\s+)?(?:travell?ing|flying|driving|heading|off)\s+to\s+(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?)/u;

export function absenceIn(text: string, isPerson: (name: string) => boolean): Absence | null {
  const travel = TRAVEL.exec(text);
  if (travel && !/\b(?:you|we|they|he|she)\s+(?:are|['’]re|is|['’]s)?\s*$/i.test(text.slice(0, travel.index))) return { at: travel.index, end: travel.index + travel[0].length, name: null, state: `in ${travel[1]}` };
  const me = SPEAKER.exec(text);
  if (me) {
    const at = me.index + me[0].indexOf(me[1]!);
    return { at, end: me.index + me[0].length, name: null, state: normalise(me[2]!) };
  }
  const named = NAMED.exec(text);
  if (named && isPerson(named[1]!)) {
    const at = named.index + named[0].indexOf(named[1]!);
    return { at, end: named.index + named[0].length, name: named[1]!, state: normalise(named[2]!) };
  }
  return null;
}

function normalise(state: string): string {
  const s = state.replace(/\s+/g, ' ').toLowerCase();
  if (s === 'ooo') return 'out of office';
  if (s === 'on pto') return 'on leave';
  if (s.startsWith('at ')) return state.replace(/\s+/g, ' ');
  return s.replace(/ the office$/, ' office');
}

/** Cheap test before the regexes run. */
export const ABSENCE_HINT = /\b(?:off|away|out|ooo|leave|holiday|hols|vacation|pto|travell?ing|with the|with my|with our)\b|\b(?:i['’]m|i am|i['’]ll be|i will be|is|['’]s)\s+at\s/i;
