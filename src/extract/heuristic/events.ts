/**
 * Event candidates in one sentence: a happening (meeting, match, launch, deadline, delivery ...)
 * with the date the sentence gives it, or TBD when it is planned without a date.
 */
import type { Clause } from './clauses.js';
import type { DateMention } from './dates.js';
import { DATE_HINT, isTimeOnly } from './dates.js';
import { ABSENCE_HINT, absenceIn } from './absences.js';

export interface EventCandidate {
  title: string;
  /** null: TBD. */
  date: DateMention | null;
}

const NOUNS =
  'meeting|meetings|meetup|meet-up|sync|standup|stand-up|call|review|demo|retro|retrospective|interview|lunch|dinner|breakfast|brunch|drinks|party|bbq|barbecue|picnic|game|match|practice|training|rehearsal|rehearsals|gig|concert|show|performance|recital|appointment|ceremony|wedding|launch|release|deadline|kickoff|kick-off|workshop|webinar|conference|seminar|presentation|defen[cs]e|exam|trip|hike|tasting|fitting|tournament|raid|session|bake sale|sale|fair|festival|delivery|inspection|visit|handover|hand-over|work day|workday|clean-up drive|drive|shoot|photo shoot|offsite|retreat|agm|gala|reunion|celebration|class|lesson|briefing|freeze|go-live|cutover|maintenance|flight|postmortem|post-mortem|1:1|one-on-one|evening|recertification|check-up|checkup|cleaning|viewing|open house|bash|hackathon|sprint planning|planning|screening|party|audit|discharge|supervision|social|camp|race|regatta|walkthrough|walk-through|recce|set build|working bee|vaccination|surgery|scan|graduation|orientation|induction|funeral|christening|baptism|fundraiser|raffle|auction|quiz|tour|premiere|exhibition|parade|fete|carnival|photo call|photo|move|round|night|day|tech|spay|neuter|desexing|castration|operation|procedure|x-ray|ultrasound|mri|physio|jab|booster|blood test|check|flights|departure|return|day trip|road trip|excursion|outing|cruise|check-in|check-out|collection|installation|install|removal|shutoff|shut-off|shutdown|outage|power cut|servicing|service|drill|talk|lecture|keynote|masterclass|demonstration|open day|move-in|move-out|moving day|reception|car wash|live show|talent show|trade show|fashion show|dog show|art show|car show|air show|flower show|roadshow' +
  // everyday happenings of teams, clubs, families and offices
  '|stag do|hen do|stag party|hen party|stag weekend|hen weekend|mtg|mtgs|appt|appts|bday|b-day|birthday|birthday party|bday party|anniversary|hangout|train|coach trip|ferry|walk|photo walk|night walk|group walk|guided walk|nature walk|sponsored walk|charity walk|walking tour|stall|market stall|market|farmers market|craft fair|group booking|party booking|school booking|xmas do|christmas do|leaving do|birthday do|farewell do|retirement do|staff do|works do|office do|summer do|panel|panel discussion|reveal|cover reveal|unveiling|launch party|book signing|ga|beta|test|cutoff|cut-off|ride|bike ride|group ride|time trial|comp|competition|championship|championships|tryout|tryouts|trials|scrimmage|fixture|playoff|playoffs|semi-final|semifinal|final|finals|heat|regatta|marathon|half marathon|parkrun|fun run|5k|10k|triathlon|swim meet|track meet|weigh-in' +
  '|refresher|certification|assessment|consultation|consult|evaluation|appraisal|review meeting|catch-up|catchup|catch up call|debrief|huddle|all-hands|all hands|town hall|townhall|assembly|onboarding|bootcamp|boot camp|course|office hours|drop-in|open evening|info session|q&a|ama|livestream|broadcast|hearing|mediation|signing|closing|walk-through' +
  '|dentist|orthodontist|optician|physio|therapy|counselling|haircut|checkup|smear|mammogram|biopsy|blood draw|immunisation|immunization' +
  '|engagement|engagement party|playtest|play test|ophthalmologist|optometrist|optician appointment|gp appointment|viva|driving test|tooth extraction|nursing exam|toolbox talk|slab pour|concrete pour|bump in|bump-in|bump out|swap meet|road closure|closure|zoom call|teams call|video call|meet and greet|meet-and-greet|induction day|first day|burial|interment|service of songs|church service|memorial service|funeral service|thanksgiving service|check up|iftar|tarawih|eid prayers|sleepover|playdate|play date|potluck|hangout|get-together|cookout|braai|fika|happy hour|mixer|meal|supper|banquet|prom|disco|ceilidh|karaoke|bowling|bingo|open mic|jam session|soundcheck|sound check|read-through|run-through|table read|audition|auditions|callback|load-in|get-in|setup|set-up|stocktake|stock take|pickup|pick-up|clean-up|cleanup|litter pick|expo|convention|symposium|colloquium|summit|vigil|memorial|wake|mass';
/** Longest first, so "move-in" and "day trip" are read whole rather than as "move" and "day". */
const NOUN_ALTERNATIVES = (() => {
  // grouped by first letter, so the regex engine tries only the words that can start here
  const groups = new Map<string, string[]>();
  for (const w of new Set(NOUNS.split('|'))) groups.set(w[0]!, [...(groups.get(w[0]!) ?? []), w.slice(1)]);
  return [...groups].map(([first, rest]) => `${first}(?:${rest.sort((a, b) => b.length - a.length).join('|')})`).join('|');
})();
/** The nouns and their plurals ("parent-teacher conferences", "tryouts", "inductions"). */
const NOUN_RE = new RegExp(`\\b(?:${NOUN_ALTERNATIVES})(?:e?s)?\\b`, 'gi');
const EXACT_NOUN = new RegExp(`^(?:${NOUNS})$`, 'i');
/** "placement tests this Thursday": a plural of a happening with its day right after ("your socials today" is not). */
function pluralOnDay(text: string, at: number, word: string): boolean {
  return EXACT_NOUN.test(word.replace(/e?s$/i, '')) && DAY_AFTER.test(text.slice(at + word.length)) && !/\b(?:your|my|his|her|their|our|its)\s+$/i.test(text.slice(Math.max(0, at - 8), at));
}
/** A plural of a word that is an event only in some uses ("calls", "shows", "days"): not read as one. */
function ambiguousPlural(word: string): boolean {
  if (EXACT_NOUN.test(word) || !/s$/i.test(word)) return false;
  const one = word.replace(/e?s$/i, '');
  return AMBIGUOUS.test(one) || AMBIGUOUS.test(word.slice(0, -1)) || !EXACT_NOUN.test(one) && !EXACT_NOUN.test(word.slice(0, -1));
}
const ARRIVAL = /\b((?:is|are|['’]re|will be)\s+closed(?=\s+(?:on\s+|for\s+|this\s+|next\s+|all\s+)?(?:mon|tue|wed|thu|fri|sat|sun|good friday|easter|christmas|boxing|new year|\d|tomorrow|the\s+\d))|(?:is\s+|are\s+)?confirmed for|goes to print|go to print|(?:can|will|['’]ll)\s+come(?:\s+(?:in|over|round|by))?|sets? (?:off|sail)|departs|(?:is|are|['’]s)\s+every(?=\s+(?:mon|tue|wed|thu|fri|sat|sun|day|week|morning|evening|night))|mov(?:es|ing) (?:out|in)\b|takes place|taking place|is happening|will be held|is being held|(?:is|are) scheduled for|(?:is|are) set for|(?:is|are) planned for|lands|landing|arrives?|arriving|(?:(?:is|are)\s+)?(?:dropping|popping|stopping|swinging|drops|pops|stops|swings)\s+(?:by|in|over|round)|visiting|visits|(?:can|will|['’]ll|should|could|are due to|is due to)\s+start|is coming|are coming|comes|coming|(?:will|['’]ll) be back|comes back|coming back|goes out|ships|goes live|go live|opens|open(?!\s+(?:till|until|from|late|all|24|daily|every))|closes|close|starts|begins|kicks off|expires|expire|is due|are due|due|is booked|are booked|booked for|(?:gets|get|is getting|are getting|is being|are being)\s+[a-z]+(?:ed|en|ilt|aid))\b/i;
const PAST = /\b(?:as agreed|agreed at|thanks? (?:all |everyone |everybody |guys |both |you )?for (?:the|a|today['’]s|this morning['’]s|tonight['’]s)|had|was|were|went|did|held|took place|happened|attended|enjoyed|last (?:week|night|time|month|year|weekend|season|summer|winter|spring|autumn|fall|mon|tue|wed|thu|fri|sat|sun)\w*|yesterday|ago|earlier today|this morning's|last)\b/i;
const TBD = /\b(?:tbd|tbc|tba|no date yet|date (?:is )?(?:still )?(?:open|tbd|tbc|to be (?:decided|confirmed|announced))|(?:pick|set|find|choose|decide on|agree on|fix) a date|not sure when|at some point|some ?time|in the (?:spring|summer|autumn|fall|winter)|(?:next|this) (?:spring|summer|autumn|fall|winter)|later this (?:year|month)|planned for (?:spring|summer|autumn|fall|winter|next year)|sometime in \w+|in (?:january|february|march|april|may|june|july|august|september|october|november|december)|\w+ sometime|some ?day|one of these days|at some stage|in the new year|next year|after (?:christmas|easter|the holidays|the summer|half term)|in a (?:few|couple of) (?:weeks|months)|(?:date|time) (?:to follow|tbc|tbd))\b/i;
const PLANNING = /\b(?:we should|let['’]s|need to|we['’]ll need to|should we|plan(?:ning)? (?:a|an|the)|organi[sz]e (?:a|an|the)|set up (?:a|an|the)|schedule (?:a|an|the)|invite \w+ for|thinking)\b/i;
const SKIP_TITLE = new Set(
  'the a an our my your his her their this that next last is are was on at for to in and we have has had reminder also btw about of with from by be will its it also so just heads up fyi ok great yes ct et pt mt cet cest utc gmt bst est pst edt pdt cdt mdt aest aedt ist the new he she they i you we he’s he\'s she\'s she’s they\'re they’re it\'s it’s we\'re we’re he\'ll he’ll she\'ll she’ll they\'ll they’ll'.split(' '),
);
const DAY_WORD = /^(?:today|tonight|tomorrow|tmrw|next|this|last|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|\w+day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d+(?:st|nd|rd|th))$/i;
/** A noun followed by one of these is a modifier, not the event: "dinner shift", "launch day runbook". */
const MODIFIED = /^\s+(?:day\s+)?(?:sheets?|blockers?|issues?|bugs?|shift|time|room|notes|link|invite|invitation|slot|plan|rush|menu|comments|kits?|budget|venue|list|runbook|checklist|docs?|document|agenda|slides|deck|prep|recording|summary|minutes|details|schedule|forms?|tickets|photos|playlist|outfit|copy|page|rules|mic|mics|rooming|seating|guest list|security|files?|money|fees?|flyers?|posters?|leaflets?|banners?|signs?|rota|sign-?up|volunteers|update|updates|news|recap)\b/i;
const MEET = /\b(?:let['’]s meet|we meet|meet up|meeting up|we['’]re meeting|get together)\b/i;
const VERB_USE = /\b(?:you|to|i|we|i['’]ll|we['’]ll|will|can|could|should|please|let['’]s|must|would|pls)\s+$/i;

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

const MOVE_VERB = /^(?:mov(?:e|ed|es|ing)|push(?:ed|es|ing)?|postpon\w*|reschedul\w*|cancel\w*|do|doing|have|having|hold|holding|host|hosting|organi[sz]\w*|plan|planning|book|booked)$/i;

function titleAround(clause: string, at: number, length: number): string {
  // "First thing: engagement shoot": a heading before a colon is not part of the name
  // "@channel code freeze": a mention is no part of the name
  const before = words(clause.slice(clause.lastIndexOf(':', at) + 1, at).replace(/@[\p{L}\p{N}_.-]+/gu, ' ').replace(/[^\p{L}\p{N}\s.'’&/-]/gu, ' '));
  const picked: string[] = [];
  for (let i = before.length - 1; i >= 0 && picked.length < 3; i -= 1) {
    const w = before[i]!.replace(/^[.'’-]+|[.'’-]+$/g, '');
    if (!w || SKIP_TITLE.has(w.toLowerCase()) || DAY_WORD.test(w) || /^\d{1,2}(?::\d{2})?(?:am|pm)?$/i.test(w) || MOVE_VERB.test(w)) break;
    picked.unshift(w);
  }
  let title = [...picked, clause.slice(at, at + length)].join(' ');
  // "Crew call 7am at the pier": a time between the noun and its place is skipped
  const tail = /^\s+(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|AM|PM)?\s+)?((?:with|vs\.?|versus|at|about|for|of|to|by)\s+((?:the\s+)?[\p{L}\p{N}'’.-]+(?:\s+[\p{Lu}\p{N}][\p{L}\p{N}'’.-]*){0,2}))/u.exec(clause.slice(at + length));
  const tailHead = tail?.[2]?.replace(/^the\s+/i, '').split(/\s+/)[0] ?? '';
  if (tail?.[2] && !DAY_WORD.test(tailHead) && !/^\d/.test(tailHead)) title += ` ${tail[1]!.replace(/[,.;!?]+$/, '')}`;
  title = title.replace(/\s+/g, ' ').trim();
  return title.charAt(0).toUpperCase() + title.slice(1);
}

function subjectTitle(clause: string, at: number, verb: string): string {
  // "Deposits (£20) are due": an amount in brackets is no part of the name
  // ("C14 - Hendersons' cat moves out": a label before a dash is no part of the name)
  const head = clause.slice(0, at).split(/\s[-–—]\s/).pop()!;
  const before = words(head.replace(/\s*[(][^)]{0,24}[)]/g, ' ').replace(/[^\p{L}\p{N}\s.'’-]/gu, ' ')).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const picked: string[] = [];
  for (let i = before.length - 1; i >= 0 && picked.length < 6; i -= 1) {
    const w = before[i]!;
    // "Green bean shipment from Colombia lands": a place or origin after the thing is read through to the thing
    // ("subs for the summer term are due": read through "for the" to the thing)
    if (/^the$/i.test(w) && picked.length > 0 && picked.length <= 2 && i > 1 && /^(?:for|of|from)$/i.test(before[i - 1]!) && !SKIP_TITLE.has(before[i - 2]!.toLowerCase())) {
      picked.unshift(before[i - 1]!.toLowerCase(), w);
      i -= 1;
      continue;
    }
    if (/^(?:from|of|for)$/i.test(w) && picked.length > 0 && picked.length <= 4 && i > 0 && !SKIP_TITLE.has(before[i - 1]!.toLowerCase())) {
      picked.unshift(w);
      continue;
    }
    // ("chandlery order is landing Thursday": the auxiliary before the verb is skipped)
    if (picked.length === 0 && /^(?:is|are|was|were|will|be|being|now|also|still|already|just)$/i.test(w) && /ing$/i.test(verb)) continue;
    if (SKIP_TITLE.has(w.toLowerCase()) || DAY_WORD.test(w) || /^\d{1,2}(?:[:.]\d{2}(?:am|pm)?|am|pm|h)$/i.test(w) || (picked.length >= 3 && !picked.some((p) => /^(?:from|of|for)$/i.test(p))) || picked.length >= 6) break;
    picked.unshift(w);
  }
  // ("we're closed Monday for Ognissanti": a closure of whoever speaks)
  if (picked.length === 0) return /closed$/i.test(verb) ? 'Closed' : '';
  if (/closed$/i.test(verb)) return `${picked.join(' ').replace(/^\p{Ll}/u, (c) => c.toUpperCase())} closed`;
  const v = verb.toLowerCase().replace(/^(?:is|are) /, '');
  // ("infaq box count is every Friday": a schedule is named by its subject alone)
  const title = /\bevery$|^confirmed for$/.test(v) ? picked.join(' ') : `${picked.join(' ')} ${/due|close|expire/.test(v) ? v.replace(/^(?:closes|close)$/, 'close').replace(/^expires?$/, 'expires') : v}`;
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** Picks the clause's date for the thing at `at`: the first day-naming mention after it, else before. */
function dateFor(dates: DateMention[], at: number, rescheduledAt: number, text = ''): DateMention | null {
  // "race 1 is Saturday, briefing 12:30": a time in the noun's own stretch of the sentence is its time
  if (text && rescheduledAt < 0) {
    const from = Math.max(text.lastIndexOf(',', at), text.lastIndexOf(':', at), text.lastIndexOf(' - ', at));
    const next = text.slice(at).search(/,|\s[-–]\s/);
    const to = next < 0 ? text.length : at + next;
    const own = dates.find((d) => d.index > from && d.index < to && d.index >= at - 12);
    if (own && isTimeOnly(own) && dates.some((d) => !isTimeOnly(d) && d.index < from)) return own;
  }
  const usable = dates.filter((d) => !isTimeOnly(d) || dates.every((o) => isTimeOnly(o)));
  if (usable.length === 0) return null;
  if (rescheduledAt >= 0) return dateAfter(dates, rescheduledAt) ?? usable[usable.length - 1] ?? null;
  return usable.find((d) => d.index >= at) ?? usable[usable.length - 1] ?? null;
}

/** "moved to Thursday", "push the training to 2pm", "move her visit from Wednesday to Friday at 4". */
export const RESCHEDULE =
  /\b(?:mov(?:e|ed|es|ing)|push(?:ed|es|ing)?|postpon(?:e|ed|es|ing)|reschedul(?:e|ed|es|ing)|shift(?:ed|s|ing)?|bump(?:ed|s|ing)?|chang(?:ed|es|ing)(?=\s+(?:the|their|our|his|her|its|it)\b)|brought|bring(?:ing)?(?=\s+(?:it\s+|\S+\s+)?forward))\b(?:[^,.;!?]{0,50}?)\s(?:to|until|till)\s|\breschedul\w*\s+for\s/i;

export interface Reschedule {
  /** Offset of the moving verb in the sentence. */
  at: number;
  /** The comma-separated part of the sentence holding the move: [from, end). */
  from: number;
  end: number;
  /** Offset just after "to": the new date is the first mention from here. */
  to: number;
  /** The stretch of the sentence naming what moves: its own comma segment up to "to". */
  subject: string;
  /** Told as the new state ("it's now next Tuesday at 2", "running late, now 9:15") rather than a move. */
  now?: boolean;
  /** Moved by an amount ("pushed back a week", "brought forward two days"): minutes to add when no new day is given. */
  shiftMinutes?: number;
}

/** "pushed back a week", "moved forward by two days", "delayed an hour, so Oct 1st same time". */
export const MOVE_BY =
  /\b(?:push(?:ed|es|ing)?|mov(?:e|ed|es|ing)|put(?:ting)?|bump(?:ed|s|ing)?|postpon(?:e|ed|es|ing)|delay(?:ed|s|ing)?|slip(?:ped|s|ping)?|brought|bring(?:ing)?|shift(?:ed|s|ing)?)\s+(?:it\s+|things\s+|everything\s+)?(back|forward|up|out|later|earlier)?\s*(?:by\s+)?(an?|one|two|three|four|half an?|\d+)\s+(day|week|hour|fortnight)s?\b(?:\s+(?:later|earlier))?(?:,?\s*(?:so|to|till|until|now|i\.e\.?|which makes it|making it)\s+(?:it['’]s\s+|that['’]s\s+)?(?:now\s+)?(?:on\s+)?)?/i;
const AMOUNT: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4 };
const UNIT_MINUTES: Record<string, number> = { hour: 60, day: 1440, week: 10080, fortnight: 20160 };

/** "got moved - it's now next Tuesday at 2", "running late, now 9:15": the new time told as the state of things. */
const NOW_MOVE = /\b(?:(?:it['’]s|it is|is|are|they['’]re|that['’]s|we['’]re)\s+)?now\s+(?:(?:coming|happening|starting|arriving|booked|scheduled|set|taking place|going ahead|being held|planned)\s+)?(?:at\s+|on\s+|for\s+)?(?=the\s+\d|\d{1,2}(?:[:.]\d{2}|\s*(?:am|pm))|next\s|this\s|tomorrow|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)/i;

const BOOKED_FOR = /\b(?:booked|scheduled|pencil+ed|confirmed|set|fixed)\s+(?:(?:her|him|them|us|it|you|me|\p{Lu}[\p{L}'’-]*)\s+)?(?:in\s+)?for\s+/u;

/** "let's do it Sunday the 5th instead": the new day of the happening in hand. */
const INSTEAD_MOVE = /\b(?:do|have|hold|make|run)\s+it\s+(?:on\s+)?(?=[^.!?]{0,40}\binstead\b)|\b(?:(?:he|she|they|it)(?:['’]s|['’]re|\s+is|\s+are|['’]ll\s+be|\s+will\s+be)|(?:can|will|['’]ll)(?:\s+now)?)\s+(?:coming|come|arriving|happening|starting)\s+(?:on\s+)?(?=[^.!?,]{0,30}\binstead\b)/i;

/** The move a statement announces, or null. */
const MOVE_HINT = /\b(?:mov|push|postpon|reschedul|shift|bump|brought|bring|now\s|instead|delay|put|slip|chang)/i;

export function rescheduleIn(text: string): Reschedule | null {
  if (!MOVE_HINT.test(text)) return null;
  const by = RESCHEDULE.exec(text) ? null : MOVE_BY.exec(text);
  if (by) {
    const amount = /^half/i.test(by[2]!) ? 0.5 : (AMOUNT[by[2]!.toLowerCase()] ?? Number(by[2]));
    const sign = /^(?:forward|up|earlier)$/i.test(by[1] ?? '') || /\bearlier\b/i.test(by[0]) || /^(?:brought|bring)/i.test(by[0]) ? -1 : 1;
    const start = Math.max(text.lastIndexOf(',', by.index), text.lastIndexOf(':', by.index)) + 1;
    const to = by.index + by[0].length;
    const next = text.slice(to).search(/,\s|;/);
    return { at: by.index, from: start, end: next < 0 ? text.length : to + next, to, subject: text.slice(start, by.index), shiftMinutes: sign * amount * UNIT_MINUTES[by[3]!.toLowerCase()]! };
  }
  const m = RESCHEDULE.exec(text) ?? NOW_MOVE.exec(text) ?? INSTEAD_MOVE.exec(text);
  if (!m) return null;
  const now = !/^(?:mov|push|postpon|reschedul|shift|bump|brought|bring)/i.test(m[0]);
  // "Change of plan for Sintra, ..., let's do it Sunday the 5th instead": "it" is named earlier in the sentence
  const start = /^(?:do|have|hold|make|run)\s+it\b/i.test(m[0]) ? 0 : Math.max(text.lastIndexOf(',', m.index), text.lastIndexOf(':', m.index)) + 1;
  const to = m.index + m[0].length;
  const subject = text.slice(start, to).replace(/\bfrom\s+\S+(?:\s+\S+)?\s+(?=to\s*$)/i, ' ').replace(/\s(?:to|until|till|for)\s*$/i, '');
  const next = text.slice(to).search(/,\s|;/);
  return { at: m.index, from: start, end: next < 0 ? text.length : to + next, to, subject, now };
}

const PURPOSE_NOUN: Record<string, string> = {
  demo: 'demo',
  demonstrate: 'demo',
  present: 'presentation',
  show: 'demo',
  fit: 'fitting',
  install: 'installation',
  inspect: 'inspection',
  service: 'service',
  survey: 'survey',
  measure: 'measure-up',
  assess: 'assessment',
  quote: 'quote visit',
  fix: 'repair',
  repair: 'repair',
  collect: 'collection',
  deliver: 'delivery',
  test: 'test',
  clean: 'clean',
};
/** "wants to come in next Tuesday at 3 to demo the new dental unit": someone visiting to do a job. */
const VISIT_FOR = new RegExp(
  `\\b(?:come|comes|coming|pop|popping|drop|dropping|stop|stopping|call|calling)\\s+(?:in|over|round|around|by|out)\\b[^,;!?]{0,40}?\\bto\\s+(${Object.keys(PURPOSE_NOUN).join('|')})\\s+(?:(?:the|our|a|an|your|their|us)\\s+)?((?:new\\s+)?[\\p{L}\\p{N}'’-]+(?:\\s+[\\p{L}\\p{N}'’-]+)?)`,
  'iu',
);
/** "Hydrotec are picking pump 2 up Monday", "the council is collecting the skip on Friday": a named firm doing a job. */
const FIRM_JOB = /(?:^|[.!:]\s*|\b(?:the|our)\s+)((?:\p{Lu}[\p{L}\p{N}&'’-]*\s+){1,3}|(?:council|plumber|plumbers|electrician|electricians|contractors?|engineers?|technician|removal(?:ist)?s?|movers|builders?|roofers?|installers?|courier|landlord|agent)\s+)(?:is|are|['’]re|['’]s|will be)\s+(picking|collecting|delivering|dropping|fitting|installing|servicing|inspecting|fixing|repairing|replacing|removing|testing|cleaning|surveying)\s+((?:(?!up\b|off\b|on\b|next\b|this\b|tomorrow\b|today\b)[\p{L}\p{N}'’-]+\s+){0,3})(up\s+|off\s+)?/u;
/** "we fly out Thursday", "we're flying home on the 6th": the flight. */
const FLY = /\b(?:we|i|they|he|she|you)(?:['’]re|\s+are|['’]m|\s+am|\s+is|['’]s)?\s+(?:fly|flying|flies)\b(?:\s+(?:out|back|home|in))?/i;

const ASK_TO_CHANGE = /\b(?:can|could|should|shall|do)\s+(?:we|you|i)\s+(?:please\s+)?(?:move|push|postpone|reschedule|cancel|shift|bump|call off)\b/i;

/** Cheap test for a visit, a firm's job or a flight. */
const JOB_HINT = /\b(?:fly|flying|flies|come|comes|coming|pop|popping|drop|dropping|stop|stopping|calling|picking|collecting|delivering|fitting|installing|servicing|inspecting|fixing|repairing|replacing|removing|testing|cleaning|surveying)\b/i;

function visitOrJob(text: string): { title: string; at: number } | null {
  const visit = VISIT_FOR.exec(text);
  if (visit) {
    const noun = PURPOSE_NOUN[visit[1]!.toLowerCase()]!;
    const object = visit[2]!.replace(/^new\s+/i, '').replace(/\s+(?:on|at|in|for|next|this|tomorrow|today|\w+day)$/i, '');
    const title = `${object} ${noun}`;
    return { title: title.charAt(0).toUpperCase() + title.slice(1), at: visit.index };
  }
  const job = FIRM_JOB.exec(text);
  if (job && !/^(?:i|we|you|he|she|they|it)\s+$/i.test(job[1]!)) {
    const title = `${job[1]!.trim()} ${job[2]!.toLowerCase()} ${job[4] ? job[4].trim() + ' ' : ''}${job[3]!.trim()}`.replace(/\s+/g, ' ').trim();
    return { title, at: job.index };
  }
  const fly = FLY.exec(text);
  if (fly) {
    const where = /^[^,.;!?]*?\b(to|from)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)/u.exec(text.slice(fly.index + fly[0].length));
    return { title: where ? `Flight ${where[1]} ${where[2]}` : 'Flight', at: fly.index };
  }
  return null;
}

/** "Set build", "Photo call": two words that are one event noun, not a verb and its object. */
/** Does this stretch of text name a happening ("briefing 12:30", "Crew call 6:30am")? */
export function namesEvent(text: string): boolean {
  NOUN_RE.lastIndex = 0;
  for (let m = NOUN_RE.exec(text); m; m = NOUN_RE.exec(text)) {
    // "kick-off 10am" is when the thing already named starts, not another thing
    if (/^kick-?off$/i.test(m[0]) || ambiguousPlural(m[0])) continue;
    if (!AMBIGUOUS.test(m[0]) || eventUse(text, m.index, m[0])) return true;
  }
  return false;
}

export function isEventCompound(words: string): boolean {
  return EXACT_NOUN.test(words);
}

/**
 * The new date of a move: the first mention after "to", or the far end of a range read across it
 * ("from Wednesday to Friday at 4").
 */
export function dateAfter(dates: DateMention[], to: number): DateMention | null {
  for (const d of dates) {
    if (d.past) continue;
    if (d.index >= to) return d;
    if (d.end && d.index + d.text.length > to) return { ...d, index: to, start: d.end, end: null };
    // "move tomorrow week's game to 2pm": one mention read across "to" holds the new day and time
    if (!d.end && d.start.time && d.index + d.text.length > to && /\bto\s+$/i.test(d.text.slice(0, to - d.index))) return d;
  }
  return null;
}

/** Content-bearing event nouns a sentence names ("the BBQ", "Wednesday's fitting"). */
export function eventNounsIn(text: string): string[] {
  NOUN_RE.lastIndex = 0;
  return [...text.matchAll(NOUN_RE)].map((m) => m[0]);
}

/**
 * The events one sentence announces. `dates` are the sentence's mentions (offsets relative to the
 * sentence). `context` is the rest of the message, where a TBD marker may sit.
 */
/** Who is speaking, and whether a capitalised word names a person ("Sam is off") rather than a thing. */
export interface People {
  author: string;
  isPerson(name: string): boolean;
}

/** "reminder clocks go back Sat night", "daylight saving starts sunday": the clocks changing is no team happening; that part is blanked. */
function withoutClockChange(text: string): string {
  const m = /\bclocks?\s+(?:go|goes|going|went|change|changes|spring|fall)\b|\bdaylight sav(?:ing|ings)\b|\bspring forward\b/i.exec(text);
  if (!m) return text;
  const from = Math.max(text.lastIndexOf(',', m.index), text.lastIndexOf('.', m.index), text.lastIndexOf(' and ', m.index)) + 1;
  const next = text.slice(m.index).search(/[,.;!?]|\band\b/);
  const to = next < 0 ? text.length : m.index + next;
  return text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
}

export function eventsInClause(clause: Clause, dates: DateMention[], context: string, following: DateMention[] = [], nextText = '', people?: People): EventCandidate[] {
  const text = withoutClockChange(clause.text);
  // "can we move the shoot?", "should we cancel Friday's practice?": asking to change a happening announces none
  if (clause.question && ASK_TO_CHANGE.test(text)) return [];
  const found: EventCandidate[] = [];
  const moved = rescheduleIn(text);
  // "asked for a post-op check in 10 days, I've booked her in for Thursday the 17th at 4": the day booked is the day
  const booked = moved ? null : BOOKED_FOR.exec(text);
  const bookedAt = booked ? booked.index + booked[0].length : -1;
  const rescheduled = moved ? moved.to : booked && dates.some((d) => !d.past && d.index >= bookedAt && d.index <= bookedAt + 4) ? bookedAt : -1;
  const future = dates.filter((d) => !d.past);
  // ("is every last Friday of the month": a schedule, not the past)
  const past = (t: string) => PAST.test(t.replace(/\blast (?:call|chance|minute|one)\b|\blast \w+['’]s\b|\b(?:every|each) last \w+/gi, ''));
  if (!past(text) && dates.length > 0 && future.length === 0) return [];
  const seen = new Set<number>();
  NOUN_RE.lastIndex = 0;
  const nouns: Array<{ index: number; length: number }> = [];
  for (let m = NOUN_RE.exec(text); m; m = NOUN_RE.exec(text)) {
    // ("the review call moves to Thursday": a plural-looking verb is not read as a second noun)
    // ("placement tests this Thursday 10:00-16:00": a plural with its day right after is the happenings)
    if (ambiguousPlural(m[0]) && !pluralOnDay(text, m.index, m[0])) continue;
    // ("the workshop is closed Friday": a place closed is a closure, read below)
    if (/^\s+(?:is|are|will be)\s+closed\b/i.test(text.slice(m.index + m[0].length))) continue;
    // ("his 11am walk-in slot": a word joined by a hyphen to another is not that noun)
    if (/^-\p{L}/u.test(text.slice(m.index + m[0].length, m.index + m[0].length + 2))) continue;
    const prev = nouns[nouns.length - 1];
    // adjacent nouns are one thing ("celebration drinks", "photo shoot")
    if (prev && m.index - (prev.index + prev.length) <= 1) {
      prev.length = m.index + m[0].length - prev.index;
      continue;
    }
    if ((ambiguousPlural(m[0]) && !pluralOnDay(text, m.index, m[0])) || (AMBIGUOUS.test(m[0]) && !eventUse(text, m.index, m[0]))) continue;
    if (VERB_USE.test(text.slice(Math.max(0, m.index - 12), m.index)) || MODIFIED.test(text.slice(m.index + m[0].length))) continue;
    // ("Priya can you get the drinks on Friday?", "school buys drinks"): a thing fetched is no happening
    if (/(?<!\b(?:the|a|an|our|your|this|their|his|her|my)\s)\b(?:get|gets|getting|buy|buys|buying|bring|brings|order|orders|grab|pick up|collect|print|send|make)\s+(?:the\s+|some\s+|a\s+|an\s+|our\s+|your\s+)?(?:[\p{L}'’-]+\s+)?$/iu.test(text.slice(Math.max(0, m.index - 30), m.index)) && !/^(?:call|meeting|mtg|appointment|appt|session|slot)$/i.test(m[0])) continue;
    // "we'll decide on the ride Saturday night": the day is when the decision is made, not the happening's
    if (/\b(?:decide|decided|deciding|decision|talk|chat|think)\s+(?:on|about)\s+(?:the|our|this|a)\s+(?:[\p{L}'’-]+\s+)?$/iu.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    nouns.push({ index: m.index, length: m[0].length });
  }
  // "potassium was 3.1 overnight, Dr Patel wants it rechecked before the 10am ward round": the past
  // tense counts only in the part of the sentence that names the happening
  const segment = (at: number) => text.slice(text.lastIndexOf(',', at) + 1, text.indexOf(',', at) < 0 ? text.length : text.indexOf(',', at));
  const pastTense = nouns.length > 0 ? nouns.every((n) => past(segment(n.index))) : past(text);
  if (pastTense && rescheduled < 0 && !/\b(?:will|['’]ll|tomorrow|next|upcoming|coming up)\b/i.test(text)) return [];
  if (dates.length > 0 && future.length === 0) return [];
  for (const noun of nouns) {
    // "As agreed at the meeting in Ibadan on Saturday, the burial is Friday 19th June": a happening told in the past tense beside one to come
    if (nouns.length > 1 && past(segment(noun.index)) && !/\b(?:will|['’]ll|tomorrow|next|upcoming|coming up)\b/i.test(segment(noun.index))) continue;
    // "I'll hose the race down": a word that is a happening only sometimes, as the object of what someone will do, is a thing
    if (AMBIGUOUS.test(text.slice(noun.index, noun.index + noun.length)) && /\b(?:i['’]ll|we['’]ll|i will|we will|to|can you|could you|please|pls)\s+[a-z]+\s+(?:the|our|his|her|their|that)\s+$/i.test(text.slice(Math.max(0, noun.index - 40), noun.index)) && !/\b(?:do|have|hold|run|host|book|schedule|plan|organi[sz]e|arrange|attend|join|skip|miss|move|cancel|postpone)\s+(?:the|our|his|her|their|that)\s+$/i.test(text.slice(Math.max(0, noun.index - 30), noun.index))) continue;
    // "Gig at Whelan's confirmed!!! Saturday 7 November, doors 8pm": the date may follow
    // "so nothing before the shoot": a happening named as the point something is before or after is not the one dated here
    if (/\b(?:before|after|until|till|since)\s+(?:(?:the|our|your|their|his|her|my)\s+(?:[\p{L}'’-]+\s+)?)?$/iu.test(text.slice(Math.max(0, noun.index - 40), noun.index)) && (future.some((d) => d.index < noun.index) || !/\b(?:the|our|your|their|his|her|my)\s+(?:[\p{L}'’-]+\s+)?$/iu.test(text.slice(Math.max(0, noun.index - 30), noun.index))) && !future.some((d) => d.index > noun.index && d.index - noun.index > 30)) continue;
    // "engagement shoot. I have Saturday June 13th or Sunday the 14th": days offered are not the day
    const offered = following.filter((d) => !d.past && !isTimeOnly(d)).length > 1 && /\bor\b/i.test(nextText);
    const date = dateFor(future, noun.index, rescheduled, text) ?? (future.length === 0 && !TBD.test(text) && !offered ? dateFor(following.filter((d) => !d.past), 0, -1) : null);
    const dateKey = date ? date.index : -1;
    if (date && seen.has(dateKey) && nouns.length > 1) continue;
    // an unnamed "Deadline is Sunday" after a task is that task's deadline, not an event
    if (/^deadlines?$/i.test(text.slice(noun.index, noun.index + noun.length)) && titleAround(text, noun.index, noun.length).split(' ').length === 1 && /\b(?:need|needs|must|have to|has to|please|can you|could you)\b/i.test(context)) continue;
    const title = titleAround(text, noun.index, noun.length);
    // "can you print flyers for the open house by next Friday?": the happening is what the task is for, the day its deadline
    if (date && /\b(?:for|about|to|at|of)\s+(?:the|our|this|that|their|your)\s+(?:[\p{L}'’-]+\s+){0,2}$/iu.test(text.slice(Math.max(0, noun.index - 40), noun.index)) && (/\b(?:by|before|until|till|no later than)\s+(?:the\s+|next\s+|this\s+)?$/i.test(text.slice(Math.max(0, date.index - 16), date.index)) || /^in\s/i.test(date.text)) && date.index > noun.index) continue;
    if (date) {
      seen.add(dateKey);
      // "the Nguyen move, 3-bedroom, start 8:30am": the start stated later in the sentence is the event's time
      const start = date.start.time ? undefined : future.find((d) => d.start.time && isTimeOnly(d) && d.index > noun.index && /\b(?:start|starts|starting|kick-?off|kicks off|doors|from)\s*(?:at\s+)?$/i.test(text.slice(Math.max(0, d.index - 16), d.index)));
      found.push({ title, date: start ? { ...date, start: { ...date.start, time: start.start.time } } : date });
    } else if (!clause.question && (TBD.test(text) || TBD.test(context) || PLANNING.test(text))) {
      found.push({ title, date: null });
    }
  }
  // "the rep wants to come in next Tuesday at 3 to demo the new unit", "Hydrotec are picking pump 2 up Monday
  // morning", "we fly out Thursday at 7:40 from Madrid": a visit for a purpose, a firm doing a job, a flight
  if (found.length === 0 && future.length > 0 && !clause.question && !OPEN_QUESTION_START.test(text)) {
    const job = visitOrJob(text);
    const date = job ? dateFor(future, job.at, rescheduled) : null;
    if (job && date && !(isTimeOnly(date) && future.length > 1)) found.push({ title: job.title, date });
  }
  // "Biscuit's owner asked for a post-op check": the check is Biscuit's
  const owner = /(\p{Lu}[\p{L}-]+)['’]s\s+(?:owner|owners|mum|mom|dad|parents?|family|carer|guardian|daughter|son)\b/u.exec(text);
  if (owner) for (const f of found) if (!/['’]s\b/.test(f.title) && text.indexOf(f.title.toLowerCase().split(' ')[0]!) > owner.index) f.title = `${owner[1]}'s ${f.title.charAt(0).toLowerCase()}${f.title.slice(1)}`;
  // "I'm off Friday", "Sam is on leave 20-24 March": a person away on a day; "off on the 12th for his exam": that one's exam
  if (people && !clause.question && ABSENCE_HINT.test(text) && future.some((d) => !isTimeOnly(d))) {
    const away = absenceIn(text, people.isPerson);
    if (away) {
      const who = (away.name ?? people.author).split(/\s+/)[0]!;
      // ("I'm at the dentist on Friday": the happening named inside "at the ..." is the person's own)
      const inside = away.state.startsWith('at ') && found.some((f) => text.slice(away.at, away.end).toLowerCase().includes(f.title.toLowerCase().split(' ')[0]!));
      if (found.length > 0 && (inside || (!away.state.startsWith('at ') && /^[^,.;!?]*?\bfor\s+(?:my|his|her|their|a|an|the)\s/i.test(text.slice(away.end))))) {
        for (const f of found) if (!/['’]s\b/.test(f.title)) f.title = `${who}'s ${f.title.charAt(0).toLowerCase()}${f.title.slice(1)}`;
      } else if (found.length === 0 || away.state.startsWith('at ')) {
        const date = dateFor(future.filter((d) => !isTimeOnly(d)), away.at, -1);
        // ("I'm at the Bürgeramt Monday 8:30": somewhere at a time; off or on leave: the whole day)
        const timed = away.state.startsWith('at ');
        if (date) found.push({ title: `${who} ${away.state}`, date: date.start.time && !timed ? { ...date, start: { ...date.start, time: null }, end: null } : date });
      }
    }
  }
  if (found.length === 0 && nouns.length === 0 && MEET.test(text)) {
    const meet = MEET.exec(text)!;
    const date = dateFor(future, meet.index, rescheduled);
    const tail = /^\s+(?:\S+\s+){0,4}?(at|in)\s+(?:the\s+)?([\p{L}'’-]+(?:\s+[\p{Lu}][\p{L}'’-]+){0,2})/u.exec(text.slice(meet.index + meet[0].length));
    if (date) found.push({ title: `Meet${tail ? ` ${tail[1]} the ${tail[2]}` : ''}`, date });
  }
  // "Christmas orders open on December 1, should we do the bûche again?": the statement before the question counts
  const statement = clause.question ? text.slice(0, Math.max(0, text.lastIndexOf(','))) : text;
  if (found.length === 0 && future.length > 0 && statement && !OPEN_QUESTION_START.test(statement)) {
    const arrival = ARRIVAL.exec(statement);
    if (arrival) {
      const title = subjectTitle(text, arrival.index, arrival[0]);
      const date = dateFor(future, arrival.index, rescheduled);
      // "full dress, seven o'clock, and the photographer's coming": a time in another part of the sentence is not the arrival's
      const elsewhere = date !== null && isTimeOnly(date) && date.index < arrival.index && /[,;]/.test(text.slice(date.index + date.text.length, arrival.index));
      // "Johnstone opens at 10, I'll grab one": opening hours without a day are a shop's hours, not a happening
      const hours = date !== null && isTimeOnly(date) && /^(?:opens|open|closes|close)$/i.test(arrival[0]) && future.every((d) => isTimeOnly(d));
      // "Sneak peeks coming by Friday": a promise of something by a day is a task's deadline, not a happening
      const promised = /^(?:coming|comes|is coming|are coming)$/i.test(arrival[0]) && /^\s+by\s/i.test(text.slice(arrival.index + arrival[0].length));
      // "we need them before the desk opens Thursday": the point a task must be done by, not a happening announced
      const bound = /\b(?:before|until|till|by the time|once|as soon as)\s+(?:the\s+|they\s+|he\s+|she\s+|it\s+|we\s+)?(?:[\p{L}'’-]+\s+){0,2}$/iu.test(text.slice(Math.max(0, arrival.index - 40), arrival.index));
      if (title && date && !elsewhere && !hours && !promised && !bound) found.push({ title, date });
    }
  }
  // "v2.4 goes out to beta users on 4/28, GA targeted for May 12": a part of the sentence with its own day and an
  // arrival-like verb, but no noun, announces its own happening
  if (found.length > 0 && !clause.question && future.length > found.length) {
    const used = new Set(found.map((f) => f.date?.index));
    let from = 0;
    for (const part of statement.split(/,\s+|;\s*/)) {
      const at = statement.indexOf(part, from);
      from = at + part.length;
      const own = future.filter((d) => d.index >= at && d.index < at + part.length && !isTimeOnly(d));
      const sameDay = found.some((f) => f.date && f.date.start.date.year === own[0]?.start.date.year && f.date.start.date.month === own[0]?.start.date.month && f.date.start.date.day === own[0]?.start.date.day);
      if (own.length !== 1 || used.has(own[0]!.index) || sameDay || namesEvent(part)) continue;
      const arrival = ARRIVAL.exec(part);
      if (!arrival || arrival.index > own[0]!.index - at) continue;
      const title = subjectTitle(part, arrival.index, arrival[0]);
      if (title) found.push({ title, date: own[0]! });
    }
  }
  if (clause.question) return found.filter((f) => f.date !== null && !/^(?:is|are|was|did|does|do|when|what|where)\b/i.test(text));
  return found;
}

/**
 * Words that name a happening only when the sentence treats them as one, with its day or time right
 * after them or a verb of scheduling ("the final is Saturday", "Tobi has the dentist Thursday at 3:15",
 * "the ride leaves at 7"), not "of course", "the final headcount", "I'll ride over", "call the vet".
 */
const STRICT = /^(?:birthday|bday|b-day|anniversary|train|ferry|walk|stall|market|panel|reveal|ga|beta|ride|test|cutoff|cut-off|final|finals|heat|closing|signing|hearing|wake|mass|course|setup|set-up|summit|meal|comp|5k|10k|broadcast|therapy|dentist|drop-in|assessment|evaluation|appraisal|consult|pickup|pick-up|trials|fixture|memorial|assembly|competition|consultation|supper|bowling|karaoke|bingo|cleanup|clean-up)$/i;
const STRICT_AFTER = /^(?:['’]s)?(?:\s+(?:to|from|for|at|with|in)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)?\s+(?:(?:is\s+|are\s+)?(?:targeted|scheduled|planned|set|slated|pencil+ed in|expected|due|booked)\s+(?:for|on)\b|(?:got\s+|has been\s+|was\s+)?(?:moved|pushed|postponed|rescheduled|cancell?ed|brought forward)|leaves|departs|starts|begins|kicks off|(?:is\s+|are\s+|will be\s+)?(?:on\s+)?(?:the\s+\d|\d{1,2}(?:st|nd|rd|th)?\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d))/i;
const AMBIGUOUS = new RegExp(`^(?:call|drive|show|evening|class|sale|planning|move|round|night|day|social|tech|scan|tour|surgery|race|camp|photo|practice|operation|procedure|check|return|collection|install|removal|service|shutdown|drill|talk|reception|${STRICT.source.slice(4, -2)})$`, 'i');
/** Nouns that are also verbs or everyday words: a happening only as a noun phrase ("the fire safety talk", "Biscuit's consult", "a boiler service"). */
const NOUN_PHRASE_ONLY = /^(?:operation|procedure|return|collection|install|removal|service|shutdown|drill|talk|reception)$/i;
/** "the post-op check", "her health check": a check is a happening only as a kind of visit. */
const CHECK_KIND = /\b(?:post-?op|pre-?op|health|follow-?up|vet|eye|dental|hearing|wellness|welfare|annual|routine|safety|gas|fire|mot|progress|blood pressure|bp)[\s-]*$/i;
/** A time right after the noun ("crew call 6:30am", "briefing at 12:30") or right before it ("the 10am ward round"). */
const TIMED_AFTER = /^\s*(?:(?:starts?|begins?|is|kicks off)\s+)?(?:(?:at|from)\s+\d{1,2}(?![\d/%.])|\d{1,2}(?:[:.]\d{2}\s*(?:am|pm)?|\s*(?:am|pm))\b)/i;
const OPEN_QUESTION_START = /^(?:(?:so|and|but|also|btw|ok|hey)[,\s]+)*(?:should|shall|do|does|did|is|are|was|were|has|have|had|what|when|where|why|how|which|who|can|could|will|would)\b/i;
const DAY_AFTER = /^\s+(?:#?\d{1,2}\s+)?(?:is\s+|are\s+)?(?:first thing\s+|early\s+|late\s+)?(?:on\s+|this\s+|next\s+)?(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|today|tonight|tomorrow)\b/i;
const DAY_BEFORE = /\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|today|tonight|tomorrow)(?:['’]s)?\s+(?:[\p{L}-]+\s+)?$/iu;
const TIMED_BEFORE = /\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\s+(?:[\p{L}-]+\s+)?$/iu;
const NOT_BEFORE_NIGHT_DAY = /(?:^|\s)(?:last|tonight|tomorrow|every|each|one|that|this|the|a|per|all|at|on|by|for|of|late|good|long|whole|same|other|next|previous|mid|over|few|couple|two|\d+|busy|full|half|big|fun|great|nice|lovely|quiet|slow|rough|hard|tough|crazy|hectic|calm|easy|bad|rest|some|any|which|what|\w+day|\w+days|night|day|working|school|week|whole|early)\s*$/;

/** Words that are events only in some uses: "a call" yes, "I'll call" no; "a drive" yes, "I can drive" no. */
function eventUse(text: string, at: number, word: string): boolean {
  const before = text.slice(Math.max(0, at - 24), at).toLowerCase();
  const after = text.slice(at + word.length);
  // "Tue 6am erg test", "Thursday's water session": a day or time right before the noun dates it too
  if (STRICT.test(word)) return !VERB_USE.test(before) && !/\b(?:of|to|and|or)\s+$/i.test(before) && (DAY_AFTER.test(after) || TIMED_AFTER.test(after) || STRICT_AFTER.test(after) || TIMED_BEFORE.test(before) || DAY_BEFORE.test(before));
  if (/^check$/i.test(word)) return CHECK_KIND.test(before) && !/^\s+(?:up|out|if|whether|that|with|the|it|them|his|her|their|your|my)\b/i.test(after);
  // "she wants a call from a vet", "give him a call": a call someone is owed is a job, not a booked call
  if (/^call$/i.test(word) && /\b(?:wants?|wanted|needs?|give|giving|gave|get|make|return|returning|owe|owes|expecting|expects)\s+(?:\w+\s+)?an?\s+(?:quick\s+)?$/i.test(before)) return false;
  if (/^photo$/i.test(word)) return /\b(?:club|team|class|group|school|family|cast|squad|staff)\s*$/.test(before);
  if (/^practice$/i.test(word)) return !/^\s+(?:price|manager|nurse|list|room|notes|website|phone|email|policy)\b/i.test(after);
  if (/^(?:night|day|evening)$/i.test(word) && !/(?:parent|teacher|parents['’]?|open|quiz|movie|games|info(?:rmation)?)[\s-]*$/.test(before)) return /[\p{L}]\s*$/u.test(before) && !NOT_BEFORE_NIGHT_DAY.test(before) && !/^\s+(?:off|before|after|shift|trip|rate|pass|job)\b/i.test(after);
  if (TIMED_AFTER.test(after) || TIMED_BEFORE.test(before)) return !/^(?:night|day)$/i.test(word);
  // "Yoga class on Thursday at 6pm": a noun followed by its day is the happening
  if (NOUN_PHRASE_ONLY.test(word)) {
    if (VERB_USE.test(before) || /\b(?:to|and|or|not|never|ll|'ll|’ll|gonna|wanna)\s+$/i.test(before)) return false;
    // "2) Talk by Dr. Hoffmann on exoplanets": a list item or heading naming who gives it
    const by = /^\s+(?:by|from|with)\s+(\p{Lu}[\p{L}.'’-]*)/u.exec(after);
    if (by && !DAY_WORD.test(by[1]!.replace(/\.$/, '')) && /(?:^|[\n:•*-]|\d[).])\s*$/.test(before)) return true;
    // "take the talk off the website": the thing as an item, not the happening
    if (/^\s+(?:off|down|out)\b/i.test(after)) return false;
    if ((DAY_AFTER.test(after) || TIMED_AFTER.test(after)) && /^\s*$|[.!?:]\s*$|\b(?:the|our|your|their|his|her|my|a|an|this|next)\s+$/i.test(before)) return true;
    return /(?:\b(?:the|a|an|our|your|their|his|her|my|this|next|first|annual|weekly|monthly)|\p{L}['’]s)\s+(?:[\p{L}\p{N}'’-]+\s+){0,2}$/iu.test(before);
  }
  if (DAY_AFTER.test(after) && !/^(?:night|day|evening)$/i.test(word) && !VERB_USE.test(before) && !/\b(?:about|regarding|re)\s+$/i.test(before)) return true;
  if (/^social$/i.test(word) && /^\s+(?:media|work|workers?|security|services?|care|life|skills|distancing|enterprise|housing|network|issues?|justice|events? (?:page|team))\b/i.test(after)) return false;
  if (/^(?:social|class|show|drive)$/i.test(word) && /\b(?:the|our|a|an|this|next|their|your)\s+(?:[\p{L}'’-]+\s+){1,2}$/iu.test(before)) return true;
  if (/^(?:move|camp|race|tour)$/i.test(word) && /\b(?:the|our|this|next)\s+\p{Lu}[\p{L}'’-]+\s+$/u.test(text.slice(Math.max(0, at - 30), at))) return true;
  if (/^(?:move|social|tech|round|camp|race)$/i.test(word)) return /(?:\b(?:the|our|a|this|next|house|office|coaches['’]?|team|club|spring|summer|autumn|winter|ward|first|final|charity|fun)\s*)$/.test(before) || /^\s+(?:starts?|begins?|is (?:on|at|this|next)|on\s+\w+day)\b/i.test(after) && /^\s*$|\p{Lu}[\p{L}'’]*\s*$/u.test(text.slice(Math.max(0, at - 24), at));
  if (/^(?:scan|tour|surgery|drop-off|pick-up)$/i.test(word)) return /(?:\b(?:the|her|his|their|a|an|your|my)\s*|\w+['’]s\s*)$/.test(before) || /^\s+(?:is|at|on)\b/i.test(after);
  if (/evening/i.test(word)) return /(?:parent|teacher|parents['’]?|open|quiz|movie|games|info(?:rmation)?)[\s-]*$/.test(before);
  if (/sale/i.test(word)) return /(?:bake|garage|yard|book|jumble)\s*$/.test(before);
  if (/planning/i.test(word)) return /(?:sprint|release|quarterly|launch)\s*$/.test(before);
  return /(?:\b(?:the|a|an|our|this|next|weekly|daily|team|conference|zoom|video|briefing|community|review|sales|client|kickoff|follow-up|clean-up|cleanup|up)\s*)$/.test(before) || /[\w-]\s*$/.test(before) && /(?:briefing|community|review|sales|client|kickoff|clean-up|cleanup|zoom|video|team|follow-up)\s*$/.test(before);
}

/** Cheap test: can this text announce an event at all? */
export function mayAnnounceEvent(text: string): boolean {
  NOUN_RE.lastIndex = 0;
  return NOUN_RE.test(text) || ARRIVAL.test(text) || MEET.test(text) || ((JOB_HINT.test(text) || ABSENCE_HINT.test(text)) && DATE_HINT.test(text));
}
