/**
 * `/teamsync import N`: reads the channel's last N days (conversations.history, then
 * conversations.replies for every thread, cursor by cursor), paced below the method's tier and
 * waiting out every 429 for its Retry-After, posting progress in a thread. The messages collected
 * become one Slack API page (`{"ok":true,"messages":[...]}`, format slack-api) that goes through the
 * upload pipeline like a shared file, so the summary lands in the same thread.
 */
import { ErrorCode, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import { AppError } from '../../services/errors.js';
import { ingestUpload } from '../../services/uploads.js';
import { sleep, type SlackDoor } from './context.js';

export interface HistoryImport {
  teamId: string;
  channelId: string;
  /** The Slack user who asked; their account owns the result. */
  userId: string;
  days: number;
  /** Tells the asker privately when nothing can be posted in the channel (e.g. the bot is not in it). */
  tellPrivately?: (text: string) => Promise<unknown>;
}

type SlackMessage = Record<string, unknown> & { ts: string; user?: string; reply_count?: number; thread_ts?: string };

interface Page {
  messages?: SlackMessage[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

class HistoryReader {
  private lastCall = 0;
  private readonly client: WebClient;

  constructor(private readonly door: SlackDoor) {
    // Rate limits are handled here (Retry-After, then retry), not inside the client, so the import
    // can pace itself and report what it is waiting for.
    this.client = new WebClient(door.botToken, {
      slackApiUrl: door.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
      logger: undefined,
    });
  }

  async call(method: 'conversations.history' | 'conversations.replies', args: Record<string, unknown>): Promise<Page> {
    const { timings, stopping } = this.door;
    for (let waited = 0; ; waited++) {
      const gap = this.lastCall + timings.historyPaceMs - Date.now();
      if (gap > 0) await sleep(gap, stopping);
      this.lastCall = Date.now();
      try {
        return (await this.client.apiCall(method, args)) as Page;
      } catch (err) {
        const limited = err as WebAPIRateLimitedError;
        if (limited.code !== ErrorCode.RateLimitedError || waited >= timings.maxRateLimitWaits) throw err;
        const seconds = Number.isFinite(limited.retryAfter) ? limited.retryAfter : 60;
        this.door.ctx.logger.info({ method, retryAfter: seconds }, 'Slack rate limit: waiting before the next page');
        await sleep(seconds * 1000, stopping);
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

async function displayNames(door: SlackDoor, ids: Set<string>): Promise<Map<string, Record<string, string>>> {
  const names = new Map<string, Record<string, string>>();
  for (const id of ids) {
    try {
      const res = (await door.client.users.info({ user: id })) as { user?: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } };
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

/** Runs one import to the end, telling the channel how it goes. Never throws. */
export async function importChannelHistory(door: SlackDoor, job: HistoryImport): Promise<void> {
  const { client, ctx, timings } = door;
  const log = ctx.logger.child({ component: 'slack-import', channel: job.channelId });
  let threadTs: string | undefined;
  const post = async (text: string) => {
    const res = await client.chat.postMessage({ channel: job.channelId, text, thread_ts: threadTs, unfurl_links: false });
    threadTs ??= res.ts;
  };
  try {
    await post(`📥 Importing the last ${job.days} day(s) of this channel for <@${job.userId}>…`);
    const auth = (await client.auth.test()) as { user_id?: string; bot_id?: string };
    const oldest = ((ctx.now().getTime() - job.days * 86400_000) / 1000).toFixed(6);
    const reader = new HistoryReader(door);
    const collected = new Map<string, SlackMessage>();
    const threads: string[] = [];
    let lastProgress = Date.now();
    const progress = async (what: string) => {
      if (Date.now() - lastProgress < timings.progressEveryMs) return;
      lastProgress = Date.now();
      await post(`…${what}`);
    };
    const keep = (m: SlackMessage) => {
      if (m.ts === threadTs || (auth.user_id && m.user === auth.user_id) || (auth.bot_id && m.bot_id === auth.bot_id)) return;
      collected.set(m.ts, m);
    };

    for await (const page of reader.pages('conversations.history', { channel: job.channelId, oldest })) {
      for (const m of page) {
        keep(m);
        if ((m.reply_count ?? 0) > 0) threads.push(m.ts);
      }
      await progress(`read ${collected.size} messages so far`);
    }
    for (const [i, ts] of threads.entries()) {
      for await (const page of reader.pages('conversations.replies', { channel: job.channelId, ts, oldest })) {
        for (const m of page) keep(m);
      }
      await progress(`read ${collected.size} messages, thread ${i + 1} of ${threads.length}`);
    }
    if (collected.size === 0) {
      await post(`No messages in this channel in the last ${job.days} day(s).`);
      return;
    }

    const messages = [...collected.values()].sort((a, b) => Number(a.ts) - Number(b.ts));
    const names = await displayNames(door, new Set(messages.map((m) => m.user).filter((u): u is string => Boolean(u))));
    for (const m of messages) {
      const profile = m.user ? names.get(m.user) : undefined;
      if (profile && !m.user_profile) m.user_profile = profile;
    }
    await post(`Read ${messages.length} messages (${threads.length} thread(s)); processing them now.`);
    const content = Buffer.from(JSON.stringify({ ok: true, messages, has_more: false }));
    const ownerId = await door.commands.accountFor({ platform: 'slack', workspaceId: job.teamId, userId: job.userId });
    const day = ctx.now().toISOString().slice(0, 10);
    const result = await ingestUpload(ctx, door.queue(), {
      userId: ownerId,
      fileName: `slack-${job.channelId}-last-${job.days}-days-${day}.json`,
      content,
      format: 'slack-api',
      origin: { platform: 'slack', workspaceId: job.teamId, channelId: job.channelId, threadId: threadTs ?? null, messageId: threadTs ?? null },
    });
    if (!result.created) await post('Nothing new since the last import of the same messages; your todos and events are up to date.');
  } catch (err) {
    if (door.stopping.aborted) return;
    const reason = err instanceof AppError ? err.message : (err as { code?: string; data?: { error?: string } }).data?.error ?? (err as Error).message;
    log.warn({ err }, 'history import failed');
    const message = `⚠️ The import stopped: ${reason}`;
    if (threadTs) await post(message).catch(() => undefined);
    else await job.tellPrivately?.(reason === 'not_in_channel' ? '⚠️ Invite me to this channel first (`/invite @TeamSync`), then import again.' : message).catch(() => undefined);
  }
}
