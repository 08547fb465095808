/** What the Slack door's parts share: services, the command set, the queue and a Web API client. */
import type { WebClient } from '@slack/web-api';
import type { ServiceContext } from '../../services/context.js';
import type { HistoryImportQueue } from '../../services/history-import.js';
import type { FileProcessingQueue } from '../../services/uploads.js';
import type { CommandSet } from '../commands/index.js';

export interface SlackDoorTimings {
  /** A command answering within this time is answered in the ack itself; otherwise "working on it" first. Default 1500 ms. */
  inlineReplyMs: number;
  /** How long a file_shared event waits for the message event carrying the same file (it knows the thread). Default 2000 ms. */
  fileSharedGraceMs: number;
  /** Least time between two conversations.history/replies calls (Tier 3: 50 a minute). Default 1200 ms. */
  historyPaceMs: number;
  /** Least time between two progress posts of a history import. Default 10 s. */
  progressEveryMs: number;
  /** 429 answers tolerated in a row per call before an import gives up. Default 8. */
  maxRateLimitWaits: number;
}

export const DEFAULT_TIMINGS: SlackDoorTimings = {
  inlineReplyMs: 1500,
  fileSharedGraceMs: 2000,
  historyPaceMs: 1200,
  progressEveryMs: 10_000,
  maxRateLimitWaits: 8,
};

export interface SlackDoor {
  ctx: ServiceContext;
  commands: CommandSet;
  /** Where uploads (and, when the queue takes them, history imports) are queued. */
  queue: () => FileProcessingQueue & Partial<HistoryImportQueue>;
  /** The bot token's client (WebClient with the configured API URL). */
  client: WebClient;
  botToken: string;
  apiUrl: string;
  timings: SlackDoorTimings;
  /** Aborted when the bot stops: background work ends early. */
  stopping: AbortSignal;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // A wait never holds the process open by itself (the server or socket does that).
    t.unref();
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
