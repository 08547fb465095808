/**
 * A fake Discord (REST API, gateway and attachment CDN) on 127.0.0.1 for tests that run the real
 * discord.js / @discordjs/rest / @discordjs/ws code.
 *
 * Point discord.js at it with `new Client({ intents, rest: { api: fake.apiUrl } })` and
 * `client.login(fake.token)`: the gateway URL comes from `GET /api/v10/gateway/bot`.
 *
 * The gateway sends HELLO, answers IDENTIFY with READY (guilds unavailable) followed by one
 * GUILD_CREATE per configured guild, acks heartbeats, answers RESUME by replaying missed dispatches
 * then RESUMED. Tests push events with `dispatch`, `sendMessage`, `sendChatInputCommand`,
 * `sendButtonClick`, and cut the connection with `disconnectClient`.
 *
 * REST calls are recorded in `requests` with the path decoded (`/webhooks/.../messages/@original`)
 * and raw (`%40original`). Interactions behave like Discord's: the first response must come within
 * 3 s and only once; the token then works for 15 minutes for edits and followups.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

type Json = Record<string, unknown>;

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A Discord snowflake for the given instant (ids sort by time, like Discord's). */
export function snowflake(at: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) % 4096n;
  return String(((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement);
}

export const ChannelType = { GuildText: 0, DM: 1, GuildCategory: 4, PublicThread: 11, PrivateThread: 12 } as const;
export const OptionType = { Subcommand: 1, SubcommandGroup: 2, String: 3, Integer: 4, Boolean: 5, User: 6, Channel: 7, Number: 10, Attachment: 11 } as const;

export interface FakeDiscordChannelInput {
  id: string;
  name: string;
  type?: number;
  parent_id?: string | null;
  topic?: string | null;
}

export interface FakeDiscordGuildInput {
  id: string;
  name: string;
  channels: FakeDiscordChannelInput[];
}

export interface FakeDiscordOptions {
  /** The bot token REST and IDENTIFY must present (`Authorization: Bot <token>`). */
  token?: string;
  applicationId?: string;
  botUser?: { id?: string; username?: string };
  guilds?: FakeDiscordGuildInput[];
  /** HELLO's heartbeat_interval; the client's first beat comes at a random point within it. Default 41250. */
  heartbeatIntervalMs?: number;
  /** Deadline for an interaction's first response. Default 3000. */
  interactionResponseDeadlineMs?: number;
  /** Lifetime of an interaction token for edits and followups. Default 15 minutes. */
  interactionTokenTtlMs?: number;
  /**
   * Blank the content, attachments, embeds and components of `sendMessage` guild messages that do
   * not mention the bot when the client identified without the MessageContent intent, as Discord
   * does. Default true.
   */
  enforceMessageContentIntent?: boolean;
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface RecordedDiscordRequest {
  method: string;
  /** Decoded path below `/api/v10`, e.g. `/webhooks/APP/TOKEN/messages/@original`. */
  path: string;
  /** As received, e.g. `/api/v10/webhooks/APP/TOKEN/messages/%40original`. */
  rawPath: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** JSON body, or `payload_json` of a multipart body. */
  body: unknown;
  files: RecordedFile[];
  status: number;
  response: unknown;
  at: number;
}

export interface GatewayFrame {
  direction: 'in' | 'out';
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
  at: number;
}

export interface DiscordFailure {
  /** Default 429. */
  status?: number;
  /** Seconds (fractions allowed) for `Retry-After` / `X-RateLimit-Reset-After`. Default 1. */
  retryAfter?: number;
  /** A global rate limit (`X-RateLimit-Global: true`, scope `global`). */
  global?: boolean;
  scope?: 'user' | 'shared' | 'global';
  /** Body for non-429 failures. */
  message?: string;
  code?: number;
}

export interface ChatInputCommandInput {
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  /** Plain options (inside the subcommand, if any). */
  options?: Array<{ name: string; type: number; value: string | number | boolean }>;
  /** ATTACHMENT options by option name; each is added to `data.resolved.attachments`. */
  attachments?: Record<string, Json & { id: string }>;
  channelId?: string;
  guildId?: string;
  user?: Json & { id: string };
}

export interface SentInteraction {
  id: string;
  token: string;
  payload: Json;
}

export interface FakeDiscord {
  /** For `rest: { api }`: `http://127.0.0.1:PORT/api`. */
  apiUrl: string;
  origin: string;
  /** The gateway URL `GET /gateway/bot` returns. */
  gatewayUrl: string;
  token: string;
  applicationId: string;
  botUser: Json & { id: string };
  guilds: FakeDiscordGuildInput[];
  requests: RecordedDiscordRequest[];
  gatewayLog: GatewayFrame[];
  /** Gateway connections accepted, with the path and query the client used. */
  gatewayConnections: Array<{ url: string; at: number }>;
  /** Registered commands by scope: `global` or the guild id. */
  commands: Map<string, Json[]>;
  readonly connected: boolean;
  readonly sessionId: string | undefined;
  /** Sends a dispatch (op 0) on the session; while disconnected it is kept for replay on RESUME. */
  dispatch(t: string, d: unknown): number;
  /**
   * A user message in a channel: stored in the history (in full) and dispatched as MESSAGE_CREATE
   * (blanked without the MessageContent intent unless it mentions the bot). Returns the full message.
   */
  sendMessage(input: { channelId: string; content: string; author?: Json & { id: string }; attachments?: Json[]; id?: string }): Json;
  sendChatInputCommand(input: ChatInputCommandInput): SentInteraction;
  /** A button press on a message (the message must be given or exist in the history). */
  sendButtonClick(input: { customId: string; channelId: string; messageId?: string; message?: Json; user?: Json & { id: string }; guildId?: string }): SentInteraction;
  /** Stores a file on the fake CDN and returns the attachment object pointing at it. */
  addAttachment(input: { filename: string; content: Buffer; contentType?: string; channelId?: string; ephemeral?: boolean }): Json & { id: string; url: string };
  /** Replaces a channel's history (message partials are completed; ids must be snowflakes). */
  setMessages(channelId: string, messages: Array<Json & { id: string }>): void;
  messagesIn(channelId: string): Json[];
  /** Queue a failure for the next request matching method and path (decoded path below /api/v10). */
  failNext(method: string, path: RegExp, failure?: DiscordFailure): void;
  /** Closes the gateway connection with `code` (default 4000: the client resumes). */
  disconnectClient(code?: number): void;
  waitForRequest(method: string, path: RegExp, timeoutMs?: number, predicate?: (r: RecordedDiscordRequest) => boolean): Promise<RecordedDiscordRequest>;
  /** Waits for a frame the client sent (op 2 IDENTIFY, 6 RESUME, 1 HEARTBEAT). */
  waitForGatewayOp(op: number, timeoutMs?: number, predicate?: (f: GatewayFrame) => boolean): Promise<GatewayFrame>;
  close(): Promise<void>;
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  channelId: string;
  guildId: string | undefined;
  createdAt: number;
  acknowledged: boolean;
  original: Json | undefined;
  followups: Map<string, Json>;
}

interface Session {
  id: string;
  seq: number;
  sent: Array<{ s: number; frame: string }>;
  ws: WebSocket | undefined;
  ready: boolean;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function until<T>(probe: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const MESSAGE_CONTENT_INTENT = 1 << 15;

const COMMAND_NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

function commandErrors(command: Json, path: string): string[] {
  const errors: string[] = [];
  const type = (command.type as number | undefined) ?? 1;
  if (typeof command.name !== 'string' || !COMMAND_NAME.test(command.name)) errors.push(`${path}.name: invalid command name`);
  if (type === 1) {
    const description = command.description;
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) errors.push(`${path}.description: must be 1-100 characters`);
  }
  const options = (command.options as Json[] | undefined) ?? [];
  if (options.length > 25) errors.push(`${path}.options: at most 25`);
  options.forEach((option, i) => errors.push(...commandErrors({ ...option, type: 1 }, `${path}.options.${i}`)));
  return errors;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-discord-bot-token';
  const applicationId = options.applicationId ?? '1100000000000000001';
  const botUser: Json & { id: string } = {
    id: options.botUser?.id ?? applicationId,
    username: options.botUser?.username ?? 'TeamSync',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    verified: true,
    mfa_enabled: false,
    flags: 0,
    public_flags: 0,
  };
  const guilds: FakeDiscordGuildInput[] = options.guilds ?? [
    { id: '1200000000000000001', name: 'TeamSync Test', channels: [{ id: '1300000000000000001', name: 'general' }] },
  ];
  const heartbeatInterval = options.heartbeatIntervalMs ?? 41_250;
  const responseDeadline = options.interactionResponseDeadlineMs ?? 3000;
  const tokenTtl = options.interactionTokenTtlMs ?? 15 * 60_000;

  const requests: RecordedDiscordRequest[] = [];
  const gatewayLog: GatewayFrame[] = [];
  const gatewayConnections: Array<{ url: string; at: number }> = [];
  const commands = new Map<string, Json[]>();
  const channels = new Map<string, Json>();
  const histories = new Map<string, Json[]>();
  const attachments = new Map<string, { content: Buffer; contentType: string; filename: string; hm: string }>();
  const interactions = new Map<string, InteractionState>();
  const failures: Array<{ method: string; path: RegExp; failure: DiscordFailure }> = [];
  const sockets = new Set<WebSocket>();
  let session: Session | undefined;
  let identifiedIntents = 0;
  let origin = '';
  let wsOrigin = '';
  const cdnSecret = randomBytes(16).toString('hex');

  for (const guild of guilds) {
    for (const channel of guild.channels) {
      channels.set(channel.id, {
        id: channel.id,
        type: channel.type ?? ChannelType.GuildText,
        guild_id: guild.id,
        name: channel.name,
        position: 0,
        permission_overwrites: [],
        parent_id: channel.parent_id ?? null,
        topic: channel.topic ?? null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        flags: 0,
      });
    }
  }

  const guildOf = (channelId: string): string | undefined => channels.get(channelId)?.guild_id as string | undefined;

  const defaultUser = (id = '1400000000000000001', username = 'alice'): Json & { id: string } => ({
    id,
    username,
    discriminator: '0',
    global_name: username[0]?.toUpperCase() + username.slice(1),
    avatar: null,
    public_flags: 0,
    flags: 0,
  });

  const memberFor = (user: Json): Json => ({
    user,
    roles: [],
    nick: null,
    avatar: null,
    premium_since: null,
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    pending: false,
    mute: false,
    deaf: false,
    flags: 0,
    communication_disabled_until: null,
    permissions: '2248473465835073',
  });

  const completeMessage = (channelId: string, partial: Json & { id?: string }): Json & { id: string } => {
    const id = partial.id ?? snowflake();
    const at = Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
    return {
      id,
      type: 0,
      channel_id: channelId,
      author: defaultUser(),
      content: '',
      timestamp: new Date(at).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
      ...partial,
    };
  };

  const storeMessage = (message: Json & { id: string }): void => {
    const channelId = message.channel_id as string;
    const list = histories.get(channelId) ?? [];
    const existing = list.findIndex((m) => m.id === message.id);
    if (existing >= 0) list[existing] = message;
    else list.push(message);
    list.sort((a, b) => (BigInt(a.id as string) < BigInt(b.id as string) ? -1 : 1));
    histories.set(channelId, list);
    const channel = channels.get(channelId);
    if (channel) channel.last_message_id = message.id;
  };

  const addAttachment = (input: { filename: string; content: Buffer; contentType?: string; channelId?: string; ephemeral?: boolean }): Json & { id: string; url: string } => {
    const id = snowflake();
    const channelId = input.channelId ?? guilds[0]?.channels[0]?.id ?? '0';
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(input.filename)}`;
    const expires = Math.floor(Date.now() / 1000) + 24 * 3600;
    const ex = expires.toString(16);
    const is = Math.floor(Date.now() / 1000).toString(16);
    const hm = createHash('sha256').update(`${cdnSecret}:${path}:${ex}`).digest('hex');
    const contentType = input.contentType ?? 'application/octet-stream';
    attachments.set(id, { content: input.content, contentType, filename: input.filename, hm });
    const url = `${origin}${path}?ex=${ex}&is=${is}&hm=${hm}&`;
    return {
      id,
      filename: input.filename,
      size: input.content.length,
      url,
      proxy_url: url,
      content_type: contentType,
      ...(input.ephemeral ? { ephemeral: true } : {}),
    };
  };

  // ---------------------------------------------------------------- gateway

  const sendFrame = (ws: WebSocket, frame: Json & { op: number }): void => {
    gatewayLog.push({ direction: 'out', op: frame.op, t: frame.t as string | null | undefined, s: frame.s as number | null | undefined, d: frame.d, at: Date.now() });
    ws.send(JSON.stringify(frame));
  };

  const dispatch = (t: string, d: unknown): number => {
    if (!session) throw new Error(`Cannot dispatch ${t}: no gateway session (has the client identified?)`);
    session.seq += 1;
    const frame = { op: 0, t, s: session.seq, d };
    session.sent.push({ s: session.seq, frame: JSON.stringify(frame) });
    if (session.ws && session.ready && session.ws.readyState === session.ws.OPEN) {
      gatewayLog.push({ direction: 'out', op: 0, t, s: session.seq, d, at: Date.now() });
      session.ws.send(JSON.stringify(frame));
    }
    return session.seq;
  };

  const guildCreate = (guild: FakeDiscordGuildInput): Json => ({
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: '1400000000000000099',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [{ id: guild.id, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '2248473465835073', managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [memberFor(botUser)],
    channels: guild.channels.map((c) => {
      const { guild_id: _omit, ...channel } = channels.get(c.id) as Json;
      return channel;
    }),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  });

  const onGatewayFrame = (ws: WebSocket, frame: Json & { op: number; d?: unknown }): void => {
    gatewayLog.push({ direction: 'in', op: frame.op, d: frame.d, at: Date.now() });
    const d = (frame.d ?? {}) as Json;
    const tokenOk = (given: unknown): boolean => given === token || given === `Bot ${token}`;
    switch (frame.op) {
      case 1:
        sendFrame(ws, { op: 11, d: null, s: null, t: null });
        return;
      case 2: {
        if (!tokenOk(d.token)) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        if (typeof d.intents !== 'number') {
          ws.close(4013, 'Invalid intent(s).');
          return;
        }
        identifiedIntents = d.intents;
        session = { id: randomBytes(16).toString('hex'), seq: 0, sent: [], ws, ready: true };
        dispatch('READY', {
          v: 10,
          user: botUser,
          guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: session.id,
          session_type: 'normal',
          resume_gateway_url: `${wsOrigin}/resume-gateway`,
          shard: [0, 1],
          application: { id: applicationId, flags: 0 },
          user_settings: {},
          private_channels: [],
          relationships: [],
          presences: [],
          geo_ordered_rtc_regions: [],
          guild_join_requests: [],
          _trace: ['["fake-gateway",{"micros":0}]'],
        });
        for (const guild of guilds) dispatch('GUILD_CREATE', guildCreate(guild));
        return;
      }
      case 6: {
        if (!tokenOk(d.token)) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        if (!session || d.session_id !== session.id) {
          sendFrame(ws, { op: 9, d: false, s: null, t: null });
          return;
        }
        const from = typeof d.seq === 'number' ? d.seq : 0;
        session.ws = ws;
        session.ready = true;
        for (const item of session.sent.filter((x) => x.s > from)) {
          const parsed = JSON.parse(item.frame) as Json & { op: number };
          gatewayLog.push({ direction: 'out', op: 0, t: parsed.t as string, s: item.s, d: parsed.d, at: Date.now() });
          ws.send(item.frame);
        }
        dispatch('RESUMED', { _trace: ['["fake-gateway",{"micros":0}]'] });
        return;
      }
      default:
        // Presence updates, voice state and member requests are accepted and ignored.
        return;
    }
  };

  // ---------------------------------------------------------------- REST

  const interactionToken = (): string => `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;

  const newInteraction = (type: number, channelId: string, guildId: string | undefined): InteractionState => {
    const state: InteractionState = {
      id: snowflake(),
      token: interactionToken(),
      type,
      channelId,
      guildId,
      createdAt: Date.now(),
      acknowledged: false,
      original: undefined,
      followups: new Map(),
    };
    interactions.set(state.id, state);
    return state;
  };

  const interactionBase = (state: InteractionState, user: Json): Json => {
    const channel = channels.get(state.channelId) ?? { id: state.channelId, type: ChannelType.GuildText, name: 'unknown' };
    return {
      id: state.id,
      application_id: applicationId,
      type: state.type,
      token: state.token,
      version: 1,
      channel_id: state.channelId,
      channel,
      locale: 'en-US',
      entitlements: [],
      attachment_size_limit: 10_485_760,
      app_permissions: '2248473465835073',
      ...(state.guildId
        ? {
            guild_id: state.guildId,
            guild: { id: state.guildId, locale: 'en-US', features: [] },
            guild_locale: 'en-US',
            member: memberFor(user),
            authorizing_integration_owners: { '0': state.guildId },
            context: 0,
          }
        : { user, authorizing_integration_owners: { '1': String(user.id) }, context: 1 }),
    };
  };

  const webhookMessage = (state: InteractionState, body: Json, files: RecordedFile[], type: number, id = snowflake()): Json & { id: string } => {
    const uploaded = files.map((f) => addAttachment({ filename: f.filename, content: f.content, contentType: f.contentType, channelId: state.channelId }));
    return completeMessage(state.channelId, {
      id,
      type,
      author: botUser,
      content: (body.content as string | undefined) ?? '',
      embeds: (body.embeds as Json[] | undefined) ?? [],
      components: (body.components as Json[] | undefined) ?? [],
      attachments: uploaded,
      flags: (body.flags as number | undefined) ?? 0,
      webhook_id: applicationId,
      application_id: applicationId,
      interaction_metadata: { id: state.id, type: state.type, user: defaultUser(), authorizing_integration_owners: {} },
    });
  };

  interface RestResult {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  }

  const error = (status: number, message: string, code: number, extra: Json = {}): RestResult => ({ status, body: { message, code, ...extra } });
  const unknownChannel = (): RestResult => error(404, 'Unknown Channel', 10003);
  const unknownMessage = (): RestResult => error(404, 'Unknown Message', 10008);
  const formError = (errors: string[]): RestResult => error(400, 'Invalid Form Body', 50035, { errors: { _errors: errors.map((message) => ({ code: 'BASE_TYPE_INVALID', message })) } });

  const registerCommands = (scope: string, body: unknown): RestResult => {
    if (!Array.isArray(body)) return formError(['body must be an array']);
    const errors = (body as Json[]).flatMap((c, i) => commandErrors(c, String(i)));
    if (errors.length > 0) return formError(errors);
    const stored = (body as Json[]).map((c) => ({
      id: snowflake(),
      application_id: applicationId,
      version: snowflake(),
      type: 1,
      default_member_permissions: null,
      nsfw: false,
      ...(scope === 'global' ? {} : { guild_id: scope }),
      ...c,
    }));
    commands.set(scope, stored);
    return { status: 200, body: stored };
  };

  const listMessages = (channelId: string, query: Record<string, string>): RestResult => {
    if (!channels.has(channelId)) return unknownChannel();
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return formError(['limit: must be between 1 and 100']);
    const all = histories.get(channelId) ?? [];
    const id = (m: Json): bigint => BigInt(m.id as string);
    let page: Json[];
    if (query.before) page = all.filter((m) => id(m) < BigInt(query.before as string)).slice(-limit);
    else if (query.after) page = all.filter((m) => id(m) > BigInt(query.after as string)).slice(0, limit);
    else if (query.around) {
      const pivot = BigInt(query.around);
      const index = all.findIndex((m) => id(m) >= pivot);
      const start = Math.max(0, (index < 0 ? all.length : index) - Math.floor(limit / 2));
      page = all.slice(start, start + limit);
    } else page = all.slice(-limit);
    return { status: 200, body: [...page].reverse() };
  };

  const createThread = (channelId: string, body: Json, startMessageId?: string): RestResult => {
    const parent = channels.get(channelId);
    if (!parent) return unknownChannel();
    const name = body.name;
    const errors: string[] = [];
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) errors.push('name: must be 1-100 characters');
    const archive = (body.auto_archive_duration as number | undefined) ?? 4320;
    if (![60, 1440, 4320, 10080].includes(archive)) errors.push('auto_archive_duration: must be one of 60, 1440, 4320, 10080');
    if (errors.length > 0) return formError(errors);
    let message: Json | undefined;
    if (startMessageId) {
      message = histories.get(channelId)?.find((m) => m.id === startMessageId);
      if (!message) return unknownMessage();
      if (channels.has(startMessageId)) return error(400, 'A thread has already been created for this message', 160004);
    }
    const now = new Date().toISOString();
    const thread: Json = {
      id: startMessageId ?? snowflake(),
      type: startMessageId ? ChannelType.PublicThread : ((body.type as number | undefined) ?? ChannelType.PrivateThread),
      guild_id: parent.guild_id,
      parent_id: channelId,
      owner_id: botUser.id,
      name,
      last_message_id: null,
      rate_limit_per_user: (body.rate_limit_per_user as number | undefined) ?? 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0,
      thread_metadata: { archived: false, auto_archive_duration: archive, archive_timestamp: now, locked: false, create_timestamp: now },
      member: { id: startMessageId ?? '', user_id: botUser.id, join_timestamp: now, flags: 0 },
    };
    channels.set(thread.id as string, thread);
    if (message) {
      message.thread = thread;
      message.flags = ((message.flags as number | undefined) ?? 0) | 32;
    }
    if (session) dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return { status: 201, body: thread };
  };

  const route = (method: string, path: string, query: Record<string, string>, body: Json, files: RecordedFile[], authorized: boolean): RestResult => {
    let m: RegExpExecArray | null;
    const needsAuth = !path.startsWith('/interactions/') && !path.startsWith('/webhooks/') && path !== '/gateway';
    if (needsAuth && !authorized) return error(401, '401: Unauthorized', 0);

    if (method === 'GET' && path === '/gateway') return { status: 200, body: { url: `${wsOrigin}/gateway` } };
    if (method === 'GET' && path === '/gateway/bot') {
      return { status: 200, body: { url: `${wsOrigin}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } } };
    }
    if (method === 'GET' && path === '/users/@me') return { status: 200, body: botUser };
    if (method === 'GET' && path === '/applications/@me') {
      return { status: 200, body: { id: applicationId, name: botUser.username, icon: null, description: '', bot_public: false, bot_require_code_grant: false, flags: 0, bot: botUser } };
    }

    if ((m = /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/.exec(path))) {
      if (m[1] !== applicationId) return error(403, 'Missing Access', 50001);
      const scope = m[2] ?? 'global';
      if (method === 'PUT') return registerCommands(scope, body);
      if (method === 'GET') return { status: 200, body: commands.get(scope) ?? [] };
      if (method === 'POST') {
        const result = registerCommands(scope, [...(commands.get(scope) ?? []).filter((c) => c.name !== body.name), body]);
        return result.status === 200 ? { status: 201, body: (result.body as Json[]).at(-1) } : result;
      }
    }

    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      const state = interactions.get(m[1] as string);
      if (!state || state.token !== m[2] || Date.now() - state.createdAt > responseDeadline) return error(404, 'Unknown interaction', 10062);
      if (state.acknowledged) return error(400, 'Interaction has already been acknowledged.', 40060);
      state.acknowledged = true;
      const type = body.type as number;
      const data = (body.data ?? {}) as Json;
      if (type === 4) state.original = webhookMessage(state, data, files, state.type === 2 ? 20 : 0);
      if (type === 5) state.original = webhookMessage(state, { ...data, flags: ((data.flags as number | undefined) ?? 0) | 128 }, [], state.type === 2 ? 20 : 0);
      if (query.with_response === 'true') {
        return {
          status: 200,
          body: {
            interaction: {
              id: state.id,
              type: state.type,
              response_message_id: state.original?.id,
              response_message_loading: type === 5,
              response_message_ephemeral: Boolean(((data.flags as number | undefined) ?? 0) & 64),
            },
            resource: { type, ...(state.original ? { message: state.original } : {}) },
          },
        };
      }
      return { status: 204 };
    }

    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path))) {
      const state = [...interactions.values()].find((s) => s.token === m?.[2]);
      if (!state || m[1] !== applicationId) return error(404, 'Unknown Webhook', 10015);
      if (Date.now() - state.createdAt > tokenTtl) return error(401, 'Invalid Webhook Token', 50027);
      const messageId = m[3];
      if (!messageId && method === 'POST') {
        if (!state.acknowledged) return error(404, 'Unknown Webhook', 10015);
        const followup = webhookMessage(state, body, files, 0);
        state.followups.set(followup.id, followup);
        return { status: 200, body: followup };
      }
      if (!messageId) return error(405, '405: Method Not Allowed', 0);
      const target = messageId === '@original' ? state.original : state.followups.get(messageId);
      if (!target) return unknownMessage();
      if (method === 'GET') return { status: 200, body: target };
      if (method === 'DELETE') {
        if (messageId === '@original') state.original = undefined;
        else state.followups.delete(messageId);
        return { status: 204 };
      }
      if (method === 'PATCH') {
        const uploaded = files.map((f) => addAttachment({ filename: f.filename, content: f.content, contentType: f.contentType, channelId: state.channelId }));
        const kept = Array.isArray(body.attachments)
          ? ((target.attachments as Json[]) ?? []).filter((a) => (body.attachments as Json[]).some((k) => k.id === a.id))
          : ((target.attachments as Json[]) ?? []);
        Object.assign(target, {
          ...(body.content !== undefined ? { content: body.content ?? '' } : {}),
          ...(body.embeds !== undefined ? { embeds: body.embeds ?? [] } : {}),
          ...(body.components !== undefined ? { components: body.components ?? [] } : {}),
          attachments: [...kept, ...uploaded],
          flags: ((target.flags as number | undefined) ?? 0) & ~128,
          edited_timestamp: new Date().toISOString(),
        });
        return { status: 200, body: target };
      }
    }

    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      const channel = channels.get(m[1] as string);
      return channel ? { status: 200, body: channel } : unknownChannel();
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const channelId = m[1] as string;
      if (method === 'GET') return listMessages(channelId, query);
      if (method === 'POST') {
        if (!channels.has(channelId)) return unknownChannel();
        if (!body.content && !(body.embeds as unknown[] | undefined)?.length && files.length === 0 && !(body.components as unknown[] | undefined)?.length) {
          return error(400, 'Cannot send an empty message', 50006);
        }
        const message = completeMessage(channelId, {
          author: botUser,
          content: (body.content as string | undefined) ?? '',
          embeds: (body.embeds as Json[] | undefined) ?? [],
          components: (body.components as Json[] | undefined) ?? [],
          attachments: files.map((f) => addAttachment({ filename: f.filename, content: f.content, contentType: f.contentType, channelId })),
          ...(body.message_reference ? { type: 19, message_reference: body.message_reference } : {}),
        });
        storeMessage(message);
        if (session) dispatch('MESSAGE_CREATE', { ...message, guild_id: guildOf(channelId) });
        return { status: 200, body: message };
      }
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      const message = histories.get(m[1] as string)?.find((x) => x.id === m?.[2]);
      if (!channels.has(m[1] as string)) return unknownChannel();
      if (!message) return unknownMessage();
      if (method === 'GET') return { status: 200, body: message };
      if (method === 'PATCH') {
        Object.assign(message, body, { edited_timestamp: new Date().toISOString() });
        return { status: 200, body: message };
      }
      if (method === 'DELETE') {
        histories.set(m[1] as string, (histories.get(m[1] as string) ?? []).filter((x) => x !== message));
        return { status: 204 };
      }
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path)) && method === 'POST') return createThread(m[1] as string, body, m[2]);
    if ((m = /^\/channels\/(\d+)\/threads$/.exec(path)) && method === 'POST') return createThread(m[1] as string, body);
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/[^/]+\/@me$/.exec(path)) && method === 'PUT') {
      return histories.get(m[1] as string)?.some((x) => x.id === m?.[2]) ? { status: 204 } : unknownMessage();
    }
    if ((m = /^\/channels\/(\d+)\/typing$/.exec(path)) && method === 'POST') return channels.has(m[1] as string) ? { status: 204 } : unknownChannel();
    if ((m = /^\/guilds\/(\d+)$/.exec(path)) && method === 'GET') {
      const guild = guilds.find((g) => g.id === m?.[1]);
      return guild ? { status: 200, body: guildCreate(guild) } : error(404, 'Unknown Guild', 10004);
    }
    return error(404, '404: Not Found', 0);
  };

  const bucketOf = (method: string, path: string): string =>
    createHash('sha1').update(`${method}:${path.replace(/\d{15,}/g, ':id').replace(/\/webhooks\/:id\/[^/]+/, '/webhooks/:id/:token')}`).digest('hex').slice(0, 16);

  const handleRest = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const rawPath = url.pathname;
    const path = decodeURIComponent(rawPath.replace(/^\/api(\/v\d+)?/, ''));
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    let body: Json = {};
    const files: RecordedFile[] = [];
    if (raw.length > 0 && contentType.startsWith('application/json')) {
      body = JSON.parse(raw.toString('utf8')) as Json;
    } else if (raw.length > 0 && contentType.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      for (const [field, value] of form) {
        if (typeof value === 'string') {
          if (field === 'payload_json') body = JSON.parse(value) as Json;
        } else {
          files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', content: Buffer.from(await value.arrayBuffer()) });
        }
      }
    }
    const auth = req.headers.authorization;
    const authorized = auth === `Bot ${token}`;
    const bucket = bucketOf(method, path);

    let result: RestResult;
    const failureIndex = failures.findIndex((f) => f.method === method && f.path.test(path));
    if (failureIndex >= 0) {
      const failure = failures.splice(failureIndex, 1)[0]?.failure ?? {};
      const status = failure.status ?? 429;
      if (status === 429) {
        const retryAfter = failure.retryAfter ?? 1;
        const scope = failure.global ? 'global' : (failure.scope ?? 'user');
        result = {
          status,
          body: { message: 'You are being rate limited.', retry_after: retryAfter, global: Boolean(failure.global) },
          headers: failure.global
            ? { 'Retry-After': String(retryAfter), 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': scope }
            : {
                'Retry-After': String(retryAfter),
                'X-RateLimit-Limit': '5',
                'X-RateLimit-Remaining': '0',
                'X-RateLimit-Reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
                'X-RateLimit-Reset-After': retryAfter.toFixed(3),
                'X-RateLimit-Bucket': bucket,
                'X-RateLimit-Scope': scope,
              },
        };
      } else {
        result = error(status, failure.message ?? 'Fake failure', failure.code ?? 0);
      }
    } else {
      result = route(method, path, query, body, files, authorized);
      result.headers = {
        'X-RateLimit-Limit': '50',
        'X-RateLimit-Remaining': '49',
        'X-RateLimit-Reset': ((Date.now() + 1000) / 1000).toFixed(3),
        'X-RateLimit-Reset-After': '1.000',
        'X-RateLimit-Bucket': bucket,
        ...result.headers,
      };
    }
    requests.push({ method, path, rawPath, query, headers: req.headers, body: raw.length > 0 ? body : undefined, files, status: result.status, response: result.body, at: Date.now() });
    if (result.status === 204 || result.body === undefined) {
      // No body, so no JSON content type: @discordjs/rest would try to parse an empty body.
      res.writeHead(result.status, result.headers);
      res.end();
      return;
    }
    const text = JSON.stringify(result.body);
    res.writeHead(result.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...result.headers });
    res.end(text);
  };

  const handleCdn = (res: ServerResponse, url: URL): void => {
    const m = /^\/attachments\/\d+\/(\d+)\/[^/]+$/.exec(url.pathname);
    const file = m ? attachments.get(m[1] as string) : undefined;
    if (!file || url.searchParams.get('hm') !== file.hm) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('This content is no longer available.');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.content.length });
    res.end(file.content);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const work = url.pathname.startsWith('/api/')
      ? handleRest(req, res, url)
      : Promise.resolve(url.pathname.startsWith('/attachments/') && req.method === 'GET' ? handleCdn(res, url) : void res.writeHead(404).end());
    work.catch((err: unknown) => {
      if (!res.headersSent) {
        const text = JSON.stringify({ message: `Fake server error: ${String(err)}`, code: 0 });
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(text);
      } else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/gateway' && url.pathname !== '/gateway/' && url.pathname !== '/resume-gateway' && url.pathname !== '/resume-gateway/') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      gatewayConnections.push({ url: req.url ?? '', at: Date.now() });
      ws.on('close', () => {
        sockets.delete(ws);
        if (session?.ws === ws) {
          session.ws = undefined;
          session.ready = false;
        }
      });
      ws.on('error', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          ws.close(4002, 'Error while decoding payload.');
          return;
        }
        let frame: Json & { op: number };
        try {
          frame = JSON.parse(data.toString()) as Json & { op: number };
        } catch {
          ws.close(4002, 'Error while decoding payload.');
          return;
        }
        onGatewayFrame(ws, frame);
      });
      sendFrame(ws, { op: 10, d: { heartbeat_interval: heartbeatInterval, _trace: ['["fake-gateway",{"micros":0}]'] }, s: null, t: null });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  wsOrigin = `ws://127.0.0.1:${port}`;

  const resolveUser = (user?: Json & { id: string }): Json & { id: string } => user ?? defaultUser();

  return {
    apiUrl: `${origin}/api`,
    origin,
    gatewayUrl: `${wsOrigin}/gateway`,
    token,
    applicationId,
    botUser,
    guilds,
    requests,
    gatewayLog,
    gatewayConnections,
    commands,
    get connected() {
      return Boolean(session?.ws && session.ready);
    },
    get sessionId() {
      return session?.id;
    },
    dispatch,
    sendMessage(input) {
      const channel = channels.get(input.channelId);
      if (!channel) throw new Error(`Unknown channel ${input.channelId}: configure it in the guilds option`);
      const author = resolveUser(input.author);
      const message = completeMessage(input.channelId, {
        ...(input.id ? { id: input.id } : {}),
        author,
        content: input.content,
        attachments: input.attachments ?? [],
      });
      const mentioned = input.content.includes(`<@${botUser.id}>`) || input.content.includes(`<@!${botUser.id}>`);
      if (mentioned) message.mentions = [botUser];
      storeMessage(message);
      const guildId = channel.guild_id as string | undefined;
      // Message Content is privileged: without the intent, guild messages that do not mention the
      // bot arrive with empty content, attachments, embeds and components.
      const hidden = options.enforceMessageContentIntent !== false && guildId !== undefined && !mentioned && (identifiedIntents & MESSAGE_CONTENT_INTENT) === 0;
      const delivered = hidden ? { ...message, content: '', attachments: [], embeds: [], components: [] } : message;
      dispatch('MESSAGE_CREATE', { ...delivered, ...(guildId ? { guild_id: guildId, member: { ...memberFor(author), user: undefined } } : {}) });
      return message;
    },
    sendChatInputCommand(input) {
      const channelId = input.channelId ?? guilds[0]?.channels[0]?.id ?? '0';
      const guildId = input.guildId ?? guildOf(channelId);
      const state = newInteraction(2, channelId, guildId);
      let options: Json[] = [
        ...(input.options ?? []).map((o) => ({ ...o })),
        ...Object.entries(input.attachments ?? {}).map(([name, attachment]) => ({ name, type: OptionType.Attachment, value: attachment.id })),
      ];
      if (input.subcommand) options = [{ name: input.subcommand, type: OptionType.Subcommand, options }];
      if (input.subcommandGroup) options = [{ name: input.subcommandGroup, type: OptionType.SubcommandGroup, options }];
      const resolvedAttachments = Object.fromEntries(Object.values(input.attachments ?? {}).map((a) => [a.id, a]));
      const registered = [...(commands.get(guildId ?? '') ?? []), ...(commands.get('global') ?? [])].find((c) => c.name === input.name);
      const payload: Json = {
        ...interactionBase(state, resolveUser(input.user)),
        data: {
          id: (registered?.id as string | undefined) ?? snowflake(),
          name: input.name,
          type: 1,
          options,
          ...(Object.keys(resolvedAttachments).length > 0 ? { resolved: { attachments: resolvedAttachments } } : {}),
          ...(guildId ? { guild_id: guildId } : {}),
        },
      };
      dispatch('INTERACTION_CREATE', payload);
      return { id: state.id, token: state.token, payload };
    },
    sendButtonClick(input) {
      const message = input.message ?? histories.get(input.channelId)?.find((m) => m.id === input.messageId);
      if (!message) throw new Error(`sendButtonClick needs a message (none with id ${input.messageId} in ${input.channelId})`);
      const guildId = input.guildId ?? guildOf(input.channelId);
      const state = newInteraction(3, input.channelId, guildId);
      const payload: Json = {
        ...interactionBase(state, resolveUser(input.user)),
        message,
        data: { custom_id: input.customId, component_type: 2 },
      };
      dispatch('INTERACTION_CREATE', payload);
      return { id: state.id, token: state.token, payload };
    },
    addAttachment,
    setMessages(channelId, messages) {
      histories.set(channelId, []);
      for (const message of messages) storeMessage(completeMessage(channelId, message));
    },
    messagesIn(channelId) {
      return [...(histories.get(channelId) ?? [])];
    },
    failNext(method, path, failure = {}) {
      failures.push({ method: method.toUpperCase(), path, failure });
    },
    disconnectClient(code = 4000) {
      const ws = session?.ws;
      if (!ws) throw new Error('No gateway connection to cut');
      if (session) session.ready = false;
      ws.close(code, 'Disconnected by the test');
    },
    waitForRequest(method, path, timeoutMs = 5000, predicate = () => true) {
      return until(
        () => requests.find((r) => r.method === method.toUpperCase() && path.test(r.path) && predicate(r)),
        timeoutMs,
        () => `${method} ${path} (requests so far: ${requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'})`,
      );
    },
    waitForGatewayOp(op, timeoutMs = 5000, predicate = () => true) {
      return until(
        () => gatewayLog.find((f) => f.direction === 'in' && f.op === op && predicate(f)),
        timeoutMs,
        () => `gateway op ${op}`,
      );
    },
    close() {
      for (const ws of sockets) ws.terminate();
      return new Promise<void>((resolve) => {
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
