import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { answerQuestion, type AnswerChunk, type AnswerInput } from '../../src/answer/index.js';
import { NOTHING_FOUND } from '../../src/answer/extractive.js';
import type { ChatMessage } from '../../src/chat/types.js';
import { serverErrorReply, startFakeGemini, streamReply, type FakeGemini } from '../fakes/gemini-server.js';

function msg(id: string, sentAt: string, name: string, text: string): ChatMessage {
  return { id, sentAt, author: { id: name.toLowerCase(), name }, text, threadId: null, attachments: [], system: false };
}

const messages: ChatMessage[] = [
  msg('m1', '2026-03-12T09:00:00Z', 'Ana', 'Morning! Coffee anyone?'),
  msg('m2', '2026-03-12T09:05:00Z', 'Bo', 'The Acme contract renewal is due on March 31, legal needs the signed copy.'),
  msg('m3', '2026-03-12T09:07:00Z', 'Chen', 'I can send the signed Acme contract to legal tomorrow.'),
  msg('m4', '2026-03-12T10:00:00Z', 'Ana', 'Lunch at noon in the kitchen'),
  msg('m5', '2026-03-13T15:05:00Z', 'Dara', 'Réunion de planification vendredi à 10h'),
];

const input = (question: string, extra: Partial<AnswerInput> = {}): AnswerInput => ({
  question,
  messages,
  timeZone: 'Europe/Madrid',
  todos: [
    { text: 'Send the signed Acme contract to legal', assignee: 'Chen', dueAt: '2026-03-13T17:00:00.000Z' },
    { text: 'Order coffee beans', assignee: null, dueAt: null },
  ],
  events: [
    { title: 'Acme contract renewal deadline', startsAt: '2026-03-30T22:00:00.000Z', allDay: true },
    { title: 'Team offsite', startsAt: null },
  ],
  ...extra,
});

async function collect(stream: AsyncIterable<AnswerChunk>): Promise<AnswerChunk[]> {
  const out: AnswerChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

const text = (chunks: AnswerChunk[]) => chunks.map((c) => (c.type === 'delta' ? c.text : '')).join('');
const types = (chunks: AnswerChunk[]) => [...new Set(chunks.map((c) => c.type))];

describe('extractive answers (no model)', () => {
  it('streams meta, the quoted messages with author and local date, matching items, sources, done', async () => {
    const chunks = await collect(answerQuestion(input('When is the Acme contract due?')));
    expect(chunks[0]).toEqual({ type: 'meta', mode: 'extractive' });
    expect(types(chunks)).toEqual(['meta', 'delta', 'sources', 'done']);
    const answer = text(chunks);
    expect(answer).toContain('[1] Bo, Thu 12 Mar 2026 10:05: "The Acme contract renewal is due on March 31, legal needs the signed copy."');
    expect(answer).toContain('[2] Chen, Thu 12 Mar 2026 10:07');
    expect(answer).not.toContain('Coffee');
    expect(answer).toContain('Matching todos:\n- Send the signed Acme contract to legal, assigned to Chen, due Fri 13 Mar 2026 18:00');
    expect(answer).toContain('Matching events:\n- Acme contract renewal deadline, Tue 31 Mar 2026');
    const sources = chunks.find((c) => c.type === 'sources');
    expect(sources).toEqual({
      type: 'sources',
      messages: [
        { id: 'm2', author: 'Bo', sent_at: '2026-03-12T09:05:00Z', text: messages[1]!.text },
        { id: 'm3', author: 'Chen', sent_at: '2026-03-12T09:07:00Z', text: messages[2]!.text },
      ],
    });
    expect(chunks[chunks.length - 1]).toEqual({ type: 'done' });
  });

  it('matches across accents and case', async () => {
    const chunks = await collect(answerQuestion(input('REUNION planificacion')));
    expect(text(chunks)).toContain('Dara, Fri 13 Mar 2026 16:05: "Réunion de planification vendredi à 10h"');
  });

  it('says so when nothing matches', async () => {
    const chunks = await collect(answerQuestion(input('kubernetes upgrade?', { todos: [], events: [] })));
    expect(chunks).toEqual([
      { type: 'meta', mode: 'extractive' },
      { type: 'delta', text: NOTHING_FOUND },
      { type: 'sources', messages: [] },
      { type: 'done' },
    ]);
  });

  it('keeps the topic of a follow-up question from the conversation history', async () => {
    const chunks = await collect(
      answerQuestion(input('and who sends it?', { history: [{ role: 'user', text: 'Acme contract?' }, { role: 'assistant', text: 'Due March 31.' }] })),
    );
    expect(text(chunks)).toContain('Chen');
  });

  it('yields its first chunk at once, before indexing a long conversation', async () => {
    const big = Array.from({ length: 100_000 }, (_, i) =>
      msg(`b${i}`, new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString(), 'Ana', `note ${i} about topic ${i % 50}`),
    );
    const stream = answerQuestion({ question: 'topic 7', messages: big, timeZone: 'UTC' });
    const started = performance.now();
    const first = await stream.next();
    expect(performance.now() - started).toBeLessThan(100);
    expect(first.value).toEqual({ type: 'meta', mode: 'extractive' });
    const rest: AnswerChunk[] = [];
    for await (const c of stream) rest.push(c);
    expect(rest[rest.length - 1]).toEqual({ type: 'done' });
  });
});

describe('Gemini answers (fake server)', () => {
  let fake: FakeGemini;
  beforeEach(async () => {
    fake = await startFakeGemini();
  });
  afterEach(async () => {
    await fake.close();
  });
  const gemini = () => ({ apiKey: 'answer-key', model: 'gemini-test', baseUrl: fake.url });

  it('streams the model answer over SSE, grounded in numbered excerpts and the history', async () => {
    fake.queue.push(streamReply(['The Acme contract ', 'is due on March 31 [1]; ', 'Chen sends it to legal [2].']));
    const chunks = await collect(
      answerQuestion(
        input('When is the Acme contract due?', { history: [{ role: 'user', text: 'Hi' }, { role: 'assistant', text: 'Hello! Ask me about the chat.' }] }),
        { gemini: gemini() },
      ),
    );
    expect(chunks).toEqual([
      { type: 'meta', mode: 'gemini', model: 'gemini-test', retrieved: 2 },
      { type: 'delta', text: 'The Acme contract ' },
      { type: 'delta', text: 'is due on March 31 [1]; ' },
      { type: 'delta', text: 'Chen sends it to legal [2].' },
      { type: 'sources', messages: [expect.objectContaining({ id: 'm2' }), expect.objectContaining({ id: 'm3' })] },
      { type: 'done' },
    ]);
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1beta/models/gemini-test:streamGenerateContent');
    expect(req.query.get('alt')).toBe('sse');
    expect(req.headers['x-goog-api-key']).toBe('answer-key');
    expect(req.body.systemInstruction.parts[0].text).toMatch(/only the chat excerpts/);
    expect(req.body.contents.map((c: { role: string }) => c.role)).toEqual(['user', 'model', 'user']);
    const last = req.body.contents[2].parts[0].text as string;
    expect(last).toContain('[1] Thu 12 Mar 2026 10:05 Bo: The Acme contract renewal is due on March 31');
    expect(last).toContain('- Send the signed Acme contract to legal, assigned to Chen');
    expect(last).toContain('- Acme contract renewal deadline, Tue 31 Mar 2026');
    expect(last).toMatch(/Question: When is the Acme contract due\?$/);
  });

  it('falls back to the extractive answer when the model fails before answering', async () => {
    fake.queue.push(serverErrorReply(503));
    const chunks = await collect(answerQuestion(input('Acme contract'), { gemini: gemini() }));
    expect(chunks[0]).toMatchObject({ type: 'meta', mode: 'extractive', fallback: expect.stringContaining('503') });
    expect(types(chunks)).toEqual(['meta', 'delta', 'sources', 'done']);
    expect(text(chunks)).toContain('Bo, Thu 12 Mar 2026 10:05');
  });

  it('reports an error chunk when the stream breaks after the answer started', async () => {
    fake.queue.push({
      sse: [
        { candidates: [{ content: { role: 'model', parts: [{ text: 'The contract ' }] }, index: 0 }] },
        { error: { code: 500, message: 'internal', status: 'INTERNAL' } },
      ],
    });
    const chunks = await collect(answerQuestion(input('Acme contract'), { gemini: gemini() }));
    expect(chunks.map((c) => c.type)).toEqual(['meta', 'delta', 'error']);
    expect(chunks[0]).toMatchObject({ mode: 'gemini' });
    expect(chunks[2]).toMatchObject({ message: expect.stringContaining('interrupted') });
  });

  it('stops generating when the signal aborts mid-stream: the server sees the connection close', async () => {
    fake.queue.push(streamReply(['First part. ', 'Second part. '], { intervalMs: 20, holdOpen: true }));
    const controller = new AbortController();
    const chunks: AnswerChunk[] = [];
    for await (const chunk of answerQuestion(input('Acme contract'), { gemini: gemini(), signal: controller.signal })) {
      chunks.push(chunk);
      if (chunk.type === 'delta') controller.abort();
    }
    await fake.requests[0]!.ended;
    expect(fake.requests[0]!.abortedByClient).toBe(true);
    expect(chunks.map((c) => c.type)).toEqual(['meta', 'delta']);
  });

  it('closes the request when the consumer stops reading', async () => {
    fake.queue.push(streamReply(['One. ', 'Two. ', 'Three. '], { intervalMs: 10, holdOpen: true }));
    const seen: string[] = [];
    for await (const chunk of answerQuestion(input('Acme contract'), { gemini: gemini() })) {
      seen.push(chunk.type);
      if (chunk.type === 'delta') break;
    }
    await fake.requests[0]!.ended;
    expect(fake.requests[0]!.abortedByClient).toBe(true);
    expect(seen).toEqual(['meta', 'delta']);
  });

  it('emits nothing when aborted before the model answered', async () => {
    fake.queue.push({ ...streamReply(['late']), delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const chunks = await collect(answerQuestion(input('Acme contract'), { gemini: gemini(), signal: controller.signal }));
    expect(chunks).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1500);
    await fake.requests[0]!.ended;
    expect(fake.requests[0]!.abortedByClient).toBe(true);
  });
});
