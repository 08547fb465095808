/**
 * Reading a channel's recent history page by page (100 messages per request, newest first, the
 * `before` cursor walking back) until the cut-off. @discordjs/rest queues the requests per route
 * and waits out 429s, so this only has to ask for the next page.
 *
 * `createDiscordHistoryReader` is the Discord side of history imports (`ChannelHistoryReader`): it
 * reads for the `import-channel-history` job with REST alone (a token and the API URL, no gateway),
 * so a `teamsync worker` process runs it too, and posts progress in the import's thread.
 */
import { DiscordAPIError, REST, Routes, type APIMessage } from 'discord.js';
import { snowflakeTime } from '../../chat/discord/messages.js';
import type { Logger } from '../../logger.js';
import {
  HISTORY_MAX_MESSAGES,
  periodProgress,
  PermanentImportError,
  type ChannelHistoryReader,
  type HistoryImport,
  type HistoryNotice,
  type HistoryRead,
} from '../../services/history-import.js';
import { duplicateFileText } from './ingest.js';
import { plain } from './render.js';
import { DiscordCode, postInThread } from './threads.js';

export const HISTORY_PAGE_SIZE = 100;
export { HISTORY_MAX_MESSAGES };

export interface HistoryProgress {
  pages: number;
  messages: number;
  /** Time of the oldest message read so far (ISO), null before the first. */
  reachedBack: string | null;
}

export interface HistoryOptions {
  channelId: string;
  /** Messages sent at or after this instant are read... */
  since: Date;
  /** ...and before this one, when given. */
  until?: Date;
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
  const end = options.until?.getTime() ?? Infinity;
  const max = options.maxMessages ?? HISTORY_MAX_MESSAGES;
  const kept: APIMessage[] = [];
  let before: string | undefined;
  let pages = 0;
  let truncated = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
    if (before) query.set('before', before);
    const page = (await getPage(rest, options.channelId, query, options.signal)) as APIMessage[];
    pages += 1;
    let reachedCutoff = page.length < HISTORY_PAGE_SIZE;
    for (const message of page) {
      const at = Date.parse(message.timestamp) || snowflakeTime(message.id);
      if (at < cutoff) {
        reachedCutoff = true;
        break;
      }
      if (at >= end || options.skipMessages?.has(message.id) || options.skipAuthors?.has(message.author.id)) continue;
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

/**
 * One page, aborted with `signal`. Each request gets a signal of its own: @discordjs/rest leaves
 * its listener on the signal it is given, and a long import makes hundreds of requests.
 */
async function getPage(rest: REST, channelId: string, query: URLSearchParams, signal?: AbortSignal): Promise<unknown> {
  if (!signal) return rest.get(Routes.channelMessages(channelId), { query });
  signal.throwIfAborted();
  const request = new AbortController();
  const onAbort = () => request.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await rest.get(Routes.channelMessages(channelId), { query, signal: request.signal });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Whether messages came without their text (the Message Content intent is off for this bot). */
export function lacksContent(messages: APIMessage[]): boolean {
  return messages.length > 0 && messages.every((m) => !m.content && m.attachments.length === 0 && m.embeds.length === 0);
}

/** Discord answers that no retry fixes: no access to the channel, no permission, no such channel, a bad token. */
const PERMANENT_CODES = new Set<number>([50001, 50013, DiscordCode.UnknownChannel]);

function permanentOrSame(err: unknown): unknown {
  if (err instanceof DiscordAPIError && (PERMANENT_CODES.has(Number(err.code)) || err.status === 401 || err.status === 403 || err.status === 404)) {
    return new PermanentImportError(`Discord refused to hand over this channel's messages (${err.message}): the bot needs View Channel and Read Message History here`);
  }
  return err;
}

export interface DiscordHistoryReaderOptions {
  rest: REST;
  logger: Logger;
  maxMessages?: number;
}

export function createDiscordHistoryReader(options: DiscordHistoryReaderOptions): ChannelHistoryReader {
  const { rest } = options;
  const log = options.logger.child({ component: 'discord-import' });
  let self: Promise<string> | undefined;
  const botId = () =>
    (self ??= (rest.get(Routes.user('@me')) as Promise<{ id: string }>).then(
      (u) => u.id,
      (err: unknown) => {
        self = undefined;
        throw err;
      },
    ));

  /** The import's thread (the announcement's), or the channel when the command was given in a thread. */
  const say = (request: HistoryImport, content: string) =>
    postInThread(rest, { channelId: request.channelId, threadId: request.anchorId, messageId: request.anchorId }, { content, allowed_mentions: { parse: [] } }, `TeamSync: last ${request.days} day(s)`);

  async function read(request: HistoryImport, { signal, onProgress }: { signal: AbortSignal; onProgress(percent: number): Promise<void> }): Promise<HistoryRead> {
    const name = request.channelName || request.channelId;
    const fileName = `#${name} ${request.since.toISOString().slice(0, 10)} to ${request.until.toISOString().slice(0, 10)}.json`;
    let history: ChannelHistory;
    try {
      const skipAuthors = new Set([await botId()]);
      const progress = await say(request, '⏳ Reading messages…');
      const edit = (content: string) => rest.patch(Routes.channelMessage(progress.channelId, progress.messageId), { body: { content } });
      history = await readChannelHistory(rest, {
        channelId: request.channelId,
        since: request.since,
        until: request.until,
        skipAuthors,
        skipMessages: new Set(request.anchorId ? [request.anchorId] : []),
        maxMessages: options.maxMessages,
        signal,
        onPage: async (p) => {
          const back = p.reachedBack ? `, back to ${p.reachedBack.slice(0, 10)}` : '';
          await onProgress(periodProgress(request, p.reachedBack ? Date.parse(p.reachedBack) : null));
          await edit(`⏳ Read ${p.messages.toLocaleString('en-US')} messages (${p.pages} page(s)${back})…`);
        },
      });
      const { messages } = history;
      if (messages.length === 0) return { content: null, format: 'discord-api', fileName, count: 0 };
      if (lacksContent(messages)) {
        throw new PermanentImportError(
          'Discord handed over these messages without their text: the bot needs the Message Content intent (developer portal, Bot, Privileged Gateway Intents) to read channel history',
        );
      }
      await edit(`✅ Read ${messages.length.toLocaleString('en-US')} messages (${history.pages} page(s))${history.truncated ? `; stopped at the limit of ${messages.length}` : ''}.`);
    } catch (err) {
      throw permanentOrSame(err);
    }
    log.debug({ job_id: request.jobId, channel: request.channelId, messages: history.messages.length, pages: history.pages }, 'channel history read');
    return { content: Buffer.from(JSON.stringify(history.messages)), format: 'discord-api', fileName, count: history.messages.length };
  }

  async function notify(request: HistoryImport, notice: HistoryNotice): Promise<void> {
    switch (notice.kind) {
      case 'empty':
        await say(request, `No messages in the last ${request.days} day(s) here; nothing to import.`);
        return;
      case 'queued':
        await say(request, `⏳ Processing **${plain(notice.fileName)}** (${notice.messageCount.toLocaleString('en-US')} messages, ${notice.format}). The todos and events will be posted here.`);
        return;
      case 'duplicate':
        await say(request, `Nothing new since the last import: ${duplicateFileText(notice.file)}`);
        return;
      case 'failed':
        await say(request, `❌ Could not import this channel's history: ${notice.reason}`);
        return;
    }
  }

  return { platform: 'discord', read, notify };
}

/** The reader with its own REST client (DISCORD_TOKEN, DISCORD_API_URL), for a worker process; null without a token. */
export function discordHistoryReaderFromToken(token: string, apiUrl: string, logger: Logger): ChannelHistoryReader {
  return createDiscordHistoryReader({ rest: new REST({ api: apiUrl }).setToken(token), logger });
}
