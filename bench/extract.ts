/**
 * `npm run bench extract`: heuristic extraction throughput on a large generated conversation
 * (BENCH_EXTRACT_MESSAGES, default 100,000) mixing chatter, requests, commitments, dated and
 * undated plans, past-tense talk, questions and cancellations, across several days and people.
 * Reported: messages/s (best of three runs after a warm-up) and how many items were found.
 */
import type { ChatMessage } from '../src/chat/types.js';
import { extractHeuristic } from '../src/extract/index.js';

const PEOPLE = ['Maya Chen', 'Raj Patel', 'Lena Fischer', 'Tom Okafor', 'Aylin Demir', 'Kenji Ito', 'Sofia Garcia', 'Oluwaseun Adebayo'];
const CHATTER = [
  'morning all',
  'lol the coffee machine is broken again',
  'classic',
  'haha yes',
  '👍',
  'thanks!',
  'did anyone see the match last night',
  'that was wild',
  'ok makes sense',
  'I think the new layout looks much better than the old one, nice work',
  'brb lunch',
  'agreed',
  'can confirm, same here',
  'the wifi on the 3rd floor is slow again',
  'sounds good to me',
  'nice one 🎉',
];
const REQUESTS = [
  (p: string) => `${p}, can you review the pricing page copy by Friday?`,
  (p: string) => `@${p} please send the invoice to the client tomorrow`,
  (p: string) => `${p} could you book the meeting room for Thursday's demo? no rush`,
  () => 'someone needs to call the plumber about the kitchen sink, urgent',
  () => "I'll update the changelog before the release",
  () => 'can someone bring cups for the bake sale?',
  () => 'I can take it',
  (p: string) => `${p}, please rotate the staging keys by EOD, it is blocking the deploy`,
  () => 'we should write a migration guide at some point',
];
const PLANS = [
  () => 'the design review is Wednesday at 4pm',
  () => 'reminder: the 2.4 release goes out Tuesday',
  () => 'staff meeting Monday 3pm, mandatory',
  () => 'the school trip to the zoo is on Thursday, kids need a packed lunch',
  () => 'end of season BBQ - we still need to pick a date',
  () => 'match on Saturday vs Hillcrest, kick-off 10am',
  () => 'parent-teacher evening will be on 1 October from 18:00 to 20:00',
  () => 'we had a great call with the Acme folks yesterday',
  () => 'should we update the API docs too?',
  () => 'the Friday sync is cancelled',
  () => 'the review call moves to Thursday 4pm',
];

/** A deterministic conversation of `count` messages, roughly 70% chatter. */
export function syntheticChat(count: number): ChatMessage[] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  const start = Date.parse('2026-01-05T08:00:00.000Z');
  const messages: ChatMessage[] = [];
  for (let i = 0; i < count; i += 1) {
    const author = pick(PEOPLE);
    const other = pick(PEOPLE).split(' ')[0]!;
    const r = rand();
    const text = r < 0.7 ? pick(CHATTER) : r < 0.85 ? pick(REQUESTS)(other) : pick(PLANS)();
    messages.push({
      id: String(i + 1),
      sentAt: new Date(start + i * 45_000).toISOString(),
      author: { id: author.toLowerCase().replace(/\s+/g, '.'), name: author },
      text,
      threadId: null,
      attachments: [],
      system: false,
    });
  }
  return messages;
}

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_EXTRACT_MESSAGES ?? 100_000);
  const messages = syntheticChat(count);
  const settings = { timeZone: 'Europe/Berlin' };
  extractHeuristic(messages.slice(0, 5_000), settings);
  let best = Infinity;
  let found = { todos: 0, events: 0 };
  for (let i = 0; i < 3; i += 1) {
    const t0 = performance.now();
    const result = extractHeuristic(messages, settings);
    best = Math.min(best, performance.now() - t0);
    found = { todos: result.todos.length, events: result.events.length };
  }
  console.log('| extractor | messages | time (ms) | messages/s | todos | events |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(`| heuristic | ${count.toLocaleString('en-US')} | ${best.toFixed(0)} | ${Math.round((count / best) * 1000).toLocaleString('en-US')} | ${found.todos} | ${found.events} |`);
}
