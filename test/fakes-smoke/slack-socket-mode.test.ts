/**
 * The real Bolt App in Socket Mode (@slack/socket-mode over a real WebSocket) against the fakes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.js';
import { startFakeSlackSocket, type FakeSlackSocket } from '../fakes/slack-socket.js';
import { buildBlockActions, buildEventEnvelope, buildSlashCommand } from '../fakes/slack-signing.js';

describe('Bolt Socket Mode against the fake Socket Mode server', () => {
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let app: App;
  const commands: string[] = [];
  const mentions: Array<{ text: string; retryNum: number | undefined }> = [];

  beforeAll(async () => {
    api = await startFakeSlackApi();
    socket = await startFakeSlackSocket({ api });
    app = new App({
      token: api.botToken,
      appToken: api.appToken,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      // The app's WebClient and the Socket Mode client's own WebClient (apps.connections.open) both need the URL.
      clientOptions: { slackApiUrl: api.url },
      installerOptions: { clientOptions: { slackApiUrl: api.url } },
    });
    app.command('/teamsync', async ({ ack, command, say }) => {
      await ack({ text: `Got ${command.text}` });
      commands.push(command.text);
      await say(`Importing ${command.text}`);
    });
    app.event('app_mention', async ({ event, context }) => {
      mentions.push({ text: event.text, retryNum: context.retryNum });
    });
    app.action('approve', async ({ ack }) => {
      await ack();
    });
    await app.start();
    await socket.waitForConnection(1);
  });

  afterAll(async () => {
    await app?.stop();
    await socket?.close();
    await api?.close();
  });

  it('opens the connection with the app token through apps.connections.open', async () => {
    const open = await api.waitForCall('apps.connections.open');
    expect(open.token).toBe(api.appToken);
    expect(open.response).toMatchObject({ ok: true });
    expect(socket.connections[0]?.url).toMatch(/^\/link\/\?ticket=.+&app_id=A0TEST$/);
    expect((await api.waitForCall('auth.test')).token).toBe(api.botToken);
  });

  it('acks a slash command envelope with the response payload and posts through the Web API', async () => {
    const payload = buildSlashCommand({ command: '/teamsync', text: 'chat.zip', responseUrl: api.responseUrl() });
    const sent = socket.sendEnvelope({ type: 'slash_commands', payload });
    const ack = await sent.ack();
    expect(ack).toMatchObject({ envelope_id: sent.envelopeId, payload: { text: 'Got chat.zip' } });
    const post = await api.waitForCall('chat.postMessage');
    expect(post.args).toMatchObject({ channel: 'C0GENERAL', text: 'Importing chat.zip' });
    expect(commands).toEqual(['chat.zip']);
  });

  it('acks events_api and interactive envelopes and passes retry metadata', async () => {
    const envelope = buildEventEnvelope({
      event: { type: 'app_mention', user: 'U0ALICE', text: '<@U0BOT> todos', channel: 'C0GENERAL', ts: '1700000000.000300' },
    });
    const event = socket.sendEnvelope({ type: 'events_api', payload: { ...envelope }, retryAttempt: 2, retryReason: 'timeout' });
    expect((await event.ack()).envelope_id).toBe(event.envelopeId);
    const action = socket.sendEnvelope({
      type: 'interactive',
      payload: buildBlockActions({ actions: [{ action_id: 'approve', value: '1' }], responseUrl: api.responseUrl() }),
    });
    expect((await action.ack()).envelope_id).toBe(action.envelopeId);
    const deadline = Date.now() + 2000;
    while (mentions.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(mentions).toEqual([{ text: '<@U0BOT> todos', retryNum: 2 }]);
  });
});

describe('Socket Mode reconnection', () => {
  it('reconnects with a fresh ticket after a disconnect message', async () => {
    const api = await startFakeSlackApi();
    const socket = await startFakeSlackSocket({ api });
    // App({ socketMode: true }) does not forward clientPingTimeout, and the client waits
    // clientPingTimeout (5 s by default) before reconnecting: build the receiver to shorten it.
    const receiver = new SocketModeReceiver({
      appToken: api.appToken,
      clientPingTimeout: 300,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: { slackApiUrl: api.url } },
    });
    const app = new App({ token: api.botToken, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: api.url } });
    app.command('/teamsync', async ({ ack, command }) => {
      await ack({ text: `Got ${command.text}` });
    });
    try {
      await app.start();
      await socket.waitForConnection(1);
      socket.sendDisconnect('refresh_requested');
      const deadline = Date.now() + 5000;
      while (socket.connections.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await socket.waitForConnection(1);
      expect(socket.connections).toHaveLength(2);
      expect(socket.connections[0]?.url).not.toBe(socket.connections[1]?.url);
      expect(api.callsTo('apps.connections.open')).toHaveLength(2);
      const payload = buildSlashCommand({ command: '/teamsync', text: 'again', responseUrl: api.responseUrl() });
      const sent = socket.sendEnvelope({ type: 'slash_commands', payload });
      expect((await sent.ack()).payload).toEqual({ text: 'Got again' });
    } finally {
      await app.stop();
      await socket.close();
      await api.close();
    }
  });
});
