/**
 * The heuristic extractor: messages and settings in, todos and events out. Pure: no clock, no
 * network, no storage. Dates resolve against each message's own instant in the chat's zone.
 */
import type { ChatMessage, Evidence, ExtractedEvent, ExtractedTodo, ExtractionResult, ExtractionSettings } from '../types.js';
import { cancellationIn, cancels, dayKeyOf, isCancellation } from './cancellations.js';
import { splitClauses, type Clause } from './clauses.js';
import { DATE_HINT, findDates, isTimeOnly, toInstant, type DateMention } from './dates.js';
import { dedupe } from './dedupe.js';
import { eventsInClause, RESCHEDULE } from './events.js';
import { buildRoster } from './people.js';
import { priorityOf } from './priority.js';
import { contentWords, textSimilarity } from './similarity.js';
import { todosInClause } from './todos.js';

/** Cheap gate: a message with none of these words can hold no todo, event or cancellation. */
const WORTH_A_LOOK =
  /\?|@|\b(?:i['’]?ll|i will|i can|i['’]m going|we['’]ll|we will|let me|please|pls|can|could|would|need|needs|must|should|have to|has to|gotta|don['’]?t forget|remember|make sure|todo|action item|who|anyone|someone|will|cancel\w*|off|never ?mind|nvm|scratch|moved?|moves|pushed|postponed|rescheduled|tbd|tbc|due|deadline|me|on it|sure|yes|yep|ok)\b/i;
const ACCEPT =
  /^(?:(?:ok(?:ay)?|sure|yes|yep|yeah|yup|sim|si|of course|no problem|np|absolutely|definitely|great|cool|fine)\b[\s,!.]*)*(?:i can(?:,|!|\.|$| do (?:it|that)| take (?:it|that|them))|i will(?:,|!|\.|$)|i['’]ll do (?:it|that)|i['’]ll take (?:it|that|them|care of it)|i['’]ll sort it|i['’]ll handle (?:it|that)|i['’]m on it|on it|will do|me\b[.!]?|count me in|i got (?:it|this)|leave it (?:to|with) me|i['’]ll get it)/i;
const PRONOUN_OBJECT = /^\S+\s+(?:it|them|that|this|one|mine|those|these)\b|^(?:it|them)\b/i;
const WHEN_QUESTION = /^(?:(?:and|so|btw|ok)\s+)*(?:when(?:['’]s| is| are| will)|what time(?:['’]s| is)|is the)\b/i;
const ACCEPT_WINDOW = 4;

interface PendingTodo {
  todo: ExtractedTodo;
  messageIndex: number;
  author: string;
}

interface Dated {
  event: ExtractedEvent;
  messageIndex: number;
  day: string | null;
}

function evidence(message: ChatMessage, excerpt: string): Evidence {
  return { messageId: message.id, author: message.author.name, sentAt: message.sentAt, excerpt };
}

function inClause(dates: DateMention[], clause: Clause): DateMention[] {
  return dates.filter((d) => d.index >= clause.index && d.index < clause.index + clause.text.length);
}

/** The due date a sentence gives: its first future mention that is not the object ("for Saturday"). */
function dueOf(dates: DateMention[], text: string, timeZone: string): string | null {
  for (const d of dates) {
    if (d.past) continue;
    if (/\bfor\s+(?:the\s+|this\s+|next\s+)?$/i.test(text.slice(Math.max(0, d.index - 14), d.index))) continue;
    return toInstant(d.start, timeZone, { hour: 17, minute: 0 });
  }
  return null;
}

export function extractHeuristic(messages: ChatMessage[], settings: ExtractionSettings): ExtractionResult {
  const timeZone = settings.timeZone;
  const roster = buildRoster(messages);
  const todos: Array<ExtractedTodo & { dropped?: boolean }> = [];
  const events: Array<Dated & { dropped?: boolean }> = [];
  const pending: PendingTodo[] = [];
  let asked: { title: string; messageIndex: number; author: string } | null = null;

  messages.forEach((message, messageIndex) => {
    const text = message.text;
    if (message.system || !text || !WORTH_A_LOOK.test(text) && !DATE_HINT.test(text)) return;
    const author = message.author.name;
    const dates = DATE_HINT.test(text) ? findDates(text, message.sentAt, timeZone) : [];
    const clauses = splitClauses(text);
    const priority = priorityOf(text);
    const found: ExtractedTodo[] = [];
    let eventsHere = 0;
    let accepted = false;

    // "I can" / "on it" / "I'll take them": takes a recent open request instead of adding a todo
    const acceptance = ACCEPT.test(text.trim());
    const recent = pending.filter(
      (p) => messageIndex - p.messageIndex <= ACCEPT_WINDOW && p.author !== author && !p.todo.source.messageId.startsWith('\u0000'),
    );
    const target = [...recent].reverse().find((p) => p.todo.assignee === null || p.todo.assignee === author);

    for (const clause of clauses) {
      const clauseDates = inClause(dates, clause);
      const relative = clauseDates.map((d) => ({ ...d, index: d.index - clause.index }));

      const cancellation = cancellationIn(clause.text, relative);
      if (cancellation) {
        for (const e of events) {
          if (!e.dropped && !cancellation.todosOnly && cancels(cancellation, e.event.title, e.day)) e.dropped = true;
        }
        for (const t of todos) if (!t.dropped && cancellation.todosOnly && cancels(cancellation, t.text, null)) t.dropped = true;
      }
      if (RESCHEDULE.test(clause.text)) {
        const words = new Set(contentWords(clause.text.split(RESCHEDULE)[0] ?? ''));
        for (const e of events) if (!e.dropped && contentWords(e.event.title).some((w) => words.has(w))) e.dropped = true;
      }

      if (!cancellation || RESCHEDULE.test(clause.text)) {
        for (const candidate of eventsInClause(clause, relative, text)) {
          const date = candidate.date;
          const event: ExtractedEvent = {
            title: candidate.title,
            startsAt: date ? toInstant(date.start, timeZone) : null,
            endsAt: date?.end?.time ? toInstant(date.end, timeZone) : null,
            allDay: date ? date.start.time === null : false,
            source: evidence(message, clause.text),
            extractor: 'heuristic',
          };
          events.push({ event, messageIndex, day: date ? dayKeyOf(date.start.date) : null });
          eventsHere += 1;
        }
      }
      if (clause.question && WHEN_QUESTION.test(clause.text)) {
        const noun = eventsInClause({ ...clause, question: false }, [], 'tbd')[0];
        if (noun) asked = { title: noun.title, messageIndex, author };
      }

      if (cancellation && cancellation.todosOnly) continue;
      for (const candidate of todosInClause(clause, clauseDates, roster, author)) {
        const due = dueOf(clauseDates, text, timeZone);
        const todo: ExtractedTodo = {
          text: candidate.text,
          assignee: candidate.assignee,
          priority,
          dueAt: due,
          source: evidence(message, clause.text),
          extractor: 'heuristic',
        };
        if (target && !accepted && candidate.kind === 'commitment' && !/\b(?:also|too|as well)\b/i.test(clause.text)) {
          const refersBack =
            PRONOUN_OBJECT.test(candidate.text) || candidate.text.split(/\s+/).length <= 3 || textSimilarity(candidate.text, target.todo.text) >= 0.3;
          if (refersBack) {
            target.todo.assignee ??= candidate.assignee;
            if (due) target.todo.dueAt = due;
            if (priority === 'HIGH') target.todo.priority = 'HIGH';
            accepted = true;
            continue;
          }
        }
        found.push(todo);
      }
    }

    if (acceptance && target && !accepted) {
      target.todo.assignee ??= author;
      const due = dueOf(dates, text, timeZone);
      if (due) target.todo.dueAt = due;
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
        events.push({ event, messageIndex, day: date ? dayKeyOf(date.start.date) : null });
        asked = null;
      }
    }

    for (const todo of found) {
      todos.push(todo);
      pending.push({ todo, messageIndex, author });
    }
    while (pending.length > 0 && messageIndex - pending[0]!.messageIndex > ACCEPT_WINDOW) pending.shift();
    if (isCancellation(text) && found.length === 0) return;
  });

  return dedupe({
    todos: todos.filter((t) => !t.dropped).map(({ dropped: _dropped, ...t }) => t),
    events: events.filter((e) => !e.dropped).map((e) => e.event),
  });
}
