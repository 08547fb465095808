/**
 * A fake Slack Web API on 127.0.0.1 for tests that run the real @slack/bolt / @slack/web-api code.
 *
 * Point Bolt at it with `clientOptions: { slackApiUrl: fake.url }` (and, in Socket Mode, also
 * `installerOptions: { clientOptions: { slackApiUrl: fake.url } }`). Every Web API call is recorded
 * in `calls`, whatever its body encoding (form-urlencoded as WebClient sends, JSON, multipart).
 *
 * Besides `/api/{method}` the server hosts:
 * - private file downloads (`url_private`, `url_private_download`) that need `Authorization: Bearer
 *   <bot token>`; a wrong or missing token gets Slack's HTML login page with status 200;
 * - `response_url` endpoints (`responseUrl()`), recorded in `responses`;
 * - the upload URLs handed out by `files.getUploadURLExternal` (files.uploadV2 flow).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SlackArgs = Record<string, unknown>;
export type SlackMessage = Record<string, unknown> & { ts: string };

export interface RecordedSlackCall {
  method: string;
  /** The arguments as Slack received them: form values are strings (objects arrive JSON-encoded). */
  args: SlackArgs;
  headers: IncomingHttpHeaders;
  /** The token used (Authorization header or `token` argument), if any. */
  token: string | undefined;
  /** HTTP status and body the fake answered with. */
  status: number;
  response: unknown;
  at: number;
}

export interface RecordedResponseUrlPost {
  id: string;
  body: unknown;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface RecordedDownload {
  path: string;
  fileId: string | undefined;
  authorized: boolean;
  /** What was served: the file bytes or the HTML login page. */
  served: 'file' | 'login_page' | 'not_found';
}

export interface PostedMessage {
  method: 'chat.postMessage' | 'chat.postEphemeral' | 'chat.update';
  channel: string;
  ts: string;
  text: string | undefined;
  thread_ts: string | undefined;
  blocks: unknown;
  user: string | undefined;
}

export interface FakeSlackFileInput {
  id: string;
  name: string;
  content: Buffer;
  mimetype: string;
  title?: string;
  filetype?: string;
  user?: string;
  /**
   * Serve Slack's HTML login page (200, text/html) even for the right token, as Slack does when the
   * token lacks `files:read` or the file is not visible to the bot.
   */
  html?: boolean;
}

export interface FakeSlackFile extends FakeSlackFileInput {
  /** The object Slack returns from files.info and embeds in message events (`files: [...]`). */
  info: Record<string, unknown>;
}

export interface SlackFailure {
  /** HTTP status; 429 makes a rate-limit answer with `Retry-After`. Default 429. */
  status?: number;
  /** Seconds for the `Retry-After` header (0 makes WebClient retry immediately). Default 1. */
  retryAfter?: number;
  /** Answer 200 `{ ok: false, error }` instead of an HTTP error. */
  error?: string;
}

export interface FakeSlackApiOptions {
  botToken?: string;
  appToken?: string;
  /** More tokens accepted as bot tokens (e.g. for a second workspace). */
  extraBotTokens?: string[];
  teamId?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** users.info answers: any id not listed gets a generated profile. */
  users?: Record<string, Record<string, unknown>>;
  /** conversations.info answers: any id not listed gets a generated public channel. */
  channels?: Record<string, Record<string, unknown>>;
  /**
   * Cap on messages per conversations.history / .replies page whatever `limit` asks, like Slack's
   * 15-per-call limit for non-Marketplace apps. Default: no cap beyond Slack's max of 999.
   */
  maxMessagesPerPage?: number;
}

export interface FakeSlackApi {
  /** Base Web API URL with trailing slash, e.g. `http://127.0.0.1:PORT/api/` (for `slackApiUrl`). */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  botToken: string;
  appToken: string;
  teamId: string;
  botUserId: string;
  botId: string;
  appId: string;
  calls: RecordedSlackCall[];
  files: Map<string, FakeSlackFile>;
  downloads: RecordedDownload[];
  responses: RecordedResponseUrlPost[];
  posted: PostedMessage[];
  callsTo(method: string): RecordedSlackCall[];
  /** Messages of a channel, any order; served newest first by conversations.history. */
  setHistory(channel: string, messages: Array<Partial<SlackMessage> & { ts: string }>): void;
  /** A thread's replies (the parent, if listed or present in the history, is served first). */
  setReplies(channel: string, threadTs: string, messages: Array<Partial<SlackMessage> & { ts: string }>): void;
  /** Queue a failure for the next call of `method` (call again to queue more). */
  failNext(method: string, failure?: SlackFailure): void;
  addFile(file: FakeSlackFileInput): FakeSlackFile;
  /** A fresh `response_url` on this server; posts to it land in `responses`. */
  responseUrl(id?: string): string;
  /** Supplies the URL `apps.connections.open` returns (slack-socket.ts wires this up). */
  setSocketModeUrlProvider(provider: (() => string) | undefined): void;
  /** Override the answer of one method; return `undefined` to fall back to the built-in answer. */
  handle(method: string, handler: ((args: SlackArgs, call: { token: string | undefined }) => unknown) | undefined): void;
  /** Resolves with the first recorded call (past or future) of `method` that matches. */
  waitForCall(method: string, predicate?: (call: RecordedSlackCall) => boolean, timeoutMs?: number): Promise<RecordedSlackCall>;
  close(): Promise<void>;
}

const LOGIN_PAGE = `<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>Slack</title></head>
<body class="sign_in"><h1>Sign in to TeamSync Test</h1><form id="signin_form" action="/" method="post">
<input type="email" name="email"><input type="password" name="password"><button type="submit">Sign In</button></form></body></html>`;

const MIME_TO_FILETYPE: Record<string, string> = {
  'text/plain': 'text',
  'text/csv': 'csv',
  'application/json': 'json',
  'application/zip': 'zip',
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/calendar': 'ics',
};

/** Slack timestamps compare as (seconds, microseconds). */
export function compareSlackTs(a: string, b: string): number {
  const [as, au = '0'] = a.split('.');
  const [bs, bu = '0'] = b.split('.');
  const ai = BigInt(as ?? '0') * 1_000_000n + BigInt(au.padEnd(6, '0').slice(0, 6));
  const bi = BigInt(bs ?? '0') * 1_000_000n + BigInt(bu.padEnd(6, '0').slice(0, 6));
  return ai < bi ? -1 : ai > bi ? 1 : 0;
}

function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return text.startsWith('next_ts:') ? text.slice('next_ts:'.length) : undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses form, JSON or multipart bodies into flat arguments (multipart files become Buffers). */
async function parseArgs(req: IncomingMessage, raw: Buffer): Promise<SlackArgs> {
  const type = String(req.headers['content-type'] ?? '');
  const args: SlackArgs = {};
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  for (const [key, value] of query) args[key] = value;
  if (raw.length === 0) return args;
  if (type.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed && typeof parsed === 'object') Object.assign(args, parsed);
  } else if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    for (const [key, value] of form) {
      args[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) args[key] = value;
  } else {
    args.body = raw;
  }
  return args;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function clampLimit(value: unknown, fallback: number, cap: number | undefined): number {
  const n = Number.parseInt(str(value) ?? '', 10);
  const limit = Number.isFinite(n) && n > 0 ? Math.min(n, 999) : fallback;
  return cap !== undefined ? Math.min(limit, cap) : limit;
}

interface Waiter {
  method: string;
  predicate: (call: RecordedSlackCall) => boolean;
  resolve: (call: RecordedSlackCall) => void;
}

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const botToken = options.botToken ?? 'xoxb-fake-bot-token';
  const appToken = options.appToken ?? 'xapp-1-A0TEST-fake-app-token';
  const botTokens = new Set([botToken, ...(options.extraBotTokens ?? [])]);
  const teamId = options.teamId ?? 'T0TEST';
  const botUserId = options.botUserId ?? 'U0BOT';
  const botId = options.botId ?? 'B0BOT';
  const appId = options.appId ?? 'A0TEST';
  const calls: RecordedSlackCall[] = [];
  const files = new Map<string, FakeSlackFile>();
  const downloads: RecordedDownload[] = [];
  const responses: RecordedResponseUrlPost[] = [];
  const posted: PostedMessage[] = [];
  const histories = new Map<string, SlackMessage[]>();
  const threads = new Map<string, SlackMessage[]>();
  const failures = new Map<string, SlackFailure[]>();
  const overrides = new Map<string, (args: SlackArgs, call: { token: string | undefined }) => unknown>();
  const reactions = new Set<string>();
  const pendingUploads = new Map<string, { filename: string; content?: Buffer }>();
  const waiters: Waiter[] = [];
  let socketModeUrl: (() => string) | undefined;
  let origin = '';
  let lastTsMicros = 0n;

  const nextTs = (): string => {
    let micros = BigInt(Date.now()) * 1000n;
    if (micros <= lastTsMicros) micros = lastTsMicros + 1n;
    lastTsMicros = micros;
    return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
  };

  const threadKey = (channel: string, ts: string): string => `${channel}/${ts}`;

  const normalizeMessage = (message: Partial<SlackMessage> & { ts: string }): SlackMessage => ({
    type: 'message',
    user: 'U0ALICE',
    text: '',
    team: teamId,
    ...message,
  });

  const fileInfo = (file: FakeSlackFileInput): Record<string, unknown> => {
    const base = `${origin}/files-pri/${teamId}-${file.id}`;
    const name = encodeURIComponent(file.name);
    const created = Math.floor(Date.now() / 1000);
    const filetype = file.filetype ?? MIME_TO_FILETYPE[file.mimetype] ?? file.name.split('.').pop() ?? 'binary';
    return {
      id: file.id,
      created,
      timestamp: created,
      name: file.name,
      title: file.title ?? file.name,
      mimetype: file.mimetype,
      filetype,
      pretty_type: filetype.toUpperCase(),
      user: file.user ?? 'U0ALICE',
      user_team: teamId,
      editable: false,
      size: file.content.length,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: true,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `${base}/${name}`,
      url_private_download: `${base}/download/${name}`,
      permalink: `https://teamsync-test.slack.com/files/${file.user ?? 'U0ALICE'}/${file.id}/${name}`,
      permalink_public: `https://slack-files.com/${teamId}-${file.id}-${randomBytes(5).toString('hex')}`,
      channels: [],
      groups: [],
      ims: [],
      comments_count: 0,
    };
  };

  const addFile = (file: FakeSlackFileInput): FakeSlackFile => {
    const stored: FakeSlackFile = { ...file, info: fileInfo(file) };
    files.set(file.id, stored);
    return stored;
  };

  const userInfo = (id: string): Record<string, unknown> => {
    const given = options.users?.[id] ?? {};
    const name = str(given.name) ?? id.toLowerCase();
    return {
      id,
      team_id: teamId,
      name,
      deleted: false,
      real_name: name,
      tz: 'Europe/Berlin',
      tz_label: 'Central European Time',
      tz_offset: 3600,
      is_bot: id === botUserId,
      is_admin: false,
      is_app_user: false,
      updated: 1_700_000_000,
      ...given,
      profile: { real_name: name, display_name: name, ...(given.profile as Record<string, unknown> | undefined) },
    };
  };

  const channelInfo = (id: string): Record<string, unknown> => ({
    id,
    name: id.toLowerCase(),
    is_channel: id.startsWith('C'),
    is_group: false,
    is_im: id.startsWith('D'),
    is_private: id.startsWith('G'),
    is_member: true,
    is_archived: false,
    created: 1_600_000_000,
    creator: 'U0ALICE',
    context_team_id: teamId,
    ...options.channels?.[id],
  });

  /** Slice a list already in serving order by cursor and limit. */
  const page = (
    list: SlackMessage[],
    args: SlackArgs,
  ): { ok: true; messages: SlackMessage[]; has_more: boolean; response_metadata: { next_cursor: string } } | { ok: false; error: string } => {
    const limit = clampLimit(args.limit, 100, options.maxMessagesPerPage);
    let start = 0;
    const cursor = str(args.cursor);
    if (cursor) {
      const ts = decodeCursor(cursor);
      const index = ts === undefined ? -1 : list.findIndex((m) => m.ts === ts);
      if (index < 0) return { ok: false, error: 'invalid_cursor' };
      start = index;
    }
    const messages = list.slice(start, start + limit);
    const next = list[start + limit];
    return { ok: true, messages, has_more: next !== undefined, response_metadata: { next_cursor: next ? encodeCursor(next.ts) : '' } };
  };

  const inRange = (args: SlackArgs) => {
    const oldest = str(args.oldest) ?? '0';
    const latest = str(args.latest);
    const inclusive = flag(args.inclusive);
    return (m: SlackMessage): boolean => {
      const lo = compareSlackTs(m.ts, oldest);
      if (lo < 0 || (lo === 0 && !inclusive)) return false;
      if (latest === undefined) return true;
      const hi = compareSlackTs(m.ts, latest);
      return hi < 0 || (hi === 0 && inclusive);
    };
  };

  const builtin: Record<string, (args: SlackArgs, token: string | undefined) => unknown> = {
    'api.test': (args) => ({ ok: true, args }),
    'auth.test': (_args, token) =>
      token === appToken
        ? { ok: true, app_name: 'TeamSync', app_id: appId, team_id: teamId }
        : {
            ok: true,
            url: 'https://teamsync-test.slack.com/',
            team: options.teamName ?? 'TeamSync Test',
            user: 'teamsync',
            team_id: teamId,
            user_id: botUserId,
            bot_id: botId,
            is_enterprise_install: false,
          },
    'apps.connections.open': () =>
      socketModeUrl ? { ok: true, url: socketModeUrl() } : { ok: false, error: 'internal_error' },
    'chat.postMessage': (args) => {
      const channel = str(args.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!args.text && !args.blocks && !args.attachments) return { ok: false, error: 'no_text' };
      const ts = nextTs();
      const message = {
        type: 'message',
        text: str(args.text) ?? '',
        user: botUserId,
        bot_id: botId,
        app_id: appId,
        ts,
        team: teamId,
        ...(args.thread_ts ? { thread_ts: str(args.thread_ts) } : {}),
        ...(args.blocks ? { blocks: typeof args.blocks === 'string' ? JSON.parse(args.blocks) : args.blocks } : {}),
      };
      posted.push({ method: 'chat.postMessage', channel, ts, text: str(args.text), thread_ts: str(args.thread_ts), blocks: args.blocks, user: undefined });
      return { ok: true, channel, ts, message };
    },
    'chat.postEphemeral': (args) => {
      const channel = str(args.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!args.user) return { ok: false, error: 'user_not_in_channel' };
      const ts = nextTs();
      posted.push({ method: 'chat.postEphemeral', channel, ts, text: str(args.text), thread_ts: str(args.thread_ts), blocks: args.blocks, user: str(args.user) });
      return { ok: true, message_ts: ts };
    },
    'chat.update': (args) => {
      const channel = str(args.channel);
      const ts = str(args.ts);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!ts) return { ok: false, error: 'message_not_found' };
      posted.push({ method: 'chat.update', channel, ts, text: str(args.text), thread_ts: undefined, blocks: args.blocks, user: undefined });
      return { ok: true, channel, ts, text: str(args.text) ?? '', message: { type: 'message', text: str(args.text) ?? '', user: botUserId, bot_id: botId } };
    },
    'reactions.add': (args) => {
      const key = `${str(args.channel)}/${str(args.timestamp)}/${str(args.name)}`;
      if (!args.channel || !args.timestamp || !args.name) return { ok: false, error: 'invalid_arguments' };
      if (reactions.has(key)) return { ok: false, error: 'already_reacted' };
      reactions.add(key);
      return { ok: true };
    },
    'files.info': (args) => {
      const file = files.get(str(args.file) ?? '');
      return file ? { ok: true, file: file.info, comments: [], response_metadata: { next_cursor: '' } } : { ok: false, error: 'file_not_found' };
    },
    'files.getUploadURLExternal': (args) => {
      const filename = str(args.filename);
      if (!filename || !args.length) return { ok: false, error: 'invalid_arguments' };
      const fileId = `F${randomBytes(5).toString('hex').toUpperCase()}`;
      pendingUploads.set(fileId, { filename });
      return { ok: true, upload_url: `${origin}/upload/v1/${fileId}`, file_id: fileId };
    },
    'files.completeUploadExternal': (args) => {
      const list = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as Array<{ id: string; title?: string }>;
      const done: Record<string, unknown>[] = [];
      for (const entry of list ?? []) {
        const pending = pendingUploads.get(entry.id);
        if (!pending?.content) return { ok: false, error: 'file_not_found' };
        pendingUploads.delete(entry.id);
        const file = addFile({ id: entry.id, name: pending.filename, title: entry.title, content: pending.content, mimetype: 'application/octet-stream', user: botUserId });
        const channel = str(args.channel_id);
        if (channel) (file.info.channels as string[]).push(channel);
        done.push(file.info);
      }
      return { ok: true, files: done };
    },
    'conversations.history': (args) => {
      const channel = str(args.channel) ?? '';
      const list = histories.get(channel);
      if (!list) return options.channels?.[channel] ? { ok: true, messages: [], has_more: false, response_metadata: { next_cursor: '' } } : { ok: false, error: 'channel_not_found' };
      const newestFirst = list.filter(inRange(args)).reverse();
      const result = page(newestFirst, args);
      return result.ok ? { ...result, pin_count: 0, channel_actions_ts: null, channel_actions_count: 0 } : result;
    },
    'conversations.replies': (args) => {
      const channel = str(args.channel) ?? '';
      const ts = str(args.ts) ?? '';
      const thread = threads.get(threadKey(channel, ts));
      if (!thread) {
        const parent = histories.get(channel)?.find((m) => m.ts === ts);
        if (!parent) return { ok: false, error: histories.has(channel) ? 'thread_not_found' : 'channel_not_found' };
        return { ok: true, messages: [parent], has_more: false, response_metadata: { next_cursor: '' } };
      }
      return page(thread.filter(inRange(args)), args);
    },
    'users.info': (args) => (str(args.user) ? { ok: true, user: userInfo(str(args.user) as string) } : { ok: false, error: 'user_not_found' }),
    'conversations.info': (args) => (str(args.channel) ? { ok: true, channel: channelInfo(str(args.channel) as string) } : { ok: false, error: 'channel_not_found' }),
  };

  const record = (call: RecordedSlackCall): void => {
    calls.push(call);
    for (const waiter of [...waiters]) {
      if (waiter.method === call.method && waiter.predicate(call)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    const raw = await readBody(req);
    const args = await parseArgs(req, raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : str(args.token);
    const respond = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record({ method, args, headers: req.headers, token, status, response: body, at: Date.now() });
      sendJson(res, status, body, headers);
    };
    const failure = failures.get(method)?.shift();
    if (failure) {
      if (failure.error) return respond(200, { ok: false, error: failure.error });
      const status = failure.status ?? 429;
      if (status === 429) {
        const retryAfter = failure.retryAfter ?? 1;
        return respond(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(retryAfter) });
      }
      return respond(status, { ok: false, error: 'fatal_error' });
    }
    if (method !== 'api.test') {
      if (!token) return respond(200, { ok: false, error: 'not_authed' });
      const isApp = token === appToken;
      const isBot = botTokens.has(token);
      if (!isApp && !isBot) return respond(200, { ok: false, error: 'invalid_auth' });
      if (method === 'apps.connections.open' && !isApp) return respond(200, { ok: false, error: 'not_allowed_token_type' });
      if (method !== 'apps.connections.open' && method !== 'auth.test' && isApp) return respond(200, { ok: false, error: 'not_allowed_token_type' });
    }
    const override = overrides.get(method);
    const custom = override ? override(args, { token }) : undefined;
    if (custom !== undefined) return respond(200, custom);
    const answer = builtin[method];
    if (!answer) return respond(200, { ok: false, error: 'unknown_method' });
    return respond(200, answer(args, token));
  };

  const handleDownload = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const match = /^\/files-pri\/[^/-]+-([^/]+)\/(?:download\/)?[^/]+$/.exec(path);
    const fileId = match?.[1];
    const file = fileId ? files.get(fileId) : undefined;
    const auth = req.headers.authorization;
    const authorized = auth !== undefined && auth.startsWith('Bearer ') && botTokens.has(auth.slice('Bearer '.length));
    if (!file) {
      downloads.push({ path, fileId, authorized, served: 'not_found' });
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    if (!authorized || file.html) {
      downloads.push({ path, fileId, authorized, served: 'login_page' });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(LOGIN_PAGE) });
      res.end(LOGIN_PAGE);
      return;
    }
    downloads.push({ path, fileId, authorized, served: 'file' });
    const download = path.includes('/download/');
    res.writeHead(200, {
      'Content-Type': file.mimetype,
      'Content-Length': file.content.length,
      ...(download ? { 'Content-Disposition': `attachment; filename="${file.name}"` } : {}),
    });
    res.end(file.content);
  };

  const handleUpload = async (req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> => {
    const raw = await readBody(req);
    const pending = pendingUploads.get(fileId);
    if (!pending) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const args = await parseArgs(req, raw);
    const part = Object.values(args).find((v): v is Buffer => Buffer.isBuffer(v));
    pending.content = part ?? (typeof args.body === 'string' ? Buffer.from(args.body) : raw);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`OK - ${pending.content.length}`);
  };

  const handleResponseUrl = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const raw = await readBody(req);
    let body: unknown = raw.toString('utf8');
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      // Slack accepts only JSON here; keep the text so a test can see what was sent.
    }
    responses.push({ id, body, headers: req.headers, at: Date.now() });
    sendJson(res, 200, { ok: true });
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const work = (async () => {
      const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(path);
      if (api?.[1] && (req.method === 'POST' || req.method === 'GET')) return handleApi(req, res, api[1]);
      if (path.startsWith('/files-pri/') && req.method === 'GET') return handleDownload(req, res, path);
      const upload = /^\/upload\/v1\/([A-Z0-9]+)$/.exec(path);
      if (upload?.[1] && req.method === 'POST') return handleUpload(req, res, upload[1]);
      const response = /^\/response\/([A-Za-z0-9_-]+)$/.exec(path);
      if (response?.[1] && req.method === 'POST') return handleResponseUrl(req, res, response[1]);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
    })();
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fake_server_error', detail: String(error) });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api/`,
    origin,
    botToken,
    appToken,
    teamId,
    botUserId,
    botId,
    appId,
    calls,
    files,
    downloads,
    responses,
    posted,
    callsTo: (method) => calls.filter((c) => c.method === method),
    setHistory(channel, messages) {
      histories.set(channel, messages.map(normalizeMessage).sort((a, b) => compareSlackTs(a.ts, b.ts)));
    },
    setReplies(channel, threadTs, messages) {
      const list = messages.map((m) => normalizeMessage({ ...m, thread_ts: threadTs }));
      const parentInHistory = histories.get(channel)?.find((m) => m.ts === threadTs);
      if (!list.some((m) => m.ts === threadTs) && parentInHistory) list.push(parentInHistory);
      list.sort((a, b) => compareSlackTs(a.ts, b.ts));
      const replies = list.filter((m) => m.ts !== threadTs);
      const parent = list.find((m) => m.ts === threadTs);
      if (parent) {
        Object.assign(parent, {
          thread_ts: threadTs,
          reply_count: replies.length,
          reply_users: [...new Set(replies.map((m) => m.user))],
          latest_reply: replies.at(-1)?.ts,
        });
      }
      threads.set(threadKey(channel, threadTs), list);
    },
    failNext(method, failure = {}) {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    addFile,
    responseUrl(id = randomBytes(8).toString('hex')) {
      return `${origin}/response/${id}`;
    },
    setSocketModeUrlProvider(provider) {
      socketModeUrl = provider;
    },
    handle(method, handler) {
      if (handler) overrides.set(method, handler);
      else overrides.delete(method);
    },
    waitForCall(method, predicate = () => true, timeoutMs = 5000) {
      const found = calls.find((c) => c.method === method && predicate(c));
      if (found) return Promise.resolve(found);
      return new Promise<RecordedSlackCall>((resolve, reject) => {
        const waiter: Waiter = {
          method,
          predicate,
          resolve: (call) => {
            clearTimeout(timer);
            resolve(call);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const seen = calls.map((c) => c.method).join(', ') || 'none';
          reject(new Error(`No ${method} call within ${timeoutMs} ms (calls so far: ${seen})`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
