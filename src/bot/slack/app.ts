/**
 * The Slack door: a Bolt app wired to the neutral command set and the upload pipeline.
 *
 *   const slack = slackBotFromConfig(services, { queue });      // null when Slack is not configured
 *   jobs = createJobSystem(services, { worker, notifier: slack?.notifier, historyReaders: [slack?.historyReader] });
 *   HTTP mode: serve `slack.receiver` on the API's port (before the body parser):
 *     koa.middleware.unshift(slack.receiver.koaMiddleware())   or
 *     createServer(slack.receiver.requestListener(koa.callback()))
 *   await slack.start();  ...  await slack.stop();
 *
 * HTTP mode (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET) answers POST /slack/events; Socket Mode
 * (SLACK_APP_TOKEN) connects out and needs no public URL. SLACK_API_URL points every Web API call
 * (and the Socket Mode client) elsewhere, e.g. at a test server.
 */
import { App, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { ServiceContext } from '../../services/context.js';
import type { ChannelHistoryReader, HistoryImportQueue } from '../../services/history-import.js';
import { claimPlatformEvent, pruneProcessedEvents } from '../../services/platform-events.js';
import type { ThreadNotifier } from '../../services/process-file.js';
import type { FileProcessingQueue } from '../../services/uploads.js';
import {
  createCommandSet,
  importQueuedReply,
  parseCommandText,
  privateText,
  type CommandReply,
  type CommandResult,
  type CommandSet,
  type PlatformActor,
} from '../commands/index.js';
import { DEFAULT_TIMINGS, sleep, type SlackDoor, type SlackDoorTimings } from './context.js';
import { createSlackHistoryReader } from './history.js';
import { createSlackThreadNotifier } from './notifier.js';
import { KoaSlackReceiver } from './receiver.js';
import { blocksWithTodoDone, CALENDAR_FEED_ACTION, renderReply, TODO_DONE_ACTION } from './render.js';
import { handleFileShare, type SharedFile } from './uploads.js';

export interface SlackSettings {
  botToken: string;
  signingSecret?: string;
  /** An app-level token (xapp-...) switches to Socket Mode. */
  appToken?: string;
  apiUrl: string;
}

export interface SlackBotDeps {
  /**
   * Where uploads are queued for processing and history imports as jobs (the job system's queue);
   * a function when it is built later. A queue without `enqueueHistoryImport` turns imports away.
   */
  queue: BotQueue | (() => BotQueue);
  /** Defaults to `services.config.slack`. */
  config?: SlackSettings;
  /** Share one command set between doors, or leave it to the bot. */
  commands?: CommandSet;
  /** The slash command (default /teamsync). */
  command?: string;
  timings?: Partial<SlackDoorTimings>;
  /** Socket Mode: how long the client waits for a pong (Bolt's default 5 s also delays reconnects). */
  clientPingTimeout?: number;
  /** Socket Mode: Web API retry policy for the client (tests make it short). */
  retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
}

type BotQueue = FileProcessingQueue & Partial<HistoryImportQueue>;

export interface SlackBot {
  app: App;
  mode: 'http' | 'socket';
  /** HTTP mode: the receiver to mount on the API's server; null in Socket Mode. */
  receiver: KoaSlackReceiver | null;
  notifier: ThreadNotifier;
  /** Reads channel histories for the `import-channel-history` job; give it to the job system. */
  historyReader: ChannelHistoryReader;
  client: WebClient;
  /** Checks the token (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>;
  /** Stops waiting work (file downloads) and disconnects. */
  stop(): Promise<void>;
  /** Resolves at once: long work (history imports) runs as jobs, not in the bot. */
  idle(): Promise<void>;
}

/** pino as Bolt's logger (Bolt's debug chatter stays at debug). */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write = (fn: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => log[fn](msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export function createSlackBot(services: ServiceContext, deps: SlackBotDeps): SlackBot {
  const settings = deps.config ?? (services.config.slack as SlackSettings);
  if (!settings.botToken) throw new Error('SLACK_BOT_TOKEN is required for the Slack bot');
  const log = services.logger.child({ component: 'slack' });
  const logger = boltLogger(log);
  const commandName = deps.command ?? '/teamsync';
  const commands = deps.commands ?? createCommandSet(services, { prefix: commandName, imports: () => queue() });
  const timings: SlackDoorTimings = { ...DEFAULT_TIMINGS, ...deps.timings };
  const stopping = new AbortController();
  const queue = typeof deps.queue === 'function' ? deps.queue : () => deps.queue as BotQueue;

  let receiver: KoaSlackReceiver | null = null;
  let app: App;
  if (settings.appToken) {
    const socket = new SocketModeReceiver({
      appToken: settings.appToken,
      logger,
      clientPingTimeout: deps.clientPingTimeout,
      installerOptions: { clientOptions: { slackApiUrl: settings.apiUrl, ...(deps.retryConfig ? { retryConfig: deps.retryConfig } : {}) } },
    });
    app = new App({ token: settings.botToken, receiver: socket, logger, deferInitialization: true, clientOptions: { slackApiUrl: settings.apiUrl } });
  } else {
    if (!settings.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for the Slack bot in HTTP mode');
    receiver = new KoaSlackReceiver({ signingSecret: settings.signingSecret, logger: log, bodyLimitBytes: services.config.bodyLimitBytes });
    app = new App({ token: settings.botToken, receiver, logger, deferInitialization: true, clientOptions: { slackApiUrl: settings.apiUrl } });
  }

  const door: SlackDoor = {
    ctx: services,
    commands,
    queue,
    client: app.client,
    botToken: settings.botToken,
    apiUrl: settings.apiUrl,
    timings,
    stopping: stopping.signal,
  };
  const notifier = createSlackThreadNotifier(door);
  const historyReader = createSlackHistoryReader({ botToken: settings.botToken, apiUrl: settings.apiUrl, logger: services.logger, timings });

  // Display names for "todos mine" and mentions; a name is looked up once an hour at most.
  const names = new Map<string, { name: string; at: number }>();
  async function displayName(userId: string, fallback?: string): Promise<string | undefined> {
    const hit = names.get(userId);
    if (hit && Date.now() - hit.at < 3600_000) return hit.name;
    try {
      const res = (await Promise.race([app.client.users.info({ user: userId }), sleep(800).then(() => null)])) as {
        user?: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } };
      } | null;
      const u = res?.user;
      const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name;
      if (name) {
        names.set(userId, { name, at: Date.now() });
        return name;
      }
    } catch (err) {
      log.debug({ err }, 'users.info failed');
    }
    return fallback;
  }

  /** `<@U123>` mentions carry no name in slash command text: give them one. */
  async function nameMentions(text: string): Promise<string> {
    const ids = [...text.matchAll(/<@([A-Z0-9]+)>/gi)].map((m) => m[1]!);
    let out = text;
    for (const id of new Set(ids)) out = out.replaceAll(`<@${id}>`, `<@${id}|${(await displayName(id)) ?? id}>`);
    return out;
  }

  const actorFor = async (teamId: string, userId: string, fallbackName?: string): Promise<PlatformActor> => ({
    platform: 'slack',
    workspaceId: teamId,
    userId,
    displayName: await displayName(userId, fallbackName),
  });

  // Slack retries an event it did not see acknowledged; each event id is handled once, even across restarts.
  app.use(async ({ body, next }) => {
    const b = body as { type?: string; event_id?: string; team_id?: string };
    if (b.type === 'event_callback' && b.event_id) {
      if (!(await claimPlatformEvent(services, `slack:event:${b.team_id ?? ''}:${b.event_id}`))) {
        log.debug({ event_id: b.event_id }, 'event already handled');
        return;
      }
    }
    await next();
  });

  /**
   * `/teamsync import N`: posts the announcement the import's thread hangs from, then queues the
   * `import-channel-history` job (it reads, reports progress in the thread and takes the messages in).
   */
  async function startImport(c: SlashCommand, actor: PlatformActor, days: number): Promise<CommandResult> {
    const imports = queue();
    if (!imports.enqueueHistoryImport) return { reply: privateText('⚠️ History imports are not available here.') };
    let anchor: string;
    try {
      const posted = await app.client.chat.postMessage({ channel: c.channel_id, text: `📥 Importing the last ${days} day(s) of this channel for <@${c.user_id}>…`, unfurl_links: false });
      anchor = posted.ts!;
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'not_in_channel' || code === 'channel_not_found') return { reply: privateText('⚠️ Invite me to this channel first (`/invite @TeamSync`), then import again.') };
      throw err;
    }
    const userId = await commands.accountFor(actor);
    let jobId: string;
    try {
      jobId = await imports.enqueueHistoryImport({ userId, platform: 'slack', workspaceId: c.team_id, channelId: c.channel_id, requesterId: c.user_id, days, anchorId: anchor });
    } catch (err) {
      log.error({ err }, 'could not queue the history import');
      const sorry = '⚠️ The import could not be queued; try again in a moment.';
      await app.client.chat.postMessage({ channel: c.channel_id, thread_ts: anchor, text: sorry }).catch(() => undefined);
      return { reply: privateText(sorry) };
    }
    log.info({ job_id: jobId, channel: c.channel_id, days }, 'history import queued');
    return { reply: importQueuedReply(days, jobId) };
  }

  app.command(commandName, async ({ command, ack, respond }) => {
    const c = command as SlashCommand;
    const actor = await actorFor(c.team_id, c.user_id, c.user_name);
    const parsed = parseCommandText(await nameMentions(c.text ?? ''));
    const work = commands
      .run({ actor, place: { channelId: c.channel_id, threadId: null }, name: parsed.name, args: parsed.args, unknown: parsed.unknown })
      .then((result) =>
        result.followUp?.kind === 'import-history'
          ? startImport(c, actor, result.followUp.days).catch((err: unknown): CommandResult => {
              log.error({ err }, 'could not start the history import');
              return { reply: privateText('⚠️ Something went wrong on our side; try again in a moment.') };
            })
          : result,
      );
    const early = await Promise.race([work, sleep(timings.inlineReplyMs).then(() => null)]);
    let result: CommandResult;
    const show = async (reply: CommandReply, send: (m: Record<string, unknown>) => Promise<unknown>) => {
      const message = renderReply(reply, services.config.defaultTimeZone);
      if (reply.visibility === 'private') await send({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
      else await app.client.chat.postMessage({ channel: c.channel_id, text: message.text, blocks: message.blocks, unfurl_links: false });
    };
    if (early) {
      result = early;
      if (result.reply.visibility === 'private') await show(result.reply, (m) => ack(m));
      else {
        await ack();
        await show(result.reply, respond);
      }
    } else {
      await ack({ response_type: 'ephemeral', text: '⏳ Working on it…' });
      result = await work;
      await show(result.reply, respond);
    }
  });

  app.event('message', async ({ event, body }) => {
    const e = event as { subtype?: string; files?: SharedFile[]; channel: string; user?: string; ts: string; thread_ts?: string };
    if (e.subtype !== 'file_share' || !e.files?.length || !e.user) return;
    await handleFileShare(door, {
      teamId: (body as { team_id?: string }).team_id ?? '',
      channelId: e.channel,
      userId: e.user,
      threadTs: e.thread_ts ?? e.ts,
      messageTs: e.ts,
      files: e.files,
    });
  });

  app.event('file_shared', async ({ event, body }) => {
    const e = event as { file_id: string; channel_id: string; user_id: string };
    const teamId = (body as { team_id?: string }).team_id ?? '';
    // The message event for the same share knows its thread; give it the chance to come first.
    await sleep(timings.fileSharedGraceMs, stopping.signal).catch(() => undefined);
    if (stopping.signal.aborted) return;
    const info = (await app.client.files.info({ file: e.file_id })) as { file?: SharedFile & { shares?: Record<string, Record<string, Array<{ ts: string; thread_ts?: string }>>> } };
    const file = info.file;
    if (!file) return;
    await handleFileShare(door, {
      teamId,
      channelId: e.channel_id,
      userId: e.user_id,
      threadTs: '',
      messageTs: null,
      files: [file],
      locate: async () => {
        const share = file.shares?.public?.[e.channel_id]?.[0] ?? file.shares?.private?.[e.channel_id]?.[0];
        if (share) return { threadTs: share.thread_ts ?? share.ts, messageTs: share.ts };
        const posted = await app.client.chat.postMessage({ channel: e.channel_id, text: `📄 Taking in *${file.name ?? file.id}* shared by <@${e.user_id}>…` });
        return { threadTs: posted.ts!, messageTs: null };
      },
    });
  });

  app.action(TODO_DONE_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const b = body as BlockAction;
    const todoId = (action as ButtonAction).value ?? '';
    const actor = await actorFor(b.team?.id ?? b.user.team_id ?? '', b.user.id, b.user.name);
    const result = await commands.markTodoDone(actor, todoId);
    const message = renderReply(result.reply, services.config.defaultTimeZone);
    await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
    const original = b.message as { ts?: string; text?: string; blocks?: unknown[] } | undefined;
    if (result.done && original?.ts && original.blocks && b.channel?.id && !b.container?.is_ephemeral) {
      await app.client.chat
        .update({ channel: b.channel.id, ts: original.ts, text: original.text ?? '', blocks: blocksWithTodoDone(original.blocks, todoId) as never })
        .catch((err: unknown) => log.warn({ err }, 'could not update the message after a todo was done'));
    }
  });

  app.action(CALENDAR_FEED_ACTION, async ({ ack, body, respond }) => {
    await ack();
    const b = body as BlockAction;
    const reply = await commands.calendarFeed(await actorFor(b.team?.id ?? b.user.team_id ?? '', b.user.id, b.user.name));
    const message = renderReply(reply);
    await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
  });

  app.error(async (err) => {
    log.error({ err }, 'Slack listener error');
  });

  // Slack stops retrying an event after about an hour; claims older than two days are of no use.
  const prune = () =>
    pruneProcessedEvents(services, new Date(services.now().getTime() - 2 * 86400_000)).catch((err: unknown) => log.warn({ err }, 'could not prune handled Slack events'));
  let pruning: NodeJS.Timeout | undefined;

  let started = false;
  return {
    app,
    mode: settings.appToken ? 'socket' : 'http',
    receiver,
    notifier,
    historyReader,
    client: app.client,
    async start() {
      await app.init();
      await app.start();
      started = true;
      await prune();
      pruning = setInterval(() => void prune(), 6 * 3600_000);
      pruning.unref();
      log.info({ mode: settings.appToken ? 'socket' : 'http' }, 'Slack bot ready');
    },
    async stop() {
      stopping.abort(new Error('the Slack bot is stopping'));
      clearInterval(pruning);
      if (started) await app.stop();
      started = false;
    },
    async idle() {
      return undefined;
    },
  };
}

/**
 * The Slack bot as configured, or null (with one log line) when no Slack variables are set.
 * See the top of this file for mounting it.
 */
export function slackBotFromConfig(services: ServiceContext, deps: SlackBotDeps): SlackBot | null {
  const { slack } = services.config;
  if (!slack.botToken) {
    services.logger.info('Slack bot off: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP, POST /slack/events) or SLACK_APP_TOKEN (Socket Mode) to turn it on');
    return null;
  }
  return createSlackBot(services, { ...deps, config: { botToken: slack.botToken, signingSecret: slack.signingSecret, appToken: slack.appToken, apiUrl: slack.apiUrl } });
}
