import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChatMessage } from '../../src/chat/types.js';
import type { ExtractionResult, ExtractionSettings } from '../../src/extract/types.js';
import {
  createGeminiExtractor,
  createMemoryExtractionCache,
  PROMPT_VERSION,
  type GeminiExtractorOptions,
} from '../../src/extract/gemini/index.js';
import {
  promptMessageIds,
  rateLimitReply,
  serverErrorReply,
  startFakeGemini,
  textReply,
  type FakeGemini,
} from '../fakes/gemini-server.js';

const settings: ExtractionSettings = { timeZone: 'Europe/Madrid' };

function msg(id: string, sentAt: string, name: string, text: string): ChatMessage {
  return { id, sentAt, author: { id: name.toLowerCase(), name }, text, threadId: null, attachments: [], system: false };
}

/** `count` messages, one a minute from 2026-03-13T08:00Z, with about `chars` characters each. */
function longConversation(count: number, chars = 120): ChatMessage[] {
  const start = Date.parse('2026-03-13T08:00:00Z');
  return Array.from({ length: count }, (_, i) =>
    msg(`m${i + 1}`, new Date(start + i * 60_000).toISOString(), i % 2 ? 'Ana' : 'Bo', `message ${i + 1} `.padEnd(chars, 'x')),
  );
}

const noFallback = (): ExtractionResult => ({ todos: [], events: [] });

let fake: FakeGemini;
let sleeps: number[];

beforeEach(async () => {
  fake = await startFakeGemini();
  sleeps = [];
});
afterEach(async () => {
  await fake.close();
});

function extractor(overrides: Partial<GeminiExtractorOptions> = {}) {
  return createGeminiExtractor({
    apiKey: 'test-key',
    model: 'gemini-test',
    baseUrl: fake.url,
    concurrency: 2,
    windowTokens: 12000,
    fallback: noFallback,
    maxRetries: 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

describe('Gemini extractor: request and result', () => {
  const chat = [
    msg('m1', '2026-03-13T15:05:00Z', 'Ana', 'Bo, can you send the deck to the client by tomorrow 3pm?'),
    msg('m2', '2026-03-13T15:06:00Z', 'Bo', 'Sure.\nAlso: team lunch on Monday 13:30'),
    msg('m3', '2026-03-13T15:07:00Z', 'Ana', 'Ana joined the channel'),
  ];
  chat[2]!.system = true;

  it('sends the model, key, JSON schema, instruction and the messages with ids and local times', async () => {
    fake.respond = () =>
      textReply({
        todos: [{ text: 'Send the deck to the client', assignee: '@Bo', priority: 'HIGH', due_at: '2026-03-14T15:00', message_id: 'm1' }],
        events: [{ title: 'Team lunch', starts_at: '2026-03-16T13:30', ends_at: null, all_day: false, message_id: 'm2' }],
      });
    const result = await extractor().extract(chat, settings);

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1beta/models/gemini-test:generateContent');
    expect(req.headers['x-goog-api-key']).toBe('test-key');
    expect(req.body.generationConfig.responseMimeType).toBe('application/json');
    const schema = req.body.generationConfig.responseSchema;
    expect(Object.keys(schema.properties)).toEqual(['todos', 'events']);
    expect(schema.properties.todos.items.properties.priority.enum).toEqual(['LOW', 'MEDIUM', 'HIGH']);
    expect(schema.properties.events.items.required).toContain('message_id');
    const system = req.body.systemInstruction.parts.map((p: { text: string }) => p.text).join('');
    expect(system).toMatch(/relative dates/i);
    expect(system).toMatch(/cancel/i);
    // 15:05Z is 16:05 in Madrid (CET); the system message is not shown; newlines are flattened.
    expect(req.prompt).toContain('Chat time zone: Europe/Madrid.');
    expect(req.prompt).toContain('[m1] 2026-03-13 Fri 16:05 Ana: Bo, can you send the deck');
    expect(req.prompt).toContain('[m2] 2026-03-13 Fri 16:06 Bo: Sure. / Also: team lunch on Monday 13:30');
    expect(req.prompt).not.toContain('[m3]');

    expect(result.todos).toEqual([
      {
        text: 'Send the deck to the client',
        assignee: 'Bo',
        priority: 'HIGH',
        dueAt: '2026-03-14T14:00:00.000Z',
        source: { messageId: 'm1', author: 'Ana', sentAt: '2026-03-13T15:05:00Z', excerpt: chat[0]!.text },
        extractor: 'gemini',
      },
    ]);
    expect(result.events).toEqual([
      {
        title: 'Team lunch',
        startsAt: '2026-03-16T12:30:00.000Z',
        endsAt: null,
        allDay: false,
        source: { messageId: 'm2', author: 'Bo', sentAt: '2026-03-13T15:06:00Z', excerpt: 'Sure. Also: team lunch on Monday 13:30' },
        extractor: 'gemini',
      },
    ]);
    expect(result.stats).toMatchObject({ calls: 1, cacheHits: 0, windows: 1, fellBack: false, dropped: 0 });
    expect(result.stats.promptTokens).toBeGreaterThan(100);
    expect(PROMPT_VERSION).toMatch(/\S/);
  });

  it('drops items citing unknown message ids and items with invalid or implausible dates', async () => {
    fake.respond = () =>
      textReply({
        todos: [
          { text: 'Invented', assignee: null, priority: 'LOW', due_at: null, message_id: 'm999' },
          { text: 'Vague date', assignee: null, priority: 'LOW', due_at: 'next friday', message_id: 'm1' },
          { text: 'Ancient', assignee: null, priority: 'LOW', due_at: '1999-01-01', message_id: 'm1' },
          { text: 'Cited from the system line', assignee: null, priority: 'LOW', due_at: null, message_id: 'm3' },
          { text: 'Send the deck', assignee: null, priority: 'URGENT', due_at: '2026-03-14', message_id: '[m1]' },
        ],
        events: [
          { title: 'Month 13', starts_at: '2026-13-01T10:00', ends_at: null, all_day: false, message_id: 'm2' },
          { title: 'Lunch', starts_at: '2026-03-16', ends_at: null, all_day: true, message_id: 'm2' },
          { title: 'Offsite', starts_at: null, ends_at: null, all_day: false, message_id: 'm2' },
        ],
      });
    const result = await extractor().extract(chat, settings);
    expect(result.todos.map((t) => t.text)).toEqual(['Send the deck']);
    // Unknown priority becomes MEDIUM; a date-only deadline is the end of that local day.
    expect(result.todos[0]).toMatchObject({ priority: 'MEDIUM', dueAt: '2026-03-14T22:59:59.999Z' });
    expect(result.events).toEqual([
      expect.objectContaining({ title: 'Lunch', startsAt: '2026-03-15T23:00:00.000Z', allDay: true }),
      expect.objectContaining({ title: 'Offsite', startsAt: null, endsAt: null, allDay: false }),
    ]);
    expect(result.stats.dropped).toBe(5);
  });
});

describe('Gemini extractor: windows and concurrency', () => {
  it('splits a long conversation into overlapping windows within the budget and de-duplicates overlap items', async () => {
    const chat = longConversation(300);
    fake.respond = (req) => {
      const ids = promptMessageIds(req.prompt);
      // Every window that shows m100 reports the same todo for it, worded slightly differently.
      const todos = ids.includes('m100')
        ? [{ text: `Review message 100 ${req.prompt.length % 2 ? 'now' : ''}`.trim(), assignee: null, priority: 'MEDIUM', due_at: null, message_id: 'm100' }]
        : [];
      return textReply({ todos, events: [] });
    };
    const windowTokens = 2500;
    const result = await extractor({ windowTokens, overlapMessages: 3 }).extract(chat, settings);

    const windows = fake.requests.map((r) => promptMessageIds(r.prompt));
    expect(windows.length).toBeGreaterThanOrEqual(5);
    expect(result.stats.windows).toBe(windows.length);
    const seen = new Set(windows.flat());
    expect(seen.size).toBe(300);
    // Requests arrive out of order under concurrency: order windows by their first message.
    windows.sort((a, b) => Number(a[0]!.slice(1)) - Number(b[0]!.slice(1)));
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i]!.slice(0, 3)).toEqual(windows[i - 1]!.slice(-3));
    }
    for (const r of fake.requests) {
      const system = r.body.systemInstruction.parts[0].text as string;
      expect(Math.ceil((system.length + r.prompt.length) / 4)).toBeLessThanOrEqual(windowTokens);
    }
    const windowsWithM100 = windows.filter((w) => w.includes('m100')).length;
    expect(windowsWithM100).toBeGreaterThanOrEqual(1);
    expect(result.todos).toHaveLength(1);
    expect(result.todos[0]!.source.messageId).toBe('m100');
  });

  it('reports an item from the overlap once even when both windows return it', async () => {
    const chat = longConversation(60);
    fake.respond = (req) => {
      const ids = promptMessageIds(req.prompt);
      const last = ids[ids.length - 1]!;
      const first = ids[0]!;
      // Each window reports its first and last message: overlap messages are reported twice.
      return textReply({
        todos: [first, last].map((id) => ({ text: `Follow up on ${id}`, assignee: null, priority: 'LOW', due_at: null, message_id: id })),
        events: [],
      });
    };
    const result = await extractor({ windowTokens: 1000, overlapMessages: 1, concurrency: 1 }).extract(chat, settings);
    expect(result.stats.windows).toBeGreaterThan(2);
    const ids = result.todos.map((t) => t.source.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(result.stats.windows + 1);
  });

  it('never has more requests in flight than the configured concurrency', async () => {
    fake.respond = () => ({ ...textReply({ todos: [], events: [] }), delayMs: 40 });
    const result = await extractor({ windowTokens: 800, concurrency: 3 }).extract(longConversation(200), settings);
    expect(result.stats.windows).toBeGreaterThan(6);
    expect(fake.requests).toHaveLength(result.stats.windows);
    expect(fake.maxInFlight).toBe(3);
  });
});

describe('Gemini extractor: retries and fallback', () => {
  const chat = [msg('m1', '2026-03-13T10:00:00Z', 'Ana', 'Please renew the TLS certificate by Friday')];
  const ok = textReply({
    todos: [{ text: 'Renew the TLS certificate', assignee: null, priority: 'MEDIUM', due_at: '2026-03-20', message_id: 'm1' }],
    events: [],
  });
  const heuristic = (messages: ChatMessage[]): ExtractionResult => ({
    todos: messages
      .filter((m) => /please|can you/i.test(m.text))
      .map((m) => ({
        text: m.text,
        assignee: null,
        priority: 'MEDIUM' as const,
        dueAt: null,
        source: { messageId: m.id, author: m.author.name, sentAt: m.sentAt, excerpt: m.text },
        extractor: 'heuristic' as const,
      })),
    events: [],
  });

  it('retries 429s after the delay the server asks for (RetryInfo)', async () => {
    fake.queue.push(rateLimitReply('7s'), rateLimitReply('1.5s'), ok);
    const result = await extractor().extract(chat, settings);
    expect(sleeps).toEqual([7000, 1500]);
    expect(result.stats.calls).toBe(3);
    expect(fake.requests).toHaveLength(3);
    expect(result.todos[0]).toMatchObject({ text: 'Renew the TLS certificate', extractor: 'gemini' });
  });

  it('honours a Retry-After header when the body carries no RetryInfo', async () => {
    fake.queue.push({ status: 429, headers: { 'retry-after': '3' }, body: { error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } } }, ok);
    const result = await extractor().extract(chat, settings);
    expect(sleeps).toEqual([3000]);
    expect(result.stats.calls).toBe(2);
  });

  it('retries 5xx with growing backoff', async () => {
    fake.queue.push(serverErrorReply(500), serverErrorReply(503), serverErrorReply(500), ok);
    const result = await extractor({ baseDelayMs: 1000 }).extract(chat, settings);
    expect(result.stats.calls).toBe(4);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, attempt) => {
      expect(ms).toBeGreaterThanOrEqual(500 * 2 ** attempt);
      expect(ms).toBeLessThanOrEqual(1000 * 2 ** attempt);
    });
    expect(result.stats.fellBack).toBe(false);
  });

  it('retries a request that times out and an answer that is not JSON', async () => {
    fake.queue.push({ ...ok, delayMs: 1000 }, textReply('{"todos": [ {"text": "cut'), ok);
    const result = await extractor({ timeoutMs: 200 }).extract(chat, settings);
    expect(result.stats.calls).toBe(3);
    expect(fake.requests[0]!.abortedByClient).toBe(true);
    expect(result.todos).toHaveLength(1);
  });

  it('falls back to the heuristic result after exhausting retries, and says so', async () => {
    fake.respond = () => serverErrorReply(500);
    const result = await extractor({ maxRetries: 2, fallback: heuristic }).extract(chat, settings);
    expect(result.stats.calls).toBe(3);
    expect(result.stats.fellBack).toBe(true);
    expect(result.todos).toEqual([expect.objectContaining({ text: chat[0]!.text, extractor: 'heuristic' })]);
  });

  it('uses the heuristic only for the messages of the windows that failed', async () => {
    const long = longConversation(80).map((m, i) => (i % 10 === 9 ? { ...m, text: `Please handle item ${i}` } : m));
    fake.respond = (req) => {
      const ids = promptMessageIds(req.prompt);
      if (ids.includes('m80')) return serverErrorReply(503);
      return textReply({
        todos: ids.filter((id) => /^Please/.test(long[Number(id.slice(1)) - 1]!.text)).map((id) => ({
          text: `Handle ${id}`, assignee: null, priority: 'MEDIUM', due_at: null, message_id: id,
        })),
        events: [],
      });
    };
    const result = await extractor({ windowTokens: 1000, maxRetries: 1, overlapMessages: 2, fallback: heuristic }).extract(long, settings);
    expect(result.stats.fellBack).toBe(true);
    const failedIds = new Set(
      fake.requests.filter((r) => promptMessageIds(r.prompt).includes('m80')).flatMap((r) => promptMessageIds(r.prompt)),
    );
    const okIds = new Set(
      fake.requests.filter((r) => !promptMessageIds(r.prompt).includes('m80')).flatMap((r) => promptMessageIds(r.prompt)),
    );
    expect(result.todos).toHaveLength(8);
    for (const todo of result.todos) {
      const id = todo.source.messageId;
      expect(todo.extractor).toBe(okIds.has(id) ? 'gemini' : 'heuristic');
      if (todo.extractor === 'heuristic') expect(failedIds.has(id)).toBe(true);
    }
    expect(result.todos.some((t) => t.extractor === 'heuristic')).toBe(true);
    expect(result.todos.some((t) => t.extractor === 'gemini')).toBe(true);
  });

  it('stops calling after an authentication failure and falls back for everything', async () => {
    fake.respond = () => ({ status: 403, body: { error: { code: 403, message: 'API key not valid', status: 'PERMISSION_DENIED' } } });
    const result = await extractor({ windowTokens: 800, concurrency: 1, fallback: heuristic }).extract(
      [...longConversation(100), msg('m101', '2026-03-13T12:00:00Z', 'Ana', 'Please renew the cert')],
      settings,
    );
    expect(result.stats.windows).toBeGreaterThan(3);
    expect(result.stats.calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(result.todos).toEqual([expect.objectContaining({ extractor: 'heuristic', source: expect.objectContaining({ messageId: 'm101' }) })]);
  });

  it('uses the fallback extractor passed in with the settings and messages it was given', async () => {
    fake.respond = () => serverErrorReply(500);
    const calls: Array<[number, ExtractionSettings]> = [];
    await extractor({
      maxRetries: 0,
      fallback: (messages, s) => {
        calls.push([messages.length, s]);
        return heuristic(messages);
      },
    }).extract(chat, settings);
    expect(calls).toEqual([[1, settings]]);
  });
});

describe('Gemini extractor: cache', () => {
  const chat = longConversation(120);
  beforeEach(() => {
    fake.respond = (req) => {
      const first = promptMessageIds(req.prompt)[0]!;
      return textReply({ todos: [{ text: `Check ${first}`, assignee: null, priority: 'LOW', due_at: null, message_id: first }], events: [] });
    };
  });

  it('serves a second run of the same content from the cache without calling Gemini', async () => {
    const cache = createMemoryExtractionCache();
    const run = extractor({ windowTokens: 1500, cache });
    const first = await run.extract(chat, settings);
    const callsAfterFirst = fake.requests.length;
    expect(first.stats.calls).toBe(callsAfterFirst);
    expect(callsAfterFirst).toBeGreaterThan(1);

    const second = await run.extract(chat.map((m) => ({ ...m })), settings);
    expect(fake.requests).toHaveLength(callsAfterFirst);
    expect(second.stats).toMatchObject({ calls: 0, cacheHits: 1, promptTokens: 0, outputTokens: 0 });
    expect({ todos: second.todos, events: second.events }).toEqual({ todos: first.todos, events: first.events });

    // An explicit content hash is used as given; another model or time zone is another entry.
    await run.extract(chat, settings, { contentHash: 'file-sha' });
    const afterHash = fake.requests.length;
    await run.extract(chat, settings, { contentHash: 'file-sha' });
    expect(fake.requests.length).toBe(afterHash);
    await extractor({ windowTokens: 1500, cache, model: 'gemini-other' }).extract(chat, settings, { contentHash: 'file-sha' });
    expect(fake.requests.length).toBeGreaterThan(afterHash);
    expect(fake.requests[fake.requests.length - 1]!.model).toBe('gemini-other');
  });

  it('does not cache a result that fell back to the heuristic', async () => {
    const cache = createMemoryExtractionCache();
    fake.respond = () => serverErrorReply(500);
    const run = extractor({ cache, maxRetries: 0 });
    await run.extract(chat.slice(0, 5), settings);
    await run.extract(chat.slice(0, 5), settings);
    expect(fake.requests).toHaveLength(2);
    expect(cache.size).toBe(0);
  });
});

describe('Gemini extractor: cancellation', () => {
  it('stops the requests in flight and rejects when the signal aborts', async () => {
    const controller = new AbortController();
    fake.respond = (_req, index) => {
      // Abort once both workers have a request on the server.
      if (index === 1) setTimeout(() => controller.abort(), 20);
      return { ...textReply({ todos: [], events: [] }), delayMs: 2000 };
    };
    const run = extractor({ windowTokens: 800, concurrency: 2 }).extract(longConversation(100), settings, { signal: controller.signal });
    await expect(run).rejects.toThrow();
    await Promise.all(fake.requests.map((r) => r.ended));
    expect(fake.requests.length).toBe(2);
    expect(fake.requests.every((r) => r.abortedByClient)).toBe(true);
  });
});
