import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiError } from '@google/genai';
import type { ChatMessage } from '../../src/chat/types.js';
import { formatMessageLine } from '../../src/extract/gemini/prompt.js';
import {
  GeminiCallError,
  parseDuration,
  parseRetryAfterHeader,
  retryDelayFromErrorBody,
  toGeminiCallError,
  withRetry,
} from '../../src/extract/gemini/retry.js';
import { parseModelDate, validateWindowOutput } from '../../src/extract/gemini/validate.js';
import { estimateTokens, splitIntoWindows, type PromptLine } from '../../src/extract/gemini/windows.js';
import { mergeWindowResults } from '../../src/extract/gemini/merge.js';
import { measureGeminiUsage, syntheticConversation } from '../../src/extract/gemini/measure.js';
import { promptMessageIds, startFakeGemini, textReply, type FakeGemini } from '../fakes/gemini-server.js';

function msg(id: string, sentAt: string, text: string, name = 'Ana'): ChatMessage {
  return { id, sentAt, author: { id: name, name }, text, threadId: null, attachments: [], system: false };
}

describe('windows', () => {
  const lines = (tokens: number[]): PromptLine[] =>
    tokens.map((t, i) => ({ message: msg(`m${i}`, '2026-01-01T00:00:00Z', ''), line: '', tokens: t }));

  it('fills windows up to the budget and repeats the overlap at the start of the next', () => {
    const windows = splitIntoWindows(lines(Array(10).fill(10)), 40, 1);
    expect(windows.map((w) => w.lines.map((l) => l.message.id))).toEqual([
      ['m0', 'm1', 'm2', 'm3'],
      ['m3', 'm4', 'm5', 'm6'],
      ['m6', 'm7', 'm8', 'm9'],
    ]);
    expect(windows.every((w) => w.tokens <= 40)).toBe(true);
  });

  it('gives an oversized message a window of its own and always makes progress', () => {
    const windows = splitIntoWindows(lines([10, 500, 10, 10]), 40, 3);
    expect(windows.map((w) => w.lines.map((l) => l.message.id))).toEqual([['m0'], ['m1'], ['m2', 'm3']]);
    expect(splitIntoWindows([], 40, 3)).toEqual([]);
  });

  it('estimates about four characters per token', () => {
    expect(estimateTokens('12345678')).toBe(2);
    expect(estimateTokens('123456789')).toBe(3);
  });
});

describe('prompt lines', () => {
  it('shows the id, local date, weekday and time, author and one-line text', () => {
    const m = { ...msg('1712.0001', '2026-07-03T23:30:00Z', 'ship it\n\nnow'), attachments: ['plan.pdf'] };
    expect(formatMessageLine(m, 'America/New_York')).toBe('[1712.0001] 2026-07-03 Fri 19:30 Ana: ship it / now (attached: plan.pdf)');
    expect(formatMessageLine(m, 'Asia/Tokyo')).toBe('[1712.0001] 2026-07-04 Sat 08:30 Ana: ship it / now (attached: plan.pdf)');
  });
});

describe('retry decisions', () => {
  it('reads protobuf durations, Retry-After headers and RetryInfo from an error body', () => {
    expect(parseDuration('7s')).toBe(7000);
    expect(parseDuration('0.25s')).toBe(250);
    expect(parseDuration({ seconds: 2, nanos: 500_000_000 })).toBe(2500);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseRetryAfterHeader('12')).toBe(12000);
    expect(parseRetryAfterHeader('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10000);
    expect(parseRetryAfterHeader('nonsense')).toBeUndefined();
    const body = JSON.stringify({ error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '42s' }] } });
    expect(retryDelayFromErrorBody(body)).toBe(42000);
    expect(retryDelayFromErrorBody('got status: 429. ' + body)).toBe(42000);
    expect(retryDelayFromErrorBody('plain text')).toBeUndefined();
  });

  it('classifies SDK errors: 429, 5xx, timeouts and network failures retry; 4xx do not', () => {
    const of = (status: number) => toGeminiCallError(new ApiError({ message: '{}', status }), { timedOut: false });
    expect(of(429).retryable).toBe(true);
    expect(of(503).retryable).toBe(true);
    expect(of(400).retryable).toBe(false);
    expect(of(403).retryable).toBe(false);
    expect(toGeminiCallError(new Error('aborted'), { timedOut: true }).timedOut).toBe(true);
    expect(toGeminiCallError(new TypeError('fetch failed'), { timedOut: false }).retryable).toBe(true);
  });

  it('stops at maxRetries and rethrows the last failure', async () => {
    let attempts = 0;
    const waits: number[] = [];
    const failing = withRetry(
      async () => {
        attempts += 1;
        throw new GeminiCallError('busy', { status: 429, retryAfterMs: 100_000 });
      },
      { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 30_000, sleep: async (ms) => void waits.push(ms) },
    );
    await expect(failing).rejects.toThrow('busy');
    expect(attempts).toBe(3);
    expect(waits).toEqual([30_000, 30_000]);
  });
});

describe('validation', () => {
  const m1 = msg('m1', '2026-03-13T10:00:00Z', 'Conference 3-5 June, and the demo on the 20th at 9');
  const byId = new Map([[m1.id, m1]]);

  it('reads local, absolute and date-only values and rejects the rest', () => {
    const tz = 'Europe/Berlin';
    expect(parseModelDate('2026-03-20T09:00', tz, m1.sentAt, false)).toEqual({ ok: true, iso: '2026-03-20T08:00:00.000Z', dateOnly: false });
    expect(parseModelDate('2026-03-20T09:00:00Z', tz, m1.sentAt, false)).toEqual({ ok: true, iso: '2026-03-20T09:00:00.000Z', dateOnly: false });
    expect(parseModelDate('2026-03-20T09:00+05:30', tz, m1.sentAt, false)).toMatchObject({ iso: '2026-03-20T03:30:00.000Z' });
    expect(parseModelDate(null, tz, m1.sentAt, false)).toEqual({ ok: true, iso: null, dateOnly: false });
    expect(parseModelDate('TBD', tz, m1.sentAt, false)).toMatchObject({ ok: true, iso: null });
    for (const bad of ['2026-02-30', '20/03/2026', 'Friday', '2035-01-01', '2024-01-01', 42]) {
      expect(parseModelDate(bad, tz, m1.sentAt, false)).toEqual({ ok: false });
    }
  });

  it('turns an all-day range into [first day, day after last day) and drops an end before the start', () => {
    const out = validateWindowOutput(
      {
        events: [
          { title: 'Conference', starts_at: '2026-06-03', ends_at: '2026-06-05', all_day: true, message_id: 'm1' },
          { title: 'Demo', starts_at: '2026-03-20T09:00', ends_at: '2026-03-20T08:00', all_day: false, message_id: 'm1' },
        ],
        todos: 'not a list',
      },
      byId,
      'Europe/Berlin',
    );
    expect(out.todos).toEqual([]);
    expect(out.events.map((e) => [e.title, e.startsAt, e.endsAt, e.allDay])).toEqual([
      ['Conference', '2026-06-02T22:00:00.000Z', '2026-06-05T22:00:00.000Z', true],
      ['Demo', '2026-03-20T08:00:00.000Z', null, false],
    ]);
    expect(out.events[0]!.source).toEqual({ messageId: 'm1', author: 'Ana', sentAt: m1.sentAt, excerpt: m1.text });
  });

  it('drops malformed entries and empty texts, and ignores ids or authors the model makes up', () => {
    const out = validateWindowOutput(
      { todos: [null, { text: '  ', message_id: 'm1' }, { text: 'Do it', message_id: 'm1', assignee: 'nobody', author: 'Eve' }], events: [] },
      byId,
      'UTC',
    );
    expect(out.todos).toEqual([
      expect.objectContaining({ text: 'Do it', assignee: null, priority: 'MEDIUM', source: expect.objectContaining({ author: 'Ana' }) }),
    ]);
    expect(out.dropped.map((d) => d.reason)).toEqual(['malformed', 'empty-text']);
  });

  it('merges near-identical items citing the same message, keeping distinct ones', () => {
    const todo = (text: string, messageId: string) => ({
      text,
      assignee: null,
      priority: 'LOW' as const,
      dueAt: null,
      source: { messageId, author: 'Ana', sentAt: m1.sentAt, excerpt: '' },
      extractor: 'gemini' as const,
    });
    const merged = mergeWindowResults([
      { todos: [todo('Send the deck to Acme', 'm1'), todo('Book the room', 'm1')], events: [] },
      { todos: [todo('Send the deck to ACME today', 'm1'), todo('Send the deck to Acme', 'm2')], events: [] },
    ]);
    expect(merged.todos.map((t) => `${t.source.messageId}:${t.text}`)).toEqual([
      'm1:Send the deck to ACME today',
      'm1:Book the room',
      'm2:Send the deck to Acme',
    ]);
  });
});

describe('usage measurement against the fake server', () => {
  let fake: FakeGemini;
  beforeAll(async () => {
    fake = await startFakeGemini((req) => {
      const ids = promptMessageIds(req.prompt);
      const todos = ids
        .filter((_, i) => i % 9 === 0)
        .map((id) => ({ text: `Follow up on ${id}`, assignee: null, priority: 'MEDIUM', due_at: null, message_id: id }));
      return textReply({ todos, events: [] });
    });
  });
  afterAll(() => fake.close());

  it('reports calls and tokens for 10,000 messages, and none with the cache warm', async () => {
    const messages = syntheticConversation(10_000);
    const report = await measureGeminiUsage({ baseUrl: fake.url, messages, settings: { timeZone: 'Europe/Madrid' } });
    process.stdout.write(`gemini usage for 10,000 messages: ${JSON.stringify(report)}\n`);
    expect(report.cold.calls).toBe(report.cold.windows);
    expect(report.cold.calls).toBe(fake.requests.length);
    expect(report.cold.promptTokens).toBeGreaterThan(100_000);
    expect(report.cold.outputTokens).toBeGreaterThan(0);
    expect(report.cached).toMatchObject({ calls: 0, cacheHits: 1, promptTokens: 0, outputTokens: 0 });
  });
});
