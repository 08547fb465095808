import { describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '../../src/chat/types.js';
import { dedupe, extractHeuristic, findDates, priorityOf, toInstant } from '../../src/extract/index.js';
import type { ExtractedEvent, ExtractedTodo } from '../../src/extract/types.js';

let seq = 0;
function msg(author: string, sentAt: string, text: string): ChatMessage {
  seq += 1;
  return { id: `m${seq}`, sentAt, author: { id: author.toLowerCase(), name: author }, text, threadId: null, attachments: [], system: false };
}

const UTC = { timeZone: 'UTC' };

describe('dates resolve against the message, not the clock', () => {
  it('reads "tomorrow" in a message sent on Friday 2026-03-13 as Saturday 2026-03-14', () => {
    const [mention] = findDates('can you do it tomorrow?', '2026-03-13T10:00:00.000Z', 'UTC');
    expect(mention?.start.date).toEqual({ year: 2026, month: 3, day: 14 });
  });

  it('uses the chat zone: 03:30 UTC on Saturday is still Friday night in New York', () => {
    const sentAt = '2026-03-14T03:30:00.000Z'; // 23:30 EDT, Friday
    const [tomorrow] = findDates('tomorrow at 9am', sentAt, 'America/New_York');
    expect(toInstant(tomorrow!.start, 'America/New_York')).toBe('2026-03-14T13:00:00.000Z');
    const [utcTomorrow] = findDates('tomorrow at 9am', sentAt, 'UTC');
    expect(toInstant(utcTomorrow!.start, 'UTC')).toBe('2026-03-15T09:00:00.000Z');
  });

  it('reads a bare weekday forward and a bare afternoon hour as pm', () => {
    const [m] = findDates('Thursday at 3', '2026-03-13T10:00:00.000Z', 'Europe/Berlin');
    expect(toInstant(m!.start, 'Europe/Berlin')).toBe('2026-03-19T14:00:00.000Z');
  });

  it('does not take vague periods or stray numbers for dates', () => {
    expect(findDates('sometime next week, see PR 482 and v2.4', '2026-03-13T10:00:00.000Z', 'UTC')).toEqual([]);
  });
});

describe('todos', () => {
  it('gives a due date without a time 17:00 local on that day', () => {
    const { todos } = extractHeuristic([msg('Raj', '2026-03-09T14:00:00.000Z', 'Lena, please send the slides by Friday')], { timeZone: 'Europe/Berlin' });
    expect(todos).toHaveLength(1);
    expect(todos[0]).toMatchObject({ assignee: 'Lena', dueAt: '2026-03-13T16:00:00.000Z', priority: 'MEDIUM' });
  });

  it('makes EOD urgent and due at 17:00 the same day', () => {
    const { todos } = extractHeuristic([msg('Raj', '2026-03-12T15:00:00.000Z', 'Lena, please rotate the staging keys by EOD')], { timeZone: 'America/New_York' });
    expect(todos[0]).toMatchObject({ priority: 'HIGH', dueAt: '2026-03-12T21:00:00.000Z' });
    expect(todos[0]!.text).toMatch(/^Rotate the staging keys$/);
  });

  it('reads urgency and its absence', () => {
    expect(priorityOf('this is blocking the release')).toBe('HIGH');
    expect(priorityOf('need it ASAP')).toBe('HIGH');
    expect(priorityOf('whenever you have time')).toBe('LOW');
    expect(priorityOf('nice to have, low priority')).toBe('LOW');
    expect(priorityOf('can you send the deck')).toBe('MEDIUM');
  });

  it('does not turn an open question into a todo', () => {
    const { todos } = extractHeuristic([msg('Lena', '2026-03-12T14:15:00.000Z', 'should we update the API docs too?')], UTC);
    expect(todos).toEqual([]);
  });

  it('takes a request phrased as a question, with the @mention as assignee', () => {
    const m = msg('Raj', '2026-03-12T14:03:00.000Z', "@Maya can you review PR 482 today? it's blocking the release");
    const { todos } = extractHeuristic([msg('Maya', '2026-03-12T14:00:00.000Z', 'morning all'), m], UTC);
    expect(todos).toHaveLength(1);
    expect(todos[0]).toMatchObject({ text: 'Review PR 482', assignee: 'Maya', priority: 'HIGH' });
    expect(todos[0]!.source).toEqual({ messageId: m.id, author: 'Raj', sentAt: m.sentAt, excerpt: '@Maya can you review PR 482 today?' });
  });

  it('assigns "I\'ll ..." to the author', () => {
    const { todos } = extractHeuristic([msg('Tom', '2026-03-12T14:11:00.000Z', "I'll update the changelog tomorrow")], UTC);
    expect(todos[0]).toMatchObject({ text: 'Update the changelog', assignee: 'Tom', dueAt: '2026-03-13T17:00:00.000Z' });
  });

  it('gives an open request to whoever takes it on', () => {
    const { todos } = extractHeuristic(
      [msg('Carmen', '2026-03-13T18:05:00.000Z', 'someone needs to call the plumber about the sink, urgent'), msg('Pedro', '2026-03-13T18:10:00.000Z', "I'll call him first thing Monday")],
      UTC,
    );
    expect(todos).toHaveLength(1);
    expect(todos[0]).toMatchObject({ assignee: 'Pedro', priority: 'HIGH', dueAt: '2026-03-16T09:00:00.000Z' });
  });

  it('drops a todo called off later in the chat', () => {
    const { todos } = extractHeuristic(
      [msg('Luis', '2026-05-04T10:44:00.000Z', "I'll book Rosa's for the dinner"), msg('Luis', '2026-05-06T09:00:00.000Z', "never mind about Rosa's, my mom booked it")],
      UTC,
    );
    expect(todos).toEqual([]);
  });

  it('keeps a repeated todo once', () => {
    const { todos } = extractHeuristic(
      [msg('Ana', '2026-03-10T09:00:00.000Z', 'Ben, please renew the TLS certificate by Friday'), msg('Ana', '2026-03-11T09:00:00.000Z', 'Ben, please renew the TLS certificate by Friday!!')],
      UTC,
    );
    expect(todos).toHaveLength(1);
    expect(todos[0]!.source.messageId).toBe('m' + String(seq - 1));
  });
});

describe('events', () => {
  it('dates a meeting and keeps a date without time as all-day', () => {
    const { events } = extractHeuristic(
      [msg('Raj', '2026-03-12T14:10:00.000Z', 'reminder: the 2.4 release goes out Tuesday'), msg('Raj', '2026-03-12T14:19:00.000Z', 'the retro is Friday 2pm, same room')],
      { timeZone: 'America/New_York' },
    );
    expect(events).toEqual([
      expect.objectContaining({ title: '2.4 release', startsAt: '2026-03-17T04:00:00.000Z', allDay: true }),
      expect.objectContaining({ title: 'Retro', startsAt: '2026-03-13T18:00:00.000Z', allDay: false }),
    ]);
  });

  it('keeps a range end', () => {
    const { events } = extractHeuristic([msg('Julia', '2026-03-30T14:00:00.000Z', 'the beta feedback session is Wednesday 1-2pm')], UTC);
    expect(events[0]).toMatchObject({ startsAt: '2026-04-01T13:00:00.000Z', endsAt: '2026-04-01T14:00:00.000Z' });
  });

  it('does not make an event of something that already happened', () => {
    const { events } = extractHeuristic([msg('Tom', '2026-03-13T18:00:00.000Z', 'we had the meeting yesterday, went well')], UTC);
    expect(events).toEqual([]);
  });

  it('records a planned launch without a date as TBD, then takes the date when it is set', () => {
    const tbd = extractHeuristic([msg('Nadia', '2026-03-30T14:00:00.000Z', 'Public launch date is TBD')], UTC);
    expect(tbd.events).toEqual([expect.objectContaining({ startsAt: null, allDay: false })]);
    const dated = extractHeuristic(
      [msg('Nadia', '2026-03-30T14:00:00.000Z', 'Public launch date is TBD'), msg('Nadia', '2026-04-06T13:15:00.000Z', 'Launch date is set: Tuesday April 28')],
      UTC,
    );
    expect(dated.events).toHaveLength(1);
    expect(dated.events[0]).toMatchObject({ startsAt: '2026-04-28T00:00:00.000Z', allDay: true });
  });

  it('drops a meeting cancelled later and moves a rescheduled one', () => {
    const { events } = extractHeuristic(
      [
        msg('Viktor', '2026-03-09T10:00:00.000Z', 'Friday sync at 10:00 as usual'),
        msg('Viktor', '2026-03-09T10:05:00.000Z', 'design review Wednesday at 4pm'),
        msg('Viktor', '2026-03-10T09:00:00.000Z', 'the Friday sync is cancelled'),
        msg('Viktor', '2026-03-10T09:05:00.000Z', 'the design review moves to Thursday 4pm'),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Design review', startsAt: '2026-03-12T16:00:00.000Z' })]);
  });
});

describe('dedupe', () => {
  const source = { messageId: 'x', author: 'A', sentAt: '2026-03-10T09:00:00.000Z', excerpt: 'x' };
  it('merges near-identical todos and keeps the first with the repeats\' details', () => {
    const todo = (text: string, assignee: string | null, dueAt: string | null): ExtractedTodo => ({ text, assignee, priority: 'MEDIUM', dueAt, source, extractor: 'heuristic' });
    const out = dedupe({ todos: [todo('Send the slides', null, null), todo('send the slides', 'Ana', '2026-03-13T17:00:00.000Z'), todo('Book the room', null, null)], events: [] });
    expect(out.todos.map((t) => [t.text, t.assignee, t.dueAt])).toEqual([
      ['Send the slides', 'Ana', '2026-03-13T17:00:00.000Z'],
      ['Book the room', null, null],
    ]);
  });
  it('keeps two meetings with the same title on different days', () => {
    const event = (startsAt: string | null): ExtractedEvent => ({ title: 'Standup', startsAt, endsAt: null, allDay: false, source, extractor: 'heuristic' });
    expect(dedupe({ todos: [], events: [event('2026-03-10T09:00:00.000Z'), event('2026-03-11T09:00:00.000Z'), event('2026-03-10T09:00:00.000Z')] }).events).toHaveLength(2);
  });
});

describe('purity', () => {
  it('returns the same items whatever the machine clock says', () => {
    const messages = [msg('Raj', '2026-03-12T14:03:00.000Z', 'Maya, can you review the deck tomorrow at 10?')];
    const first = extractHeuristic(messages, UTC);
    const realNow = Date.now;
    Date.now = () => Date.parse('2031-01-01T00:00:00.000Z');
    try {
      expect(extractHeuristic(messages, UTC)).toEqual(first);
    } finally {
      Date.now = realNow;
    }
  });
});
