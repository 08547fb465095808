/**
 * The extractor's general rules, one by one: moves, times given apart from their day, undated
 * plans, events named inside a sentence, todos that fall with what they serve, people written as
 * platform ids, and due dates read from the right part of a sentence.
 */
import { describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '../../src/chat/types.js';
import { extractHeuristic, findDates } from '../../src/extract/index.js';

let seq = 0;
function msg(author: string, sentAt: string, text: string, id?: string): ChatMessage {
  seq += 1;
  return { id: `r${seq}`, sentAt, author: { id: id ?? author.toLowerCase(), name: author }, text, threadId: null, attachments: [], system: false };
}

const UTC = { timeZone: 'UTC' };
// Monday 1 June 2026
const MON = (hh: string) => `2026-06-01T${hh}:00.000Z`;
const TUE = (hh: string) => `2026-06-02T${hh}:00.000Z`;

describe('moves', () => {
  it('moves the event a later message names, keeping its time when only the day changes', () => {
    const { events } = extractHeuristic(
      [msg('Ines', MON('09:00'), 'The site visit is Wednesday at 10:30'), msg('Ines', MON('15:00'), 'Heads up, the site visit is moved to Friday, same time')],
      UTC,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ title: 'Site visit', startsAt: '2026-06-05T10:30:00.000Z', allDay: false });
    expect(events[0]!.source.messageId).toBe(`r${seq}`);
  });

  it('keeps the day when only a new time is given ("push the class to 7pm")', () => {
    const { events } = extractHeuristic(
      [msg('Ola', MON('09:00'), 'Yoga class on Thursday at 6pm'), msg('Ola', MON('10:00'), "the hall is busy until 7, let's push the class to 7pm then")],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Yoga class', startsAt: '2026-06-04T19:00:00.000Z' })]);
  });

  it('takes the far end of "from Tuesday to Thursday at 10" for a move of something not seen before', () => {
    const { events } = extractHeuristic([msg('Ana', MON('09:00'), 'Mr Li wants to move his fitting from Tuesday to Thursday at 10')], UTC);
    expect(events).toEqual([expect.objectContaining({ title: 'Fitting', startsAt: '2026-06-04T10:00:00.000Z' })]);
  });

  it('does not move anything on a question', () => {
    const { events } = extractHeuristic(
      [msg('Ola', MON('09:00'), 'Yoga class on Thursday at 6pm'), msg('Ben', MON('09:30'), 'can we push it to 8?')],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-04T18:00:00.000Z' })]);
  });

  it('calls off one part of a sentence and moves another', () => {
    const { events } = extractHeuristic(
      [
        msg('Rosa', MON('09:00'), 'Staff lunch Friday at noon'),
        msg('Rosa', MON('09:05'), 'The Ortiz delivery is on Thursday'),
        msg('Rosa', TUE('08:00'), 'Sorry, staff lunch is off this week, the Ortiz delivery got moved to Friday'),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Ortiz delivery', startsAt: '2026-06-05T00:00:00.000Z', allDay: true })]);
  });
});

describe('times given apart from their day', () => {
  it('gives a time in a later sentence of the message the day named before it', () => {
    const { events } = extractHeuristic([msg('Aoife', MON('08:00'), 'Schedule for Saturday is up. Crew call 7am at the pier')], UTC);
    expect(events).toEqual([expect.objectContaining({ title: 'Crew call at the pier', startsAt: '2026-06-06T07:00:00.000Z' })]);
  });

  it('keeps "briefing 6pm" after a comma as an event of its own on the same day', () => {
    const { events } = extractHeuristic([msg('Greg', MON('08:00'), 'The quiz night is Friday, briefing 6pm in the back room')], UTC);
    expect(events.map((e) => [e.title.split(' ').slice(0, 2).join(' '), e.startsAt])).toEqual([
      ['Quiz night', '2026-06-05T00:00:00.000Z'],
      ['Briefing', '2026-06-05T18:00:00.000Z'],
    ]);
  });

  it('completes an all-day event with the time a short reply gives, and the todo done at it follows', () => {
    const { events, todos } = extractHeuristic(
      [
        msg('Femke', MON('18:00'), 'The new piano arrives Thursday, someone needs to help me carry it in'),
        msg('Jorge', MON('18:05'), 'I can help, what time?'),
        msg('Femke', MON('18:10'), 'they said at 11'),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-04T11:00:00.000Z', allDay: false })]);
    expect(todos).toEqual([expect.objectContaining({ assignee: 'Jorge', dueAt: '2026-06-04T11:00:00.000Z' })]);
  });

  it('reads a bare hour near a stated morning hour as morning ("starts 6am, be there by 5:30")', () => {
    const { todos } = extractHeuristic([msg('Rosa', MON('08:00'), 'The Kim job starts 6am Friday, be at the depot by 5:30')], UTC);
    expect(todos).toEqual([expect.objectContaining({ text: 'Be at the depot', dueAt: '2026-06-05T05:30:00.000Z' })]);
  });

  it('reads "between 9 and noon" as a span', () => {
    const [m] = findDates('the boiler service is on Thursday between 9 and noon', MON('08:00'), 'UTC');
    expect(m?.start.time).toEqual({ hour: 9, minute: 0 });
    expect(m?.end?.time).toEqual({ hour: 12, minute: 0 });
  });

  it('reads "first thing" after a day as 09:00', () => {
    const { events } = extractHeuristic([msg('Marcus', MON('08:00'), 'Reminder the chimney sweep comes Thursday, first thing')], UTC);
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-04T09:00:00.000Z' })]);
    const { todos } = extractHeuristic([msg('Tom', MON('16:00'), "I'll print the rota first thing tomorrow")], UTC);
    expect(todos[0]).toMatchObject({ dueAt: '2026-06-02T09:00:00.000Z' });
  });
});

describe('undated plans', () => {
  it('records an event agreed to in answer to "should we do a ...?" as TBD', () => {
    const { events } = extractHeuristic(
      [msg('Tom', MON('12:00'), 'Should we do a volunteers social before the summer?'), msg('Hana', MON('12:10'), 'yes, date tbc')],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Volunteers social', startsAt: null })]);
  });

  it('takes "date TBC" in the same sentence and does not borrow the next sentence\'s day', () => {
    const { events } = extractHeuristic([msg('Grace', MON('10:00'), 'The fire safety audit is coming next month sometime, date TBC. Please tidy the store room by Friday')], UTC);
    expect(events).toEqual([expect.objectContaining({ title: 'Fire safety audit', startsAt: null })]);
  });

  it('does not make a TBD event of a mention of an event already dated', () => {
    const { events } = extractHeuristic(
      [msg('Marta', MON('09:00'), 'The gas inspection is on Thursday at 9'), msg('Marta', MON('11:00'), 'I can host it in the garden, date TBD, probably after the inspection')],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Gas inspection', startsAt: '2026-06-04T09:00:00.000Z' })]);
  });

  it('does not take an offer of availability for a decision', () => {
    const { events } = extractHeuristic(
      [msg('Aoife', MON('10:00'), "let's decide at the planning meeting. When is everyone free?"), msg('Dara', MON('10:05'), 'Wednesday afternoon works for me')],
      UTC,
    );
    // the meeting is planned (TBD); the offer does not date it
    expect(events.every((e) => e.startsAt === null)).toBe(true);
  });
});

describe('events named inside a sentence', () => {
  it('finds "the 8am handover" and gives a reply taking the job on its deadline', () => {
    const { events, todos } = extractHeuristic(
      [msg('Grace', MON('06:30'), 'Bed 3 needs his dressing changed before the 8am handover'), msg('Tom', MON('06:32'), "I'll change it")],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Handover', startsAt: '2026-06-01T08:00:00.000Z' })]);
    expect(todos).toEqual([expect.objectContaining({ assignee: 'Tom', dueAt: '2026-06-01T08:00:00.000Z' })]);
  });

  it('reads "X gets <done> <day>" and "X open on <date>" as happenings', () => {
    const { events } = extractHeuristic(
      [msg('Devon', MON('09:00'), 'Heads up, the car park gets resurfaced next Tuesday'), msg('Ines', MON('09:10'), 'Summer bookings open on July 1')],
      UTC,
    );
    expect(events.map((e) => [e.startsAt, e.allDay])).toEqual([
      ['2026-06-09T00:00:00.000Z', true],
      ['2026-07-01T00:00:00.000Z', true],
    ]);
  });

  it('reads the statement before a question ("Summer bookings open on July 1, should we ...?")', () => {
    const { events } = extractHeuristic([msg('Ines', MON('10:00'), 'Spring bookings open on June 15, should we raise the prices?')], UTC);
    expect(events).toEqual([expect.objectContaining({ title: 'Spring bookings open', startsAt: '2026-06-15T00:00:00.000Z' })]);
  });

  it('gives "the Kim move ..., start 7:30am" its start time, and keeps "kick-off 3pm" the time of the match', () => {
    const a = extractHeuristic([msg('Rosa', MON('06:00'), 'Jobs today: the Kim move, 2-bedroom, Leeds to York, start 7:30am.')], UTC);
    expect(a.events).toEqual([expect.objectContaining({ title: 'Kim move', startsAt: '2026-06-01T07:30:00.000Z' })]);
    const b = extractHeuristic([msg('Dave', MON('19:00'), 'Cup match on Saturday vs Eastfield, kick-off 3pm, please be there by 2:15')], UTC);
    expect(b.events).toEqual([expect.objectContaining({ startsAt: '2026-06-06T15:00:00.000Z' })]);
  });

  it('reads "we\'ll <do>" in the sentence announcing a meeting as its agenda, not a task', () => {
    const { todos, events } = extractHeuristic([msg('Hélène', MON('14:00'), 'Team meeting Thursday 16:00 in the office, we\'ll go through the rota')], UTC);
    expect(events).toHaveLength(1);
    expect(todos).toEqual([]);
  });

  it('does not read "call sheet" as a call or an order', () => {
    const { events, todos } = extractHeuristic(
      [msg('Aoife', MON('08:00'), 'Call sheet for Saturday is out'), msg('Aoife', MON('08:10'), 'Niamh could you print the call sheet before Saturday?'), msg('Niamh', MON('08:20'), 'sure')],
      UTC,
    );
    expect(events).toEqual([]);
    expect(todos).toEqual([expect.objectContaining({ text: 'Print the call sheet', assignee: 'Niamh' })]);
  });

  it('names an event a pronoun stands for after the person it points back to', () => {
    const { events } = extractHeuristic(
      [msg('Lin', MON('09:00'), 'did the electrician come for the fuse box?'), msg('Marta', MON('09:30'), "He couldn't get in. He'll be back Thursday at 2")],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Electrician back', startsAt: '2026-06-04T14:00:00.000Z' })]);
  });
});

describe('todos called off later', () => {
  it('drops the todo that answered an event when the event is called off', () => {
    const { events, todos } = extractHeuristic(
      [
        msg('Niamh', MON('09:00'), 'Menu tasting with the chef is Wednesday 5pm'),
        msg('Róisín', MON('09:05'), "I'll bring the wine list"),
        msg('Niamh', TUE('09:00'), 'Sorry all, I have to cancel Wednesday\'s tasting, the chef is ill.'),
      ],
      UTC,
    );
    expect(events).toEqual([]);
    expect(todos).toEqual([]);
  });

  it('drops todos about a thing said to be off ("no barbecue this year")', () => {
    const { todos } = extractHeuristic(
      [msg('Lin', MON('09:00'), "who's organising the street barbecue this summer?"), msg('Marta', TUE('09:00'), 'Update: the council said no barbecue this year. Sorry!')],
      UTC,
    );
    expect(todos).toEqual([]);
  });

  it('calls off only the todos about the action after "no need to"', () => {
    const { todos } = extractHeuristic(
      [
        msg('Mia', MON('09:00'), "I'll help with the tables"),
        msg('Greg', MON('09:10'), 'Mia can you order 2 banners from the printer'),
        msg('Dave', TUE('09:00'), 'Found two banners in the shed, so no need to order any'),
      ],
      UTC,
    );
    expect(todos.map((t) => t.text)).toEqual(['Help with the tables']);
  });
});

describe('replies', () => {
  it('reads a bare "I\'ll be there" after an announcement as an RSVP, but as taking on a request when one is open', () => {
    const rsvp = extractHeuristic([msg('Ana', MON('09:00'), 'Choir social on Friday at 7 at the Anchor'), msg('Ben', MON('09:05'), "I'll be there!")], UTC);
    expect(rsvp.todos).toEqual([]);
    const taken = extractHeuristic(
      [msg('Ana', MON('09:00'), 'The boiler engineer comes Thursday at 8'), msg('Ana', MON('09:01'), 'someone needs to be at the hall to let him in'), msg('Ben', MON('09:05'), "I'll be there")],
      UTC,
    );
    expect(taken.todos).toEqual([expect.objectContaining({ assignee: 'Ben', dueAt: '2026-06-04T08:00:00.000Z' })]);
  });
});

describe('people', () => {
  it('resolves a Slack user id written as @U… to its author when the export has no users.json', () => {
    const { todos } = extractHeuristic(
      [msg('Rita Gomez', MON('09:00'), 'morning', 'U07RITA'), msg('Devon', MON('09:05'), '@U07RITA the printer is jammed again, can you call the engineer tomorrow?', 'U02DEV')],
      UTC,
    );
    expect(todos).toEqual([expect.objectContaining({ text: 'Call the engineer', assignee: 'Rita Gomez' })]);
  });

  it('addresses the whole message to the person it opens with', () => {
    const { todos } = extractHeuristic(
      [msg('Omar', MON('08:00'), 'can I repaint the hall?'), msg('Marta', MON('09:00'), '@Omar yes, as long as it is white. Please send me a photo when done')],
      UTC,
    );
    expect(todos).toEqual([expect.objectContaining({ assignee: 'Omar' })]);
  });

  it('takes a name just before "please" or at the end of a request as the addressee, but not a group', () => {
    const roster = [msg('Kim Ode', MON('07:00'), 'hi'), msg('Sam', MON('07:01'), 'hi'), msg('Lou', MON('07:02'), 'hi')];
    const a = extractHeuristic([...roster, msg('Sam', MON('08:00'), 'The van is outside, Kim please load the chairs')], UTC);
    expect(a.todos[0]).toMatchObject({ assignee: 'Kim Ode' });
    const b = extractHeuristic([...roster, msg('Sam', MON('08:00'), 'Can you sweep the hall after lunch Kim, no rush')], UTC);
    expect(b.todos[0]).toMatchObject({ assignee: 'Kim Ode', priority: 'LOW' });
    const c = extractHeuristic([...roster, msg('Sam', MON('08:00'), 'Parents, please label all water bottles before Saturday')], UTC);
    expect(c.todos[0]).toMatchObject({ assignee: null, dueAt: '2026-06-06T17:00:00.000Z' });
  });

  it('gives a request in a conversation between two people to the other one', () => {
    const { todos } = extractHeuristic(
      [msg('Karin', MON('10:00'), 'I read your draft.'), msg('Elin', MON('10:01'), 'Great, thanks.'), msg('Karin', MON('10:02'), 'Please send me the revised figures. Ideally by Thursday.')],
      UTC,
    );
    expect(todos).toEqual([expect.objectContaining({ assignee: 'Elin', dueAt: '2026-06-04T17:00:00.000Z' })]);
  });
});

describe('todos and their due dates', () => {
  it('reads requirements on things ("the minutes have to be approved by Monday")', () => {
    const { todos } = extractHeuristic([msg('Lena', MON('09:00'), 'No, the minutes have to be approved by Friday for the auditors')], UTC);
    expect(todos).toEqual([expect.objectContaining({ text: 'Approve the minutes', dueAt: '2026-06-05T17:00:00.000Z' })]);
  });

  it('reads "everyone needs to" and keeps a negation inside an "if" clause from cancelling the request', () => {
    const a = extractHeuristic([msg('Dana', MON('09:00'), 'Before camp everyone needs to finish the first aid module')], UTC);
    expect(a.todos).toEqual([expect.objectContaining({ text: 'Finish the first aid module', assignee: null })]);
    const b = extractHeuristic([msg('Marta', MON('09:00'), "If you won't be in please leave the meter key with Devon by Wednesday")], UTC);
    expect(b.todos).toEqual([expect.objectContaining({ dueAt: '2026-06-03T17:00:00.000Z' })]);
  });

  it('takes the date of the todo\'s own part of the sentence', () => {
    const { todos } = extractHeuristic([msg('Sofia', MON('09:00'), 'Reminder: entries close Friday night, please share the form with your club today!')], UTC);
    expect(todos[0]).toMatchObject({ dueAt: '2026-06-01T17:00:00.000Z', priority: 'HIGH' });
  });

  it('does not give "send the invite" the date of the meeting it is for', () => {
    const { todos } = extractHeuristic([msg('Mehmet', MON('09:00'), "Budget review call is Wednesday 16:00, I'll send the invite")], UTC);
    expect(todos).toEqual([expect.objectContaining({ text: 'Send the invite', dueAt: null })]);
  });

  it('gives "please attend" the start of the meeting just announced', () => {
    const { todos } = extractHeuristic(
      [msg('Sam', MON('09:00'), 'Case conference for Mrs Osei is booked for Thursday at 3pm'), msg('Grace', MON('09:02'), 'Priya please attend and bring the care plan')],
      UTC,
    );
    expect(todos[0]).toMatchObject({ dueAt: '2026-06-04T15:00:00.000Z' });
  });

  it('reads an unnamed "Deadline is Sunday" as the deadline of the todo before it, not as an event', () => {
    const { todos, events } = extractHeuristic([msg('Dana', MON('09:00'), 'Everyone needs to upload their DBS certificate. Deadline is Sunday')], UTC);
    expect(events).toEqual([]);
    expect(todos[0]).toMatchObject({ dueAt: '2026-06-07T17:00:00.000Z' });
  });

  it('lets a reply bring a deadline forward, unless it hedges', () => {
    const ask = msg('Leo', MON('09:00'), 'Could someone pick up the paint before the Saturday set build?');
    const event = msg('Leo', MON('08:55'), 'Set build Saturday 10am');
    const firm = extractHeuristic([event, ask, msg('Sam', MON('09:10'), "I'll grab it Thursday")], UTC);
    expect(firm.todos[0]).toMatchObject({ assignee: 'Sam', dueAt: '2026-06-04T17:00:00.000Z' });
    const hedged = extractHeuristic([event, ask, msg('Sam', MON('09:10'), "I'll grab it, probably Thursday")], UTC);
    expect(hedged.todos[0]).toMatchObject({ assignee: 'Sam', dueAt: '2026-06-06T10:00:00.000Z' });
  });

  it('gives "by then" the date named just before', () => {
    const { todos } = extractHeuristic([msg('Rosa', MON('09:00'), 'Van 2 is due for its safety inspection on June 10.\nDmitri please take it to the garage by then')], UTC);
    expect(todos[0]).toMatchObject({ text: 'Take it to the garage', dueAt: '2026-06-10T17:00:00.000Z' });
  });
});

describe('days and times as people say them', () => {
  it('reads a weekday followed by its ordinal day and month as one date ("Saturday the 3rd of October")', () => {
    const [m, ...rest] = findDates('the gala dinner is Saturday the 3rd of October', MON('08:00'), 'UTC');
    expect(rest).toEqual([]);
    expect(m!.start.date).toEqual({ year: 2026, month: 10, day: 3 });
    const [n] = findDates('see you at the AGM on Tuesday, the 16th', MON('08:00'), 'UTC');
    expect(n!.start.date).toEqual({ year: 2026, month: 6, day: 16 });
  });

  it('reads spoken times: "half six", "half past nine", "eight o\'clock", "quarter past ten"', () => {
    const at = (text: string) => findDates(text, MON('08:00'), 'UTC').map((d) => d.start.time);
    expect(at('kick-off Sunday, be there for half six')).toContainEqual({ hour: 18, minute: 30 });
    expect(at('the ferry leaves Friday at half past nine')).toEqual([{ hour: 9, minute: 30 }]);
    expect(at('quiz starts Thursday, eight o\'clock, in the back bar')).toEqual([{ hour: 20, minute: 0 }]);
    expect(at('standup moved to quarter past ten tomorrow')).toContainEqual({ hour: 10, minute: 15 });
    expect(at('half the team is off next week')).toEqual([]);
  });

  it('gives an event asked about by its day the time a reply states, without reading the rest of the reply as an arrival', () => {
    const { events } = extractHeuristic(
      [
        msg('Bea', MON('09:00'), 'Quick one about the school concert on Thursday, the 11th? Is it the full programme?'),
        msg('Cal', MON('09:05'), "Yep, whole thing, six o'clock start, and the local paper's coming to take pictures."),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'School concert', startsAt: '2026-06-11T18:00:00.000Z', allDay: false })]);
  });
});

describe('happenings named by kind', () => {
  const one = (text: string) => extractHeuristic([msg('Ana', MON('09:00'), text)], UTC).events;

  it('knows procedures, travel, collections, outages, talks and move-ins as happenings', () => {
    expect(one("Mango's neuter is booked, Wednesday at 8:15")).toEqual([expect.objectContaining({ startsAt: '2026-06-03T08:15:00.000Z' })]);
    expect(one('the gas shut-off on Carver Rd is Thursday 9am')).toEqual([expect.objectContaining({ startsAt: '2026-06-04T09:00:00.000Z' })]);
    expect(one('Our guest lecture with Prof. Adeyemi is Friday at 4')).toEqual([expect.objectContaining({ startsAt: '2026-06-05T16:00:00.000Z' })]);
    expect(one('move-in for flat 3 is Saturday at 11')).toEqual([expect.objectContaining({ startsAt: '2026-06-06T11:00:00.000Z' })]);
    expect(one('the bulky waste collection is next Tuesday')).toEqual([expect.objectContaining({ allDay: true, startsAt: '2026-06-09T00:00:00.000Z' })]);
    expect(one('the road safety talk for year 5 is Thursday at 10')).toEqual([expect.objectContaining({ startsAt: '2026-06-04T10:00:00.000Z' })]);
  });

  it('reads a check as a happening only when it is a kind of visit', () => {
    expect(one("Rex's follow-up check is Friday at 2")).toEqual([expect.objectContaining({ startsAt: '2026-06-05T14:00:00.000Z' })]);
    expect(one('can you check the stock on Friday')).toEqual([]);
  });

  it('does not read the verb uses as happenings', () => {
    expect(one("let's talk Thursday about the rota")).toEqual([]);
    expect(one("I'll return the van on Friday")).toEqual([]);
    expect(one('please take the talk off the noticeboard tonight')).toEqual([]);
  });

  it('does not take a call someone is owed for a booked call', () => {
    expect(one('Mr Brandt phoned, he wants a call from the surveyor today')).toEqual([]);
  });

  it('reads the thing after a topic word ("Open day update: the plant sale is Sunday")', () => {
    expect(one('Fundraiser update: the plant sale is Sunday 14th, 9 till 1, outside the library')).toEqual([
      expect.objectContaining({ title: expect.stringMatching(/plant sale/i), startsAt: '2026-06-14T09:00:00.000Z', endsAt: '2026-06-14T13:00:00.000Z' }),
    ]);
  });
});

describe('happenings told by what people do', () => {
  const one = (text: string) => extractHeuristic([msg('Ana', MON('09:00'), text)], UTC).events;

  it('takes the time a sentence gives as the new state ("it\'s now Friday at 3", "running late, now 11:40")', () => {
    expect(one("The careers talk at Hill Street got moved - it's now Friday at 3 instead of Wednesday")).toEqual([
      expect.objectContaining({ startsAt: '2026-06-05T15:00:00.000Z' }),
    ]);
    expect(one("Coco's owner rang (the 10:30 castration), stuck in traffic, now 11:40")).toEqual([
      expect.objectContaining({ title: expect.stringMatching(/castration/i), startsAt: '2026-06-01T11:40:00.000Z' }),
    ]);
  });

  it('does not move a known event on a bare "now" that names nothing', () => {
    const { events } = extractHeuristic(
      [msg('Ana', MON('08:00'), 'Budget review Thursday at 2'), msg('Ben', MON('09:00'), "we're now 12 people, I'll order more chairs")],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-04T14:00:00.000Z' })]);
  });

  it('dates a booked happening by the day it is booked for, and names it after the one it is for', () => {
    expect(one("Milo's dad wants a follow-up check in two weeks, I've booked him in for Monday the 15th at 9")).toEqual([
      expect.objectContaining({ title: "Milo's follow-up check", startsAt: '2026-06-15T09:00:00.000Z' }),
    ]);
  });

  it('reads a visit for a job, a firm doing a job and a flight as happenings', () => {
    expect(one('the Stihl rep wants to come over on Wednesday at 11 to demo the new hedge trimmer')).toEqual([
      expect.objectContaining({ title: 'Hedge trimmer demo', startsAt: '2026-06-03T11:00:00.000Z' }),
    ]);
    expect(one('Brightline are collecting the old boiler Thursday afternoon')).toEqual([
      expect.objectContaining({ title: expect.stringMatching(/^Brightline collecting/), startsAt: '2026-06-04T15:00:00.000Z' }),
    ]);
    expect(one("we're flying home from Oslo on Sunday at 18:20")).toEqual([
      expect.objectContaining({ title: 'Flight from Oslo', startsAt: '2026-06-07T18:20:00.000Z' }),
    ]);
  });

  it('keeps questions and past trips out', () => {
    expect(one('are we flying out Friday?')).toEqual([]);
    expect(one('Brightline collected the boiler on Monday')).toEqual([]);
  });
});

describe('put off and moved', () => {
  it('keeps a happening called off for now but to be held later as a TBD event', () => {
    const { events } = extractHeuristic(
      [
        msg('Ana', MON('08:00'), 'Team meeting Wednesday 9am in the big room'),
        msg('Ana', TUE('10:00'), "sorry all, the team meeting Wednesday is off, half of us are at the expo. We'll do it later in the month instead, date tbc"),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: expect.stringMatching(/meeting/i), startsAt: null, source: expect.objectContaining({ messageId: `r${seq}` }) })]);
  });

  it('calls off for good when nothing says it will be held later', () => {
    const { events } = extractHeuristic(
      [msg('Ana', MON('08:00'), 'Team meeting Wednesday 9am in the big room'), msg('Ana', TUE('10:00'), 'the team meeting Wednesday is off, see you all Friday')],
      UTC,
    );
    expect(events).toEqual([]);
  });

  it('reads the day a thing is moved to after a part of day ("moving stargazing night to next Friday")', () => {
    const { events } = extractHeuristic(
      [msg('Ana', MON('08:00'), 'Stargazing night at the clubhouse is Friday from 7pm'), msg('Ana', TUE('10:00'), 'Moving stargazing night to next Friday, same time')],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-12T19:00:00.000Z' })]);
  });

  it('reads a list item naming who gives a talk as the talk', () => {
    const { events } = extractHeuristic([msg('Ana', MON('08:00'), '3) Talk by Prof. Lindqvist on glaciers, Thursday 4th, 17:30 in room B')], UTC);
    expect(events).toEqual([expect.objectContaining({ title: expect.stringMatching(/^Talk by Prof/), startsAt: '2026-06-04T17:30:00.000Z' })]);
  });
});

describe('days offered and asked about', () => {
  it('does not date a happening by days only offered, and takes the offered day a reply picks', () => {
    const { events } = extractHeuristic(
      [
        msg('Lena', MON('09:00'), 'Next up: kit fitting. I can do Thursday June 11th at 5:30pm or Friday the 12th in the morning. Which works?'),
        msg('Ola', MON('09:30'), 'thursday is better for us'),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Kit fitting', startsAt: '2026-06-11T17:30:00.000Z', source: expect.objectContaining({ messageId: `r${seq}` }) })]);
  });

  it('moves the happening someone asked to move when a later "moved to" names nothing', () => {
    const { events } = extractHeuristic(
      [
        msg('Lena', MON('09:00'), 'Garden party Saturday 13th at 4pm'),
        msg('Ola', MON('09:10'), 'rain all weekend :( can we move the garden party?'),
        msg('Bo', MON('09:20'), 'what about the 20th'),
        msg('Ola', MON('09:25'), 'fine by me'),
        msg('Cy', MON('09:26'), '+1'),
        msg('Lena', MON('09:40'), 'Done, moved to Saturday 20th, same time'),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-20T16:00:00.000Z' })]);
  });

  it('does not take a question asking to move a happening for an announcement', () => {
    expect(extractHeuristic([msg('Ola', MON('09:10'), 'storms forecast for Saturday, could we push the picnic?')], UTC).events).toEqual([]);
  });

  it('does not date a happening named as the point something comes before', () => {
    const { events } = extractHeuristic([msg('Ola', MON('09:10'), 'The deposit is due June 20th, so nothing before the shoot')], UTC);
    expect(events).toEqual([expect.objectContaining({ title: expect.not.stringMatching(/shoot/i) })]);
  });
});

describe('a bare hour a thing is moved to', () => {
  it('reads "moved to 4" as 4pm on the day of the happening just set', () => {
    const { events } = extractHeuristic(
      [
        msg('Nia', MON('09:00'), 'the Bosch rep wants to pop in Thursday at 2 to demo the new drills'),
        msg('Tom', MON('09:05'), "I'm on a call then, can it be 3?"),
        msg('Nia', MON('09:20'), 'moved to 3 👍'),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-04T15:00:00.000Z' })]);
    expect(findDates('we moved to 3 people per table', MON('08:00'), 'UTC')).toEqual([]);
  });
});

describe('plans asked about and changed', () => {
  it('takes "can we do a day trip to X?" answered with a day as the trip, and "do it <day> instead" as its move', () => {
    const { events } = extractHeuristic(
      [
        msg('Eva', MON('09:00'), 'can we do a day trip to Hallstatt??'),
        msg('Jon', MON('09:20'), "yes let's do Hallstatt on Wednesday the 10th, bus from the station"),
        msg('Eva', TUE('09:00'), "Change of plan for Hallstatt, the boats don't run on the 10th, let's do it Thursday the 11th instead"),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: expect.stringMatching(/trip to Hallstatt/i), startsAt: '2026-06-11T00:00:00.000Z', allDay: true })]);
  });
});

describe('whether a plan still stands', () => {
  it('reads "also: the X we talked about, are we still doing it?" answered "yes, date TBD" as a TBD event', () => {
    const { events } = extractHeuristic(
      [
        msg('Eva', MON('09:00'), 'also: the canoe trip on the Wye we talked about, are we still doing it this term?'),
        msg('Jon', MON('09:20'), 'yes!! but date TBD, depends on the river levels'),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: expect.stringMatching(/canoe trip/i), startsAt: null })]);
  });
});

describe('opening hours', () => {
  it('does not take a shop opening at a time, with no day, for a happening', () => {
    expect(extractHeuristic([msg('Ali', MON('08:00'), "the fuse is gone. Screwfix opens at 7, I'll pick one up on the way")], UTC).events).toEqual([]);
    expect(extractHeuristic([msg('Ali', MON('08:00'), 'The new Screwfix opens Saturday at 9')], UTC).events).toEqual([
      expect.objectContaining({ startsAt: '2026-06-06T09:00:00.000Z' }),
    ]);
  });
});

describe('promised by a day', () => {
  it('does not take "proofs coming by Friday" for a happening, but keeps "the engineer is coming Friday"', () => {
    expect(extractHeuristic([msg('Ali', MON('08:00'), 'Thanks all! Proofs coming by Friday')], UTC).events).toEqual([]);
    expect(extractHeuristic([msg('Ali', MON('08:00'), 'The engineer is coming Friday at 10')], UTC).events).toEqual([
      expect.objectContaining({ startsAt: '2026-06-05T10:00:00.000Z' }),
    ]);
  });
});

describe('numeric dates and time ranges as written in different places', () => {
  const first = (text: string, zone = 'UTC') => findDates(text, MON('08:00'), zone)[0];
  it('reads a slash date day first outside month-first zones, and month first in North American ones', () => {
    expect(first('inventory on 04/07', 'Europe/London')!.start.date).toEqual({ year: 2026, month: 7, day: 4 });
    expect(first('inventory on 04/07', 'America/Chicago')!.start.date).toEqual({ year: 2027, month: 4, day: 7 });
    expect(first('Thu 17/09 at 18:30', 'Europe/Berlin')!.start).toMatchObject({ date: { year: 2026, month: 9, day: 17 }, time: { hour: 18, minute: 30 } });
  });

  it('reads dotted days and months ("01.10.", "by 28.9.") but not version numbers', () => {
    expect(first('members assembly 01.10. at 19:30')!.start).toMatchObject({ date: { year: 2026, month: 10, day: 1 }, time: { hour: 19, minute: 30 } });
    expect(first('slides by 28.9.')!.start.date).toEqual({ year: 2026, month: 9, day: 28 });
    expect(findDates('v3.2.0 release planned for Oct 15', MON('08:00'), 'UTC').map((d) => d.start.date)).toEqual([{ year: 2026, month: 10, day: 15 }]);
  });

  it('reads dotted times ("7.30pm", "from 9.30 to 12.30") and leaves measures alone', () => {
    expect(first('AGM next Thursday at the clubrooms, 7.30pm')!.start.time).toEqual({ hour: 19, minute: 30 });
    expect(first('training Tue 2nd from 9.30 to 12.30')!.end!.time).toEqual({ hour: 12, minute: 30 });
    expect(findDates('potassium was 3.1 overnight', MON('08:00'), 'UTC')).toEqual([]);
  });

  it('gives a range the half of the day its stated end is in ("7-11am", "11-2pm")', () => {
    expect(first('route setting is Wednesday 7-11am')!.start.time).toEqual({ hour: 7, minute: 0 });
    expect(first('viewing Friday 11-2pm')!.start.time).toEqual({ hour: 11, minute: 0 });
    expect(first('plumber is coming between 8 and noon tomorrow')!.start.time).toEqual({ hour: 8, minute: 0 });
  });

  it('gives a day the time said just before it ("5pm on Friday 2nd October") and reads "around 6"', () => {
    expect(first('applications close at 5pm on Friday 2nd October')!.start).toMatchObject({ date: { year: 2026, month: 10, day: 2 }, time: { hour: 17, minute: 0 } });
    expect(first('pizza Saturday around 6?')!.start.time).toEqual({ hour: 18, minute: 0 });
  });
});

describe('moves and repeats told by amount or by "same time"', () => {
  it('moves a happening by the amount said when no new day is named ("pushed back a week")', () => {
    const { events } = extractHeuristic(
      [msg('Ana', MON('09:00'), 'The supplier webinar is on Thursday at 4pm'), msg('Ben', TUE('09:00'), 'heads up, the webinar has been pushed back a week')],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-11T16:00:00.000Z' })]);
  });

  it('gives a happening said to be at the "same time" the time of the one named before', () => {
    const { events } = extractHeuristic(
      [msg('Ana', MON('09:00'), 'Laser cutter induction on Thursday at 18:30'), msg('Ana', TUE('09:00'), "it's full, so there's a second induction next Thursday, same time")],
      UTC,
    );
    expect(events.map((e) => e.startsAt)).toEqual(['2026-06-04T18:30:00.000Z', '2026-06-11T18:30:00.000Z']);
  });

  it('calls off the happening that a cancellation names best, not every one sharing a word', () => {
    const { events } = extractHeuristic(
      [
        msg('Ana', MON('09:00'), 'the staff first aid refresher is on the 19th, 6pm to 9pm'),
        msg('Ana', MON('09:10'), "let's plan a staff social, date TBD"),
        msg('Ana', TUE('09:00'), 'bad news, the staff social is off'),
      ],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ title: 'Staff first aid refresher', startsAt: '2026-06-19T18:00:00.000Z', endsAt: '2026-06-19T21:00:00.000Z' })]);
  });
});

describe('replies that undo or redo', () => {
  it('drops a request answered with "done already"', () => {
    const { todos } = extractHeuristic([msg('Omar', MON('09:00'), 'can someone book room G14 for the training?'), msg('Helen', MON('09:05'), 'done already 👍')], UTC);
    expect(todos).toEqual([]);
  });

  it('reads a happening called off with another time offered as a move, made when the other side agrees', () => {
    const { events } = extractHeuristic(
      [
        msg('Grace', MON('09:00'), 'Helen can we have a catch-up about the stats tomorrow at 11?'),
        msg('Helen', MON('09:05'), 'yes, catch-up tomorrow at 11 works'),
        msg('Helen', TUE('08:00'), "Grace I have to scrap our catch-up, I'm stuck on the train. same time tomorrow?"),
        msg('Grace', TUE('08:05'), 'sure, tomorrow 11 then'),
      ],
      UTC,
    );
    expect(events.map((e) => e.startsAt)).toEqual(['2026-06-03T11:00:00.000Z']);
  });

  it('holds a happening called off again on the day the same message gives ("we\'ll make it up next Tuesday 5:30-7")', () => {
    const { events, todos } = extractHeuristic(
      [msg('Ray', MON('08:00'), 'water session Thursday 5:30-7pm'), msg('Ray', TUE('18:00'), "Thursday's water session is off, lightning forecast. We'll make it up next Tuesday 5:30-7")],
      UTC,
    );
    expect(todos).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-09T17:30:00.000Z', endsAt: '2026-06-09T19:00:00.000Z' })]);
  });
});

describe('days counted from another day, and corrections', () => {
  it('reads "a week from Friday" and "Friday week" as the Friday after next', () => {
    const first = (text: string) => findDates(text, MON('08:00'), 'UTC')[0]!.start.date;
    expect(first('design review a week from Friday?')).toEqual({ year: 2026, month: 6, day: 12 });
    expect(first('the quiz is Friday week')).toEqual({ year: 2026, month: 6, day: 12 });
  });

  it('takes a time alone for a happening dated on a later day as its corrected time, not as a happening today', () => {
    const { events } = extractHeuristic(
      [msg('Ms Patel', MON('16:00'), "Year 9 parents' evening is Thursday 18 June, 4.30-7pm"), msg('Ms Patel', TUE('08:30'), "Correction: parents' evening starts at 5pm, not 4.30, finishing at 7.30")],
      UTC,
    );
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-18T17:00:00.000Z', endsAt: '2026-06-18T19:30:00.000Z' })]);
  });
});

describe('get-togethers are not tasks', () => {
  it('reads "we should do a proper BBQ this summer" as no task, but keeps "grab coffee for the workshop"', () => {
    expect(extractHeuristic([msg('Dave', MON('11:00'), 'we should do a proper crew BBQ this summer, it has been ages')], UTC).todos).toEqual([]);
    expect(extractHeuristic([msg('Dave', MON('11:00'), "I'll grab coffee for the workshop tomorrow")], UTC).todos).toEqual([expect.objectContaining({ text: expect.stringMatching(/^Grab coffee for the workshop/) })]);
  });
});

describe('shorthand', () => {
  it('reads "weds", "6ish", "appt", "mtg" and "bday"', () => {
    const { events } = extractHeuristic(
      [msg('Ana', MON('09:00'), 'mtg weds 3pm'), msg('Ben', MON('09:01'), 'dentist appt Thurs at 10'), msg('Cy', MON('09:02'), 'bday drinks fri 6ish')],
      UTC,
    );
    expect(events.map((e) => e.startsAt)).toEqual(['2026-06-03T15:00:00.000Z', '2026-06-04T10:00:00.000Z', '2026-06-05T18:00:00.000Z']);
  });

  it('keeps one happening when an all-day and a timed mention share a local day that differs in UTC', () => {
    const { events } = extractHeuristic(
      [msg('Dave', '2026-06-03T15:00:00.000Z', 'drill night Wednesday 10th at 19:30 at the station'), msg('Sian', '2026-06-04T08:00:00.000Z', "can't make next weds drill sorry")],
      { timeZone: 'Europe/London' },
    );
    expect(events).toHaveLength(1);
  });
});

describe('clock times written other ways', () => {
  it('reads "18h30", "1030hrs" and "7:15 p.m." after a day', () => {
    const at = (text: string) => findDates(text, MON('08:00'), 'UTC').map((d) => d.start.time);
    expect(at('meeting Friday at 18h30')).toEqual([{ hour: 18, minute: 30 }]);
    expect(at('parade Saturday 1030hrs')).toEqual([{ hour: 10, minute: 30 }]);
    expect(at('quiz Friday the 12th at 7:15 p.m.')).toEqual([{ hour: 19, minute: 15 }]);
  });
});

describe('days counted from the message ("in two weeks", "in a fortnight")', () => {
  const day = (text: string) => findDates(text, MON('08:00'), 'UTC').map((d) => d.start.date);
  it('counts days and weeks written in words or digits, "a week" and "a fortnight" included', () => {
    expect(day('the launch is in two weeks')).toEqual([{ year: 2026, month: 6, day: 15 }]);
    expect(day("I'll renew it in a week")).toEqual([{ year: 2026, month: 6, day: 8 }]);
    expect(day('inspection in 10 days')).toEqual([{ year: 2026, month: 6, day: 11 }]);
    expect(day('send it back in a fortnight')).toEqual([{ year: 2026, month: 6, day: 15 }]);
  });

  it('leaves "in a few weeks" and "in a couple of days" undated', () => {
    expect(day("we'll do the review in a few weeks")).toEqual([]);
    expect(day('in a couple of days')).toEqual([]);
    expect(day('in a month or so')).toEqual([]);
  });

  it('dates a task to 17:00 that day and an event all day', () => {
    const { todos, events } = extractHeuristic([msg('Ana', MON('09:00'), "I'll renew the insurance in two weeks"), msg('Ben', MON('09:05'), 'the product launch is in three weeks')], UTC);
    expect(todos).toEqual([expect.objectContaining({ text: 'Renew the insurance', dueAt: '2026-06-15T17:00:00.000Z' })]);
    expect(events).toEqual([expect.objectContaining({ startsAt: '2026-06-22T00:00:00.000Z', allDay: true })]);
  });
});

describe('people away on a day', () => {
  it('dates a person off, on leave, away or out of office as an all-day happening titled with their name', () => {
    const { events } = extractHeuristic(
      [
        msg('Ana Ruiz', MON('09:00'), "I'm on leave 10-12 June"),
        msg('Ben', MON('09:01'), "Priya's away next Tuesday"),
        msg('Ana Ruiz', MON('09:02'), "I'm out Friday, back Monday"),
        msg('Ben', MON('09:03'), "I'll be out of office on the 19th"),
      ],
      UTC,
    );
    expect(events.map((e) => [e.title, e.startsAt, e.allDay])).toEqual([
      ['Ana on leave', '2026-06-10T00:00:00.000Z', true],
      ['Priya away', '2026-06-09T00:00:00.000Z', true],
      ['Ana out', '2026-06-05T00:00:00.000Z', true],
      ['Ben out of office', '2026-06-19T00:00:00.000Z', true],
    ]);
  });

  it('reads "Sam is off on the 12th for his exam" as Sam\'s exam, not as something called off', () => {
    const { events } = extractHeuristic([msg('Ana', MON('09:00'), 'exam timetable is out'), msg('Ana', MON('09:01'), 'Sam is off on the 12th for his exam')], UTC);
    expect(events).toEqual([expect.objectContaining({ title: "Sam's exam", startsAt: '2026-06-12T00:00:00.000Z' })]);
  });

  it('still calls off a happening that "is off", and ignores "off to the shops"', () => {
    const { events } = extractHeuristic(
      [msg('Ana', MON('09:00'), 'practice is on Thursday at 6'), msg('Ben', MON('09:01'), 'Practice is off on Thursday, pitch is flooded'), msg('Cy', MON('09:02'), "I'm off to the shops tomorrow")],
      UTC,
    );
    expect(events).toEqual([]);
  });
});

describe('something to pay or hand in by a day', () => {
  it('reads "subs are due by 1 May" as a task for whoever owes them, besides the deadline', () => {
    const { todos, events } = extractHeuristic(
      [msg('Ana', MON('09:00'), 'Reminder: subs for the summer term are due by 1 July'), msg('Ben', MON('09:01'), 'Deposits (£20) are due by this Friday please'), msg('Cy', MON('09:02'), 'problem set 5 is due Friday 23:59, don\'t forget')],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.assignee, t.dueAt])).toEqual([
      ['Pay the subs for the summer term', null, '2026-07-01T17:00:00.000Z'],
      ['Pay the deposits', null, '2026-06-05T17:00:00.000Z'],
      ['Submit the problem set 5', null, '2026-06-05T23:59:00.000Z'],
    ]);
    expect(events.map((e) => e.title)).toEqual(['Subs for the summer term due', 'Deposits due', 'Problem set 5 due']);
  });

  it('keeps the request when the sentence asks for something else, and a later "I need to finish it" as its own task', () => {
    const { todos } = extractHeuristic(
      [msg('Ana', MON('09:00'), 'rent is due on the 1st, please transfer your share by Sunday'), msg('Ben', MON('09:01'), 'problem set 5 is due Friday'), msg('Cy', MON('09:02'), 'I need to finish it tomorrow')],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.assignee])).toEqual([
      ['Transfer your share', null],
      ['Submit the problem set 5', null],
      ['Finish it', 'Cy'],
    ]);
  });
});

describe('tasks told as a thing done and as orders to the whole group', () => {
  it('reads "I\'ll have them printed by Monday" and "can we get the register audited" as the doing', () => {
    const { todos } = extractHeuristic(
      [msg('Aylin', MON('09:00'), "sure, I'll have them printed by next Monday"), msg('Nina', MON('09:01'), 'ok. Josh can we get the drug register audited by the 21st? top priority'), msg('Josh', MON('09:02'), 'on it')],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.assignee, t.priority, t.dueAt])).toEqual([
      ['Print them', 'Aylin', 'MEDIUM', '2026-06-08T17:00:00.000Z'],
      ['Audit the drug register', 'Josh', 'HIGH', '2026-06-21T17:00:00.000Z'],
    ]);
  });

  it('reads "Everyone pack tonight!!" as a task for no one in particular, but not "Crew call Saturday"', () => {
    const { todos } = extractHeuristic([msg('Carmen', MON('09:00'), 'Everyone pack tonight!! we leave super early tomorrow'), msg('Orla', MON('09:01'), 'Crew call Saturday is still 6:30am')], UTC);
    expect(todos).toEqual([expect.objectContaining({ text: 'Pack', assignee: null, priority: 'HIGH', dueAt: '2026-06-01T20:00:00.000Z' })]);
  });
});

describe('things handed to someone without a verb', () => {
  const people = ['Priya Shah', 'Marcus Bell', 'Jae Kim', 'Dean Lowe'].map((name, i) => msg(name, MON(`07:0${i}`), 'morning'));
  it('reads "Priya - the school board piece, I need it by 4" and "Dean the pen agreement pls" as requests to them', () => {
    const { todos } = extractHeuristic([...people, msg('Ed', MON('09:00'), 'Priya - the school board piece, I need it by 4'), msg('Ed', MON('09:01'), 'Dean the pen agreement for Kestrel pls'), msg('Ed', MON('09:02'), 'Mia - the Müller wedding rooming list, today pls')], UTC);
    expect(todos.map((t) => [t.text, t.assignee, t.dueAt])).toEqual([
      ['Sort out the school board piece', 'Priya Shah', '2026-06-01T16:00:00.000Z'],
      ['Sort out the pen agreement for Kestrel', 'Dean Lowe', null],
      ['Sort out the Müller wedding rooming list', 'Mia', '2026-06-01T17:00:00.000Z'],
    ]);
  });

  it('puts each person named on a post on it ("Priya on county results, Marcus on the state races")', () => {
    const { todos } = extractHeuristic([...people, msg('Ed', MON('09:00'), "Priya on county results, Marcus on the state races, Jae you're on the mayor's watch party")], UTC);
    expect(todos.map((t) => [t.text, t.assignee])).toEqual([
      ['Be on county results', 'Priya Shah'],
      ['Be on the state races', 'Marcus Bell'],
      ["Be on the mayor's watch party", 'Jae Kim'],
    ]);
  });

  it('leaves replies, headings and people away alone', () => {
    const { todos } = extractHeuristic([...people, msg('Ed', MON('09:00'), 'Marcus - great job on that story'), msg('Ed', MON('09:01'), "Correction: parents' evening starts at 5pm"), msg('Ed', MON('09:02'), 'Dean on holiday next week')], UTC);
    expect(todos).toEqual([]);
  });

  it('reads no date inside a word chrono cuts at a non-ASCII letter ("the Müller")', () => {
    expect(findDates('the Müller wedding list', MON('08:00'), 'UTC')).toEqual([]);
  });
});

describe('happenings named without an event word', () => {
  it('dates someone somewhere at a time ("I\'m at the Bürgeramt Monday 8:30")', () => {
    const { events } = extractHeuristic([msg('Jonas', TUE('09:00'), "FYI I'm at the Bürgeramt Monday 8:30 for my residence permit, in by 11"), msg('Mia', TUE('09:01'), "I'm at the dentist on Friday")], UTC);
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([
      ['Jonas at the Bürgeramt', '2026-06-08T08:30:00.000Z'],
      ["Mia's dentist", '2026-06-05T00:00:00.000Z'],
    ]);
  });

  it('dates what "are we still doing the hanami?" asks about when the answer gives the day', () => {
    const { events } = extractHeuristic([msg('Liam', MON('08:50'), 'morning! are we still doing the hanami with the students?'), msg('Yuki', MON('09:02'), 'yes, Saturday 6th at Osaka Castle park, from 11am')], UTC);
    expect(events).toEqual([expect.objectContaining({ title: 'Hanami with the students', startsAt: '2026-06-06T11:00:00.000Z' })]);
  });

  it('reads schedules, moves out and plural happenings with their day', () => {
    const { events } = extractHeuristic(
      [
        msg('Ana', MON('09:00'), 'infaq box count is every Friday at 13:00 after jumat'),
        msg('Ana', MON('09:01'), "C14 - Hendersons' cat moves out on the 12th"),
        msg('Ana', MON('09:02'), 'placement tests this Thursday 10:00-16:00 in rooms 2 and 3'),
      ],
      UTC,
    );
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([
      ['Infaq box count', '2026-06-05T13:00:00.000Z'],
      ["Hendersons' cat moves out", '2026-06-12T00:00:00.000Z'],
      ['Placement tests', '2026-06-04T10:00:00.000Z'],
    ]);
  });

  it('takes no happening from a past meeting, a quiet night, a walk-in slot or "before the desk opens"', () => {
    const { events } = extractHeuristic(
      [
        msg('Ana', MON('09:00'), 'As agreed at the meeting in Ibadan on Saturday, we go ahead'),
        msg('Ana', MON('09:01'), 'quiet night, one noise complaint on the 3rd floor'),
        msg('Ana', MON('09:02'), 'Kenzie can you take his 11am walk-in slot?'),
        msg('Ana', MON('09:03'), 'Burak can you chase the printer, we need them before the desk opens Thursday'),
      ],
      UTC,
    );
    expect(events).toEqual([]);
  });
});

describe('times written "9h" and "15h", and words chrono misreads', () => {
  const at = (text: string) => findDates(text, MON('08:00'), 'UTC').map((d) => [d.start.date.day, d.start.time, d.end?.time ?? null]);
  it('reads whole hours written the French way after a day or in a range', () => {
    expect(at('reminder staff meeting tomorrow 9h')).toEqual([[2, { hour: 9, minute: 0 }, null]]);
    expect(at('the spring show is Saturday 6 June, 15h at the theatre')).toEqual([[6, { hour: 15, minute: 0 }, null]]);
    expect(at('the theatre can only give us 19h-22h')).toEqual([[1, { hour: 19, minute: 0 }, { hour: 22, minute: 0 }]]);
  });

  it('reads no time from "now", "lasts 24h" or "for 2h", and an hour before a full stop is still an hour', () => {
    expect(at('staff meeting is every other Monday now, 9:15')).toEqual([[1, { hour: 9, minute: 15 }, null]]);
    expect(at('the battery lasts 24h, charge it for 2h')).toEqual([]);
    expect(at('Kestrel arrives Mon 8th around 10. Dean the pen agreement')).toEqual([[8, { hour: 10, minute: 0 }, null]]);
  });
});

describe('moves told by amount next to another day, and schedules', () => {
  it('moves the happening the sentence names by the amount, not to a day said of something else', () => {
    const { events } = extractHeuristic(
      [
        msg('Sofia', MON('09:00'), "reminder the members' breakfast is every last Friday of the month, so this Friday 5th 9-10:30am on the terrace"),
        msg('Mateo', MON('09:05'), "fyi I'm off Monday 15th, my sister's wedding in Oaxaca"),
        msg('Ana', MON('09:10'), "members' breakfast, let's push it a week, half the members are at Zona Maco this Friday"),
      ],
      UTC,
    );
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([
      ["Sister's wedding", '2026-06-15T00:00:00.000Z'],
      ['Members breakfast', '2026-06-12T09:00:00.000Z'],
    ]);
  });

  it('finds the fixture a later message calls the match', () => {
    const { events } = extractHeuristic([msg('Dev', MON('09:00'), 'Next fixture is Sunday 14th vs PYC, reporting 8:30 sharp'), msg('Dev', MON('10:00'), 'PYC want to shift the match to Saturday 13th same time')], UTC);
    expect(events.map((e) => e.startsAt)).toEqual(['2026-06-13T08:30:00.000Z']);
  });
});

describe('needs and lists of jobs', () => {
  it('reads "Marcus I need the sidebar by Saturday noon" and "Declan, I\'ll need the cues from you. By Friday the 5th at the latest." as requests', () => {
    const { todos } = extractHeuristic(
      [msg('Marcus', MON('08:00'), 'hi'), msg('Ed Kane', MON('09:00'), 'Marcus I need the sidebar on the board votes by Saturday noon'), msg('Kevin', MON('09:01'), "Declan, I'll need the running order of cues from you before tech. By Friday the 5th at the latest.")],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.assignee, t.dueAt])).toEqual([
      ['Send Ed the sidebar on the board votes', 'Marcus', '2026-06-06T12:00:00.000Z'],
      ['Send Kevin the running order of cues', 'Declan', '2026-06-05T17:00:00.000Z'],
    ]);
  });

  it('reads a post to fill ("need someone at the cloakroom from 19:00") and a list of action points', () => {
    const { todos } = extractHeuristic(
      [msg('Ana', MON('09:00'), 'need someone at the cloakroom from 19:00'), msg('Tunde', MON('09:01'), 'Action points: Funmi — the aso ebi. Kemi — the programme booklet.')],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.assignee, t.dueAt])).toEqual([
      ['Be at the cloakroom', null, '2026-06-01T19:00:00.000Z'],
      ['Sort out the aso ebi', 'Funmi', null],
      ['Sort out the programme booklet', 'Kemi', null],
    ]);
  });

  it('takes no task from a reminder of a happening or of something past, and no deadline from a time agreed to', () => {
    const { todos, events } = extractHeuristic(
      [
        msg('Ana', MON('09:00'), 'Remember the family meeting on zoom Saturday 7pm, everybody must attend'),
        msg('Ana', MON('09:01'), "reminder staff meeting tomorrow 9h, and don't forget the clocks went forward last night"),
        msg('Orla', MON('09:02'), "Tuesday evening is fine, I'll tell them."),
      ],
      UTC,
    );
    expect(events.map((e) => e.title)).toEqual(['Family meeting', 'Staff meeting']);
    expect(todos.map((t) => [t.text, t.dueAt])).toEqual([['Tell them', null]]);
  });
});

describe('more happenings without a listed word, and things that are not happenings', () => {
  it('reads arrivals with an auxiliary, courses in a place, a guest confirmed for days, travel and company away', () => {
    const { events } = extractHeuristic(
      [
        msg('Ann', MON('09:00'), "chandlery order is landing Thursday between 1 and 3, whoever's on the desk sign for it"),
        msg('Ann', MON('09:01'), 'calf rearing course in Hamilton is the 15th, 9-4'),
        msg('Ann', MON('09:02'), 'guest artist from Austin, Lupe, confirmed for the 21st-23rd!!'),
        msg('Kemi', MON('09:03'), 'travelling to Abuja today for work, back Thursday'),
        msg('Hugo', MON('09:04'), "I can't, I'm with the competition team all Saturday in Villeurbanne"),
        msg('Ann', MON('09:05'), 'the burial is Friday 19th June. Service of songs Thursday 18th 5pm'),
      ],
      UTC,
    );
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([
      ['Chandlery order landing', '2026-06-04T13:00:00.000Z'],
      ['Calf rearing course', '2026-06-15T09:00:00.000Z'],
      ['Guest artist from Austin Lupe', '2026-06-21T00:00:00.000Z'],
      ['Kemi in Abuja', '2026-06-01T00:00:00.000Z'],
      ['Hugo with the competition team', '2026-06-06T00:00:00.000Z'],
      ['Burial', '2026-06-19T00:00:00.000Z'],
      ['Service of songs', '2026-06-18T17:00:00.000Z'],
    ]);
  });

  it('takes no happening from a thing fetched ("get the drinks on Friday") or one a deadline is for ("for the show ... in 2 weeks")', () => {
    const { events } = extractHeuristic(
      [msg('Yuki', MON('09:00'), 'Priya can you get the drinks on Friday?'), msg('Ines', MON('09:01'), 'the lights guy for the show wants the music files and the cue list in 2 weeks')],
      UTC,
    );
    expect(events).toEqual([]);
  });

  it('moves the happening sharing words with what the sentence said first ("AC guy just called, pushing to thursday")', () => {
    const { events } = extractHeuristic(
      [msg('Dani', MON('09:00'), 'AC guy comes wednesday between 12 and 2'), msg('Dani', MON('09:01'), 'flash day is saturday the 6th, 11 to 7'), msg('Dani', TUE('09:00'), 'AC guy just called, pushing to thursday same window')],
      UTC,
    );
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([
      ['Flash day', '2026-06-06T11:00:00.000Z'],
      ['AC guy comes', '2026-06-04T12:00:00.000Z'],
    ]);
  });
});

describe('days named twice in one message', () => {
  const days = (text: string) => findDates(text, MON('08:00'), 'UTC').map((d) => [d.start.date.month, d.start.date.day, d.start.time]);
  it('reads a bare weekday after a dated one of that name as that day ("Friday 19th June ... church service Friday 10am")', () => {
    expect(days('the burial is Friday 19th June. Service of songs Thursday 18th 5pm, church service Friday 10am')).toEqual([
      [6, 19, null],
      [6, 18, { hour: 17, minute: 0 }],
      [6, 19, { hour: 10, minute: 0 }],
    ]);
    expect(days('see you Friday, the gala is on Friday 19th June')).toEqual([
      [6, 5, null],
      [6, 19, null],
    ]);
  });

  it('takes the next one named after a schedule ("every other Monday now, 9:15, next one the 15th")', () => {
    expect(days('staff meeting is every other Monday now, 9:15, next one the 15th')).toEqual([
      [6, 15, { hour: 9, minute: 15 }],
      [6, 15, null],
    ]);
  });

  it('gives days listed together the month and hours written once ("the 15th and 16th of Oct, 9-4")', () => {
    expect(days('calf rearing course is the 15th and 16th of Oct, 9-4 both days')).toEqual([
      [10, 15, { hour: 9, minute: 0 }],
      [10, 16, { hour: 9, minute: 0 }],
    ]);
  });
});

describe('taking a job on and asking for another in one message', () => {
  it('keeps "can someone pull the clips?" after "on it."', () => {
    const { todos } = extractHeuristic([msg('Ed', MON('09:00'), 'Marcus can you call the hospital press office?'), msg('Marcus', MON('09:01'), 'on it. can someone pull the 2019 merger clips from the archive?')], UTC);
    expect(todos.map((t) => [t.text, t.assignee])).toEqual([
      ['Call the hospital press office', 'Marcus'],
      ['Pull the 2019 merger clips from the archive', null],
    ]);
  });
});

describe('requests asked in passing', () => {
  it('reads "Devon, rough cut whenever you get a chance" and "I\'ll have a look at it when I get a chance" as low-priority tasks', () => {
    const { todos } = extractHeuristic([msg('Devon', MON('08:00'), 'hi'), msg('Tom', MON('09:00'), "I'll have a look at it when I get a chance lol"), msg('Maya', MON('09:01'), 'great episode. Devon, rough cut whenever you get a chance, no pressure')], UTC);
    expect(todos.map((t) => [t.text, t.assignee, t.priority])).toEqual([
      ['Look at it', 'Tom', 'LOW'],
      ['Sort out rough cut', 'Devon', 'LOW'],
    ]);
  });
});

describe('happenings told in passing', () => {
  it('takes no happening from a meeting told in the past beside one to come, or from "hose the race down"', () => {
    const { events } = extractHeuristic(
      [msg('Tunde', MON('09:00'), 'As agreed at the meeting in Ibadan on Saturday, the burial is Friday 19th June'), msg('Sione', MON('09:01'), "I'll hose the race down wednesday before they come")],
      UTC,
    );
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([['Burial', '2026-06-19T00:00:00.000Z']]);
  });
});

describe('tasks done at a happening', () => {
  it('dates "bring folding tables to the Rec Center for the briefing" to the briefing, and follows its move', () => {
    const { todos } = extractHeuristic(
      [
        msg('Dana', MON('09:00'), 'mandatory marshal briefing is Wednesday 7-8:30pm at the Rec Center gym'),
        msg('Dana', MON('10:00'), 'Kevin could you bring folding tables to the Rec Center for the briefing?'),
        msg('Dana', TUE('09:00'), 'briefing moved to Thursday same time'),
      ],
      UTC,
    );
    expect(todos).toEqual([expect.objectContaining({ text: 'Bring folding tables to the Rec Center for the briefing', dueAt: '2026-06-04T19:00:00.000Z' })]);
  });
});

describe('tasks reported done later', () => {
  it('drops a request its person reports done ("sent you the gas list"), not one half done', () => {
    const { todos } = extractHeuristic(
      [
        msg('Oskar', MON('09:00'), 'Ingrid can you send me the final gas list before Friday?'),
        msg('Shaz', MON('09:05'), 'Mia can you update the noticeboard and the FB page with the new date'),
        msg('Mia', MON('09:10'), "done the FB, board's next on my list"),
        msg('Ingrid', TUE('09:00'), 'sent you the gas list Oskar, 6 bottles it is'),
      ],
      UTC,
    );
    expect(todos.map((t) => t.text)).toEqual(['Update the noticeboard and the FB page with the new date']);
  });
});

describe('moves between two weekdays and "same time" told in other words', () => {
  it('moves "from Monday to Tuesday morning" to Tuesday', () => {
    const { events } = extractHeuristic([msg('Thandi', '2026-06-03T09:00:00.000Z', 'beef delivery from the abattoir is Monday at 9am'), msg('Thandi', '2026-06-04T15:45:00.000Z', 'FYI the beef delivery from the abattoir moved from Monday to Tuesday morning')], UTC);
    expect(events.map((e) => e.startsAt)).toEqual(['2026-06-09T09:00:00.000Z']);
  });

  it('gives "moving the co-op session to next sat same time" the time of the latest timed happening when no word names it', () => {
    const { events } = extractHeuristic([msg('Wei', MON('09:00'), 'next demo for the publisher is sat 2pm-5pm, co-op with 4 ppl'), msg('Wei', TUE('18:45'), 'bad news, half of us are sick, moving the co-op session to next sat same time')], UTC);
    expect(events.map((e) => [e.title, e.startsAt])).toContainEqual(['Co-op session', '2026-06-13T14:00:00.000Z']);
  });
});

describe('appointments, site visits and trade happenings', () => {
  it('reads people at the notary, on site, out of town, and appointments with specialists', () => {
    const { events } = extractHeuristic(
      [
        msg('Jordi', MON('09:00'), "I'm at the site in Sabadell all day tomorrow, ring me if urgent"),
        msg('Tomasz', MON('09:02'), "I'm at the notary Wednesday 10-12 for the flat"),
        msg('Marcus', MON('09:03'), "fyi I'm out of town Thursday for work, back friday"),
        msg('Dimitris', MON('09:04'), "guys I've got the ophthalmologist saturday at 9:30"),
      ],
      UTC,
    );
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([
      ['Jordi at the site in Sabadell', '2026-06-02T00:00:00.000Z'],
      ['Tomasz at the notary', '2026-06-03T10:00:00.000Z'],
      ['Marcus out of town', '2026-06-04T00:00:00.000Z'],
      ['Ophthalmologist', '2026-06-06T09:30:00.000Z'],
    ]);
  });

  it('reads slab pours, bump-ins, swap meets, road closures and a visit someone can come for', () => {
    const { events } = extractHeuristic(
      [
        msg('Ann', MON('09:00'), 'Slab pour for level 3 is Thursday from 6am, pump truck booked'),
        msg('Ann', MON('09:01'), 'bump in is Friday arvo from 2'),
        msg('Ann', MON('09:02'), 'road closure on Herring Cove Rd from tomorrow till Friday'),
        msg('Ann', MON('09:03'), 'Ramil can come tomorrow 2-4pm'),
        msg('Ann', MON('09:04'), 'yes, 6-7pm on Zoom'),
      ],
      UTC,
    );
    expect(events.map((e) => e.title)).toEqual(['Slab pour for level 3', 'Bump in', 'Road closure', 'Ramil can come']);
  });
});

describe('times that are counts, and times of another matter', () => {
  it('reads "tonight, 12 sets" as tonight at 20:00, not noon', () => {
    expect(findDates('Kat can you prep the rental BCDs tonight, 12 sets', MON('06:00'), 'UTC').map((d) => d.start.time)).toEqual([{ hour: 20, minute: 0 }]);
  });

  it('keeps "before 4pm" today for a task that has nothing to do with the happening just announced', () => {
    const { todos } = extractHeuristic(
      [msg('Thandi', MON('09:00'), 'Area review with head office is next Thursday 10:00 at the Sandton office'), msg('Thandi', MON('09:30'), 'please check the generator diesel at your stores before 4pm, load shedding is back')],
      UTC,
    );
    expect(todos).toEqual([expect.objectContaining({ text: 'Check the generator diesel at your stores', dueAt: '2026-06-01T16:00:00.000Z' })]);
  });
});

describe('a visit coming another day instead, and two days sharing a month', () => {
  it('moves "he\'s coming Thursday instead, same time" to Thursday, the task at the visit with it', () => {
    const { events, todos } = extractHeuristic(
      [
        msg('Ann', MON('09:12'), 'the transmitter engineer is coming Tuesday between 10 and 1, someone needs to be in to let him up to the mast'),
        msg('Bob', MON('09:13'), 'I can'),
        msg('Ciaran', TUE('10:40'), "engineer just rang, he's coming Thursday instead, same time"),
      ],
      UTC,
    );
    expect(events.map((e) => e.startsAt)).toEqual(['2026-06-04T10:00:00.000Z']);
    expect(todos.map((t) => t.dueAt)).toEqual(['2026-06-04T10:00:00.000Z']);
  });

  it('reads "the install: 20th and 21st of April, 8 to 4 both days" as starting on the 20th at 8', () => {
    expect(findDates('client confirmed the install: 20th and 21st of April, 8 to 4 both days', MON('08:00'), 'UTC').map((d) => [d.start.date.month, d.start.date.day, d.start.time])).toEqual([
      [4, 20, { hour: 8, minute: 0 }],
      [4, 21, { hour: 8, minute: 0 }],
    ]);
  });
});

describe('questions to the group', () => {
  it('keeps "who\'s bringing the PA?" once someone takes it on, and drops one nobody answers', () => {
    const { todos } = extractHeuristic(
      [msg('Ruairi', MON('09:00'), "who's bringing the PA to the gig?"), msg('Cian', MON('09:05'), 'me, I have the van'), msg('Claudia', TUE('09:00'), "who's doing the night walk this week?")],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.assignee])).toEqual([['Bringing the PA to the gig', 'Cian']]);
  });
});

describe('needs told of a thing, and the person named after "pls"', () => {
  it('reads the verb of what a thing needs ("needs servicing", "needs cutting", "need signing")', () => {
    const { todos } = extractHeuristic([msg('Ann', MON('09:00'), 'the boiler needs servicing'), msg('Ann', MON('09:01'), 'the hedge needs cutting'), msg('Ann', MON('09:02'), 'the forms need signing')], UTC);
    expect(todos.map((t) => t.text)).toEqual(['Service the boiler', 'Cut the hedge', 'Sign the forms']);
  });

  it('reads "the lamp timer needs resetting" and "file the reports tonight pls Aisha"', () => {
    const { todos } = extractHeuristic(
      [msg('Aisha', MON('08:00'), 'hi'), msg('Ines', MON('09:00'), 'the clocks go forward Sunday so the lamp timer needs resetting'), msg('Ed', MON('09:01'), 'file the misconduct reports tonight pls Aisha, league wants them before Monday')],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.assignee, t.priority])).toEqual([
      ['Reset the lamp timer', null, 'MEDIUM'],
      ['File the misconduct reports', 'Aisha', 'HIGH'],
    ]);
  });
});

describe('clock changes, closures and visits changed', () => {
  it('takes no happening from the clocks changing but keeps the meeting beside it', () => {
    const { events } = extractHeuristic([msg('Ines', MON('09:00'), "reminder staff meeting tomorrow 9h, and don't forget the clocks went forward last night"), msg('Ann', MON('09:01'), 'reminder clocks go back Sat night, enjoy the extra hour of sleep')], UTC);
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([['Staff meeting', '2026-06-02T09:00:00.000Z']]);
  });

  it("reads \"we're closed Monday\" and \"the workshop is closed Good Friday\" as closures, and \"changed their visit to Wednesday\" as a move", () => {
    const { events } = extractHeuristic(
      [
        msg('Giulia', TUE('19:00'), "great day everyone, we're closed Monday for Ognissanti, see you tuesday"),
        msg('Nikos', TUE('19:01'), 'also the workshop is closed Friday 5 June'),
        msg('Ines', MON('19:02'), 'The school group is confirmed for Tuesday 9th, 10:30'),
        msg('Ines', TUE('09:00'), 'the school changed their visit to Wednesday, same time'),
      ],
      UTC,
    );
    expect(events.map((e) => [e.title, e.startsAt])).toEqual([
      ['Closed', '2026-06-08T00:00:00.000Z'],
      ['Workshop closed', '2026-06-05T00:00:00.000Z'],
      ['School group', '2026-06-03T10:30:00.000Z'],
    ]);
  });
});

describe('bringing things to a happening', () => {
  it('dates "I\'ll bring the wine" to the dinner just announced, not "bring me back some pastéis"', () => {
    const { todos } = extractHeuristic(
      [
        msg('Pedro', MON('18:15'), "don't forget we have dinner at tía Marta's on Sunday at 8"),
        msg('Pedro', MON('18:20'), "I'll bring the wine"),
        msg('Ana', MON('21:00'), 'bring me back some pastéis de nata'),
      ],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.dueAt])).toEqual([
      ['Bring the wine', '2026-06-07T20:00:00.000Z'],
      ['Bring me back some pastéis de nata', null],
    ]);
  });
});

describe('needs without an article, and "before" a happening without one', () => {
  it('reads "Priya I need last yrs ridership numbers" and "Jono need the float ready, before bump in tomorrow"', () => {
    const { todos, events } = extractHeuristic(
      [
        msg('Priya', MON('08:00'), 'hi'),
        msg('Mick', MON('08:05'), 'bump in is tomorrow from 2pm'),
        msg('Dana', MON('09:01'), 'Priya I need last yrs ridership numbers, no rush'),
        msg('Mick', MON('09:02'), 'Jono need the float ready, $400 in coins and small notes, before bump in tomorrow'),
      ],
      UTC,
    );
    expect(todos.map((t) => [t.text, t.assignee, t.dueAt])).toEqual([
      ['Send Dana last yrs ridership numbers', 'Priya', null],
      ['Get the float ready', 'Jono', '2026-06-02T14:00:00.000Z'],
    ]);
    expect(events.map((e) => e.title)).toEqual(['Bump in']);
  });
});

describe('"pls get them photocopied"', () => {
  it('reads the thing done to what was named before the dash as the task, with its deadline', () => {
    const { todos, events } = extractHeuristic(
      [msg('Farhan', MON('08:00'), 'hi'), msg('Meera', MON('09:01'), 'Farhan, the new volunteer induction files - pls get them photocopied, 15 sets, by tomorrow EOD')],
      UTC,
    );
    expect(todos).toEqual([expect.objectContaining({ text: 'Photocopy the new volunteer induction files', assignee: 'Farhan', priority: 'HIGH', dueAt: '2026-06-02T17:00:00.000Z' })]);
    expect(events).toEqual([]);
  });
});
