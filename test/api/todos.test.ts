/** The todo API over HTTP on real SQLite and PostgreSQL: filters, keyset pages, edits, and isolation between accounts. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApi } from '../../src/api/app.js';
import { DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { serve, type TestServer } from '../support/http.js';
import { seedFile, seedUser, type SeededFile, type SeededUser } from '../support/seed.js';

describe.each(DATABASE_KINDS)('todo API on %s', (kind) => {
  let services: TestServices;
  let api: TestServer;
  let ana: SeededUser;
  let bo: SeededUser;
  let first: SeededFile;
  let second: SeededFile;
  let bosFile: SeededFile;

  beforeAll(async () => {
    services = await openTestServices(kind);
    api = await serve(createApi(services));
    ana = await seedUser(services, 'ana');
    bo = await seedUser(services, 'bo');
    first = await seedFile(services, ana.user.id, {
      todos: [
        { text: 'Send the signed Acme contract to legal', assignee: 'Chen', priority: 'HIGH', due_at: '2026-03-13T17:00:00Z', message: 1 },
        { text: 'Pick a date for the offsite', assignee: null, priority: 'LOW', due_at: null, message: 3 },
        { text: 'Book room 3', assignee: 'Bo', priority: 'MEDIUM', due_at: '2026-03-16T09:00:00Z', status: 'done', message: 4 },
        { text: 'Renew the Acme contract', assignee: 'ana', priority: 'HIGH', due_at: '2026-03-31T00:00:00Z' },
      ],
    });
    second = await seedFile(services, ana.user.id, {
      fileName: 'second.txt',
      todos: [
        { text: 'Write the release notes', assignee: 'Ana', priority: 'MEDIUM', due_at: '2026-03-16T09:00:00Z' },
        { text: 'Update the roadmap', priority: 'LOW' },
      ],
    });
    bosFile = await seedFile(services, bo.user.id, { todos: [{ text: "Bo's own todo", assignee: 'Bo', due_at: '2026-03-14T00:00:00Z' }] });
  });
  afterAll(async () => {
    await api?.close();
    await services?.dispose();
  });

  const list = (user: SeededUser, query = '') => api.request('GET', `/api/v1/agent/todos${query}`, { token: user.token });
  const texts = (body: { items: Array<{ text: string }> }) => body.items.map((t) => t.text);

  it('lists the account\'s todos by due date (undated last), with evidence and timestamps', async () => {
    const r = await list(ana);
    expect(r.status).toBe(200);
    expect(texts(r.body)).toEqual([
      'Send the signed Acme contract to legal',
      'Book room 3',
      'Write the release notes',
      'Renew the Acme contract',
      'Pick a date for the offsite',
      'Update the roadmap',
    ]);
    expect(r.body.next_cursor).toBeNull();
    expect(r.body.items[0]).toEqual({
      id: first.todos[0]!.id,
      file_id: first.file.id,
      text: 'Send the signed Acme contract to legal',
      assignee: 'Chen',
      priority: 'HIGH',
      due_at: '2026-03-13T17:00:00.000Z',
      status: 'open',
      extractor: 'heuristic',
      source: {
        message_id: 'm2',
        author: 'Bo',
        sent_at: '2026-03-12T09:05:00.000Z',
        excerpt: 'Chen, can you send the signed Acme contract to legal by Friday?',
      },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
  });

  it('filters by file, status, priority, assignee (case-insensitive) and due range', async () => {
    expect(texts((await list(ana, `?file_id=${second.file.id}`)).body)).toEqual(['Write the release notes', 'Update the roadmap']);
    expect(texts((await list(ana, '?status=done')).body)).toEqual(['Book room 3']);
    expect(texts((await list(ana, '?priority=HIGH&status=open')).body)).toEqual(['Send the signed Acme contract to legal', 'Renew the Acme contract']);
    expect(texts((await list(ana, '?assignee=ANA')).body)).toEqual(['Write the release notes', 'Renew the Acme contract']);
    expect(texts((await list(ana, '?due_after=2026-03-14T00:00:00Z&due_before=2026-03-31T00:00:00Z')).body)).toEqual([
      'Book room 3',
      'Write the release notes',
    ]);
    // due_after is inclusive, due_before exclusive.
    expect(texts((await list(ana, '?due_after=2026-03-31T00:00:00Z')).body)).toEqual(['Renew the Acme contract']);
    expect(texts((await list(ana, '?due_before=2026-03-13T17:00:00Z')).body)).toEqual([]);
  });

  it('pages with an opaque cursor through the same order, without gaps or repeats', async () => {
    const all = texts((await list(ana)).body);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await list(ana, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...texts(r.body));
      cursor = r.body.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all);

    // A page boundary inside the undated todos, with a filter.
    const p1 = await list(ana, '?limit=1&priority=LOW');
    expect(texts(p1.body)).toEqual(['Pick a date for the offsite']);
    const p2 = await list(ana, `?limit=1&priority=LOW&cursor=${p1.body.next_cursor}`);
    expect(texts(p2.body)).toEqual(['Update the roadmap']);
    expect(p2.body.next_cursor).toBeNull();
  });

  it('refuses bad filters and cursors with 422 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['?status=finished', 'query.status'],
      ['?priority=URGENT', 'query.priority'],
      ['?due_before=next-week', 'query.due_before'],
      ['?limit=0', 'query.limit'],
      ['?limit=1000', 'query.limit'],
      ['?file_id=nope', 'query.file_id'],
      ['?cursor=not-a-cursor', 'query.cursor'],
    ];
    for (const [query, field] of cases) {
      const r = await list(ana, query);
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('validation_error');
      expect(r.body.error.message).toContain(field);
      expect(r.body.error.details[0].field).toBe(field);
    }
    expect((await api.request('GET', '/api/v1/agent/todos')).status).toBe(401);
  });

  it('patches status, priority, due date, assignee and text; null clears', async () => {
    const id = second.todos[1]!.id;
    const r = await api.request('PATCH', `/api/v1/agent/todos/${id}`, {
      token: ana.token,
      body: { status: 'done', priority: 'HIGH', due_at: '2026-04-01T12:00:00+02:00', assignee: 'Dee', text: '  Update the 2026 roadmap ' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, status: 'done', priority: 'HIGH', due_at: '2026-04-01T10:00:00.000Z', assignee: 'Dee', text: 'Update the 2026 roadmap' });
    const cleared = await api.request('PATCH', `/api/v1/agent/todos/${id}`, { token: ana.token, body: { due_at: null, assignee: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ due_at: null, assignee: null, status: 'done', text: 'Update the 2026 roadmap' });
    const stored = await services.models.TodoItem.findByPk(id);
    expect(stored?.assignee).toBeNull();
    expect(stored?.status).toBe('done');
  });

  it('refuses bad patches with 422 naming the field', async () => {
    const id = first.todos[0]!.id;
    const cases: Array<[unknown, string]> = [
      [{ status: 'closed' }, 'status'],
      [{ priority: 'low' }, 'priority'],
      [{ due_at: 'tomorrow' }, 'due_at'],
      [{ text: '   ' }, 'text'],
      [{ colour: 'red' }, 'body'],
      [{}, 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await api.request('PATCH', `/api/v1/agent/todos/${id}`, { token: ana.token, body });
      expect(r.status).toBe(422);
      expect(r.body.error.details[0].field).toBe(field);
    }
    const badId = await api.request('PATCH', '/api/v1/agent/todos/42', { token: ana.token, body: { status: 'done' } });
    expect(badId.status).toBe(422);
    expect(badId.body.error.message).toMatch(/path\.id/);
  });

  it('deletes a todo: 204, then 404', async () => {
    const id = first.todos[3]!.id;
    expect((await api.request('DELETE', `/api/v1/agent/todos/${id}`, { token: ana.token })).status).toBe(204);
    expect(await services.models.TodoItem.findByPk(id)).toBeNull();
    const again = await api.request('DELETE', `/api/v1/agent/todos/${id}`, { token: ana.token });
    expect(again.status).toBe(404);
    expect(again.body.error).toEqual({ code: 'not_found', message: 'todo not found' });
  });

  it("keeps accounts apart: another account's todos and files are 404 and never listed", async () => {
    const bosList = await list(bo);
    expect(texts(bosList.body)).toEqual(["Bo's own todo"]);
    for (const t of first.todos.slice(0, 3)) {
      const patch = await api.request('PATCH', `/api/v1/agent/todos/${t.id}`, { token: bo.token, body: { status: 'done' } });
      expect(patch.status).toBe(404);
      expect(patch.body.error.code).toBe('not_found');
      expect((await api.request('DELETE', `/api/v1/agent/todos/${t.id}`, { token: bo.token })).status).toBe(404);
    }
    const foreignFile = await list(bo, `?file_id=${first.file.id}`);
    expect(foreignFile.status).toBe(404);
    expect(foreignFile.body.error.message).toBe('file not found');
    expect((await list(ana, `?file_id=${bosFile.file.id}`)).status).toBe(404);
    // Nothing of Ana's changed.
    expect((await services.models.TodoItem.findByPk(first.todos[0]!.id))?.status).toBe('open');
    expect(texts((await list(ana)).body)).not.toContain("Bo's own todo");
  });

  it('documents the agent routes in the OpenAPI document', async () => {
    const doc = await api.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/agent/todos',
        '/api/v1/agent/todos/{id}',
        '/api/v1/agent/calendar',
        '/api/v1/agent/calendar/{id}',
        '/api/v1/agent/calendar.ics',
        '/api/v1/agent/calendar/feed-token',
        '/api/v1/agent/chat',
      ]),
    );
    expect(Object.keys(doc.body.paths['/api/v1/agent/chat'].post.responses['200'].content)).toEqual(['application/x-ndjson']);
    expect(doc.body.paths['/api/v1/agent/todos'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['file_id', 'status', 'priority', 'assignee', 'due_before', 'due_after', 'limit', 'cursor']),
    );
  });
});
