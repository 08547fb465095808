/**
 * Reading a channel's recent history page by page (100 messages per request, newest first, the
 * `before` cursor walking back) until the cut-off. @discordjs/rest queues the requests per route
 * and waits out 429s, so this only has to ask for the next page.
 */
import { Routes, type APIMessage, type REST } from 'discord.js';
import { snowflakeTime } from '../../chat/discord/messages.js';

export const HISTORY_PAGE_SIZE = 100;
/** No history import reads more than this many messages. */
export const HISTORY_MAX_MESSAGES = 50_000;

export interface HistoryProgress {
  pages: number;
  messages: number;
  /** Time of the oldest message read so far (ISO), null before the first. */
  reachedBack: string | null;
}

export interface HistoryOptions {
  channelId: string;
  /** Messages sent at or after this instant are read. */
  since: Date;
  /** Leave out messages by these authors (the bot's own posts). */
  skipAuthors?: Set<string>;
  /** Leave out these messages (the import's own announcement). */
  skipMessages?: Set<string>;
  maxMessages?: number;
  onPage?: (progress: HistoryProgress) => Promise<void> | void;
  signal?: AbortSignal;
}

export interface ChannelHistory {
  /** Oldest first, raw REST message objects. */
  messages: APIMessage[];
  pages: number;
  /** true when the limit stopped the walk before the cut-off. */
  truncated: boolean;
}

export async function readChannelHistory(rest: REST, options: HistoryOptions): Promise<ChannelHistory> {
  const cutoff = options.since.getTime();
  const max = options.maxMessages ?? HISTORY_MAX_MESSAGES;
  const kept: APIMessage[] = [];
  let before: string | undefined;
  let pages = 0;
  let truncated = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
    if (before) query.set('before', before);
    const page = (await rest.get(Routes.channelMessages(options.channelId), { query, signal: options.signal })) as APIMessage[];
    pages += 1;
    let reachedCutoff = page.length < HISTORY_PAGE_SIZE;
    for (const message of page) {
      const at = Date.parse(message.timestamp) || snowflakeTime(message.id);
      if (at < cutoff) {
        reachedCutoff = true;
        break;
      }
      if (options.skipMessages?.has(message.id) || options.skipAuthors?.has(message.author.id)) continue;
      kept.push(message);
    }
    const oldest = page.at(-1);
    await options.onPage?.({ pages, messages: kept.length, reachedBack: oldest ? oldest.timestamp : null });
    if (kept.length >= max) {
      truncated = !reachedCutoff;
      break;
    }
    if (reachedCutoff || !oldest) break;
    before = oldest.id;
  }
  const messages = kept.slice(0, max).reverse();
  return { messages, pages, truncated };
}

/** Whether messages came without their text (the Message Content intent is off for this bot). */
export function lacksContent(messages: APIMessage[]): boolean {
  return messages.length > 0 && messages.every((m) => !m.content && m.attachments.length === 0 && m.embeds.length === 0);
}
