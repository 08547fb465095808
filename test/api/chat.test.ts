/**
 * The chat API over HTTP on real SQLite and PostgreSQL: NDJSON answers (extractive offline, streamed
 * from a fake Gemini server when a key is set), history per user and conversation, the model request
 * stopped when the client goes away, and refusals before the stream starts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApi } from '../../src/api/app.js';
import type { ChatMessage } from '../../src/chat/types.js';
import { MessageCache } from '../../src/services/answers.js';
import type { ServiceContext } from '../../src/services/context.js';
import { startFakeGemini, streamReply, type FakeGemini } from '../fakes/gemini-server.js';
import { DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { serve, type TestServer } from '../support/http.js';
import { seedFile, seedUser, type SeededFile, type SeededUser } from '../support/seed.js';

interface Line {
  type: string;
  [key: string]: unknown;
}

interface Streamed {
  status: number;
  headers: Headers;
  lines: Line[];
  /** Milliseconds from sending the request to the first complete line. */
  firstLineMs: number;
  body?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Posts a question and reads the NDJSON answer line by line; `onLine` may abort. */
async function ask(server: TestServer, token: string, body: unknown, options: { signal?: AbortSignal; onLine?: (line: Line) => void } = {}): Promise<Streamed> {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/v1/agent/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: options.signal,
  });
  if (!res.headers.get('content-type')?.startsWith('application/x-ndjson')) {
    return { status: res.status, headers: res.headers, lines: [], firstLineMs: -1, body: await res.json() };
  }
  const lines: Line[] = [];
  let firstLineMs = -1;
  let buffered = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, newline)) as Line;
        buffered = buffered.slice(newline + 1);
        if (firstLineMs < 0) firstLineMs = performance.now() - started;
        lines.push(line);
        options.onLine?.(line);
      }
    }
  } catch (err) {
    if (!options.signal?.aborted) throw err;
  }
  return { status: res.status, headers: res.headers, lines, firstLineMs };
}

const types = (lines: Line[]) => lines.map((l) => l.type).join(' ');
const answerText = (lines: Line[]) => lines.filter((l) => l.type === 'delta').map((l) => l.text as string).join('');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits for `promise`, at most `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
const firstLineTimes: Record<string, number[]> = {};

describe.each(DATABASE_KINDS)('chat API on %s', (kind) => {
  let services: TestServices;
  let offline: TestServer;
  let online: TestServer;
  let fake: FakeGemini;
  let ana: SeededUser;
  let bo: SeededUser;
  let anasFile: SeededFile;
  let bosFile: SeededFile;

  beforeAll(async () => {
    services = await openTestServices(kind);
    fake = await startFakeGemini();
    offline = await serve(createApi(services));
    const withModel: ServiceContext = {
      ...services,
      config: { ...services.config, gemini: { ...services.config.gemini, apiKey: 'chat-test-key', model: 'gemini-test', baseUrl: fake.url } },
    };
    online = await serve(createApi(withModel));
    ana = await seedUser(services, 'ana');
    bo = await seedUser(services, 'bo');
    anasFile = await seedFile(services, ana.user.id, {
      todos: [{ text: 'Send the signed Acme contract to legal', assignee: 'Chen', due_at: '2026-03-13T17:00:00Z', message: 1 }],
      events: [{ title: 'Acme contract renewal deadline', starts_at: '2026-03-31T00:00:00Z', all_day: true }],
    });
    bosFile = await seedFile(services, bo.user.id);
  });
  afterAll(async () => {
    await offline?.close();
    await online?.close();
    await fake?.close();
    await services?.dispose();
  });

  const turns = (userId: string, conversationId: string) =>
    services.models.ChatTurn.findAll({ where: { user_id: userId, conversation_id: conversationId }, order: [['id', 'ASC']] });

  it('streams meta, deltas, sources and done as NDJSON, the first line at once', async () => {
    const r = await ask(offline, ana.token, { question: 'When is the Acme contract renewal due?', file_id: anasFile.file.id });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-ndjson');
    expect(r.headers.get('x-accel-buffering')).toBe('no');
    expect(types(r.lines)).toMatch(/^meta( delta)+ sources done$/);
    expect(r.lines[0]).toEqual({ type: 'meta', conversation_id: expect.stringMatching(/^[0-9a-f-]{36}$/), file_id: anasFile.file.id, mode: 'extractive' });
    expect(answerText(r.lines)).toContain('March 31');
    const sources = r.lines.find((l) => l.type === 'sources')!.messages as Array<Record<string, string>>;
    expect(sources[0]).toEqual({ id: 'm1', author: 'Ana', sent_at: '2026-03-12T09:00:00.000Z', text: 'Morning all. The Acme contract renewal is due on March 31.' });
    expect(r.firstLineMs).toBeGreaterThan(0);
    expect(r.firstLineMs).toBeLessThan(1000);
    (firstLineTimes[kind] ??= []).push(r.firstLineMs);

    // Follow-up questions are answered from cached messages; measure them too.
    for (let i = 0; i < 3; i += 1) {
      const again = await ask(offline, ana.token, { question: 'Who sends the contract to legal?', file_id: anasFile.file.id });
      expect(types(again.lines)).toMatch(/^meta( delta)+ sources done$/);
      firstLineTimes[kind]!.push(again.firstLineMs);
    }
  });

  it('keeps the history per user and conversation; the same id from another user is a separate conversation', async () => {
    const q1 = await ask(offline, ana.token, { question: 'When is the Acme contract renewal due?', file_id: anasFile.file.id, conversation_id: 'acme_1' });
    expect(q1.lines[0]).toMatchObject({ conversation_id: 'acme_1' });
    const q2 = await ask(offline, ana.token, { question: 'And who sends it to legal?', file_id: anasFile.file.id, conversation_id: 'acme_1' });
    expect(types(q2.lines)).toMatch(/^meta( delta)+ sources done$/);
    // The follow-up carried the earlier question's topic into the search: the Acme messages come back.
    const ids = (q2.lines.find((l) => l.type === 'sources')!.messages as Array<{ id: string }>).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['m1', 'm2']));
    const stored = await turns(ana.user.id, 'acme_1');
    expect(stored.map((t) => [t.role, t.text])).toEqual([
      ['user', 'When is the Acme contract renewal due?'],
      ['assistant', answerText(q1.lines)],
      ['user', 'And who sends it to legal?'],
      ['assistant', answerText(q2.lines)],
    ]);

    const bos = await ask(offline, bo.token, { question: 'What about the offsite?', file_id: bosFile.file.id, conversation_id: 'acme_1' });
    expect(bos.status).toBe(200);
    expect((await turns(bo.user.id, 'acme_1')).map((t) => t.text)).toEqual(['What about the offsite?', answerText(bos.lines)]);
    expect(await turns(ana.user.id, 'acme_1')).toHaveLength(4);
  });

  it('streams the model answer with the history of this user only (Gemini path)', async () => {
    const before = fake.requests.length;
    fake.queue.push(streamReply(['The renewal ', 'is due on March 31 [1].'], { intervalMs: 5 }));
    const q1 = await ask(online, ana.token, { question: 'When is the renewal due?', file_id: anasFile.file.id, conversation_id: 'shared' });
    expect(types(q1.lines)).toBe('meta delta delta sources done');
    expect(q1.lines[0]).toMatchObject({ type: 'meta', conversation_id: 'shared', file_id: anasFile.file.id, mode: 'gemini', model: 'gemini-test' });
    expect(answerText(q1.lines)).toBe('The renewal is due on March 31 [1].');
    (firstLineTimes[`${kind} (gemini)`] ??= []).push(q1.firstLineMs);

    fake.queue.push(streamReply(['Chen sends it [2].']));
    await ask(online, ana.token, { question: 'Who sends the contract?', file_id: anasFile.file.id, conversation_id: 'shared' });
    fake.queue.push(streamReply(['Nothing about that here.']));
    const bos = await ask(online, bo.token, { question: 'Who sends the contract?', file_id: bosFile.file.id, conversation_id: 'shared' });
    expect(bos.status).toBe(200);

    const [first, second, third] = fake.requests.slice(before);
    expect(first!.body.contents).toHaveLength(1);
    expect(second!.body.contents.map((c: { role: string }) => c.role)).toEqual(['user', 'model', 'user']);
    expect(second!.body.contents[0].parts[0].text).toBe('When is the renewal due?');
    expect(second!.body.contents[1].parts[0].text).toBe('The renewal is due on March 31 [1].');
    // Bo used the same conversation id: he sees none of Ana's turns.
    expect(third!.body.contents).toHaveLength(1);
    expect(third!.prompt).not.toContain('When is the renewal due?');
    expect(third!.prompt).not.toContain('The renewal is due on March 31 [1].');
  });

  it('stops the model request when the client goes away mid-answer, and stores no turn', async () => {
    fake.queue.push(streamReply(['First part. ', 'Second part. ', 'Third part. '], { intervalMs: 300, holdOpen: true }));
    const before = fake.requests.length;
    const controller = new AbortController();
    const started = performance.now();
    const r = await ask(
      online,
      ana.token,
      { question: 'Summarize the contract discussion', file_id: anasFile.file.id, conversation_id: 'cut-short' },
      { signal: controller.signal, onLine: (line) => line.type === 'delta' && controller.abort() },
    );
    expect(types(r.lines)).toBe('meta delta');
    const request = fake.requests[before]!;
    await within(request.ended, 3000);
    expect(request.abortedByClient).toBe(true);
    // Ended well before the held-open stream would have (it never ends by itself).
    expect(performance.now() - started).toBeLessThan(3000);
    await sleep(100);
    expect(await turns(ana.user.id, 'cut-short')).toEqual([]);
  });

  it('refuses bad questions before streaming: 422 naming the field, 404 for unknown or foreign files, 409 for unprocessed ones', async () => {
    const cases: Array<[unknown, string]> = [
      [{ file_id: anasFile.file.id }, 'question'],
      [{ question: '   ', file_id: anasFile.file.id }, 'question'],
      [{ question: 'x'.repeat(2001), file_id: anasFile.file.id }, 'question'],
      [{ question: 'Hi?' }, 'file_id'],
      [{ question: 'Hi?', file_id: 'file-1' }, 'file_id'],
      [{ question: 'Hi?', file_id: anasFile.file.id, conversation_id: 'has space' }, 'conversation_id'],
      [{ question: 'Hi?', file_id: anasFile.file.id, conversation_id: 'a'.repeat(65) }, 'conversation_id'],
      [{ question: 'Hi?', file_id: anasFile.file.id, stream: false }, 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await ask(offline, ana.token, body);
      expect(r.status).toBe(422);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.body.error.code).toBe('validation_error');
      expect(r.body.error.details[0].field).toBe(field);
    }

    const unknown = await ask(offline, ana.token, { question: 'Hi?', file_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'not_found', message: 'file not found' });
    const foreign = await ask(offline, bo.token, { question: 'When is the Acme contract due?', file_id: anasFile.file.id });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe('file not found');

    const queued = await seedFile(services, ana.user.id, { fileName: 'later.txt', status: 'queued' });
    const pending = await ask(offline, ana.token, { question: 'Hi?', file_id: queued.file.id });
    expect(pending.status).toBe(409);
    expect(pending.body.error.message).toBe('file "later.txt" is not processed yet (status: queued); ask again when its status is done');
    await queued.file.update({ status: 'failed', error: 'unreadable export' });
    const failed = await ask(offline, ana.token, { question: 'Hi?', file_id: queued.file.id });
    expect(failed.status).toBe(409);
    expect(failed.body.error.message).toMatch(/could not be processed \(unreadable export\)/);

    const anonymous = await fetch(`${offline.url}/api/v1/agent/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(await turns(bo.user.id, 'acme_1')).toHaveLength(2);
  });
});

describe('message cache', () => {
  const messages = (n: number): ChatMessage[] =>
    Array.from({ length: n }, (_, i) => ({ id: `m${i}`, sentAt: '2026-03-12T09:00:00.000Z', author: { id: 'a', name: 'A' }, text: `t${i}`, threadId: null, attachments: [], system: false }));

  it('loads a file once, shares concurrent loads, and evicts the least recently used', async () => {
    const cache = new MessageCache(2, 1000);
    const loads: string[] = [];
    const load = (key: string, n = 3) => () => {
      loads.push(key);
      return Promise.resolve(messages(n));
    };
    const [a1, a2] = await Promise.all([cache.get('a@1', load('a@1')), cache.get('a@1', load('a@1'))]);
    expect(a1).toBe(a2);
    await cache.get('b@1', load('b@1'));
    await cache.get('a@1', load('a@1')); // a is now the most recent
    await cache.get('c@1', load('c@1')); // evicts b
    await cache.get('a@1', load('a@1'));
    await cache.get('b@1', load('b@1'));
    expect(loads).toEqual(['a@1', 'b@1', 'c@1', 'b@1']);
    expect(cache.size).toBe(2);
  });

  it('keeps within the message budget and forgets failed loads', async () => {
    const cache = new MessageCache(10, 5);
    await cache.get('big@1', () => Promise.resolve(messages(4)));
    await cache.get('other@1', () => Promise.resolve(messages(4)));
    expect(cache.size).toBe(1);
    await expect(cache.get('bad@1', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(await cache.get('bad@1', () => Promise.resolve(messages(1)))).toHaveLength(1);
  });
});

afterAll(() => {
  const summary = Object.entries(firstLineTimes).map(([k, v]) => `${k}: ${v.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  process.stdout.write(`time to first NDJSON line — ${summary.join('; ')}\n`);
});
