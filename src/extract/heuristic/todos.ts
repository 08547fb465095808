/**
 * Todo candidates in one sentence: requests ("Ana, can you ..."), open requests ("can someone ...",
 * "who's bringing ..."), instructions ("please ...", "Dani, deep clean ..."), needs ("we need to ...")
 * and commitments ("I'll ...", "Ben will ...").
 */
import type { Clause } from './clauses.js';
import { isOpenQuestion } from './clauses.js';
import type { DateMention } from './dates.js';
import type { Roster } from './people.js';
import { isEventCompound, namesEvent } from './events.js';
import { contentWords } from './similarity.js';
import { ACTION_VERBS, STATE_VERBS, isActionVerb } from './verbs.js';

export type TodoKind = 'request' | 'open' | 'commitment';

export interface TodoCandidate {
  text: string;
  /** Offset of the action phrase in the clause. */
  at: number;
  /** Participant or name the todo is for; null: anyone. */
  assignee: string | null;
  kind: TodoKind;
  /** Something everyone owes by a day ("subs are due by 1 May"), not a request one person takes on. */
  owed?: boolean;
  /** Asked of the group ("who's bringing the PA?"): a task once someone takes it on. */
  asked?: boolean;
}

const LEAD = /^(?:(?:ok(?:ay)?|great|perfect|fine|thanks|thank you|cool|also|and|btw|oh|so|yes|yep|yeah|sure|right|hi all|hey|good morning|morning|reminder|update|ps|fyi)\b[\s,:!.-]*)+/i;
const REQUEST = /(?:^|[\s,.!;:)\p{Extended_Pictographic}])(?:(@?[\p{L}][\p{L}\p{N}_'’.-]*)([,:]?)\s+)?(?:can|could|would|will)\s+(you|someone|somebody|anyone|anybody|one of you)\s+(?:please\s+|pls\s+|also\s+)?(.+)/iu;
const SOMEONE = /^(?:someone|somebody|anyone|anybody)\s+(?:please\s+)?(.+)/i;
const VOLUNTEER = /^(?:who(?:'s|’s| is| can| could| will| wants to| wanna| is going to)|anyone (?:want|wants|wanna|able|free|up for|fancy)(?: to)?|any volunteers to)\s+(.+)/i;
const NEED = /\b(we|someone|somebody|you|i|everyone|everybody|all of you|you all|each of you|[\p{Lu}][\p{L}]+)\s+(?:still\s+|really\s+|also\s+|definitely\s+)?(?:needs? to|has to|have to|must|gotta|should(?! we))\s+(.+)/iu;
/** A group addressed as a whole ("Parents, please ...", "swimmers need to ..."): a todo for no one in particular. */
const GROUP = /^(?:parents|team|everyone|everybody|all|guys|folks|people|crew|coaches|swimmers|players|kids|staff|volunteers|ladies|gents|friends|neighbou?rs|tenants|residents|members|squad|committee|board|family|y['’]?all|you all|all of you|each of you|\p{L}+ (?:squad|team|crew|group))$/iu;
/** "the schedule has to be published", "cars have to be out": a requirement on a thing, to be done by someone. */
const PASSIVE_NEED = /^(?:(?:ok|also|and|so|but|no|yes)[,\s]+)*(?:the\s+|all\s+|our\s+|your\s+)?((?:[\p{L}\p{N}'’-]+\s+){0,2}[\p{L}\p{N}'’-]+)\s+(?:still\s+)?(?:has|have|needs?|must)\s+(?:to\s+)?be\s+((?:[a-z]+(?:ed|en)|done|sent|paid|built|set up|put up|out|gone|cleared|away|in|ready|back)\b.*)/iu;
const IRREGULAR: Record<string, string> = { done: 'do', sent: 'send', paid: 'pay', built: 'build', written: 'write', taken: 'take', given: 'give', put: 'put', set: 'set', sold: 'sell', bought: 'buy', made: 'make', brought: 'bring', found: 'find', hung: 'hang', swept: 'sweep', cut: 'cut', read: 'read', told: 'tell', chosen: 'choose', frozen: 'freeze', driven: 'drive' };

/** "published" -> "publish", "labelled" -> "label", "sent" -> "send". */
function baseVerb(participle: string): string {
  const w = participle.toLowerCase();
  if (IRREGULAR[w]) return IRREGULAR[w]!;
  if (/(?:ll|ss|tt|pp|dd|gg|mm|nn|rr)ed$/.test(w)) return /(?:ll|ss)ed$/.test(w) ? w.slice(0, -2) : w.slice(0, -3);
  if (/ied$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/(?:at|iz|is|ur|ag|ir|as|ov|iv|uc|bl|pl|tl|dl)ed$/.test(w) || /[^aeiou][aeiou][cgsvz]ed$/.test(w)) return w.slice(0, -1);
  if (/ed$/.test(w)) return w.slice(0, -2);
  return w;
}
/** Something to pay or hand in, said to be due: the thing's words before "due". */
const DUE_THING =
  /^(?:(?:reminder|also|btw|and|so|just|fyi|ps)\b[:,!\s-]*)*(?:(?:the|your|our|all|my|their)\s+)?((?:[\p{L}\p{N}£$€'’-]+\s+){0,4}?)(fees?|subs|subscriptions?|deposits?|dues|rent|payments?|instal?l?ments?|balance|tuition|membership|problem sets?|assignments?|essays?|homework|coursework|timesheets?|expense (?:claims?|reports?)|tax returns?|application forms?|permission slips?|consent forms?)((?:\s+(?:\p{N}+|[(][^)]{1,20}[)]|(?:for|of)\s+(?:the\s+)?(?:[\p{L}\p{N}'’-]+\s+){0,2}?[\p{L}\p{N}'’-]+))*)\s+(?:(?:is|are|['’]s|['’]re)\s+)?(?:all\s+|now\s+)?due\b/iu;
const PAYABLE = /^(?:fees?|subs|subscriptions?|deposits?|dues|rent|payments?|instal?l?ments?|balance|tuition|membership)$/i;
/** "Action points:", "To do:": a heading before a list of jobs handed out. */
const ACTION_HEADING = /\b(?:action (?:points?|items?)|actions|to-?dos?|tasks|jobs)\s*:/i;
/** "Priya - the school board piece", "Dean the pen agreement pls": [name, separator, thing]. */
const HANDED = /^(@?\p{L}[\p{L}\p{N}_'’.-]*)(\s*[-–—:,]\s*|\s+(?=(?:the|your|his|her|our|this|that|these|those)\s))([^,.;!?]+)/u;
/** Words after a name that are a reply, not a thing handed over ("Marcus - great job"). */
const NOT_HANDED = /^(?:great|good|nice|thanks|thank|cheers|sorry|ok|okay|yes|yeah|no|lol|haha|same|congrats|welcome|well|morning|hi|hey|the same|the best|the man|the one|that one|this one)\b/i;
const POST = /(?:^|[,;]\s*|\band\s+)(@?\p{Lu}[\p{L}'’-]*)(?:,?\s+you['’]re|\s+you\s+are|\s+is|['’]s)?\s+on\s+((?:the|a|an|\p{L}+['’]s)?\s*[^,.;!?]+?)(?=\s*(?:[,.;!?]|$|\s+(?:from|after|before|at|until|till)\s))/gu;
const NOT_POST = /^(?:(?:the\s+)?(?:phone|way|line|call|leave|holiday|hols|vacation|break|lunch|time|track|board|it|fire|site|it|me|us|him|her|them|top of it|the case|my way|standby)|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\d|(?:the\s+)?\d+(?:st|nd|rd|th)\b|today|tomorrow|tonight)/i;

/** The people a sentence puts on posts ("Zeynep on the door, Burak on the mic"): each with the post. */
function postsIn(body: string, roster: Roster, author: string): Array<{ who: string; phrase: string }> {
  if (!/\son\s/.test(body)) return [];
  const out: Array<{ who: string; phrase: string }> = [];
  POST.lastIndex = 0;
  for (let m = POST.exec(body); m; m = POST.exec(body)) {
    const who = roster.resolve(m[1]!.replace(/^@/, ''));
    const phrase = m[2]!.trim();
    if (!who || who === author || NOT_POST.test(phrase) || NOT_NAMES.has(m[1]!.toLowerCase())) continue;
    out.push({ who, phrase });
  }
  return out;
}
/** Addressing everyone at once ("Everyone pack tonight", "Parents, sign the form"). */
const WHOLE_GROUP = /^(?:everyone|everybody|all|guys|folks|people|parents|kids|y['’]?all|ladies|gents|staff|volunteers|members|players|team)$/i;
/** Task verbs a thing can need doing to it ("needs resetting", "needs servicing"), beyond the instruction verbs. */
const GERUND_VERBS = new Set([...ACTION_VERBS, 'reset', 'service', 'paint', 'tidy', 'sweep', 'oil', 'sharpen', 'polish', 'replace', 'cut', 'trim']);

/** "resetting" -> "reset", "servicing" -> "service", "checking" -> "check": the task verb a gerund's stem comes from. */
function verbOfGerund(stem: string): string | null {
  for (const verb of [stem, `${stem}e`, stem.replace(/(.)\1$/, '$1')]) if (GERUND_VERBS.has(verb)) return verb;
  return null;
}

/** "have them printed", "get the forms signed by Friday": [object, participle, rest]. */
/** A thing done, as in "have them printed": participles and "ready". */
const DONE_STATE = String.raw`((?:[a-z]+(?:ed|en))|done|sent|paid|built|cut|set up|sorted|fixed|finished|printed|ready)\b(.*)$`;
const HAVE_DONE = new RegExp(String.raw`^(?:have|get)\s+((?:the|them|it|this|that|these|those|all|my|your|his|her|our|their|\p{Lu}[\p{L}'’-]*)(?:\s+(?!by\b|before\b|done\b)[\p{L}\p{N}'’-]+){0,4}?)\s+` + DONE_STATE, 'u');
const CAN_WE_GET = new RegExp(String.raw`\b(?:can|could)\s+(?:we|you|u)\s+(?:please\s+|pls\s+)?(?:get|have)\s+((?:the|them|it|this|that|these|those|all|your|our|his|her|their)(?:\s+(?!by\b|before\b)[\p{L}\p{N}'’-]+){0,4}?)\s+` + DONE_STATE, 'u');
const NEED_SOMEONE = /\bneed (?:someone|somebody|a volunteer|people)(?:\s+(?:on|at|for|in)\s+[^,.;!?]{1,40}?)?\s+to\s+(.+)/i;
/** "need someone on the B arm gate Wednesday", "need someone at the cloakroom from 19:00": a post to fill. */
const NEED_ON = /\bneed (?:someone|somebody|a volunteer|people|\w+ volunteers?)\s+((?:on|at|for|in)\s+(?:the|a|an|our)\s+[^,.;!?]+)/i;
/** "Marcus I need the sidebar on the board votes by Saturday noon": a thing the speaker needs from the person named. */
const NEED_FROM = /^(@?\p{Lu}[\p{L}'’-]*)[,:]?\s+(?:(?:i(?:['’]ll)?|we(?:['’]ll)?)\s+)?(?:really\s+|still\s+)?need\s+(?!to\b)((?:the|your|a|an|those|these|last|this|next|\d+|\p{L}+['’]s)\s+[^,.;!?]+)/iu;
const COMMIT = /\b(i['’]?ll|i will|i['’]m going to|i am going to|i['’]m gonna|i can|let me|we['’]ll|we will|i['’]d be happy to|i['’]m happy to|i(?:['’]m| am| was) planning (?:to|on)|i plan to|i intend to)\s+(?:also\s+|just\s+|definitely\s+|probably\s+|then\s+)?(.+)/i;
const THIRD_PERSON = /\b([\p{Lu}][\p{L}]+)\s+(?:will|is going to|['’]ll)\s+(?:also\s+)?(.+)/u;
const PLEASE = /\b(?:please|pls|plz)\s+(?:do\s+)?(.+)/i;
const REMIND = /\b(?:don['’]?t forget|do not forget|remember|make sure)\s+(?:to\s+)?(.+)/i;
const ACTION_LABEL = /^(?:todo|to-do|action item|ai|task)\s*[:-]\s*(.+)/i;
const NEGATED = /\b(?:won['’]?t|can['’]?t|cannot|couldn['’]?t|no need|don['’]?t need|doesn['’]?t need|not going to|never)\b/i;
const NOT_NAMES = new Set(
  'i it that this we they he she you everyone everybody everything there what who which nobody someone somebody anyone facilities mum mom dad the a my our your his her their one both all each who'.split(' '),
);
const CUT = /\s*(?:,|\s[-–—]\s|\bwhen (?:i|you|we) (?:get|have|can)\b|\bwhenever\b|\bno (?:rush|pressure|hurry)\b|\bso that\b|\bso we\b|\bso i\b|\bso they\b|\bbecause\b|\bsince\b|\bwhile\b|\bas soon as\b|\bif\b|\bthen\b|\bor\b\s+(?:not|else)|[(:])/i;
const TRAILING = /\s+(?:by|before|until|till|on|at|for|asap|please|pls|today|tonight|now|right now|right away|too|again|first thing|eod|whenever|no rush|this week|next week|this weekend|later|soon|though|then|instead|maybe|ok|okay|in|the)\s*$/i;

/** "The flash sheet" -> "the flash sheet", for text that follows a verb; "Müller ..." and "FB ..." keep their capitals. */
function lowerFirst(text: string): string {
  return /^\p{Lu}\p{Ll}/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function stripLead(text: string): string {
  return text.replace(LEAD, '').replace(/^[^\p{L}\p{N}@]+/u, '');
}

/** The action phrase: date words, fillers and trailing clauses removed; first letter capital. */
export function actionText(phrase: string, dates: DateMention[], clauseIndex: number, phraseOffset: number): string {
  let text = phrase;
  // blank out the date mentions that fall inside the phrase
  for (const d of dates) {
    for (const span of d.spans ?? [{ index: d.index, length: d.text.length }]) {
      const at = span.index - clauseIndex - phraseOffset;
      if (at + span.length <= 0 || at >= text.length) continue;
      const from = Math.max(0, at);
      const to = Math.min(text.length, at + span.length);
      text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
    }
  }
  const cut = CUT.exec(text);
  if (cut && cut.index > 2) text = text.slice(0, cut.index);
  text = text.replace(/\s+/g, ' ').replace(/[\p{Extended_Pictographic}\u{FE0F}]/gu, '').trim();
  text = text.replace(/^(?:please|pls|also|just|then|go ahead and)\s+/i, '');
  // ("someone needs to be in": "in" is where to be, not a trailing word)
  for (let i = 0; i < 4 && TRAILING.test(text) && !/^be\s+\S+$/i.test(text.trim()); i += 1) text = text.replace(TRAILING, '');
  text = text.replace(/[\s,.;:!?]+$/, '').trim();
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
}

function firstWord(text: string): string {
  return (/^[\p{L}'’-]+/u.exec(text)?.[0] ?? '').toLowerCase();
}

/** "washing the kits" -> first word looks like an action? */
function looksActionable(phrase: string): boolean {
  const w = firstWord(phrase).replace(/ing$/, '');
  if (!w) return false;
  if (/^be (?:there|home|around|in|at|on|ready|back|rigged|dressed|changed)\b/i.test(phrase)) return true;
  // "let support know", "let the parents know": telling someone is a task
  if (/^let (?!me\b|us\b)(?:[\p{L}'’-]+\s+){1,3}know\b/iu.test(phrase)) return true;
  return ACTION_VERBS.has(w) || ACTION_VERBS.has(`${w}e`) || ACTION_VERBS.has(w.replace(/(.)\1$/, '$1')) || !STATE_VERBS.has(w);
}

/**
 * The participant a name at the start of a request stands for. A capitalised name followed by a
 * comma ("Lena, please ...") is taken even when that person has not written in the chat.
 */
function addressee(raw: string | undefined, roster: Roster, author: string, withComma = false): string | null {
  if (!raw) return null;
  const name = raw.replace(/^@/, '');
  if (NOT_NAMES.has(name.toLowerCase()) || GROUP.test(name)) return null;
  const resolved = roster.resolve(name) ?? roster.resolve(name.split(/\s+/)[0] ?? '');
  if (resolved) return resolved === author && !raw.startsWith('@') ? null : resolved;
  return raw.startsWith('@') || (withComma && /^\p{Lu}\p{Ll}+$/u.test(name)) ? name : null;
}

/** The first @mention in the text that names a participant (or any @word). */
function mentionIn(text: string, roster: Roster): string | null {
  const at = text.indexOf('@');
  if (at < 0) return null;
  const after = text.slice(at + 1);
  for (const name of roster.names) if (after.toLowerCase().startsWith(name.toLowerCase())) return name;
  const word = /^[\p{L}\p{N}_.-]+/u.exec(after)?.[0];
  return word ? (roster.resolve(word) ?? word) : null;
}

/** The todos one sentence asks for or commits to; `author` is the message's author name. */
export function todosInClause(clause: Clause, dates: DateMention[], roster: Roster, author: string, before = '', addressed: string | null = null): TodoCandidate[] {
  // "thanks Ingrid. can you write the report": the person named just before is addressed
  const earlier = [...before.matchAll(/\b(\p{Lu}[\p{L}'’-]+)/gu)]
    .map((m) => m[1]!)
    .reverse()
    .find((w) => !NOT_NAMES.has(w.toLowerCase()) && roster.resolve(w) !== null && roster.resolve(w) !== author);
  const addressedEarlier = earlier ? roster.resolve(earlier) : null;
  const body = stripLead(clause.text);
  const offset = clause.text.length - body.length;
  const make = (phrase: string, assignee: string | null, kind: TodoKind, bare = false): TodoCandidate[] => {
    const at = body.lastIndexOf(phrase);
    const text = actionText(phrase, dates, clause.index, offset + Math.max(0, at));
    const substance = contentWords(text.replace(/^\S+\s*/, '')).length + (isActionVerb(firstWord(text)) ? 1 : 0) + (/^be\s+(?:in|home|there|around|here|back|ready)\b/i.test(text) ? 1 : 0);
    // a bare verb ("Start", "Cook") left once the date is gone is no task unless someone takes it on
    if (kind === 'open' && !bare && !/\s/.test(text)) return [];
    return text && substance > 0 ? [{ text, at: offset + Math.max(0, at), assignee, kind }] : [];
  };
  /** "have them printed by Monday" at `from` in the body -> "Print them", the dates in the rest blanked where they are. */
  const doneTask = (m: RegExpExecArray, from: number, assignee: string | null, kind: TodoKind): TodoCandidate[] => {
    const participle = m[2]!;
    const head = `${participle === 'ready' ? 'get' : baseVerb(participle)} ${m[1]!.trim()}${participle === 'ready' ? ' ready' : ''}`;
    const rest = m[3] ?? '';
    const restAt = from + m[0].length - rest.length;
    const tail = rest.trim() ? actionText(rest, dates, clause.index, offset + restAt) : '';
    const text = actionText(`${head}${tail ? ` ${lowerFirst(tail)}` : ''}`, [], 0, 0);
    return text ? [{ text, at: offset + Math.max(0, from), assignee, kind }] : [];
  };
  // "<@U04OMAR> yes, ... Please send me the colour": a message that opens by naming someone addresses all of it
  const mention = mentionIn(clause.text, roster) ?? addressed;
  // "Théo please be at the back door", "can you do it after the drug round Tom, no rush"
  let vocativeSeen = false;
  let vocativeName: string | null = null;
  const vocative = (): string | null => {
    if (vocativeSeen) return vocativeName;
    vocativeSeen = true;
    vocativeName = findVocative();
    return vocativeName;
  };
  const findVocative = (): string | null => {
    const m = /(?:^|[,.!;:]\s*)(\p{Lu}[\p{L}'’-]+)\s+(?:please|pls|can you|could you)\b/u.exec(clause.text) ?? /\b(?:[Cc]an|[Cc]ould|[Ww]ould) you\b[^,]*?\s(\p{Lu}[\p{L}'’-]+)\s*(?:,|$|!|\?)/u.exec(clause.text);
    const name = m?.[1];
    if (!name || NOT_NAMES.has(name.toLowerCase()) || GROUP.test(name)) return null;
    const who = roster.resolve(name);
    return who && who !== author ? who : null;
  };

  const label = ACTION_LABEL.exec(body);
  if (label?.[1]) return make(label[1], mention, mention ? 'request' : 'open');

  // "Josh can we get the drug register audited by the 21st?": a request for a thing done
  const getDone = CAN_WE_GET.exec(body);
  if (getDone) {
    const who = mention ?? addressee(/^(@?[\p{L}][\p{L}\p{N}_'’.-]*)[,:]?\s/u.exec(body)?.[1], roster, author, true) ?? vocative() ?? addressedEarlier;
    return doneTask(getDone, getDone.index, who, who ? 'request' : 'open');
  }
  const request = REQUEST.exec(body);
  if (request?.[4] && looksActionable(request[4])) {
    const who = request[3]?.toLowerCase() === 'you' ? (addressee(request[1], roster, author, Boolean(request[2])) ?? mention ?? vocative() ?? addressedEarlier) : null;
    return make(request[4], who, who ? 'request' : 'open');
  }
  if (isOpenQuestion(clause)) {
    const volunteer = VOLUNTEER.exec(body);
    // "who's got the float?" asks who has something, not who will do something
    if (volunteer?.[1] && looksActionable(volunteer[1]) && !/^(?:got|has|have|had)\b/i.test(volunteer[1]) && volunteer[1].trim().split(/\s+/).length >= 2) return make(volunteer[1], null, 'open').map((c) => ({ ...c, asked: true }));
    return [];
  }
  // a negation inside "if you won't be home, please ..." does not negate the request
  if (NEGATED.test(body.replace(/\b(?:if|unless|when|in case)\b[^,]*?(?=,|\bplease\b|\bpls\b|$)/gi, ' ')) && !REMIND.test(body)) return [];

  const please = PLEASE.exec(body);
  // "file the misconduct reports tonight pls Aisha, league wants them": the name after "pls" is who is asked, the task before it
  const after = please ? /^@?(\p{Lu}[\p{L}'’-]+)\s*(?:[,.!?]|$)/u.exec(please[1] ?? '') : null;
  const askedAfter = after && please!.index > 3 ? addressee(after[1], roster, author, true) : null;
  if (askedAfter && isActionVerb(firstWord(body))) return make(body.slice(0, please!.index).trim(), askedAfter, 'request');
  if (please?.[1] && !/^(?:let (?:me|us) know|note|see|find attached|keep in mind)\b/i.test(please[1]) && /\p{L}/u.test(please[1])) {
    const lead = /^(@?[\p{L}][\p{L}\p{N}_'’.-]*(?:\s[\p{Lu}][\p{L}'’-]*)?)([,:]?)\s/u.exec(body);
    const who = mention ?? addressee(lead?.[1], roster, author, Boolean(lead?.[2])) ?? vocative();
    // "Farhan, the new induction files - pls get them photocopied": the thing done is the task, "them" the files named before
    const done = HAVE_DONE.exec(please[1]);
    if (done) {
      const named = /^(?:them|it|those|these)$/i.test(done[1]!.trim()) ? /[-–—,:]\s*((?:the|your|our|all)\s+[^-–—,:]+?)\s*[-–—]\s*(?:pls|please|plz)\b/iu.exec(body)?.[1] : undefined;
      const m = named ? (Object.assign([...done], { index: done.index, input: done.input }) as RegExpExecArray) : done;
      if (named) m[1] = named;
      return doneTask(m, body.lastIndexOf(please[1]), who, who ? 'request' : 'open');
    }
    return make(please[1], who, who ? 'request' : 'open');
  }
  const remind = REMIND.exec(body);
  // "don't forget the boat trailer inspection is tomorrow at 8": a reminder of a fact, not of a task
  // ("make sure the bins are labelled" is a task: a state to bring about)
  const fact = remind?.[1] !== undefined && !/^make sure/i.test(remind[0]) && /^(?:the|our|your|his|her|their|my|this|that|these|those)\s+(?:[\p{L}\p{N}'’-]+\s+){0,5}?(?:is|are|was|were|starts?|begins?|kicks off|will be|happens?)\b(?!\s+(?:\w+ed|\w+en|done|ready|set|sorted|clean|tidy|back)\b)/iu.test(remind[1]);
  // ("Remember the family meeting on zoom Saturday 7pm", "don't forget the clocks went forward last night": a happening or a thing past)
  const recalled = remind?.[1] !== undefined && !/^make sure/i.test(remind[0]) && (/^(?:the|our|your|this|that|tomorrow['’]s|\w+day['’]s)\s+/i.test(remind[1]) && isEventPhrase(remind[1]) || /\b(?:went|was|were|had|did|changed|happened|last night|yesterday)\b/i.test(remind[1]));
  if (remind?.[1] && !fact && !recalled && !/^(?:we|you|i|that|it|about|this|to bring up|the (?:meeting|call))\b/i.test(remind[1])) {
    return make(remind[1], mention, mention ? 'request' : 'open');
  }
  // "subs for the summer term are due by 1 May", "problem set 5 is due Friday 23:59": something to pay or hand in by a day
  const owed = DUE_THING.exec(body);
  if (owed && dates.some((d) => !d.past && d.index - clause.index > offset + owed.index)) {
    const thing = `${owed[1] ?? ''}${owed[2]!}${owed[3] ?? ''}`.replace(/\s*[(][^)]*[)]/g, '').replace(/\s+/g, ' ').trim();
    const verb = PAYABLE.test(owed[2]!) ? 'pay' : 'submit';
    const who = mention ?? vocative();
    const named = thing.replace(/^(?:the|your|our|all|my)\s+/i, '');
    const text = actionText(`${verb} the ${lowerFirst(named)}`, [], 0, 0);
    if (text) return [{ text, at: offset + owed.index, assignee: who, kind: who ? 'request' : 'open', owed: true }];
  }
  const needFrom = NEED_FROM.exec(body);
  const from = needFrom ? addressee(needFrom[1], roster, author, true) : null;
  if (needFrom && from) {
    const thing = needFrom[2]!.replace(/\s+from (?:you|him|her|them)\b.*$/i, '');
    const at = body.indexOf(thing);
    const text = actionText(thing, dates, clause.index, offset + at);
    // ("Jono need the float ready": a thing to have ready, not to send)
    const ready = /\s+ready$/i.test(text);
    if (text) return [{ text: ready ? `Get ${lowerFirst(text)}` : `Send ${author.split(/\s+/)[0]} ${lowerFirst(text)}`, at: offset + at, assignee: from, kind: 'request' }];
  }
  // "foggy but worth it, will share the album tomorrow": the speaker's "I" left out
  const commit = COMMIT.exec(body) ?? /(?:^|[,;]\s*|\b(?:but|and|so)\s+)(will|['’]ll)\s+(?!do\b|be\b|have\b|see\b|let you know\b|keep\b|try\b)(?:also\s+|definitely\s+|probably\s+)?([a-z](?:(?!\b(?:it|that|this|them)\s*[.!]*$).)+)$/i.exec(body);
  if (commit?.[2]) {
    // "I'll have them printed by next Monday", "I'll get the forms signed": the thing done is the task
    // "I'll have a look at it when I get a chance": looking at it is the task
    const look = /^(?:have|take)\s+a\s+(?:quick\s+|proper\s+|good\s+)?look\s+(at\s+.+)$/i.exec(commit[2]);
    if (look) {
      const text = actionText(`look ${look[1]}`, dates, clause.index, offset + body.lastIndexOf(look[1]!) - 5);
      if (text.split(/\s+/).length >= 3) return [{ text, at: offset + Math.max(0, body.lastIndexOf(commit[2])), assignee: author, kind: 'commitment' }];
    }
    const result = HAVE_DONE.exec(commit[2]);
    if (result) return doneTask(result, body.lastIndexOf(commit[2]), author, 'commitment');
    const verb = firstWord(commit[2]);
    // "we'll manage without the fitting": coping, not a task
    const coping = /^(?:manage|cope|make do|survive|live)\s+(?:without|with|somehow|fine|anyway)\b|^(?:cope|make do|survive)\b/i.test(commit[2]);
    if (verb && !coping && (!STATE_VERBS.has(verb) || /^be (?:there|home|around)\b|^let (?:\S+\s+){1,3}know\b|^let (?:him|her|them|the \S+|\p{Lu}\S*) in\b/iu.test(commit[2])) && !/^(?:do|take|sort|handle) (?:it|that|this)\b/i.test(commit[2])) {
      return make(commit[2], author, 'commitment');
    }
    return [];
  }
  const need = NEED.exec(body) ?? null;
  if (need?.[2] && looksActionable(need[2])) {
    const subject = need[1]?.toLowerCase() ?? '';
    const anyone = ['we', 'someone', 'somebody', 'you'].includes(subject) || GROUP.test(subject);
    const who = subject === 'i' ? author : anyone ? mention : addressee(need[1], roster, author);
    // "Swimmers need to be on deck by 8": a plural group that is no participant
    const group = !who && /^\p{Lu}\p{Ll}+s$/u.test(need[1] ?? '') && roster.resolve(need[1]!) === null;
    if (subject === 'i' || anyone || who || group) return make(need[2], who, who ? 'request' : 'open');
  }
  const passive = /\b(?:has|have|needs?|must)\s+(?:to\s+)?be\b/i.test(body) ? (body.split(/,\s*/).map((part) => PASSIVE_NEED.exec(part)).find((m) => m !== null) ?? null) : null;
  if (passive?.[1] && passive[2] && !NOT_NAMES.has(passive[1].toLowerCase()) && !/^(?:it|this|that|there|he|she|they|we|i|you)$/i.test(passive[1].trim())) {
    const [participle = '', ...rest] = passive[2].split(/\s+/);
    const thing = passive[1].trim();
    const phrase = /^(?:out|gone|cleared|away|in|ready|back)$/i.test(participle) ? `get the ${thing} ${participle} ${rest.join(' ')}` : `${baseVerb(participle)} the ${thing} ${rest.join(' ')}`;
    const text = actionText(phrase, [], 0, 0);
    const cleaned = actionText(phrase.replace(/\s+(?:by|before|until|till|on|at)\s+.*$/i, ''), [], 0, 0);
    if (text) return [{ text: cleaned || text, at: offset + Math.max(0, body.indexOf(passive[1])), assignee: mention, kind: mention ? 'request' : 'open' }];
  }
  // "the overnight automation needs checking", "the lamp timer needs resetting": a thing that needs doing to it
  const gerund = /^(?:(?:so|and|but|also)\s+)?(?:the|our|all|your)\s+((?:[\p{L}\p{N}'’-]+\s+){0,3}?[\p{L}\p{N}'’-]+)\s+(?:still\s+)?needs?\s+(?:a\s+)?([a-z]+?)(?:ing)\b(.*)$/iu.exec(body.split(/,\s*(?=\p{Ll}*\s*(?:the|our|all|your)\s)/u).pop() ?? body) ?? /\b(?:so|and)\s+(?:the|our|all|your)\s+((?:[\p{L}\p{N}'’-]+\s+){0,3}?[\p{L}\p{N}'’-]+)\s+(?:still\s+)?needs?\s+([a-z]+?)(?:ing)\b(.*)$/iu.exec(body);
  if (gerund && !NOT_NAMES.has(gerund[1]!.toLowerCase())) {
    const verb = verbOfGerund(gerund[2]!.toLowerCase());
    if (verb) {
      const text = actionText(`${verb} the ${gerund[1]}${gerund[3] ?? ''}`, [], 0, 0);
      const cleaned = actionText(`${verb} the ${gerund[1]}`, [], 0, 0);
      if (text) return [{ text: cleaned || text, at: offset + Math.max(0, body.indexOf(gerund[1]!)), assignee: mention, kind: mention ? 'request' : 'open' }];
    }
  }
  const someone = SOMEONE.exec(body);
  if (someone?.[1] && isActionVerb(firstWord(someone[1]))) return make(someone[1], null, 'open');
  const needSomeone = NEED_SOMEONE.exec(body);
  if (needSomeone?.[1]) return make(needSomeone[1], null, 'open');
  const needOn = NEED_ON.exec(body);
  if (needOn?.[1] && !/\bto\s+\w/.test(needOn[1])) return make(needOn[1], null, 'open').map((c) => ({ ...c, text: `Be ${lowerFirst(c.text)}` }));
  const third = THIRD_PERSON.exec(body);
  if (third?.[1] && third[2] && !NOT_NAMES.has(third[1].toLowerCase()) && !STATE_VERBS.has(firstWord(third[2])) || (third?.[2] && /^be (?:there|home|around|in)\b/i.test(third[2]) && !NOT_NAMES.has(third[1]!.toLowerCase()))) {
    const who = roster.resolve(third![1]!) ?? third![1]!;
    return make(third![2]!, who, 'commitment');
  }
  // "Zeynep on the door from 19:00, Burak on the Q&A mic", "Jae you're on the parade": people put on posts
  const posts = postsIn(body, roster, author);
  if (posts.length > 0) return posts.flatMap((p) => make(p.phrase, p.who, 'request').map((c) => ({ ...c, text: `Be on ${lowerFirst(c.text)}` })));
  // "Priya - the school board piece, I need it by 4", "Dean the pen agreement for Kestrel pls", "Funmi — the aso ebi": a thing handed to someone
  const handed = HANDED.exec(body.replace(new RegExp(`^${ACTION_HEADING.source}\\s*`, 'i'), ''));
  if (handed?.[1] && handed[3] && !/\b(?:is|are|was|were|has|had|will|won['’]t|isn['’]t|looks?|went|did)\b/i.test(handed[3]) && !isActionVerb(firstWord(handed[3])) && !NOT_HANDED.test(handed[3])) {
    // ("Correction: parents' evening starts at 5pm": a heading before a colon is nobody)
    // ("Devon, rough cut whenever you get a chance": after a comma only a participant, asked in so many words)
    const comma = /,/.test(handed[2]!);
    const dash = /[-–—]/.test(handed[2]!) || (/[:,]/.test(handed[2]!) && roster.resolve(handed[1].replace(/^@/, '')) !== null);
    // ("Action points: Funmi — the aso ebi. Kemi — the programme booklet.": a list of jobs handed out)
    const politely = /\b(?:pls|please|plz|asap|whenever|when you get a chance|when you can|no rush|no pressure|if you have time|at some point)\b/i.test(body);
    const asked = comma ? politely : politely || /\b(?:by|before|today|tonight|tomorrow|eod|need (?:it|them|this|that))\b/i.test(body) || dates.length > 0 || ACTION_HEADING.test(`${before} ${clause.text}`);
    const who = addressee(handed[1], roster, author, dash);
    if (who && asked && (dash || (/^(?:the|your|his|her|our|this|that|these|those)\s/i.test(handed[3]) && !/:/.test(handed[2]!)))) {
      return make(handed[3], who, 'request').map((c) => ({ ...c, text: `Sort out ${roster.resolve(firstWord(c.text)) ? c.text : lowerFirst(c.text)}` }));
    }
  }
  // "Dani, deep clean the walk-in" / "tell guests"
  const named = /^(@?[\p{L}][\p{L}\p{N}_'’.-]*)[,:]?\s+(.+)/u.exec(body);
  // "Everyone pack tonight!!", "Parents, sign the form": an order to the whole group
  if (named?.[1] && named[2] && WHOLE_GROUP.test(named[1]) && isActionVerb(firstWord(named[2])) && !isEventCompound(`${named[1]} ${firstWord(named[2])}`) && !NEGATED.test(named[2])) return make(named[2], null, 'open', true);
  if (named?.[1] && named[2] && isActionVerb(firstWord(named[2]))) {
    const who = addressee(named[1], roster, author);
    if (who) return make(named[2], who, 'request');
  }
  for (const raw of body.split(/,\s*/)) {
    // "..., so send me any late entries before then"
    const part = raw.replace(/^(?:so|and|then|but|also|just)\s+/i, '');
    const words = part.trim().split(/\s+/);
    // "Call sheet for Saturday is out", "Set build this Saturday": a noun, not an order
    const nounUse = /^\S+\s+(?:of\b|(?:\S+\s+){0,3}?(?:is|are|was|were|has been|goes|went)\b)/i.test(part.trim()) || isEventCompound(words.slice(0, 2).join(' '));
    const be = /^be (?:at|there|on|in|ready|back|home|rigged|dressed|changed)\b/i.test(part.trim());
    if (words.length >= 2 && (be || isActionVerb(firstWord(part.trim()))) && !nounUse && !/^(?:check out|call it|call time|clean sheet|count me in|open (?:for|to|on|at|till|until)|post[- ]\w+|back (?:on|by|at|in|from|home|for|tomorrow|tonight|today|next|this|soon|later|(?:mon|tues|wednes|thurs|fri|satur|sun)day))\b/i.test(part.trim())) {
      return make(part.trim(), mention, mention ? 'request' : 'open');
    }
  }
  return [];
}

const TODO_HINT =
  /\b(?:can|could|would|will|who|who['’]s|anyone|anybody|someone|somebody|any volunteers|needs?|has to|have to|must|gotta|should|i['’]?ll|i['’]m going|i['’]m gonna|i am going|i can|let me|we['’]ll|we will|happy to|please|pls|plz|don['’]?t forget|do not forget|remember|make sure|todo|to-do|action item|task)\b|@|^\s*(?:ai)\s*[:-]/i;
const VERB_START = new RegExp(`(?:^|[,.!?;:]\\s*|\\p{Extended_Pictographic}\\s*)(?:\\p{L}+[,:]?\\s+)?(?:${[...ACTION_VERBS].join('|')})\\b`, 'iu');

/** "Priya - the piece", "Devon, rough cut whenever you get a chance", "Zeynep on the door": a task handed over with no verb. */
const DASH_HANDED = /(?:^|[.:;]\s*)@?\p{Lu}\p{L}*\s*[-–—]\s*\S/u;
const POLITE_HANDED = /\p{Lu}\p{L}*,\s+[^.!?]*\b(?:whenever|when you get a chance|no rush|pls|please)\b/u;
const POST_HANDED = /\p{Lu}\p{Ll}+(?:,?\s+you['’]re)?\s+on\s+\S/u;

/** Cheap test: may this text hand a task to someone without a verb? */
export function mayBeHanded(text: string): boolean {
  return (/[-–—]/.test(text) && DASH_HANDED.test(text)) || (/\b(?:whenever|chance|rush|pls|please)\b/i.test(text) && POLITE_HANDED.test(text)) || (text.includes(' on ') && POST_HANDED.test(text));
}

/** "the family meeting on zoom Saturday 7pm": the words name a happening first ("the forms for the trip" do not). */
function isEventPhrase(text: string): boolean {
  const head = text.split(/\s+(?:on|at|for|in|this|next|tomorrow|today|tonight)\b/i)[0] ?? text;
  return namesEvent(head);
}

/** Cheap test: can this text hold a todo at all? */
export function mayHoldTodo(text: string): boolean {
  return TODO_HINT.test(text) || VERB_START.test(text) || mayBeHanded(text);
}
