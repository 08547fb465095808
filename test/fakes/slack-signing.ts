/**
 * Builds what Slack sends to an app over HTTP: signed requests, Events API envelopes, slash command
 * form bodies and interactivity payloads. The same payload objects travel inside Socket Mode
 * envelopes (see slack-socket.ts).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export interface SlackSignatureHeaders {
  'X-Slack-Signature': string;
  'X-Slack-Request-Timestamp': string;
}

/** Slack's v0 scheme: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret. */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'X-Slack-Signature': `v0=${digest}`, 'X-Slack-Request-Timestamp': String(timestamp) };
}

export interface SignedPostOptions {
  signingSecret: string;
  /** Seconds since the epoch; defaults to now. Use `now - 6 * 60` to produce a stale request. */
  timestamp?: number;
  contentType?: 'application/json' | 'application/x-www-form-urlencoded';
  /** Extra headers, e.g. `{ 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' }`. */
  headers?: Record<string, string>;
  /** Replace the computed signature (to test rejection). */
  signature?: string;
}

/** POSTs a body to an app endpoint the way Slack does, signed. Returns the raw fetch Response. */
export async function postSignedToApp(url: string, body: string, options: SignedPostOptions): Promise<Response> {
  const signed = signSlackRequest(options.signingSecret, body, options.timestamp);
  const contentType =
    options.contentType ?? (body.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signed,
      ...(options.signature !== undefined ? { 'X-Slack-Signature': options.signature } : {}),
      ...options.headers,
    },
    body,
  });
}

/** Headers Slack adds when it redelivers an event (the body, including event_id, is identical). */
export function slackRetryHeaders(retryNum: number, reason = 'http_timeout'): Record<string, string> {
  return { 'X-Slack-Retry-Num': String(retryNum), 'X-Slack-Retry-Reason': reason };
}

export function slackEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

export function slackTriggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
}

export interface EventEnvelopeOptions {
  /** The inner event, e.g. `{ type: 'message', channel, user, text, ts }`. */
  event: Record<string, unknown>;
  teamId?: string;
  apiAppId?: string;
  eventId?: string;
  eventTime?: number;
  /** The bot user the event is delivered for; Bolt reads `authorizations[0]`. */
  botUserId?: string;
}

export interface SlackEventEnvelope {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown>;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: Array<{ enterprise_id: null; team_id: string; user_id: string; is_bot: boolean; is_enterprise_install: boolean }>;
  is_ext_shared_channel: boolean;
  event_context: string;
}

/** An Events API `event_callback` body (send it as JSON). */
export function buildEventEnvelope(options: EventEnvelopeOptions): SlackEventEnvelope {
  const teamId = options.teamId ?? 'T0TEST';
  const eventTime = options.eventTime ?? Math.floor(Date.now() / 1000);
  return {
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: options.apiAppId ?? 'A0TEST',
    event: { event_ts: `${eventTime}.000100`, ...options.event },
    type: 'event_callback',
    event_id: options.eventId ?? slackEventId(),
    event_time: eventTime,
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: options.botUserId ?? 'U0BOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
  };
}

/** The body Slack sends when an Events API request URL is first configured. */
export function buildUrlVerification(challenge = randomUUID()): { token: string; challenge: string; type: 'url_verification' } {
  return { token: 'legacy-verification-token', challenge, type: 'url_verification' };
}

export interface SlashCommandOptions {
  command: string;
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** Where the app may post delayed replies; use `fakeSlackApi.responseUrl()`. */
  responseUrl: string;
  triggerId?: string;
}

/** The fields of a slash command request. Over HTTP they are form-encoded; over Socket Mode they are the payload. */
export function buildSlashCommand(options: SlashCommandOptions): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: options.teamId ?? 'T0TEST',
    team_domain: options.teamDomain ?? 'teamsync-test',
    channel_id: options.channelId ?? 'C0GENERAL',
    channel_name: options.channelName ?? 'general',
    user_id: options.userId ?? 'U0ALICE',
    user_name: options.userName ?? 'alice',
    command: options.command,
    text: options.text ?? '',
    api_app_id: options.apiAppId ?? 'A0TEST',
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: options.triggerId ?? slackTriggerId(),
  };
}

export function toFormBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A slash command as Slack POSTs it: `application/x-www-form-urlencoded`. */
export function buildSlashCommandBody(options: SlashCommandOptions): string {
  return toFormBody(buildSlashCommand(options));
}

export interface BlockAction {
  action_id: string;
  block_id?: string;
  type?: string;
  value?: string;
  text?: { type: 'plain_text'; text: string; emoji?: boolean };
  selected_option?: { text: { type: 'plain_text'; text: string }; value: string };
}

export interface BlockActionsOptions {
  actions: BlockAction[];
  userId?: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  apiAppId?: string;
  /** The message that carried the buttons (defaults to a minimal bot message). */
  message?: Record<string, unknown>;
  responseUrl: string;
  triggerId?: string;
}

/** A `block_actions` interactivity payload (the object; see `interactivityBody` for the HTTP form). */
export function buildBlockActions(options: BlockActionsOptions): Record<string, unknown> {
  const teamId = options.teamId ?? 'T0TEST';
  const channelId = options.channelId ?? 'C0GENERAL';
  const actionTs = `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1000).padStart(6, '0')}`;
  const message = options.message ?? {
    type: 'message',
    user: 'U0BOT',
    bot_id: 'B0BOT',
    ts: '1700000000.000100',
    text: 'Pick one',
    blocks: [],
  };
  return {
    type: 'block_actions',
    user: { id: options.userId ?? 'U0ALICE', username: options.userName ?? 'alice', name: options.userName ?? 'alice', team_id: teamId },
    api_app_id: options.apiAppId ?? 'A0TEST',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: false },
    trigger_id: options.triggerId ?? slackTriggerId(),
    team: { id: teamId, domain: 'teamsync-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'general' },
    message,
    state: { values: {} },
    response_url: options.responseUrl,
    actions: options.actions.map((action) => ({
      type: 'button',
      block_id: 'actions',
      action_ts: actionTs,
      ...action,
    })),
  };
}

/** Interactivity arrives form-encoded with a single `payload` field holding JSON. */
export function interactivityBody(payload: Record<string, unknown>): string {
  return toFormBody({ payload: JSON.stringify(payload) });
}
