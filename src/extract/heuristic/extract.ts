/**
 * The heuristic extractor: messages and settings in, todos and events out. Pure: no clock, no
 * network, no storage. Dates resolve against each message's own instant in the chat's zone.
 */
import type { ChatMessage, Evidence, ExtractedEvent, ExtractedTodo as Todo, ExtractionResult, ExtractionSettings } from '../types.js';
import { cancellationIn, cancels, dayKeyOf, isCancellation, NOT_TARGET } from './cancellations.js';

/** A todo while the chat is read: a later message may still call it off. */
/** A todo while the chat is read: `owed` by everyone ("subs are due by 1 May"), `asked` of the group ("who's bringing the PA?"). */
type ExtractedTodo = Todo & { dropped?: boolean; at?: number; owed?: boolean; asked?: boolean };

/** Words of a todo, for cancellations; kept beside the todo so the output stays plain. */
const todoWords = new WeakMap<ExtractedTodo, Set<string>>();
import { splitClauses, type Clause } from './clauses.js';
import { DATE_HINT, findDates, isTimeOnly, toInstant, type DateMention, type LocalDate, type LocalTime } from './dates.js';
import { DateTime } from 'luxon';
import { dedupe } from './dedupe.js';
import { dateAfter, eventNounsIn, eventsInClause, namesEvent, mayAnnounceEvent, MOVE_BY, RESCHEDULE, rescheduleIn } from './events.js';
import { buildRoster } from './people.js';
import { ABSENCE_HINT, absenceIn } from './absences.js';
import { priorityOf } from './priority.js';
import { contentWords, textSimilarity } from './similarity.js';
import { mayBeHanded, mayHoldTodo, todosInClause } from './todos.js';
import { WordIndex } from './word-index.js';

/** Cheap gate: a message with none of these words can hold no todo, event or cancellation. */
const WORTH_A_LOOK =
  /\?|@|\b(?:i['’]?ll|i will|i can|i['’]m going|we['’]ll|we will|let me|please|pls|can|could|would|need|needs|must|should|have to|has to|gotta|don['’]?t forget|remember|make sure|todo|action item|who|anyone|someone|will|cancel\w*|off|never ?mind|nvm|scratch|moved?|moves|moving|push|pushed|postponed|rescheduled|tbd|tbc|tba|due|deadline|date|planned|me|on it|sure|yes|yep|ok|got|no)\b/i;
const ACCEPT =
  /^(?:(?:ok(?:ay)?|sure|yes|yep|yeah|yup|sim|si|of course|no problem|np|absolutely|definitely|great|cool|fine)\b[\s,!.]*)*(?:i can(?:,|!|\.|$| do (?:it|that)| take (?:it|that|them))|i will(?:,|!|\.|$)|i['’]ll do (?:it|that)|i['’]ll take (?:it|that|them|care of it)|i['’]ll sort it|i['’]ll handle (?:it|that)|i['’]m on it|on it|will do|me\b[.!]?|count me in|i got (?:it|this)|leave it (?:to|with) me|i['’]ll get it|i can help|i['’]ll help|happy to help|i can give (?:you )?a hand|(?:i['’]ve |i )?got (?:it|that|you) covered|consider it done)/i;
const PRONOUN_OBJECT = /^\S+\s+(?:it|them|him|her|that|this|one|mine|those|these|some|any)\b|^(?:it|them)\b|^be (?:there|home|around)\b/i;
const MOVE_QUESTION = /\b(?:move|push|postpone|reschedule|shift|bump)\b/i;
const WHEN_QUESTION = /^(?:(?:and|so|btw|ok)\s+)*(?:when(?:['’]s| is| are| will)|what time(?:['’]s| is)|is the|(?:which|what) (?:one |day |date |time |of (?:those|these|them) )?(?:suits|works|is better|would suit|would work|do you prefer)|which do you prefer)\b/i;
const ACCEPT_WINDOW = 4;
const ALREADY_DONE = /^(?:(?:yes|yep|yeah|oh|ah|no need|haha)[,!.\s]+)?(?:(?:it['’]s|that['’]s|all)\s+)?(?:already\s+(?:done|sorted|taken care of|handled)|(?:done|sorted|taken care of|handled)\s+already)\b[^\p{L}]*$|^(?:(?:yes|yep|yeah|oh|ah|no need|haha)[,!.\s]+)?(?:i(?:['’]ve| have)?\s+)?already\s+(?:did|done|booked|sent|ordered|fixed|paid|sorted|handled|bought|got)(?:\s+(?:it|that|them|one))?\b[^\p{L}]*$/iu;

/** A recent message, kept to see what a reply ("I can", "I'll take them") answers. */
interface Recent {
  messageIndex: number;
  author: string;
  text: string;
  todos: ExtractedTodo[];
  /** A deadline the message states ("before the 10am ward round", "by Friday"), for a reply that takes the job on; read when asked. */
  deadline?: () => { at: string; event: Dated | null } | null;
}

interface Dated {
  event: ExtractedEvent;
  messageIndex: number;
  day: string | null;
  words: Set<string>;
  dropped?: boolean;
  /** Todos that serve this event: they fall with it when it is called off and follow it when it moves. */
  todos: ExtractedTodo[];
  /** Author of the message that announced it. */
  author: string;
}

/** The event a todo's due date was taken from, so the due follows the event when it moves. */
const dueFrom = new WeakMap<ExtractedTodo, Dated>();

/** Being somewhere or handling something when it happens: done at the event, due when it starts. */
const PRESENCE = /^(?:be (?:at|there|home|around|in|on|ready|back|here)\b|attend\b|come\b|go to\b|meet\b|join\b|bring\b(?!.*\bback\b)|help (?:me |us |them |him |her )?(?:store|unload|carry|set up|with|out)\b|sign for\b|let (?:them|him|her|the \w+) in\b|open up\b|(?:take|drive|bring|walk) (?:him|her|them|the kids)(?: to\b|$)|(?:grab|collect|fetch|get|pick up|meet) (?:him|her|them)$|pick (?:him|her|them) up\b|cover (?:my|his|her|their|the|for)\b)/i;
/** A todo that points back at what was just said ("take his bloods", "do it", "be home then"). */
const BACK_REFERENCE = /\b(?:it|them|his|her|their|that|this|those|these|then|there|that one|him)\b/i;
/** A todo that points back at a thing just named ("for it", "be there then"): it serves that thing. */
const THING_REFERENCE = /\b(?:for it|it|that|this|then|there|that one)\b/i;
/** "probably Monday": a hedged date does not replace a stated deadline. */
const HEDGED = /\b(?:probably|maybe|hopefully|might|perhaps|possibly|try to|if I can|ish)\b/i;

/** The local day and time an event starts at. */
function localStart(e: ExtractedEvent, timeZone: string): { date: LocalDate; time: LocalTime | null } | null {
  if (!e.startsAt) return null;
  const t = DateTime.fromISO(e.startsAt, { zone: timeZone });
  return { date: { year: t.year, month: t.month, day: t.day }, time: e.allDay ? null : { hour: t.hour, minute: t.minute } };
}

/** The due an event gives a task done at it: its start, or 17:00 on the day of an all-day event. */
function dueAtEvent(e: ExtractedEvent, timeZone: string): string | null {
  if (!e.startsAt) return null;
  if (!e.allDay) return e.startsAt;
  return DateTime.fromISO(e.startsAt, { zone: timeZone }).set({ hour: 17, minute: 0 }).toUTC().toJSDate().toISOString();
}

/** Evidence for a sentence of a message: the excerpt is the sentence as written, with its end mark. */
/** Said of a happening called off: it will still happen, on a date not set yet. */
const REPLANNED = /\b(?:do|hold|have|run|redo|rearrange|reschedule)\s+it\b[^.!?]{0,60}\b(?:instead|later|another)\b[^.!?]{0,40}\b(?:tbd|tbc|tba|date (?:to follow|tbd|tbc)|no date yet)\b|\b(?:instead|later|another (?:day|time|date))\b[^.!?]{0,30}\b(?:date )?(?:tbd|tbc|tba)\b/i;

function evidence(message: ChatMessage, clause: Clause | string): Evidence {
  const excerpt =
    typeof clause === 'string'
      ? clause
      : message.text.slice(clause.index, clause.index + clause.text.length) + (/^[.!?]+/.exec(message.text.slice(clause.index + clause.text.length))?.[0] ?? '');
  return { messageId: message.id, author: message.author.name, sentAt: message.sentAt, excerpt };
}

function inClause(dates: DateMention[], clause: Clause): DateMention[] {
  return dates.filter((d) => d.index >= clause.index && d.index < clause.index + clause.text.length);
}

/**
 * The due date a sentence gives: the future mention after by / before / until / due, else the
 * first one, skipping dates that only describe the object ("book a table for Saturday"). A time
 * alone ("by 9:15") takes its day from another mention in the sentence.
 */
function dueOf(dates: DateMention[], text: string, timeZone: string): string | null {
  const lead = (d: DateMention) => text.slice(Math.max(0, d.index - 14), d.index);
  // "book a table for Saturday" describes the object; "before the end of the week" and "confirm with her today" do not
  // ("Tuesday evening is fine, I'll tell them", "Wednesday morning would suit me best": a time agreed to, not a deadline)
  const agreed = (d: DateMention) => /^\s*(?:is|['’]s|would be|would)?\s*(?:fine|good|ok|okay|great|perfect|better|best|works?|suits?|work|suit)\b/i.test(text.slice(d.index + d.text.length, d.index + d.text.length + 24));
  const usable = dates.filter(
    (d) =>
      !d.past &&
      !agreed(d) &&
      (/\b(?:by|before|until|till|due)\s+the\s+$/i.test(lead(d)) ||
        /^(?:today|tonight|tomorrow|tmrw|tmr)\b/i.test(d.text) && !/\bfor\s+$/i.test(lead(d)) ||
        !/\b(?:for|my|your|his|her|our|their|the)\s+(?:the\s+|this\s+|next\s+)?$/i.test(lead(d))),
  );
  const chosen = usable.find((d) => /\b(?:by|before|until|till|due)\s+(?:the\s+)?$/i.test(lead(d))) ?? usable[0];
  if (!chosen) return null;
  if (isTimeOnly(chosen)) {
    const day = dates.find((d) => !d.past && !isTimeOnly(d));
    if (day) return toInstant({ ...chosen.start, date: day.start.date }, timeZone);
  }
  return toInstant(chosen.start, timeZone, { hour: 17, minute: 0 });
}

/**
 * "before the freeze", "before the meeting", "before then": the start of the event named (or,
 * for "then", the latest dated event of the last few messages). A day without time gives 17:00.
 */
function eventBefore(text: string, events: Dated[], messageIndex: number): Dated | null {
  // "before the 10am ward round": the time is skipped, the noun names the event
  // ("before bump in tomorrow": without an article, only words that name a happening)
  const bare = /\bbefore ([\p{L}-]+)(?:\s+([\p{L}-]+))?(?:\s+([\p{L}-]+))?/iu.exec(text);
  const named = /\b(?:before|by) (?:the|our|this|that) (?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\s+)?([\p{L}-]+)(?:\s+([\p{L}-]+))?(?:\s+([\p{L}-]+))?/iu.exec(text) ?? (bare && eventNounsIn(`${bare[1]} ${bare[2] ?? ''}`).length > 0 ? bare : null);
  const then = /\b(?:before|by|until|till) then\b/i.test(text);
  if (!named && !then) return null;
  // ("before bump in tomorrow": an event word is kept even when it is also a word of moving things)
  const nouns = named ? eventNounsIn(`${named[1]} ${named[2] ?? ''} ${named[3] ?? ''}`) : [];
  const words = named ? (nouns.length > 0 ? contentWords(nouns.join(' ')) : contentWords(`${named[1]} ${named[2] ?? ''} ${named[3] ?? ''}`).filter((w) => !NOT_TARGET.has(w))) : [];
  // a named event is looked up among earlier messages first: this message may only repeat it
  let same: Dated | null = null;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const e = events[i]!;
    if (e.dropped || e.event.startsAt === null) continue;
    if (then ? messageIndex - e.messageIndex <= 2 : words.some((w) => e.words.has(w))) {
      if (then || e.messageIndex < messageIndex) return e;
      same ??= e;
    }
  }
  return same;
}

/**
 * "bring folding tables to the Rec Center for the briefing", "I'll hand them out at the meeting": the dated
 * happening a task is done at or for, named by an event word after at / to / for / during.
 */
function eventServed(text: string, index: WordIndex<Dated>, messageIndex: number, sentAt: string): Dated | null {
  if (!/\b(?:at|to|during|for)\s+(?:the|our|this|that|tomorrow|tonight|\p{L}+day['’]s|next week)/iu.test(text)) return null;
  // ("print the options for the meeting", "bring tables for the briefing": "for" counts after a verb of getting things there)
  const forToo = /\b(?:bring|bringing|take|taking|print|set up|prep|prepare)\b/i.test(text);
  const words: string[] = [];
  for (const m of text.matchAll(/\b(at|to|during|for)\s+(?:the|our|this|that|tomorrow['’]s|tonight['’]s|\p{L}+day['’]s|next week['’]s)\s+((?:(?!(?:at|to|for|during|on|in)\b)[\p{L}-]+\s+){0,2}(?!(?:at|to|for|during|on|in)\b)[\p{L}-]+)/giu)) {
    if (m[1]!.toLowerCase() === 'for' && !forToo) continue;
    const nouns = eventNounsIn(m[2]!);
    if (nouns.length > 0) words.push(...contentWords(nouns.join(' ')).filter((w) => !NOT_TARGET.has(w)));
  }
  if (words.length === 0) return null;
  const sent = Date.parse(sentAt);
  return index.latestWithAnyWord(words, (e) => !e.dropped && e.event.startsAt !== null && e.messageIndex <= messageIndex && Date.parse(e.event.startsAt) >= sent, (e) => e.messageIndex);
}

function dueBeforeEvent(text: string, events: Dated[], messageIndex: number, timeZone: string): string | null {
  const e = eventBefore(text, events, messageIndex);
  return e ? dueAtEvent(e.event, timeZone) : null;
}

/** First name, lower-cased, for "kat if you want it it's yours". */
function firstName(name: string): string {
  return (name.split(/[\s_]+/)[0] ?? '').toLowerCase();
}

/**
 * The request a reply by `author` takes on: walking back over the last few messages, the latest
 * todo that is open (or addressed to the author). A message by someone else with no todo stops
 * the walk (the reply answers that message), unless it names the author.
 */
function requestAnswered(recent: Recent[], author: string): ExtractedTodo | null {
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    const m = recent[i]!;
    // (a thing everyone owes is no request to take on: "I need to finish it tomorrow" is a task of one's own)
    const open = m.todos.filter((t) => !t.dropped && !t.owed && (t.assignee === null || (m.author !== author && t.assignee === author)));
    if (open.length > 0) return open[open.length - 1]!;
    if (m.author !== author && !new RegExp(`\\b${firstName(author).replace(/[^\p{L}\p{N}]/gu, '')}\\b`, 'iu').test(m.text)) return null;
  }
  return null;
}

export function extractHeuristic(messages: ChatMessage[], settings: ExtractionSettings): ExtractionResult {
  const timeZone = settings.timeZone;
  const roster = buildRoster(messages);
  // "Sam is off": a participant or a capitalised word that names no happening, day or thing nearby
  const isPerson = (name: string) => roster.resolve(name) !== null || (/^\p{Lu}\p{Ll}+$/u.test(name) && eventNounsIn(name).length === 0 && !NOT_PERSON.test(name));
  const speakers = [...new Set(messages.filter((m) => !m.system && m.text).map((m) => m.author.name))];
  const todos: ExtractedTodo[] = [];
  const events: Dated[] = [];
  const eventIndex = new WordIndex<Dated>();
  const todoIndex = new WordIndex<ExtractedTodo>();
  const addEvent = (event: ExtractedEvent, messageIndex: number, day: string | null, author: string): Dated => {
    const dated: Dated = { event, messageIndex, day, words: new Set(contentWords(event.title)), todos: [], author };
    events.push(dated);
    eventIndex.add(dated, dated.words, day);
    return dated;
  };
  /** Links a todo to the event it serves; `due`: the todo's due date comes from the event. */
  const link = (todo: ExtractedTodo, e: Dated, due: boolean) => {
    if (!e.todos.includes(todo)) e.todos.push(todo);
    if (due) dueFrom.set(todo, e);
  };
  /** The event that now holds `e`'s new start: the old one is dropped, its todos follow. */
  const moveEvent = (old: Dated, mention: DateMention, source: Evidence, messageIndex: number, author: string): Dated => {
    const was = localStart(old.event, timeZone);
    const date = isTimeOnly(mention) && was ? was.date : mention.start.date;
    const time = mention.start.time ?? was?.time ?? null;
    const startsAt = toInstant({ date, time, offsetMinutes: mention.start.offsetMinutes }, timeZone);
    let endsAt: string | null = null;
    if (mention.end?.time) endsAt = toInstant({ ...mention.end, date }, timeZone);
    else if (old.event.endsAt && old.event.startsAt) endsAt = new Date(Date.parse(old.event.endsAt) + Date.parse(startsAt) - Date.parse(old.event.startsAt)).toISOString();
    old.dropped = true;
    const moved = addEvent({ ...old.event, startsAt, endsAt, allDay: time === null, source }, messageIndex, dayKeyOf(date), author);
    moved.todos = old.todos;
    for (const t of moved.todos) {
      if (dueFrom.get(t) !== old) continue;
      dueFrom.set(t, moved);
      t.dueAt = dueAtEvent(moved.event, timeZone);
    }
    return moved;
  };
  /** The event a move names ("the training", "the Thursday farrier visit"); "it" is the latest event. */
  const movedEvent = (subject: string, messageIndex: number): Dated | null => {
    // ("shift the match to Saturday" after "next fixture is Sunday"): words that name the same kind of happening
    const words = contentWords(subject).filter((w) => !NOT_TARGET.has(w) && !/^\d/.test(w)).flatMap((w) => [w, ...(SAME_KIND[w] ?? [])]);
    const earlier = (e: Dated) => !e.dropped && e.messageIndex < messageIndex && e.event.startsAt !== null;
    if (words.length > 0) {
      const latest = eventIndex.latestWithAnyWord(words, earlier, (e) => e.messageIndex);
      if (!latest) return null;
      // the same happening mentioned again on its day ("the gala is Saturday" ... "drive kids to the gala on Saturday") moves as one
      const sameDay = latest.day === null ? [latest] : eventIndex.onDay(latest.day);
      const same: Dated[] = [];
      // the latest few of that day are enough: mentions of one happening sit close together
      for (let i = sameDay.length - 1; i >= 0 && same.length < 8 && sameDay.length - i <= 64; i -= 1) {
        const e = sameDay[i]!;
        if (earlier(e) && words.some((w) => e.words.has(w))) same.push(e);
      }
      if (!same.includes(latest)) same.unshift(latest);
      same.sort((a, b) => b.messageIndex - a.messageIndex);
      for (const e of same.slice(1)) {
        e.dropped = true;
        latest.todos.push(...e.todos);
      }
      const first = same[same.length - 1]!;
      const timed = same.find((e) => !e.event.allDay);
      if (timed && latest.event.allDay) latest.event = { ...latest.event, startsAt: timed.event.startsAt, endsAt: timed.event.endsAt, allDay: false };
      latest.event = { ...latest.event, title: first.event.title };
      return latest;
    }
    for (let i = events.length - 1; i >= 0 && messageIndex - events[i]!.messageIndex <= 3; i -= 1) if (earlier(events[i]!)) return events[i]!;
    // "can we move the shoot?" ... "Done, moved to Sunday 21st": the happening someone asked to move
    if (moveAsked && messageIndex - moveAsked.messageIndex <= 6 && earlier(moveAsked.event)) return moveAsked.event;
    return null;
  };
  /** The event a recent question asked to move ("can we move the shoot?"). */
  let moveAsked: { event: Dated; messageIndex: number } | null = null;
  /** A happening called off with another time offered ("scrap our catch-up ... same time tomorrow?"): the next agreeing reply with a day moves it. */
  let pendingMove: { events: Dated[]; messageIndex: number; author: string; day?: DateMention } | null = null;
  /** The latest event of the last few messages (sharing a word with `words` when given). */
  const recentEvent = (messageIndex: number, words: string[], window: number): Dated | null => {
    let nearest: Dated | null = null;
    for (let i = events.length - 1; i >= 0 && messageIndex - events[i]!.messageIndex <= window; i -= 1) {
      const e = events[i]!;
      if (e.dropped || e.event.startsAt === null) continue;
      if (words.some((w) => e.words.has(w))) return e;
      nearest ??= messageIndex - e.messageIndex <= 2 ? e : null;
    }
    return nearest;
  };
  const recent: Recent[] = [];
  /** The happening last asked about; `offered`: the days the asker offered ("Saturday June 13th at 6:30pm or Sunday the 14th"). */
  let asked: { title: string; messageIndex: number; author: string; whether: boolean; offered: DateMention[] } | null = null;
  let previous = -1;

  messages.forEach((message, messageIndex) => {
    const text = message.text;
    if (message.system || !text) return;
    const author = message.author.name;
    const before = previous;
    previous = messageIndex;
    while (recent.length > 0 && messageIndex - recent[0]!.messageIndex > ACCEPT_WINDOW) recent.shift();
    const here: Recent = { messageIndex, author, text, todos: [] };
    // "can someone book room G14?" - "done already 👍": what is already done is no task
    if (text.length < 50 && ALREADY_DONE.test(text.trim())) {
      const done = requestAnswered(recent, author);
      const asked = done ? recent.find((r) => r.todos.includes(done)) : undefined;
      // only a job for one person: "please transfer your share" answered "done already" is still everyone else's
      const oneJob = done !== null && (done.assignee === author || /\b(?:someone|somebody|anyone|anybody|can you|could you|would you)\b/i.test(asked?.text ?? ''));
      if (done && asked && oneJob && asked.author !== author && messageIndex - asked.messageIndex <= 2) {
        done.dropped = true;
        recent.push(here);
        return;
      }
    }
    // "sent you the gas list Oskar", "done ✅", "booked!" from the one asked: a task reported done later in the chat is no task
    // ("done the FB, board's next": half a job is not the job; a bare "done ✅" may only confirm it is in hand)
    const report = text.length < 120 && !/\b(?:next|still|but|half|partly|not yet|tomorrow|later)\b/i.test(text) ? DONE_REPORT.exec(text.trim()) : null;
    if (report) {
      const said = contentWords(report[2] ?? '').filter((w) => !NOT_TARGET.has(w));
      const verb = report[1]!.toLowerCase();
      for (let i = todos.length - 1; i >= 0; i -= 1) {
        const t = todos[i]!;
        if ((t.at ?? messageIndex) < messageIndex - 15) break;
        if (t.dropped || (t.at ?? messageIndex) >= messageIndex || (t.assignee !== null && t.assignee !== author)) continue;
        const words = contentWords(t.text);
        const sameVerb = DONE_VERB[verb]?.test(t.text) ?? false;
        if (said.some((w) => words.includes(w)) || (said.length === 0 && sameVerb && messageIndex - (t.at ?? messageIndex) <= 3)) {
          t.dropped = true;
          break;
        }
      }
    }
    if (!WORTH_A_LOOK.test(text) && !DATE_HINT.test(text) && !mayBeHanded(text)) {
      recent.push(here);
      return;
    }
    const acceptance = text.split(/[,.!;]\s*/).some((part) => ACCEPT.test(part.trim()));
    const target = requestAnswered(recent, author);
    const answersWhen = asked !== null && messageIndex - asked.messageIndex <= 3;
    const cancelling = isCancellation(text) || RESCHEDULE.test(text) || MOVE_BY.test(text);
    // "the shoe rep is now Friday morning instead": a move told as the new state names no happening noun
    const movesSomething = !cancelling && events.length > 0 && rescheduleIn(text) !== null;
    // "they said at 11" right after "the piano arrives Thursday": a short time that may complete it
    const completes = text.length < 80 && events.length > 0 && messageIndex - events[events.length - 1]!.messageIndex <= 3 && CLOCK.test(text);
    const mayMatter = cancelling || movesSomething || (pendingMove !== null && AGREE.test(text)) || answersWhen || completes || (acceptance && target !== null) || mayHoldTodo(text) || mayAnnounceEvent(text) || (text.includes('?') && /\b(?:are|is) we (?:still )?(?:doing|having|holding|on for)\b/i.test(text));
    if (!mayMatter) {
      recent.push(here);
      return;
    }
    // chrono is the costly step: only for messages that may hold an item
    const dates = DATE_HINT.test(text) ? findDates(text, message.sentAt, timeZone, namesEvent) : [];
    const clauses = splitClauses(text);
    const priority = priorityOf(text);
    const found: ExtractedTodo[] = [];
    const eventsBefore = events.length;
    let eventsHere = 0;
    /** The happening this message called off, for "... is off, we'll make it up next Tuesday 5:30-7". */
    let calledOffHere: Dated | null = null;
    let accepted = false;
    // "<@U04OMAR> yes, ... Please send me the colour": a message opening with a mention is addressed to that person
    const opening = /^\s*@([\p{L}\p{N}_.-]+)/u.exec(text);
    const addressed = opening ? (roster.resolve(opening[1]!) ?? null) : null;

    // "I can" / "on it" / "I'll take them" takes on `target`, a recent open request, instead of adding a todo

    if (pendingMove && pendingMove.author !== author && messageIndex - pendingMove.messageIndex <= 3 && AGREE.test(text)) {
      // "could we move our call to 2pm?" - "no problem, 2pm it is": a time alone keeps the day
      const day = dates.find((d) => !d.past && !isTimeOnly(d)) ?? dates.find((d) => !d.past && d.start.time !== null) ?? (dates.length === 0 ? pendingMove.day : undefined);
      const [latest, ...others] = pendingMove.events.filter((e) => !e.dropped).reverse();
      if (day && latest) {
        for (const e of others) e.dropped = true;
        // the same happening named again on its day ("a call on Tuesday at 11" - "Tuesday at 11 works") moves as one
        if (latest.day !== null) for (const e of eventIndex.onDay(latest.day)) if (e !== latest && !e.dropped && e.messageIndex < messageIndex && [...latest.words].some((w) => e.words.has(w))) e.dropped = true;
        moveEvent(latest, day, evidence(message, text), messageIndex, author);
        eventsHere += 1;
        pendingMove = null;
      }
    } else if (pendingMove && messageIndex - pendingMove.messageIndex > 3) {
      pendingMove = null;
    }

    clauses.forEach((clause, clauseNo) => {
      const clauseDates = inClause(dates, clause);
      const next = clauses[clauseNo + 1];
      const following = next ? inClause(dates, next).map((d) => ({ ...d, index: d.index - next.index })) : [];
      const relative = clauseDates.map((d) => ({ ...d, index: d.index - clause.index }));
      const move = clause.question ? null : rescheduleIn(clause.text);
      // "team lunch is off this week, the Garcia job got moved to Friday": the move is a part of its own
      const cancelText = move ? clause.text.slice(0, move.from) + ' '.repeat(move.end - move.from) + clause.text.slice(move.end) : clause.text;
      // "Sam is off on the 12th": a person away, not a happening called off
      const away = ABSENCE_HINT.test(cancelText) ? absenceIn(cancelText, isPerson) : null;
      const cancellation = cancellationIn(away ? cancelText.slice(0, away.at) + ' '.repeat(away.end - away.at) + cancelText.slice(away.end) : cancelText, move ? relative.filter((d) => d.index < move.from || d.index >= move.end) : relative);
      if (cancellation) {
        const hitTodo = (t: ExtractedTodo) => !t.dropped && (t.at ?? messageIndex) < messageIndex;
        if (!cancellation.todosOnly) {
          const hit = cancellation.words.length > 0 ? eventIndex.withAnyWord(cancellation.words) : cancellation.days.flatMap((d) => eventIndex.onDay(d));
          const calledOff: Dated[] = [];
          // "the staff social is off": of the happenings sharing a word with it, the ones naming it best ("Staff social", not "Staff first aid refresher")
          const overlap = (e: Dated) => cancellation.words.filter((w) => e.words.has(w)).length;
          const open = hit.filter((e) => !e.dropped && e.messageIndex < messageIndex && cancels(cancellation, e.words, e.day));
          const best = Math.max(0, ...open.map(overlap));
          // "I have to scrap our catch-up, I'm stuck on the train. same time tomorrow?": called off with a new time
          // offered is a move asked for; the reply that takes the new time moves it
          const offersAnother = clauses.slice(clauseNo + 1).some((c) => c.question && (SAME_TIME.test(c.text) || inClause(dates, c).some((d) => !d.past))) || /\b(?:how about|what about|instead)\b[^.!?]*\?/i.test(text.slice(clause.index + clause.text.length));
          const proposed = offersAnother ? open.filter((e) => overlap(e) === best) : [];
          if (proposed.length > 0) {
            pendingMove = { events: proposed, messageIndex, author };
            open.length = 0;
          }
          for (const e of open) {
            if (overlap(e) < best) continue;
            e.dropped = true;
            calledOff.push(e);
            // the todos that served it fall with it ("I'll bring the boots" for the fitting)
            for (const t of e.todos) if (hitTodo(t)) t.dropped = true;
          }
          // "the staff meeting Thursday is off ... we'll do it next week instead, date tbc": put off, not called off
          const putOff = calledOff[calledOff.length - 1];
          if (putOff) calledOffHere = putOff;
          if (putOff && REPLANNED.test(text) && !eventIndex.someWithAnyWord([...putOff.words], (e) => !e.dropped && e.messageIndex === messageIndex)) {
            addEvent({ ...putOff.event, startsAt: null, endsAt: null, allDay: false, source: evidence(message, text) }, messageIndex, null, author);
            eventsHere += 1;
          }
          // "no BBQ this year", "no slides then": earlier todos about the thing called off
          const nouns = eventNounsIn(cancelText).flatMap((n) => contentWords(n));
          const about = nouns.length > 0 ? nouns : cancellation.words;
          for (const t of todoIndex.withAnyWord(about)) if (hitTodo(t)) t.dropped = true;
        } else {
          for (const t of todoIndex.withAnyWord(cancellation.words)) if (!t.dropped && cancels(cancellation, todoWords.get(t) ?? new Set(), null)) t.dropped = true;
        }
      }

      // a move of a known event: the event takes the new day (keeping its time unless a new one is given)
      let moved = false;
      if (move) {
        let to = dateAfter(relative, move.to);
        // ("let's push it a week, half the members are away this Friday": a day in another part of the sentence is no new day)
        if (to && move.shiftMinutes && to.index >= move.end) to = null;
        // "the webinar has been pushed back a week": no new day named, the old one moves by the amount
        // "members' breakfast, let's push it a week": "it" is the happening the sentence named before
        const pronounOnly = contentWords(move.subject).every((w) => NOT_TARGET.has(w) || /^\d/.test(w));
        // ("AC guy just called, pushing to thursday same window": the happening sharing words with what came before)
        const namedBefore = pronounOnly && move.at > 0 ? movedEvent(clause.text.slice(0, move.at), messageIndex) : null;
        if (!to && move.shiftMinutes) {
          const old = namedBefore ?? movedEvent(move.subject, messageIndex);
          if (old?.event.startsAt) {
            const t = DateTime.fromISO(old.event.startsAt, { zone: timeZone }).plus({ minutes: move.shiftMinutes });
            to = { index: move.to, text: clause.text.slice(move.at, move.to), start: { date: { year: t.year, month: t.month, day: t.day }, time: old.event.allDay ? null : { hour: t.hour, minute: t.minute }, offsetMinutes: null }, end: null, past: false };
          }
        }
        // "running late, now 9:15" moves a known event only when it names it
        const told = !move.now || (to !== null && to.index <= move.to + 4 && contentWords(move.subject).some((w) => !/^(?:now|it|its|is|are)$/i.test(w)));
        // "shipment's delayed, vessel now arriving Saturday": what moves may be named earlier in the sentence
        // "drill tonight is CANCELLED ... Moving it to next Wednesday same time": what this message called off is what moves
        const calledOffMoves = !cancellation && calledOffHere !== null && /\b(?:it|that|this)\b/i.test(move.subject);
        const old = to && told ? (calledOffMoves ? calledOffHere : null) ?? namedBefore ?? movedEvent(move.subject, messageIndex) ?? (move.now && move.from > 0 ? movedEvent(clause.text.slice(0, move.to), messageIndex) : null) : null;
        if (to && old) {
          moveEvent(old, to, evidence(message, clause), messageIndex, author);
          moved = true;
          eventsHere += 1;
        }
      }

      if (!moved && (!cancellation || move)) {
        // with a cancellation in the same sentence, only the moved part announces anything
        const part: Clause = cancellation && move ? { text: clause.text.slice(move.from, move.end), index: clause.index + move.from, question: false } : clause;
        const partDates = part === clause ? relative : relative.filter((d) => d.index >= move!.from && d.index < move!.end).map((d) => ({ ...d, index: d.index - move!.from }));
        for (const candidate of eventsInClause(part, partDates, text, following, next?.text ?? '', { author, isPerson })) {
          let date = candidate.date;
          // "the freeze slipped a day, now Thu 11/12 5pm, release Friday morning": with a move in the sentence, another known
          // happening given a new day moves too
          if (date && (move || moved) && !isTimeOnly(date)) {
            const named = eventNounsIn(candidate.title).flatMap((n) => contentWords(n));
            const known = named.length > 0 ? eventIndex.latestWithAnyWord(named, (e) => !e.dropped && e.messageIndex < messageIndex && e.event.startsAt !== null && e.day !== dayKeyOf(date!.start.date), (e) => e.messageIndex) : null;
            if (known) {
              moveEvent(known, date, evidence(message, clause), messageIndex, author);
              eventsHere += 1;
              continue;
            }
          }
          // "Correction: parents' evening starts at 5pm, not 4.30, finishing at 7.30": a time alone for a happening already
          // dated on a later day is its new time, not a happening today
          if (date && isTimeOnly(date) && date.start.time) {
            const named = eventNounsIn(candidate.title).flatMap((n) => contentWords(n));
            const sent = Date.parse(message.sentAt);
            const todayKey = dayKeyOf(date.start.date);
            const known = named.length > 0 ? eventIndex.latestWithAnyWord(named, (e) => !e.dropped && e.messageIndex < messageIndex && e.event.startsAt !== null && e.day !== todayKey && Date.parse(e.event.startsAt) > sent, (e) => e.messageIndex) : null;
            if (known) {
              const endAt = relative.find((d) => d.index > date!.index && isTimeOnly(d) && d.start.time && /\b(?:finish(?:ing|es)?|end(?:ing|s)?|until|till|to|wrap(?:ping)? up)\s+(?:at\s+)?$/i.test(clause.text.slice(Math.max(0, d.index - 16), d.index)));
              const moved = moveEvent(known, endAt ? { ...date, end: endAt.start } : date, evidence(message, clause), messageIndex, author);
              if (!endAt && known.event.endsAt === null) moved.event.endsAt = null;
              eventsHere += 1;
              continue;
            }
          }
          // "a second induction on 24 Sept, same time", "we'll do the ride next Sunday instead, same time": the time of the one named before
          if (date && !date.start.time && SAME_TIME.test(text)) {
            const words = eventNounsIn(candidate.title).flatMap((n) => contentWords(n));
            const timed = (e: Dated) => e.messageIndex < messageIndex && e.event.startsAt !== null && !e.event.allDay;
            // ("moving the co-op session to next sat same time" after "playtest on discord sat 2pm-5pm"): a move names what
            // it moves in other words; the latest timed happening of the chat is the one meant
            const moving = /\b(?:mov(?:e|ed|es|ing)|push(?:ed|es|ing)?|postpon\w*|reschedul\w*|shift\w*|instead)\b/i.test(text);
            const latestTimed = moving ? events.findLast((e) => timed(e) && !e.dropped && messageIndex - e.messageIndex <= 30) : undefined;
            const earlier = eventIndex.latestWithAnyWord(words.length > 0 ? words : contentWords(candidate.title), timed, (e) => e.messageIndex) ?? latestTimed ?? null;
            const was = earlier ? localStart(earlier.event, timeZone) : null;
            // none named before: "same time" is the time of the meeting or call the message is sent from
            const now = DateTime.fromISO(message.sentAt, { zone: timeZone });
            const time = was?.time ?? (earlier ? null : { hour: now.hour, minute: now.minute < 30 ? 0 : 30 });
            if (time) date = { ...date, start: { ...date.start, time } };
          }
          // "probably after the inspection": an undated mention of an event already dated is no new event
          // (the same happening: one sharing the word that names it, so "a staff social" is not "the staff first aid refresher")
          const named = date ? [] : eventNounsIn(candidate.title).flatMap((n) => contentWords(n));
          if (!date && eventIndex.someWithAnyWord(named.length > 0 ? named : contentWords(candidate.title), (e) => !e.dropped)) continue;
          if (asked && contentWords(candidate.title).some((w) => contentWords(asked!.title).includes(w))) asked = null;
          // "First item is the spring fair. We've got the hall booked for Saturday the 18th": a title naming no happening,
          // on the day of one this message has named, is that one
          const sameDay = (e: Dated) => e.messageIndex === messageIndex && !e.dropped && e.event.startsAt !== null && date !== null && e.day === dayKeyOf(date.start.date);
          if (date && eventsHere > 0 && events.slice(eventsBefore).some(sameDay) && eventNounsIn(candidate.title).length === 0) continue;
          const event: ExtractedEvent = {
            title: candidate.title,
            startsAt: date ? toInstant(date.start, timeZone) : null,
            endsAt: date?.end?.time ? toInstant(date.end, timeZone) : null,
            allDay: date ? date.start.time === null : false,
            source: evidence(message, clause),
            extractor: 'heuristic',
          };
          addEvent(event, messageIndex, date ? dayKeyOf(date.start.date) : null, author);
          eventsHere += 1;
        }
      }
      // "He'll be back Friday at 1" after "did the plumber come?": the person named before
      if (eventsHere === 0 && !clause.question) {
        const back = PRONOUN_ARRIVAL.exec(clause.text);
        const day = back ? relative.find((d) => !d.past && d.index > back.index && !isTimeOnly(d)) : undefined;
        const who = day ? antecedent(recent) : null;
        if (back && day && who) {
          const title = `${who.charAt(0).toUpperCase()}${who.slice(1)} ${/back/i.test(back[0]) ? 'back' : 'visit'}`;
          const event: ExtractedEvent = {
            title,
            startsAt: toInstant(day.start, timeZone),
            endsAt: day.end?.time ? toInstant(day.end, timeZone) : null,
            allDay: day.start.time === null,
            source: evidence(message, clause),
            extractor: 'heuristic',
          };
          addEvent(event, messageIndex, dayKeyOf(day.start.date), author);
          eventsHere += 1;
        }
      }
      // "the climbing session, Saturday morning at 10?" - "can't Saturday, Sunday?" - "Sunday works, 10am": the happening moves
      if (clause.question && !MOVE_QUESTION.test(clause.text) && COUNTER_OFFER.test(text)) {
        const offered = [...relative].reverse().find((d) => !d.past && !isTimeOnly(d));
        const inHand = offered ? recentEvent(messageIndex, eventNounsIn(clause.text).flatMap((n) => contentWords(n)), 3) : null;
        if (offered && inHand && inHand.messageIndex < messageIndex && inHand.day !== dayKeyOf(offered.start.date)) pendingMove = { events: [inHand], messageIndex, author, day: offered };
      }
      if (clause.question && MOVE_QUESTION.test(clause.text)) {
        const words = eventNounsIn(clause.text).flatMap((n) => contentWords(n));
        // "can we push it to Friday?": "it" is the happening of the last few messages
        const e = words.length > 0 ? eventIndex.latestWithAnyWord(words, (d) => !d.dropped && d.messageIndex < messageIndex && d.event.startsAt !== null, (d) => d.messageIndex) : /\b(?:it|that)\b/i.test(clause.text) ? recentEvent(messageIndex, [], 3) : null;
        if (e) {
          moveAsked = { event: e, messageIndex };
          // the other side agreeing ("sure, Friday 2pm then", "ok") makes the move
          const askedMove = rescheduleIn(clause.text);
          const proposedDay = askedMove ? (dateAfter(relative, askedMove.to) ?? undefined) : undefined;
          pendingMove = { events: [e], messageIndex, author, day: proposedDay };
        }
      }
      if (clause.question && (WHEN_QUESTION.test(clause.text) || WHETHER_QUESTION.test(clause.text))) {
        // "Engagement shoot. I have Saturday or Sunday. Which suits?": the happening may be named a sentence or two before
        // "we did the Thanksgiving potluck last year, should we do a potluck again?": the part asking names what is asked about
        const cut = clause.text.lastIndexOf(', ');
        const asking = cut > 0 ? { text: clause.text.slice(cut + 2), index: clause.index + cut + 2, question: false } : null;
        const noun =
          (asking ? eventsInClause(asking, [], 'tbd')[0] : undefined) ??
          eventsInClause({ ...clause, question: false }, [], 'tbd')[0] ??
          (clauseNo > 0 ? eventsInClause({ ...clauses[clauseNo - 1]!, question: false }, [], 'tbd')[0] : undefined) ??
          (clauseNo > 1 ? eventsInClause({ ...clauses[clauseNo - 2]!, question: false }, [], 'tbd')[0] : undefined) ??
          heldThing(clause.text);
        if (noun) asked = { title: noun.title, messageIndex, author, whether: !WHEN_QUESTION.test(clause.text), offered: dates.filter((d) => !d.past && !isTimeOnly(d)) };
      }

      // "Thursday's water session is off. We'll make it up next Tuesday 5:30-7": the happening called off, held again on the day given
      const again = !cancellation && calledOffHere !== null && REPLAN_AT.test(clause.text) ? relative.find((d) => !d.past && !isTimeOnly(d)) : undefined;
      if (again && calledOffHere) {
        addEvent({ ...calledOffHere.event, startsAt: toInstant(again.start, timeZone), endsAt: again.end?.time ? toInstant({ ...again.end, date: again.start.date }, timeZone) : null, allDay: again.start.time === null, source: evidence(message, clause) }, messageIndex, dayKeyOf(again.start.date), author);
        eventsHere += 1;
        return;
      }
      if (cancellation && cancellation.todosOnly) return;
      const candidates = todosInClause(clause, clauseDates, roster, author, text.slice(0, clause.index), addressed);
      // "Ideally by Monday." / "Deadline is Sunday.": a sentence that only gives the last todo's deadline
      if (candidates.length === 0 && relative.length > 0 && found.length > 0 && clause.text.split(/\s+/).length <= 8) {
        const last = found[found.length - 1]!;
        const due = dueOf(clauseDates, text, timeZone);
        // ("I'll need the cues before tech. By Friday the 19th at the latest.": a stated day sooner than the happening wins)
        if (due && (last.dueAt === null || /^(?:the\s+)?deadline\b/i.test(clause.text) || (dueFrom.has(last) && clauseDates.some((d) => !isTimeOnly(d)) && Date.parse(due) < Date.parse(last.dueAt)))) {
          last.dueAt = due;
          dueFrom.delete(last);
        }
      }
      const dayOf = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).toISODate();
      const clauseEvents = events.slice(eventsBefore).filter((e) => !e.dropped && e.event.startsAt !== null && e.event.source.excerpt.startsWith(clause.text.slice(0, 20)));
      for (const candidate of candidates) {
        if ((cancellation || move) && /^(?:cancel|call off|postpone|move|push|reschedule|scrap|drop|skip)\b/i.test(candidate.text)) continue;
        // "we should do a proper crew BBQ this summer", "grab a drink after the wedding sometime": a get-together to have, not a task
        if (SOCIAL_PLAN.test(candidate.text)) continue;
        // "we'll do the hills ride next Sunday instead": doing the happening this sentence dates is the happening, not a task
        if (/^(?:do|have|hold|run|host|make)\s+(?:the|a|an|our|another|it)\b/i.test(candidate.text) && clauseEvents.some((e) => contentWords(candidate.text).some((w) => contentWords(e.event.title).includes(w)))) continue;
        // "Staff meeting Monday 3pm, we'll plan December": what "we" will do there is the meeting's agenda, not a task
        if (candidate.kind === 'commitment' && clauseEvents.length > 0 && /\bwe(?:['’]ll| will)\s+$/i.test(clause.text.slice(0, candidate.at).slice(-12)) && !relative.some((d) => d.index >= candidate.at)) continue;
        if (speakers.length === 2 && candidate.assignee === null && candidate.kind !== 'commitment' && !candidate.owed && !/\b(?:someone|somebody|anyone|anybody|everyone|everybody|we|us|who)\b/i.test(clause.text)) {
          // a request in a conversation between two people is for the other one
          candidate.assignee = speakers.find((s) => s !== author) ?? null;
        }
        // the date of the todo's own part of the sentence, else the sentence's (dates of a sentence that calls something off belong to what is called off)
        const segEnd = clause.text.slice(candidate.at).search(/,\s|\s[-–]\s/);
        const own = relative.filter((d) => d.index >= candidate.at && (segEnd < 0 || d.index < candidate.at + segEnd));
        const ownDue = own.length > 0 ? dueOf(own.map((d) => ({ ...d, index: d.index + clause.index })), text, timeZone) : null;
        let due = cancellation ? null : (ownDue ?? dueOf(clauseDates, text, timeZone));
        // "production meeting Thursday 7pm, I'll send the link", "the deadline is March 2nd, so I was planning to
        // submit next week": the date is the event's; only a task done at the event takes it
        let from: Dated | null = null;
        // "before the Saturday set build": the event named gives the deadline, with its time
        const named = cancellation ? null : eventBefore(clause.text, events, messageIndex);
        if (named && named.event.startsAt && (due === null || dayOf(named.event.startsAt) === dayOf(due))) {
          from = named;
          due = dueAtEvent(named.event, timeZone);
        }
        const atEvent = from ? undefined : due && ownDue === null ? clauseEvents.find((e) => dayOf(e.event.startsAt!) === dayOf(due!)) : undefined;
        if (atEvent) {
          // "Lane ropes arrive Thursday, someone needs to help me store them": due when the event starts
          from = PRESENCE.test(candidate.text) ? atEvent : null;
          due = from ? dueAtEvent(atEvent.event, timeZone) : null;
        }
        // "Swimmers need to be on deck by 8" after "the gala is Saturday": a time alone is on the day of the event in hand
        const alone = own.length > 0 && own.every((d) => isTimeOnly(d)) && !dates.some((d) => !isTimeOnly(d));
        // ("check the generator diesel before 4pm, load shedding is back": a task about something else keeps its own day)
        const inHandEvent = alone && due ? recentEvent(messageIndex, [], 2) : null;
        const inHand = inHandEvent && (PRESENCE.test(candidate.text) || contentWords(candidate.text).some((w) => inHandEvent.words.has(w)) || /\b(?:there|then)\b/i.test(clause.text)) ? inHandEvent : null;
        const inHandDay = inHand ? localStart(inHand.event, timeZone) : null;
        if (due && inHandDay && own[0]!.start.time) due = toInstant({ date: inHandDay.date, time: own[0]!.start.time, offsetMinutes: null }, timeZone);
        const explicit = from ? null : due;
        if (!due && !cancellation) {
          from = eventBefore(clause.text, events, messageIndex);
          // "please attend", "someone should be at the gate for him": at the event of the last messages
          if (!from && PRESENCE.test(candidate.text)) from = recentEvent(messageIndex, contentWords(candidate.text), 3);
          // "bring folding tables to the Rec Center for the briefing": done at or for a dated happening, due when it starts
          if (!from) from = eventServed(clause.text, eventIndex, messageIndex, message.sentAt);
          // "@Dmitri can you take that one?" right after the visit was set: the job is the event
          if (!from && candidate.kind === 'request' && /^\S+\s+(?:it|that one|this one|that|this)$/i.test(candidate.text)) from = recentEvent(messageIndex, [], 1);
          due = from ? dueAtEvent(from.event, timeZone) : null;
        }
        if (!due && !cancellation && candidate.kind === 'commitment' && BACK_REFERENCE.test(candidate.text)) {
          // "I'll take his bloods" after "... wants it rechecked before the 10am ward round"
          const asker = [...recent].reverse().find((r) => r.author !== author && messageIndex - r.messageIndex <= 2);
          const stated = asker && asker.todos.length === 0 ? asker.deadline?.() : null;
          if (stated) {
            due = stated.at;
            from = stated.event;
          }
        }
        const todo: ExtractedTodo = {
          text: candidate.text,
          assignee: candidate.assignee,
          priority,
          dueAt: due,
          source: evidence(message, clause),
          extractor: 'heuristic',
        };
        if (from) link(todo, from, true);
        if (candidate.owed) todo.owed = true;
        if (candidate.asked) todo.asked = true;
        if (target && !accepted && !/\b(?:also|too|as well)\b/i.test(clause.text)) {
          const refersBack =
            PRONOUN_OBJECT.test(candidate.text) || (candidate.kind === 'commitment' && textSimilarity(candidate.text, target.text) >= 0.3);
          if (refersBack) {
            target.assignee ??= candidate.assignee;
            // "by Monday" answered with "I'll send it Monday morning" or "I'll grab it Friday": the reply is more precise
            const sooner = explicit !== null && target.dueAt !== null && Date.parse(explicit) < Date.parse(target.dueAt) && !HEDGED.test(clause.text);
            // "I'm in till 11, I'll let him in": a time alone said of something else in the reply is no new deadline
            const aside = ownDue === null && relative.length > 0 && relative.every((d) => isTimeOnly(d));
            if (due && !aside && (target.dueAt === null || (explicit !== null && target.dueAt.slice(0, 10) === explicit.slice(0, 10)) || sooner)) {
              target.dueAt = due;
              dueFrom.delete(target);
            }
            if (priority !== 'MEDIUM') target.priority = priority;
            accepted = true;
            continue;
          }
        }
        // "I'll be there" with no request to take on is an RSVP to what was announced, not a task
        if (candidate.kind === 'commitment' && candidate.assignee === author && /^be there\b/i.test(candidate.text)) continue;
        found.push(todo);
      }
    });

    if (acceptance && target && !accepted) {
      target.assignee ??= author;
      target.dueAt ??= dueOf(dates, text, timeZone);
      accepted = true;
    }
    // ("me and Priya. Marco can you print signs by the 17th?": a request to someone else after taking a job on stays)
    // ("on it. can someone pull the 2019 clips?": a new request to anyone after taking a job on stays too)
    if (accepted) found.splice(0, found.length, ...found.filter((t) => /\b(?:also|too|as well)\b/i.test(t.source.excerpt) || (t.assignee !== null && t.assignee !== author && t.assignee !== target?.assignee) || (t.assignee === null && t !== target && /\b(?:can|could|would)\s+(?:someone|somebody|anyone|anybody)\b/i.test(t.source.excerpt))));

    // an answer to "when is the retro?" ("Friday 2pm, same room") or to "should we do a social?" ("yes, date tbd")
    // ("Yes, Friday 2 October, coaches leave at 8.15am. Deposits are due by this Friday": another happening in the reply does not answer for it)
    const askedWords = asked ? contentWords(asked.title) : [];
    const answeredHere = events.slice(eventsBefore).some((e) => !e.dropped && askedWords.some((w) => e.words.has(w)));
    if (asked && !answeredHere && !cancelling && asked.messageIndex < messageIndex && messageIndex - asked.messageIndex <= 3 && asked.author !== author) {
      // "two weeks from now, same time, February 24 at 15:00": the mention with a time is the answer; a todo's date is not
      const usedByTodos = new Set(found.map((t) => t.dueAt));
      const days = dates.filter((d) => !d.past && !isTimeOnly(d) && !usedByTodos.has(toInstant(d.start, timeZone, { hour: 17, minute: 0 })));
      let date = days.find((d) => d.start.time !== null) ?? days[0];
      // "saturday works better for us" after "I have Saturday June 13th at 6:30pm or Sunday the 14th": the Saturday offered
      const weekday = date && /^(?:on\s+)?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*$/i.test(date.text.trim()) ? new Date(Date.UTC(date.start.date.year, date.start.date.month - 1, date.start.date.day)).getUTCDay() : -1;
      const pick = weekday >= 0 ? asked.offered.find((o) => new Date(Date.UTC(o.start.date.year, o.start.date.month - 1, o.start.date.day)).getUTCDay() === weekday) : undefined;
      if (date && pick) date = { ...pick, start: { ...pick.start, time: date.start.time ?? pick.start.time } };
      const tbd = /\b(?:set|pick|find|decide) a date|tbd|tbc|not sure yet|no date yet|not yet\b|\b(?:isn['’]t|is not|not|hasn['’]t been|haven['’]t)\s+(?:been\s+)?(?:fixed|set|confirmed|decided|agreed|announced)\b/i.test(text) || (asked.whether && AFFIRMATIVE.test(text));
      // "Thursday evening works for me" offers a time; it does not set one
      const offer = /\b(?:works for me|suits me|good for me|fine (?:by|for) me|i['’]m free|i can do|i could do|free on)\b/i.test(text);
      // "are we still doing the race on Sunday?" - "yep, 10am": the time completes the happening the question dated
      const clock = date ? undefined : dates.find((d) => !d.past && isTimeOnly(d) && d.start.time);
      const dated = clock && !offer ? recentEvent(messageIndex, contentWords(asked.title), 3) : null;
      const day = dated && dated.event.allDay ? localStart(dated.event, timeZone) : null;
      // "next session is the 20th at 10am": a day this message has already given a happening is that one's answer
      const taken = date !== undefined && events.slice(eventsBefore).some((e) => !e.dropped && e.day === dayKeyOf(date!.start.date));
      if (dated && day && clock) {
        dated.event.startsAt = toInstant({ date: day.date, time: clock.start.time, offsetMinutes: clock.start.offsetMinutes }, timeZone);
        dated.event.endsAt = clock.end?.time ? toInstant({ ...clock.end, date: day.date }, timeZone) : null;
        dated.event.allDay = false;
        for (const t of dated.todos) if (dueFrom.get(t) === dated) t.dueAt = dated.event.startsAt;
        eventsHere += 1;
        asked = null;
      } else if ((date || tbd) && !offer && !taken) {
        const event: ExtractedEvent = {
          title: asked.title,
          startsAt: date ? toInstant(date.start, timeZone) : null,
          endsAt: date?.end?.time ? toInstant(date.end, timeZone) : null,
          allDay: date ? date.start.time === null : false,
          source: evidence(message, text),
          extractor: 'heuristic',
        };
        addEvent(event, messageIndex, date ? dayKeyOf(date.start.date) : null, author);
        eventsHere += 1;
        asked = null;
      }
    }

    // "they're coming at 4" after "Lane ropes arrive Thursday": a time alone completes the event just announced
    // ("yes! 5:30 at the shed, I'll get a cake": the time is the happening's, not the task's due)
    const timeAt = dates.length === 1 ? dates[0]!.index : -1;
    const segStart = Math.max(text.lastIndexOf(',', timeAt), text.lastIndexOf('!', timeAt), text.lastIndexOf('.', timeAt)) + 1;
    const segEnd = text.indexOf(',', timeAt) < 0 ? text.length : text.indexOf(',', timeAt);
    const timeIsOwn = timeAt >= 0 && !found.some((t) => {
      const at = text.toLowerCase().indexOf(t.text.toLowerCase().split(' ').slice(0, 2).join(' '));
      return at < 0 || (at >= segStart && at < segEnd);
    });
    if (eventsHere === 0 && (found.length === 0 || (timeIsOwn && dates.length === 1)) && !accepted && dates.length > 0 && dates.every((d) => isTimeOnly(d) && d.start.time) && text.length < 100) {
      const e = recentEvent(messageIndex, [], 3);
      const at = e && e.event.allDay ? localStart(e.event, timeZone) : null;
      if (e && at && (eventNounsIn(text).length === 0 || /^(?:they|he|she|it)\b/i.test(text.trim()))) {
        for (const t of found) if (t.dueAt && dates.some((d) => toInstant(d.start, timeZone) === t.dueAt)) t.dueAt = null;
        e.event.startsAt = toInstant({ date: at.date, time: dates[0]!.start.time, offsetMinutes: dates[0]!.start.offsetMinutes }, timeZone);
        e.event.allDay = false;
        for (const t of e.todos) if (dueFrom.get(t) === e) t.dueAt = e.event.startsAt;
      }
    }

    // "thanks Tyler, no rush": a short reply that only sets how urgent the last request is
    const urgency = priorityOf(text.replace(/\b(?:today|tonight|eod|cob|end of (?:the )?day)\b/gi, ''));
    if (found.length === 0 && !accepted && eventsHere === 0 && !cancelling && urgency !== 'MEDIUM' && text.length < 60) {
      const last = recent[recent.length - 1];
      if (last && last.author !== author) for (const t of last.todos) t.priority = urgency;
    }
    // a todo answering an event just announced serves it ("Costume fitting Wednesday" - "I'll bring the boots")
    const announced = events.slice(eventsBefore).filter((e) => !e.dropped);
    let lastEvent = announced[announced.length - 1];
    for (let i = events.length - 1; !lastEvent && eventsHere === 0 && i >= 0 && events[i]!.messageIndex >= before; i -= 1) {
      const e = events[i]!;
      if (!e.dropped && e.messageIndex === before && e.author !== author) lastEvent = e;
    }
    for (const t of found) {
      const words = new Set(contentWords(t.text));
      todoWords.set(t, words);
      todoIndex.add(t, words, null);
      t.at = messageIndex;
      todos.push(t);
      if (lastEvent) link(t, lastEvent, false);
      else if (THING_REFERENCE.test(t.text)) {
        const e = recentEvent(messageIndex, [...words], 2);
        if (e) link(t, e, false);
      }
    }
    here.todos = found;
    if (found.length === 0 && (dates.length > 0 || /\b(?:before|by|until|till)\b/i.test(text))) here.deadline = () => deadlineIn(text, dates, events, messageIndex, timeZone);
    recent.push(here);
  });

  return dedupe({
    // "who's doing the night walk this week?" that nobody takes on is a question, not anyone's task
    todos: todos.filter((t) => !t.dropped && !(t.asked && t.assignee === null)).map(({ dropped: _dropped, at: _at, owed: _owed, asked: _asked, ...t }) => t),
    events: events.filter((e) => !e.dropped).map((e) => e.event),
  }, timeZone);
}

const REPLAN_AT = /^(?:(?:so|and|but|instead)[,\s]+)?(?:we['’]ll|we will|we can|we['’]re going to|let['’]s|i['’]ll)\s+(?:make (?:it|that|them) up|do (?:it|that) (?:again|instead)|have it|hold it|run it|rearrange it|reschedule(?: it| that)?(?: for)?|rerun it|redo it|catch up)\b/i;
const SOCIAL_PLAN = /^(?:do|have|grab|get|go for|throw|hold)\s+(?:a|an|some|another|the|our)?\s*(?:[\p{L}'’-]+\s+){0,2}?(?:bbq|barbecue|lunch|dinner|drinks?|party|meal|coffee|breakfast|brunch|beers?|pints?|night out|get-together|catch-up|social|celebration|picnic)\b(?!\s+(?:for|ready|sorted|booked|delivered|ordered|to)\b)|^do something\b|^(?:do|visit|see)\s+\p{Lu}[\p{L}'’-]+(?:\s+too)?$/iu;
const SAME_TIME = /\bsame (?:time|hour)\b/i;
const AGREE = /^\s*(?:yes|yeah|yep|yup|sure|ok(?:ay)?|fine|great|perfect|works|that works|sounds good|no problem|np|deal|done|of course|absolutely|definitely|cool|(?:on\s+)?(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\s+(?:works|is (?:fine|good|great|better|perfect)|suits|it is)|(?:that|this) (?:day|date|time) works)\b/i;
/** "can't Saturday, Sunday?", "how about Sunday instead?": another day offered for the happening in hand. */
const COUNTER_OFFER = /\b(?:can['’]?t|cannot|can not|not|no)\s+(?:do\s+|make\s+)?(?:on\s+)?(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|\b(?:how|what) about\b|\binstead\b/i;

/** A time of day written out: "at 4", "11:30", "6pm". */
const CLOCK = /\b(?:at|by|around|from)\s+\d{1,2}\b|\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b/i;
/** "are we still doing the hanami with the students?": what is held, named by any word. */
function heldThing(text: string): { title: string } | undefined {
  const m = /\b(?:are|is) we (?:still )?(?:doing|having|holding|on for)\s+(?:the|a|an|our|this year['’]s)\s+((?:[\p{L}'’-]+\s+){0,2}?[\p{L}'’-]+)(\s+(?:with|at|for|in)\s+(?:the\s+)?[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)*)?\s*(?:\?|$|,|\s+(?:this|next|on|at)\b)/iu.exec(text);
  if (!m) return undefined;
  const title = `${m[1]}${m[2] ?? ''}`.trim();
  return { title: title.charAt(0).toUpperCase() + title.slice(1) };
}

/** Words that name the same kind of happening, for finding the one a move or cancellation means. */
const SAME_KIND: Record<string, string[]> = {
  match: ['fixture', 'game'],
  fixture: ['match', 'game'],
  game: ['match', 'fixture'],
  meeting: ['mtg', 'meetup'],
  mtg: ['meeting'],
  practice: ['training', 'session'],
  training: ['practice', 'session'],
};

/** "done", "sent!", "booked the room", "sent you the gas list": a job reported finished; [verb, what]. */
const DONE_REPORT = /^(?:(?:ok|okay|yes|yep|yeah|all|just|and|aaand)[,!.\s]+)*(?:i(?:['’]ve| have)?\s+)?(?:just\s+)?(done|sent|booked|ordered|printed|posted|paid|fixed|submitted|uploaded|emailed|reserved|confirmed)\b(?![-\s]+(?:by|for|to be|on)\b)((?:\s+(?:you|u|him|her|them|it|the|my|our|your|those|these|a|an|off|over|out)\b)?[^.!?\n]{0,60})[\s.!✅👍🙌✔️]*$/iu;
/** The task verb a report of that kind finishes ("sent" finishes "send ..."). */
const DONE_VERB: Record<string, RegExp> = {
  sent: /^(?:send|email|forward|share)\b/i,
  booked: /^(?:book|reserve)\b/i,
  ordered: /^(?:order|buy|get)\b/i,
  printed: /^print\b/i,
  posted: /^post\b/i,
  paid: /^pay\b/i,
  fixed: /^(?:fix|repair|sort)\b/i,
  submitted: /^(?:submit|file|send)\b/i,
  uploaded: /^(?:upload|post|share)\b/i,
  emailed: /^(?:email|send)\b/i,
  reserved: /^(?:reserve|book)\b/i,
  confirmed: /^confirm\b/i,
};

const NOT_PERSON = /^(?:it|this|that|there|here|everything|everyone|everybody|nothing|office|shop|store|site|studio|gym|pool|power|water|heating|internet|wifi|server|system|today|tomorrow|tonight|\w+day|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|he|she|they|we|who|what|which|one|plan|bus|van|car|lift|kitchen|bar|heater|alarm|light|lights|sign|offer|deal)$/i;
const PRONOUN_ARRIVAL = /\b(?:he|she|they)(?:['’]ll| will|['’]s| is|['’]re| are)?\s+(?:be back|come back|coming back|back|come|coming|arrive|arriving|be here|be there|visit|visiting)\b/i;
const WHETHER_QUESTION = /^(?:[\p{L}\s'’-]+[:,-]\s*){0,2}(?:are we (?:still )?(?:doing|having|holding|on for)|should we (?:do|have|hold|organi[sz]e|plan|run|book)|(?:can|could) we (?:do|have|plan|book|get|schedule|set up|arrange|organi[sz]e)|shall we (?:do|have)|have we (?:set|got|picked|fixed|agreed) a date|is there a date|do we have a date|(?:will|is) there (?:be |going to be )?(?:a|an|another)\b|(?:is|are) (?:the|our|this|that) [^?]{1,40}? still (?:on|happening|going ahead|planned)\b)/iu;
const AFFIRMATIVE = /^\s*(?:yes|yeah|yep|yup|sure|definitely|absolutely|of course|good idea|great idea|let['’]s)\b/i;
/** What a message says about an event rather than a task to do for it: its link, invite, agenda. */
const EVENT_MATERIAL = /\b(?:link|invite|invitation|agenda|calendar|zoom|details|reminder)\b/i;

/** The person a "he" or "they" stands for: the last "the plumber" / "the repair guy" of the last messages. */
function antecedent(recent: Recent[]): string | null {
  for (let i = recent.length - 1; i >= 0 && i >= recent.length - 3; i -= 1) {
    const all = [...recent[i]!.text.matchAll(/\bthe ([a-z]+(?:er|or|ist|ian)|[a-z]+ (?:guy|man|woman|team|crew))\b/g)];
    const last = all[all.length - 1];
    if (last) return last[1]!;
  }
  return null;
}

/** The deadline a message states for something to be done ("before the 10am ward round", "by Friday"). */
function deadlineIn(text: string, dates: DateMention[], events: Dated[], messageIndex: number, timeZone: string): { at: string; event: Dated | null } | null {
  const e = eventBefore(text, events, messageIndex);
  if (e) {
    const at = dueAtEvent(e.event, timeZone);
    return at ? { at, event: e } : null;
  }
  const by = dates.filter((d) => !d.past && /\b(?:by|before|until|till)\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, d.index - 10), d.index)));
  if (by.length === 0) return null;
  const at = dueOf(by, text, timeZone);
  return at ? { at, event: null } : null;
}
