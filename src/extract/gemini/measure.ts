/**
 * Cost measurement for Gemini extraction: how many calls and tokens a conversation takes, once cold
 * and once again with the result cache warm. Used by the benchmark against a local fake server.
 */
import type { ChatMessage } from '../../chat/types.js';
import type { ExtractionSettings } from '../types.js';
import { createMemoryExtractionCache } from './cache.js';
import { createGeminiExtractor, type ExtractionStats } from './extractor.js';

export interface GeminiUsageReport {
  messages: number;
  cold: ExtractionStats & { ms: number };
  cached: ExtractionStats & { ms: number };
}

export async function measureGeminiUsage(input: {
  baseUrl: string;
  messages: ChatMessage[];
  settings: ExtractionSettings;
  apiKey?: string;
  model?: string;
  concurrency?: number;
  windowTokens?: number;
}): Promise<GeminiUsageReport> {
  const extractor = createGeminiExtractor({
    apiKey: input.apiKey ?? 'measure',
    model: input.model ?? 'gemini-2.5-flash',
    baseUrl: input.baseUrl,
    concurrency: input.concurrency ?? 4,
    windowTokens: input.windowTokens ?? 12000,
    cache: createMemoryExtractionCache(),
    fallback: () => ({ todos: [], events: [] }),
    maxRetries: 0,
  });
  const timed = async () => {
    const started = performance.now();
    const { stats } = await extractor.extract(input.messages, input.settings);
    return { ...stats, ms: Math.round(performance.now() - started) };
  };
  const cold = await timed();
  const cached = await timed();
  return { messages: input.messages.length, cold, cached };
}

/**
 * A plausible team conversation of `count` messages (a message every few minutes over working hours),
 * about a quarter of them stating a task or a meeting, for load and cost measurements.
 */
export function syntheticConversation(count: number, startIso = '2026-03-02T08:00:00Z'): ChatMessage[] {
  const people = ['Ana', 'Bo', 'Chen', 'Dara', 'Emeka', 'Fleur'];
  const lines = [
    'Morning all, quick status: the build is green again after the dependency bump.',
    '@{p} can you review the pricing page copy before the client call tomorrow at 3pm?',
    'I will send the updated roadmap deck by Friday.',
    "Let's have a retro on Thursday at 10:00, I'll book the big room.",
    'Does anyone know where the staging credentials live now?',
    'Done, the invoice for March went out this morning.',
    'Reminder: quarterly planning offsite next month, date TBD.',
    'The customer reported that exports with emoji in channel names fail; looking into it.',
    'We need to renew the TLS certificate before the 20th, otherwise the API goes down.',
    'Call with Acme is cancelled, they will get back to us next week.',
    'lol that gif',
    'Pushed a fix for the login redirect loop, please test on staging when you can.',
  ];
  const start = Date.parse(startIso);
  let t = start;
  return Array.from({ length: count }, (_, i) => {
    t += (2 + ((i * 7) % 11)) * 60_000;
    const hour = new Date(t).getUTCHours();
    if (hour >= 18) t += 14 * 3600_000; // jump over the night
    const name = people[(i * 5) % people.length]!;
    const text = lines[(i * 7 + (i >> 3)) % lines.length]!.replace('{p}', people[(i + 1) % people.length]!);
    return {
      id: `m${i + 1}`,
      sentAt: new Date(t).toISOString(),
      author: { id: name.toLowerCase(), name },
      text,
      threadId: null,
      attachments: [],
      system: false,
    };
  });
}
