/**
 * The calendar API over HTTP on real SQLite and PostgreSQL: upcoming-by-default listing with the
 * TBD list apart, ranges, pages, edits, isolation between accounts, and the iCalendar feed with
 * its rotating token.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApi } from '../../src/api/app.js';
import { DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { serve, type TestServer } from '../support/http.js';
import { seedFile, seedUser, type SeededFile, type SeededUser } from '../support/seed.js';

const NOW = new Date('2026-03-15T12:00:00Z');
const PUBLIC_URL = 'https://teamsync.example.com';

/** VEVENT blocks of an iCalendar text as property maps (folded lines joined). */
function parseEvents(ics: string): Array<Map<string, string>> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  const events: Array<Map<string, string>> = [];
  let current: Map<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = new Map();
    else if (line === 'END:VEVENT' && current) {
      events.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return events;
}

describe.each(DATABASE_KINDS)('calendar API on %s', (kind) => {
  let services: TestServices;
  let api: TestServer;
  let ana: SeededUser;
  let bo: SeededUser;
  let utcFile: SeededFile;
  let berlinFile: SeededFile;
  let bosFile: SeededFile;

  beforeAll(async () => {
    services = await openTestServices(kind, { PUBLIC_URL });
    services.now = () => NOW;
    api = await serve(createApi(services));
    ana = await seedUser(services, 'ana');
    bo = await seedUser(services, 'bo');
    utcFile = await seedFile(services, ana.user.id, {
      events: [
        { title: 'Kickoff', starts_at: '2026-03-10T10:00:00Z', ends_at: '2026-03-10T11:00:00Z' },
        { title: 'Hackathon', starts_at: '2026-03-14T09:00:00Z', ends_at: '2026-03-16T17:00:00Z' },
        { title: 'Holiday', starts_at: '2026-03-14T00:00:00Z', all_day: true },
        { title: 'Team day', starts_at: '2026-03-15T00:00:00Z', all_day: true },
        { title: 'Release review', starts_at: '2026-03-17T14:00:00Z', ends_at: '2026-03-17T15:00:00Z', message: 4 },
        { title: 'Team offsite', starts_at: null, message: 3 },
        { title: 'Call with Acme', starts_at: '2026-04-02T08:00:00Z' },
      ],
    });
    berlinFile = await seedFile(services, ana.user.id, {
      fileName: 'berlin.txt',
      timeZone: 'Europe/Berlin',
      events: [
        // March 31 in Berlin: its midnight is 22:00 UTC the day before.
        { title: 'Acme renewal deadline', starts_at: '2026-03-30T22:00:00Z', all_day: true },
        { title: 'Board dinner', starts_at: null },
      ],
    });
    bosFile = await seedFile(services, bo.user.id, {
      events: [
        { title: "Bo's planning", starts_at: '2026-03-20T10:00:00Z' },
        { title: "Bo's undated idea", starts_at: null },
      ],
    });
  });
  afterAll(async () => {
    await api?.close();
    await services?.dispose();
  });

  const calendar = (user: SeededUser, query = '') => api.request('GET', `/api/v1/agent/calendar${query}`, { token: user.token });
  const titles = (events: Array<{ title: string }>) => events.map((e) => e.title);

  it('lists upcoming and running dated events by start, and the undated ones apart', async () => {
    const r = await calendar(ana);
    expect(r.status).toBe(200);
    expect(titles(r.body.events)).toEqual(['Hackathon', 'Team day', 'Release review', 'Acme renewal deadline', 'Call with Acme']);
    expect(titles(r.body.tbd)).toEqual(['Team offsite', 'Board dinner']);
    expect(r.body.next_cursor).toBeNull();
    expect(r.body.events[2]).toEqual({
      id: utcFile.events[4]!.id,
      file_id: utcFile.file.id,
      title: 'Release review',
      starts_at: '2026-03-17T14:00:00.000Z',
      ends_at: '2026-03-17T15:00:00.000Z',
      all_day: false,
      extractor: 'heuristic',
      source: { message_id: 'm5', author: 'Bo', sent_at: '2026-03-12T09:12:00.000Z', excerpt: 'Release review meeting on Tuesday at 14:00 in room 3.' },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(r.body.tbd[0]).toMatchObject({ starts_at: null, ends_at: null, source: { message_id: 'm4' } });
  });

  it('shows past events with include_past, bounds by from/to, and filters by file', async () => {
    const past = await calendar(ana, '?include_past=true');
    expect(titles(past.body.events)).toEqual(['Kickoff', 'Holiday', 'Hackathon', 'Team day', 'Release review', 'Acme renewal deadline', 'Call with Acme']);
    const range = await calendar(ana, '?from=2026-03-16T00:00:00Z&to=2026-04-01T00:00:00Z');
    expect(titles(range.body.events)).toEqual(['Hackathon', 'Release review', 'Acme renewal deadline']);
    const until = await calendar(ana, '?to=2026-03-20T00:00:00Z&tbd=false');
    expect(titles(until.body.events)).toEqual(['Hackathon', 'Team day', 'Release review']);
    expect(until.body.tbd).toEqual([]);
    const onlyTbd = await calendar(ana, '?tbd=only');
    expect(onlyTbd.body.events).toEqual([]);
    expect(titles(onlyTbd.body.tbd)).toEqual(['Team offsite', 'Board dinner']);
    const berlin = await calendar(ana, `?file_id=${berlinFile.file.id}`);
    expect(titles(berlin.body.events)).toEqual(['Acme renewal deadline']);
    expect(titles(berlin.body.tbd)).toEqual(['Board dinner']);
  });

  it('pages both lists with one cursor', async () => {
    const events: string[] = [];
    const tbd: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await calendar(ana, `?include_past=true&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      events.push(...titles(r.body.events));
      tbd.push(...titles(r.body.tbd));
      cursor = r.body.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(events).toEqual(['Kickoff', 'Holiday', 'Hackathon', 'Team day', 'Release review', 'Acme renewal deadline', 'Call with Acme']);
    expect(tbd).toEqual(['Team offsite', 'Board dinner']);
  });

  it('refuses bad queries with 422 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['?from=yesterday', 'query.from'],
      ['?tbd=maybe', 'query.tbd'],
      ['?include_past=yes', 'query.include_past'],
      ['?cursor=%7B%7D%7D', 'query.cursor'],
      ['?limit=-1', 'query.limit'],
    ];
    for (const [query, field] of cases) {
      const r = await calendar(ana, query);
      expect(r.status).toBe(422);
      expect(r.body.error.details[0].field).toBe(field);
    }
  });

  it("keeps accounts apart: another account's events and files are 404 and never listed", async () => {
    const bos = await calendar(bo, '?include_past=true');
    expect(titles(bos.body.events)).toEqual(["Bo's planning"]);
    expect(titles(bos.body.tbd)).toEqual(["Bo's undated idea"]);
    for (const e of [...utcFile.events, ...berlinFile.events]) {
      const patch = await api.request('PATCH', `/api/v1/agent/calendar/${e.id}`, { token: bo.token, body: { title: 'Mine now' } });
      expect(patch.status).toBe(404);
      expect(patch.body.error).toEqual({ code: 'not_found', message: 'event not found' });
      expect((await api.request('DELETE', `/api/v1/agent/calendar/${e.id}`, { token: bo.token })).status).toBe(404);
    }
    expect((await calendar(bo, `?file_id=${utcFile.file.id}`)).status).toBe(404);
    expect((await calendar(ana, `?file_id=${bosFile.file.id}`)).status).toBe(404);
    expect(await services.models.CalendarEvent.count({ where: { user_id: ana.user.id, title: 'Mine now' } })).toBe(0);
  });

  it('patches title, times and all-day; clearing the start makes an event TBD; deletes', async () => {
    const id = utcFile.events[6]!.id; // Call with Acme
    const moved = await api.request('PATCH', `/api/v1/agent/calendar/${id}`, {
      token: ana.token,
      body: { title: 'Call with Acme legal', starts_at: '2026-04-03T10:00:00+02:00', ends_at: '2026-04-03T09:00:00Z' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id, title: 'Call with Acme legal', starts_at: '2026-04-03T08:00:00.000Z', ends_at: '2026-04-03T09:00:00.000Z', all_day: false });

    const backwards = await api.request('PATCH', `/api/v1/agent/calendar/${id}`, { token: ana.token, body: { ends_at: '2026-04-03T07:00:00Z' } });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error).toMatchObject({ message: 'ends_at: must be after starts_at', details: [{ field: 'ends_at' }] });
    const badType = await api.request('PATCH', `/api/v1/agent/calendar/${id}`, { token: ana.token, body: { all_day: 'yes' } });
    expect(badType.status).toBe(422);
    expect(badType.body.error.details[0].field).toBe('all_day');

    const undated = await api.request('PATCH', `/api/v1/agent/calendar/${id}`, { token: ana.token, body: { starts_at: null } });
    expect(undated.status).toBe(200);
    expect(undated.body).toMatchObject({ starts_at: null, ends_at: null });
    expect(titles((await calendar(ana, '?tbd=only')).body.tbd)).toContain('Call with Acme legal');

    const allDay = await api.request('PATCH', `/api/v1/agent/calendar/${id}`, { token: ana.token, body: { starts_at: '2026-04-06T00:00:00Z', all_day: true } });
    expect(allDay.body).toMatchObject({ starts_at: '2026-04-06T00:00:00.000Z', all_day: true });

    const kickoff = utcFile.events[0]!.id;
    expect((await api.request('DELETE', `/api/v1/agent/calendar/${kickoff}`, { token: ana.token })).status).toBe(204);
    expect((await api.request('DELETE', `/api/v1/agent/calendar/${kickoff}`, { token: ana.token })).status).toBe(404);
    expect(titles((await calendar(ana, '?include_past=true')).body.events)).not.toContain('Kickoff');
  });

  it('serves an iCalendar feed by token: DATE values for all-day events, UTC times, stable UIDs', async () => {
    const none = await api.request('GET', '/api/v1/agent/calendar/feed-token', { token: ana.token });
    expect(none.status).toBe(404);

    const created = await api.request('POST', '/api/v1/agent/calendar/feed-token', { token: ana.token });
    expect(created.status).toBe(200);
    const { token, url } = created.body as { token: string; url: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(`${PUBLIC_URL}/api/v1/agent/calendar.ics?token=${token}`);
    expect((await api.request('GET', '/api/v1/agent/calendar/feed-token', { token: ana.token })).body).toEqual({ token, url });

    const feed = await api.request('GET', `/api/v1/agent/calendar.ics?token=${token}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(feed.text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(feed.text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    const events = parseEvents(feed.text);
    const dated = await services.models.CalendarEvent.findAll({ where: { user_id: ana.user.id } });
    const datedIds = dated.filter((e) => e.starts_at !== null).map((e) => `${e.id}@teamsync`);
    expect(events).toHaveLength(datedIds.length);
    expect(events.map((e) => e.get('UID')).sort()).toEqual(datedIds.sort());

    const byTitle = new Map(events.map((e) => [e.get('SUMMARY'), e]));
    const deadline = byTitle.get('Acme renewal deadline')!;
    expect(deadline.get('UID')).toBe(`${berlinFile.events[0]!.id}@teamsync`);
    expect(deadline.get('DTSTART;VALUE=DATE')).toBe('20260331');
    expect(deadline.get('DTEND;VALUE=DATE')).toBe('20260401');
    expect(byTitle.get('Team day')!.get('DTSTART;VALUE=DATE')).toBe('20260315');
    const review = byTitle.get('Release review')!;
    expect(review.get('DTSTART')).toBe('20260317T140000Z');
    expect(review.get('DTEND')).toBe('20260317T150000Z');
    expect(byTitle.has('Team offsite')).toBe(false);
    expect(byTitle.has("Bo's planning")).toBe(false);

    // The same request again gives the same UIDs.
    const again = parseEvents((await api.request('GET', `/api/v1/agent/calendar.ics?token=${token}`)).text);
    expect(again.map((e) => e.get('UID'))).toEqual(events.map((e) => e.get('UID')));
  });

  it('rotating the token ends the old feed URL; missing and wrong tokens are 401', async () => {
    const old = (await api.request('GET', '/api/v1/agent/calendar/feed-token', { token: ana.token })).body.token as string;
    const rotated = await api.request('POST', '/api/v1/agent/calendar/feed-token', { token: ana.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(old);

    const stale = await api.request('GET', `/api/v1/agent/calendar.ics?token=${old}`);
    expect(stale.status).toBe(401);
    expect(stale.body.error).toEqual({ code: 'unauthorized', message: 'invalid or revoked feed token' });
    expect((await api.request('GET', `/api/v1/agent/calendar.ics?token=${rotated.body.token}`)).status).toBe(200);
    const missing = await api.request('GET', '/api/v1/agent/calendar.ics');
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/feed token required/);
    expect((await api.request('POST', '/api/v1/agent/calendar/feed-token')).status).toBe(401);

    // Another account's feed holds only its own events.
    const bosToken = (await api.request('POST', '/api/v1/agent/calendar/feed-token', { token: bo.token })).body.token as string;
    const bosFeed = parseEvents((await api.request('GET', `/api/v1/agent/calendar.ics?token=${bosToken}`)).text);
    expect(bosFeed.map((e) => e.get('SUMMARY'))).toEqual(["Bo's planning"]);
  });
});
