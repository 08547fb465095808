/**
 * The Slack side of history imports (`ChannelHistoryReader`): reads the channel's last N days
 * (conversations.history, then conversations.replies for every thread, cursor by cursor), paced
 * below the methods' tier (Tier 3: about 50 calls a minute) and waiting out every 429 for its
 * Retry-After, posting progress in the import's thread. The messages collected become one Slack API
 * page (`{"ok":true,"messages":[...]}`, format slack-api) that the `import-channel-history` job takes
 * in like an upload, so the summary lands in the same thread.
 *
 * Needs only the bot token and the API URL: a `teamsync worker` process without the Bolt app runs it.
 */
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import {
  HISTORY_MAX_MESSAGES,
  periodProgress,
  PermanentImportError,
  type ChannelHistoryReader,
  type HistoryImport,
  type HistoryNotice,
  type HistoryRead,
  type HistoryReadOptions,
} from '../../services/history-import.js';
import { DEFAULT_TIMINGS, sleep, type SlackDoorTimings } from './context.js';

export interface SlackHistoryReaderOptions {
  botToken: string;
  apiUrl: string;
  logger: Logger;
  timings?: Partial<Pick<SlackDoorTimings, 'historyPaceMs' | 'progressEveryMs' | 'maxRateLimitWaits'>>;
  maxMessages?: number;
}

type SlackMessage = Record<string, unknown> & { ts: string; user?: string; bot_id?: string; reply_count?: number; thread_ts?: string };

interface Page {
  messages?: SlackMessage[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/** Errors of the history methods that no retry fixes, with what to do about them. */
const PERMANENT: Record<string, string> = {
  not_in_channel: 'invite me to this channel first (`/invite @TeamSync`), then import again',
  channel_not_found: 'I cannot see this channel: invite me to it (`/invite @TeamSync`), then import again',
  missing_scope: 'the Slack app lacks a scope it needs (channels:history, groups:history, im:history or mpim:history); reinstall it with the manifest',
  not_authed: 'the Slack bot token is missing',
  invalid_auth: 'the Slack bot token is not valid',
  account_inactive: 'the Slack bot token belongs to a deactivated app',
  token_revoked: 'the Slack bot token was revoked',
  no_permission: 'the Slack app may not read this channel',
};

/** Fields that change with every new reply or reaction, of no use to reading the chat. */
const VOLATILE = ['reply_users', 'reply_users_count', 'latest_reply', 'last_read', 'subscribed', 'reactions'];

class PacedHistory {
  private lastCall = 0;

  constructor(
    private readonly client: WebClient,
    private readonly timings: SlackDoorTimings,
    private readonly signal: AbortSignal,
    private readonly log: Logger,
  ) {}

  async call(method: 'conversations.history' | 'conversations.replies', args: Record<string, unknown>): Promise<Page> {
    const { timings, signal } = this;
    for (let waited = 0; ; waited++) {
      const gap = this.lastCall + timings.historyPaceMs - Date.now();
      if (gap > 0) await sleep(gap, signal);
      signal.throwIfAborted();
      this.lastCall = Date.now();
      try {
        return (await this.client.apiCall(method, args)) as Page;
      } catch (err) {
        const limited = err as WebAPIRateLimitedError;
        if (limited.code !== ErrorCode.RateLimitedError || waited >= timings.maxRateLimitWaits) throw err;
        const seconds = Number.isFinite(limited.retryAfter) ? limited.retryAfter : 60;
        this.log.info({ method, retryAfter: seconds }, 'Slack rate limit: waiting before the next page');
        await sleep(seconds * 1000, signal);
      }
    }
  }

  async *pages(method: 'conversations.history' | 'conversations.replies', args: Record<string, unknown>): AsyncGenerator<SlackMessage[]> {
    let cursor: string | undefined;
    do {
      const page = await this.call(method, { ...args, limit: 200, ...(cursor ? { cursor } : {}) });
      yield page.messages ?? [];
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
  }
}

/** A Slack error that retrying cannot fix, as a PermanentImportError; anything else as it was. */
function permanentOrSame(err: unknown): unknown {
  const code = (err as WebAPIPlatformError).code === ErrorCode.PlatformError ? (err as WebAPIPlatformError).data?.error : undefined;
  if (code && PERMANENT[code]) return new PermanentImportError(`${code}: ${PERMANENT[code]}`);
  return err;
}

export function createSlackHistoryReader(options: SlackHistoryReaderOptions): ChannelHistoryReader {
  const timings: SlackDoorTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const max = options.maxMessages ?? HISTORY_MAX_MESSAGES;
  const log = options.logger.child({ component: 'slack-import' });
  // Posting and names: the usual client. Reading: rate limits are handled by PacedHistory (Retry-After,
  // then retry), not inside the client, so the import can pace itself and report what it waits for.
  const client = new WebClient(options.botToken, { slackApiUrl: options.apiUrl, logger: undefined });
  const reading = new WebClient(options.botToken, {
    slackApiUrl: options.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    logger: undefined,
  });
  let self: Promise<{ user_id?: string; bot_id?: string }> | undefined;

  const post = async (request: HistoryImport, text: string) => {
    await client.chat.postMessage({ channel: request.channelId, text, thread_ts: request.anchorId ?? undefined, unfurl_links: false });
  };

  async function displayNames(ids: Set<string>): Promise<Map<string, Record<string, string>>> {
    const names = new Map<string, Record<string, string>>();
    for (const id of ids) {
      try {
        const res = (await client.users.info({ user: id })) as { user?: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } };
        const u = res.user ?? {};
        names.set(id, {
          name: u.name ?? id,
          real_name: u.profile?.real_name || u.real_name || u.name || id,
          display_name: u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || id,
        });
      } catch {
        // A name we cannot read stays the user id.
      }
    }
    return names;
  }

  async function read(request: HistoryImport, { signal, onProgress }: HistoryReadOptions): Promise<HistoryRead> {
    const oldest = (request.since.getTime() / 1000).toFixed(6);
    const latest = (request.until.getTime() / 1000).toFixed(6);
    const day = request.until.toISOString().slice(0, 10);
    const fileName = `slack-${request.channelId}-last-${request.days}-days-${day}.json`;
    const ilog = log.child({ channel: request.channelId, job_id: request.jobId });
    try {
      self ??= client.auth.test().catch((err: unknown) => {
        self = undefined;
        throw err;
      }) as Promise<{ user_id?: string; bot_id?: string }>;
      const auth = await self;
      const pages = new PacedHistory(reading, timings, signal, ilog);
      const collected = new Map<string, SlackMessage>();
      const threads: string[] = [];
      let lastProgress = Date.now();
      const progress = async (what: string, percent: number) => {
        await onProgress(percent);
        if (Date.now() - lastProgress < timings.progressEveryMs) return;
        lastProgress = Date.now();
        await post(request, `…${what}`);
      };
      const keep = (m: SlackMessage) => {
        if (m.ts === request.anchorId || (auth.user_id && m.user === auth.user_id) || (auth.bot_id && m.bot_id === auth.bot_id)) return;
        if (collected.size < max || collected.has(m.ts)) collected.set(m.ts, m);
      };

      let truncated = false;
      for await (const page of pages.pages('conversations.history', { channel: request.channelId, oldest, latest })) {
        for (const m of page) {
          keep(m);
          if ((m.reply_count ?? 0) > 0) threads.push(m.ts);
        }
        const back = page.at(-1) ? Number(page.at(-1)!.ts) * 1000 : null;
        await progress(`read ${collected.size} messages so far`, periodProgress(request, back, 70));
        if (collected.size >= max) {
          truncated = true;
          break;
        }
      }
      for (const [i, ts] of threads.entries()) {
        if (collected.size >= max) {
          truncated = true;
          break;
        }
        for await (const page of pages.pages('conversations.replies', { channel: request.channelId, ts, oldest, latest })) {
          for (const m of page) keep(m);
        }
        await progress(`read ${collected.size} messages, thread ${i + 1} of ${threads.length}`, 70 + Math.round((20 * (i + 1)) / threads.length));
      }
      if (collected.size === 0) return { content: null, format: 'slack-api', fileName, count: 0 };

      const messages = [...collected.values()].sort((a, b) => Number(a.ts) - Number(b.ts));
      const names = await displayNames(new Set(messages.map((m) => m.user).filter((u): u is string => Boolean(u))));
      for (const m of messages) {
        const profile = m.user ? names.get(m.user) : undefined;
        if (profile && !m.user_profile) m.user_profile = profile;
        for (const field of VOLATILE) delete m[field];
      }
      await onProgress(95);
      const limit = truncated ? `; stopped at the limit of ${max}` : '';
      await post(request, `Read ${messages.length} messages (${threads.length} thread(s))${limit}; processing them now.`);
      return { content: Buffer.from(JSON.stringify({ ok: true, messages, has_more: false })), format: 'slack-api', fileName, count: messages.length };
    } catch (err) {
      throw permanentOrSame(err);
    }
  }

  async function notify(request: HistoryImport, notice: HistoryNotice): Promise<void> {
    switch (notice.kind) {
      case 'empty':
        return post(request, `No messages in this channel in the last ${request.days} day(s).`);
      case 'queued':
        return; // "Read N messages; processing them now." was said at the end of the reading.
      case 'duplicate':
        return post(request, `Nothing new since the last import of the same messages (*${notice.file.file_name}*); your todos and events are up to date.`);
      case 'failed':
        return post(request, `⚠️ The import stopped: ${notice.reason}`);
    }
  }

  return { platform: 'slack', read, notify };
}

/** The reader from configuration (SLACK_BOT_TOKEN, SLACK_API_URL), for a worker process; null without a token. */
export function slackHistoryReaderFromConfig(services: { config: { slack: { botToken?: string; apiUrl: string } }; logger: Logger }): ChannelHistoryReader | null {
  const { botToken, apiUrl } = services.config.slack;
  if (!botToken) return null;
  return createSlackHistoryReader({ botToken, apiUrl, logger: services.logger });
}
