/**
 * The heuristic extractor: messages and settings in, todos and events out. Pure: no clock, no
 * network, no storage. Dates resolve against each message's own instant in the chat's zone.
 */
import type { ChatMessage, Evidence, ExtractedEvent, ExtractedTodo as Todo, ExtractionResult, ExtractionSettings } from '../types.js';
import { cancellationIn, cancels, dayKeyOf, isCancellation } from './cancellations.js';

/** A todo while the chat is read: a later message may still call it off. */
type ExtractedTodo = Todo & { dropped?: boolean };

/** Words of a todo, for cancellations; kept beside the todo so the output stays plain. */
const todoWords = new WeakMap<ExtractedTodo, Set<string>>();
import { splitClauses, type Clause } from './clauses.js';
import { DATE_HINT, findDates, isTimeOnly, toInstant, type DateMention } from './dates.js';
import { DateTime } from 'luxon';
import { dedupe } from './dedupe.js';
import { eventsInClause, mayAnnounceEvent, RESCHEDULE } from './events.js';
import { buildRoster } from './people.js';
import { priorityOf } from './priority.js';
import { contentWords, textSimilarity } from './similarity.js';
import { mayHoldTodo, todosInClause } from './todos.js';
import { WordIndex } from './word-index.js';

/** Cheap gate: a message with none of these words can hold no todo, event or cancellation. */
const WORTH_A_LOOK =
  /\?|@|\b(?:i['’]?ll|i will|i can|i['’]m going|we['’]ll|we will|let me|please|pls|can|could|would|need|needs|must|should|have to|has to|gotta|don['’]?t forget|remember|make sure|todo|action item|who|anyone|someone|will|cancel\w*|off|never ?mind|nvm|scratch|moved?|moves|pushed|postponed|rescheduled|tbd|tbc|due|deadline|me|on it|sure|yes|yep|ok)\b/i;
const ACCEPT =
  /^(?:(?:ok(?:ay)?|sure|yes|yep|yeah|yup|sim|si|of course|no problem|np|absolutely|definitely|great|cool|fine)\b[\s,!.]*)*(?:i can(?:,|!|\.|$| do (?:it|that)| take (?:it|that|them))|i will(?:,|!|\.|$)|i['’]ll do (?:it|that)|i['’]ll take (?:it|that|them|care of it)|i['’]ll sort it|i['’]ll handle (?:it|that)|i['’]m on it|on it|will do|me\b[.!]?|count me in|i got (?:it|this)|leave it (?:to|with) me|i['’]ll get it)/i;
const PRONOUN_OBJECT = /^\S+\s+(?:it|them|him|her|that|this|one|mine|those|these)\b|^(?:it|them)\b|^be (?:there|home|around)\b/i;
const WHEN_QUESTION = /^(?:(?:and|so|btw|ok)\s+)*(?:when(?:['’]s| is| are| will)|what time(?:['’]s| is)|is the)\b/i;
const ACCEPT_WINDOW = 4;

/** A recent message, kept to see what a reply ("I can", "I'll take them") answers. */
interface Recent {
  messageIndex: number;
  author: string;
  text: string;
  todos: ExtractedTodo[];
}

interface Dated {
  event: ExtractedEvent;
  messageIndex: number;
  day: string | null;
  words: Set<string>;
  dropped?: boolean;
}

/** Evidence for a sentence of a message: the excerpt is the sentence as written, with its end mark. */
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
  const usable = dates.filter((d) => !d.past && !/\b(?:for|my|your|his|her|our|their|the)\s+(?:the\s+|this\s+|next\s+)?$/i.test(lead(d)));
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
function dueBeforeEvent(text: string, events: Dated[], messageIndex: number, timeZone: string): string | null {
  const named = /\bbefore (?:the|our|this|that) ([\p{L}-]+)/iu.exec(text);
  const then = /\bbefore then\b/i.test(text);
  if (!named && !then) return null;
  const word = named ? contentWords(named[1]!)[0] : undefined;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const e = events[i]!;
    if (e.dropped || e.event.startsAt === null) continue;
    if (then ? messageIndex - e.messageIndex <= 2 : word !== undefined && e.words.has(word)) {
      if (!e.event.allDay) return e.event.startsAt;
      const day = DateTime.fromISO(e.event.startsAt, { zone: timeZone });
      return day.set({ hour: 17, minute: 0 }).toUTC().toJSDate().toISOString();
    }
  }
  return null;
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
    const open = m.todos.filter((t) => !t.dropped && (t.assignee === null || (m.author !== author && t.assignee === author)));
    if (open.length > 0) return open[open.length - 1]!;
    if (m.author !== author && !new RegExp(`\\b${firstName(author).replace(/[^\p{L}\p{N}]/gu, '')}\\b`, 'iu').test(m.text)) return null;
  }
  return null;
}

export function extractHeuristic(messages: ChatMessage[], settings: ExtractionSettings): ExtractionResult {
  const timeZone = settings.timeZone;
  const roster = buildRoster(messages);
  const todos: ExtractedTodo[] = [];
  const events: Dated[] = [];
  const eventIndex = new WordIndex<Dated>();
  const todoIndex = new WordIndex<ExtractedTodo>();
  const addEvent = (event: ExtractedEvent, messageIndex: number, day: string | null) => {
    const dated: Dated = { event, messageIndex, day, words: new Set(contentWords(event.title)) };
    events.push(dated);
    eventIndex.add(dated, dated.words, day);
  };
  const recent: Recent[] = [];
  let asked: { title: string; messageIndex: number; author: string } | null = null;

  messages.forEach((message, messageIndex) => {
    const text = message.text;
    if (message.system || !text) return;
    const author = message.author.name;
    while (recent.length > 0 && messageIndex - recent[0]!.messageIndex > ACCEPT_WINDOW) recent.shift();
    const here: Recent = { messageIndex, author, text, todos: [] };
    if (!WORTH_A_LOOK.test(text) && !DATE_HINT.test(text)) {
      recent.push(here);
      return;
    }
    const acceptance = text.split(/[,.!;]\s*/).some((part) => ACCEPT.test(part.trim()));
    const target = requestAnswered(recent, author);
    const answersWhen = asked !== null && messageIndex - asked.messageIndex <= 3;
    const cancelling = isCancellation(text) || RESCHEDULE.test(text);
    const mayMatter = cancelling || answersWhen || (acceptance && target !== null) || mayHoldTodo(text) || mayAnnounceEvent(text);
    if (!mayMatter) {
      recent.push(here);
      return;
    }
    // chrono is the costly step: only for messages that may hold an item
    const dates = DATE_HINT.test(text) ? findDates(text, message.sentAt, timeZone) : [];
    const clauses = splitClauses(text);
    const priority = priorityOf(text);
    const found: ExtractedTodo[] = [];
    let eventsHere = 0;
    let accepted = false;

    // "I can" / "on it" / "I'll take them" takes on `target`, a recent open request, instead of adding a todo

    clauses.forEach((clause, clauseNo) => {
      const clauseDates = inClause(dates, clause);
      const next = clauses[clauseNo + 1];
      const following = next ? inClause(dates, next).map((d) => ({ ...d, index: d.index - next.index })) : [];
      const relative = clauseDates.map((d) => ({ ...d, index: d.index - clause.index }));

      const cancellation = cancellationIn(clause.text, relative);
      if (cancellation) {
        if (!cancellation.todosOnly) {
          const hit = cancellation.words.length > 0 ? eventIndex.withAnyWord(cancellation.words) : cancellation.days.flatMap((d) => eventIndex.onDay(d));
          for (const e of hit) if (!e.dropped && e.messageIndex < messageIndex && cancels(cancellation, e.words, e.day)) e.dropped = true;
        } else {
          for (const t of todoIndex.withAnyWord(cancellation.words)) if (!t.dropped && cancels(cancellation, todoWords.get(t) ?? new Set(), null)) t.dropped = true;
        }
      }
      if (RESCHEDULE.test(clause.text)) {
        const words = contentWords(clause.text.split(RESCHEDULE)[0] ?? '');
        for (const e of eventIndex.withAnyWord(words)) if (e.messageIndex < messageIndex) e.dropped = true;
      }

      if (!cancellation || RESCHEDULE.test(clause.text)) {
        for (const candidate of eventsInClause(clause, relative, text, following)) {
          const date = candidate.date;
          const event: ExtractedEvent = {
            title: candidate.title,
            startsAt: date ? toInstant(date.start, timeZone) : null,
            endsAt: date?.end?.time ? toInstant(date.end, timeZone) : null,
            allDay: date ? date.start.time === null : false,
            source: evidence(message, clause),
            extractor: 'heuristic',
          };
          addEvent(event, messageIndex, date ? dayKeyOf(date.start.date) : null);
          eventsHere += 1;
        }
      }
      if (clause.question && WHEN_QUESTION.test(clause.text)) {
        const noun = eventsInClause({ ...clause, question: false }, [], 'tbd')[0];
        if (noun) asked = { title: noun.title, messageIndex, author };
      }

      if (cancellation && cancellation.todosOnly) return;
      for (const candidate of todosInClause(clause, clauseDates, roster, author, text.slice(0, clause.index))) {
        // the dates of a sentence that calls something off belong to what is called off
        const due = cancellation ? null : (dueOf(clauseDates, text, timeZone) ?? dueBeforeEvent(clause.text, events, messageIndex, timeZone));
        const todo: ExtractedTodo = {
          text: candidate.text,
          assignee: candidate.assignee,
          priority,
          dueAt: due,
          source: evidence(message, clause),
          extractor: 'heuristic',
        };
        if (target && !accepted && !/\b(?:also|too|as well)\b/i.test(clause.text)) {
          const refersBack =
            PRONOUN_OBJECT.test(candidate.text) || (candidate.kind === 'commitment' && textSimilarity(candidate.text, target.text) >= 0.3);
          if (refersBack) {
            target.assignee ??= candidate.assignee;
            // "by Monday" answered with "I'll send it Monday morning": the reply is more precise
            if (due && (target.dueAt === null || target.dueAt.slice(0, 10) === due.slice(0, 10))) target.dueAt = due;
            if (priority !== 'MEDIUM') target.priority = priority;
            accepted = true;
            continue;
          }
        }
        found.push(todo);
      }
    });

    if (acceptance && target && !accepted) {
      target.assignee ??= author;
      target.dueAt ??= dueOf(dates, text, timeZone);
      accepted = true;
    }
    if (accepted) found.splice(0, found.length, ...found.filter((t) => /\b(?:also|too|as well)\b/i.test(t.source.excerpt)));

    // an answer to "when is the retro?": "Friday 2pm, same room"
    if (asked && eventsHere === 0 && asked.messageIndex < messageIndex && messageIndex - asked.messageIndex <= 3 && asked.author !== author) {
      const date = dates.find((d) => !d.past && !isTimeOnly(d));
      const tbd = /\b(?:set|pick|find|decide) a date|tbd|not sure yet|no date yet\b/i.test(text);
      if (date || tbd) {
        const event: ExtractedEvent = {
          title: asked.title,
          startsAt: date ? toInstant(date.start, timeZone) : null,
          endsAt: date?.end?.time ? toInstant(date.end, timeZone) : null,
          allDay: date ? date.start.time === null : false,
          source: evidence(message, text),
          extractor: 'heuristic',
        };
        addEvent(event, messageIndex, date ? dayKeyOf(date.start.date) : null);
        asked = null;
      }
    }

    // "thanks Tyler, no rush": a short reply that only sets how urgent the last request is
    if (found.length === 0 && !accepted && priority !== 'MEDIUM' && text.length < 60) {
      const last = recent[recent.length - 1];
      if (last && last.author !== author) for (const t of last.todos) t.priority = priority;
    }
    for (const t of found) {
      const words = new Set(contentWords(t.text));
      todoWords.set(t, words);
      todoIndex.add(t, words, null);
      todos.push(t);
    }
    here.todos = found;
    recent.push(here);
  });

  return dedupe({
    todos: todos.filter((t) => !t.dropped).map(({ dropped: _dropped, ...t }) => t),
    events: events.filter((e) => !e.dropped).map((e) => e.event),
  });
}
