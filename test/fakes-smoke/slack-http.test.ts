/**
 * The real Bolt App (HTTP receiver) and WebClient against the fake Slack Web API on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type Logger } from '@slack/bolt';
import { WebClient, WebClientEvent } from '@slack/web-api';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.js';
import {
  buildBlockActions,
  buildEventEnvelope,
  buildSlashCommandBody,
  interactivityBody,
  postSignedToApp,
  slackRetryHeaders,
} from '../fakes/slack-signing.js';

const SIGNING_SECRET = 'test-signing-secret';

/** Bolt logs rejected signatures as warnings; keep them for assertions instead of printing them. */
function quietLogger(lines: string[]): Logger {
  let level = LogLevel.DEBUG;
  const keep = (...msg: unknown[]): void => {
    lines.push(msg.map(String).join(' '));
  };
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: keep,
    error: keep,
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

describe('Bolt HTTP mode against the fake Slack Web API', () => {
  let fake: FakeSlackApi;
  let app: App;
  let endpoint: string;
  const logLines: string[] = [];
  const seenEvents: Array<{ eventId: string; retryNum: number | undefined; retryReason: string | undefined }> = [];
  const commands: Array<{ text: string }> = [];

  beforeAll(async () => {
    fake = await startFakeSlackApi();
    // Bolt calls auth.test from its constructor: the fake must already be listening.
    app = new App({
      token: fake.botToken,
      signingSecret: SIGNING_SECRET,
      clientOptions: { slackApiUrl: fake.url },
      logger: quietLogger(logLines),
    });
    app.command('/teamsync', async ({ ack, command, client, respond }) => {
      await ack();
      commands.push({ text: command.text });
      await client.chat.postMessage({ channel: command.channel_id, text: `Working on: ${command.text}` });
      await respond({ text: 'Done', response_type: 'ephemeral' });
    });
    app.event('app_mention', async ({ body, context }) => {
      seenEvents.push({ eventId: String(body.event_id), retryNum: context.retryNum, retryReason: context.retryReason });
    });
    app.action('approve', async ({ ack, respond }) => {
      await ack();
      await respond({ text: 'Approved', replace_original: true });
    });
    const server = (await app.start(0)) as Server;
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('answers auth.test at start-up with the bot identity', async () => {
    const call = await fake.waitForCall('auth.test');
    expect(call.token).toBe(fake.botToken);
    expect(call.response).toMatchObject({ ok: true, user_id: fake.botUserId, bot_id: fake.botId, team_id: fake.teamId });
  });

  it('acks a signed slash command, then posts through the fake Web API and the response_url', async () => {
    const responseUrl = fake.responseUrl('cmd1');
    const body = buildSlashCommandBody({ command: '/teamsync', text: 'import', channelId: 'C0GENERAL', responseUrl });
    const res = await postSignedToApp(endpoint, body, { signingSecret: SIGNING_SECRET });
    expect(res.status).toBe(200);

    const post = await fake.waitForCall('chat.postMessage');
    // WebClient sends form-urlencoded bodies; Bolt's per-request client adds team_id.
    expect(String(post.headers['content-type'])).toContain('application/x-www-form-urlencoded');
    expect(post.args).toMatchObject({ channel: 'C0GENERAL', text: 'Working on: import', team_id: 'T0TEST' });
    expect(post.token).toBe(fake.botToken);
    expect(commands).toEqual([{ text: 'import' }]);

    const deadline = Date.now() + 2000;
    while (fake.responses.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(fake.responses[0]).toMatchObject({ id: 'cmd1', body: { text: 'Done', response_type: 'ephemeral' } });
  });

  it('rejects a bad signature and a stale timestamp with 401', async () => {
    const body = buildSlashCommandBody({ command: '/teamsync', text: 'forged', responseUrl: fake.responseUrl() });
    const forged = await postSignedToApp(endpoint, body, { signingSecret: SIGNING_SECRET, signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const wrongSecret = await postSignedToApp(endpoint, body, { signingSecret: 'another-secret' });
    expect(wrongSecret.status).toBe(401);
    const stale = await postSignedToApp(endpoint, body, {
      signingSecret: SIGNING_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    expect(commands.map((c) => c.text)).not.toContain('forged');
    expect(logLines.some((l) => l.includes('stale'))).toBe(true);
  });

  it('delivers a redelivered event (same event_id) with the retry headers in the context', async () => {
    const envelope = buildEventEnvelope({
      event: { type: 'app_mention', user: 'U0ALICE', text: '<@U0BOT> status', channel: 'C0GENERAL', ts: '1700000000.000200' },
    });
    const body = JSON.stringify(envelope);
    const first = await postSignedToApp(endpoint, body, { signingSecret: SIGNING_SECRET });
    const retry = await postSignedToApp(endpoint, body, { signingSecret: SIGNING_SECRET, headers: slackRetryHeaders(1, 'http_timeout') });
    expect([first.status, retry.status]).toEqual([200, 200]);
    const deadline = Date.now() + 2000;
    while (seenEvents.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seenEvents).toEqual([
      { eventId: envelope.event_id, retryNum: undefined, retryReason: undefined },
      { eventId: envelope.event_id, retryNum: 1, retryReason: 'http_timeout' },
    ]);
  });

  it('routes a block_actions payload to the action listener, which replies on response_url', async () => {
    const payload = buildBlockActions({ actions: [{ action_id: 'approve', value: 'todo-1' }], responseUrl: fake.responseUrl('act1') });
    const res = await postSignedToApp(endpoint, interactivityBody(payload), { signingSecret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    const deadline = Date.now() + 2000;
    while (!fake.responses.some((r) => r.id === 'act1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(fake.responses.find((r) => r.id === 'act1')?.body).toEqual({ text: 'Approved', replace_original: true });
  });
});

describe('WebClient against the fake Slack Web API', () => {
  let fake: FakeSlackApi;

  beforeAll(async () => {
    fake = await startFakeSlackApi();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('pages conversations.history by cursor and waits out a 429 Retry-After', async () => {
    const base = 1_700_000_000;
    fake.setHistory(
      'C0HIST',
      Array.from({ length: 5 }, (_, i) => ({ ts: `${base + i}.000100`, user: 'U0ALICE', text: `message ${i}` })),
    );
    // One retry budget with no extra backoff: the wait comes from Retry-After alone.
    const client = new WebClient(fake.botToken, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 10 },
      logLevel: LogLevel.ERROR,
    });
    const rateLimited: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));

    const first = await client.conversations.history({ channel: 'C0HIST', limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['message 4', 'message 3']);
    expect(first.has_more).toBe(true);
    const cursor = first.response_metadata?.next_cursor;
    expect(cursor).toBeTruthy();

    fake.failNext('conversations.history', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const second = await client.conversations.history({ channel: 'C0HIST', limit: 2, cursor });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rateLimited).toEqual([1]);
    expect(second.messages?.map((m) => m.text)).toEqual(['message 2', 'message 1']);

    const third = await client.conversations.history({ channel: 'C0HIST', limit: 2, cursor: second.response_metadata?.next_cursor });
    expect(third.messages?.map((m) => m.text)).toEqual(['message 0']);
    expect(third.has_more).toBe(false);
    expect(third.response_metadata?.next_cursor ?? '').toBe('');

    const historyCalls = fake.callsTo('conversations.history');
    expect(historyCalls.map((c) => c.status)).toEqual([200, 429, 200, 200]);
    expect(historyCalls[1]?.args.cursor).toBe(cursor);
    expect(historyCalls[2]?.args.cursor).toBe(cursor);

    // oldest/latest are exclusive bounds unless inclusive is set.
    const window = await client.conversations.history({ channel: 'C0HIST', oldest: `${base + 1}.000100`, latest: `${base + 3}.000100` });
    expect(window.messages?.map((m) => m.text)).toEqual(['message 2']);
  });

  it('pages conversations.replies oldest first, parent first, and paginate() walks every page', async () => {
    fake.setHistory('C0THREAD', [{ ts: '1700000100.000100', text: 'parent' }]);
    fake.setReplies('C0THREAD', '1700000100.000100', [
      { ts: '1700000101.000100', text: 'r1' },
      { ts: '1700000102.000100', text: 'r2' },
      { ts: '1700000103.000100', text: 'r3' },
    ]);
    const client = new WebClient(fake.botToken, { slackApiUrl: fake.url, logLevel: LogLevel.ERROR });
    const texts: string[] = [];
    for await (const page of client.paginate('conversations.replies', { channel: 'C0THREAD', ts: '1700000100.000100', limit: 2 })) {
      texts.push(...(((page as { messages?: Array<{ text: string }> }).messages) ?? []).map((m) => m.text));
    }
    expect(texts).toEqual(['parent', 'r1', 'r2', 'r3']);
    expect(fake.callsTo('conversations.replies')).toHaveLength(2);
    const history = await client.conversations.history({ channel: 'C0THREAD' });
    expect(history.messages?.[0]).toMatchObject({ reply_count: 3, thread_ts: '1700000100.000100' });
  });

  it('serves files.info URLs that need the bot token; a wrong token gets the HTML login page', async () => {
    const content = Buffer.from('[1/2/24, 09:00:00] Alice: buy milk by Friday\n');
    fake.addFile({ id: 'F0CHAT', name: 'WhatsApp Chat.txt', content, mimetype: 'text/plain' });
    const client = new WebClient(fake.botToken, { slackApiUrl: fake.url, logLevel: LogLevel.ERROR });
    const info = await client.files.info({ file: 'F0CHAT' });
    const url = info.file?.url_private_download as string;
    expect(url.startsWith(fake.origin)).toBe(true);

    const good = await fetch(url, { headers: { Authorization: `Bearer ${fake.botToken}` } });
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toBe('text/plain');
    expect(Buffer.from(await good.arrayBuffer())).toEqual(content);

    for (const headers of [{ Authorization: 'Bearer xoxb-wrong' }, {}] as Array<Record<string, string>>) {
      const bad = await fetch(url, { headers });
      expect(bad.status).toBe(200);
      expect(bad.headers.get('content-type')).toContain('text/html');
      expect(await bad.text()).toContain('<!DOCTYPE html>');
    }
    expect(fake.downloads.map((d) => d.served)).toEqual(['file', 'login_page', 'login_page']);
    await expect(client.files.info({ file: 'F0MISSING' })).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });

  it('answers the remaining methods like Slack and checks tokens', async () => {
    const client = new WebClient(fake.botToken, { slackApiUrl: fake.url, logLevel: LogLevel.ERROR });
    const posted = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'hello', thread_ts: '1700000000.000100' });
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    expect(posted.channel).toBe('C0GENERAL');
    const updated = await client.chat.update({ channel: 'C0GENERAL', ts: posted.ts as string, text: 'edited' });
    expect(updated.ok).toBe(true);
    expect((await client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'psst' })).message_ts).toBeTruthy();
    await client.reactions.add({ channel: 'C0GENERAL', timestamp: posted.ts as string, name: 'white_check_mark' });
    await expect(
      client.reactions.add({ channel: 'C0GENERAL', timestamp: posted.ts as string, name: 'white_check_mark' }),
    ).rejects.toMatchObject({ data: { error: 'already_reacted' } });
    expect((await client.users.info({ user: 'U0ALICE' })).user).toMatchObject({ id: 'U0ALICE', tz: 'Europe/Berlin' });
    expect((await client.conversations.info({ channel: 'C0GENERAL' })).channel).toMatchObject({ id: 'C0GENERAL', is_member: true });
    expect(fake.posted.map((p) => [p.method, p.text, p.thread_ts])).toEqual([
      ['chat.postMessage', 'hello', '1700000000.000100'],
      ['chat.update', 'edited', undefined],
      ['chat.postEphemeral', 'psst', undefined],
    ]);

    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: fake.url, logLevel: LogLevel.ERROR });
    await expect(wrong.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const appLevel = new WebClient(fake.appToken, { slackApiUrl: fake.url, logLevel: LogLevel.ERROR });
    await expect(appLevel.chat.postMessage({ channel: 'C0GENERAL', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    // JSON bodies are accepted too.
    const json = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${fake.botToken}` },
      body: JSON.stringify({ channel: 'C0JSON', text: 'from json' }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel: 'C0JSON' });
  });

  it('supports the files.uploadV2 flow (getUploadURLExternal, upload, completeUploadExternal)', async () => {
    const client = new WebClient(fake.botToken, { slackApiUrl: fake.url, logLevel: LogLevel.ERROR });
    const ics = Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    const result = await client.filesUploadV2({ channel_id: 'C0GENERAL', thread_ts: '1700000000.000100', file: ics, filename: 'events.ics' });
    expect(result.ok).toBe(true);
    const uploaded = [...fake.files.values()].find((f) => f.name === 'events.ics');
    expect(uploaded?.content).toEqual(ics);
    const complete = await fake.waitForCall('files.completeUploadExternal');
    expect(complete.args).toMatchObject({ channel_id: 'C0GENERAL', thread_ts: '1700000000.000100' });
  });
});
