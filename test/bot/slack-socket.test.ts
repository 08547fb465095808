/**
 * The Slack bot in Socket Mode (SLACK_APP_TOKEN set): the real Bolt Socket Mode client connects to
 * the local WebSocket fake through apps.connections.open on the fake Web API; commands, a file
 * share and its redelivery go through the same listeners as over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSlackBot, type SlackBot } from '../../src/bot/slack/index.js';
import { createJobSystem, type JobSystem } from '../../src/jobs/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.js';
import { buildBlockActions, buildEventEnvelope, buildSlashCommand, slackEventId } from '../fakes/slack-signing.js';
import { startFakeSlackSocket, type FakeSlackSocket } from '../fakes/slack-socket.js';
import { openTestServices, type TestServices } from '../support/databases.js';
import { teamChat } from './commands-support.js';

describe('Slack bot in Socket Mode', () => {
  let services: TestServices;
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let bot: SlackBot;
  let jobs: JobSystem;

  beforeAll(async () => {
    services = await openTestServices('sqlite');
    api = await startFakeSlackApi();
    socket = await startFakeSlackSocket({ api });
    bot = createSlackBot(services, {
      queue: () => jobs.queue,
      config: { botToken: api.botToken, appToken: api.appToken, apiUrl: api.url },
      // Every command takes the slow path here: "working on it" in the ack, the answer by response_url.
      timings: { inlineReplyMs: 0, fileSharedGraceMs: 200, historyPaceMs: 0, progressEveryMs: 0 },
      retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 10 },
    });
    jobs = await createJobSystem(services, { worker: true, notifier: bot.notifier, processEvery: '200 milliseconds' });
    await jobs.start();
    await bot.start();
    await socket.waitForConnection();
  });

  afterAll(async () => {
    await bot?.stop();
    await jobs?.stop(1000);
    await socket?.close();
    await api?.close();
    await services?.dispose();
  });

  it('connects with the app token through apps.connections.open on the configured API URL', async () => {
    const open = await api.waitForCall('apps.connections.open');
    expect(open.token).toBe(api.appToken);
    expect(bot.mode).toBe('socket');
    expect(bot.receiver).toBeNull();
  });

  it('a slow command is acked with "working on it" and answered privately through response_url', async () => {
    const responseUrl = api.responseUrl();
    const sent = socket.sendEnvelope({ type: 'slash_commands', payload: buildSlashCommand({ command: '/teamsync', text: 'status', responseUrl }) });
    const ack = await sent.ack();
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral', text: '⏳ Working on it…' });
    const deadline = Date.now() + 5000;
    while (!api.responses.some((r) => responseUrl.endsWith(r.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const answer = api.responses.find((r) => responseUrl.endsWith(r.id))!.body as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('no chat export in this channel');
  });

  it('a shared export is processed and summarized in its thread; the redelivered envelope changes nothing', async () => {
    const file = api.addFile({ id: 'F0SOCK', name: 'socket.txt', mimetype: 'text/plain', content: teamChat(' socket') });
    const ts = '1800000500.000100';
    const eventId = slackEventId();
    const payload = buildEventEnvelope({
      event: { type: 'message', subtype: 'file_share', channel: 'C0GENERAL', user: 'U0ALICE', text: '', ts, files: [file.info] },
      eventId,
    }) as unknown as Record<string, unknown>;
    await socket.sendEnvelope({ type: 'events_api', payload }).ack();
    await socket.sendEnvelope({ type: 'events_api', payload, retryAttempt: 1, retryReason: 'timeout' }).ack();
    const summary = await api.waitForCall('chat.postMessage', (c) => c.args.thread_ts === ts && String(c.args.blocks ?? '').includes('todo_done'), 15_000);
    expect(String(summary.args.text)).toContain('socket.txt: 7 messages');
    await new Promise((r) => setTimeout(r, 400));
    expect(api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
    expect(await services.models.UploadedFile.count({ where: { file_name: 'socket.txt' } })).toBe(1);
  });

  it('interactivity arrives over the socket too: the feed button is answered privately', async () => {
    const responseUrl = api.responseUrl();
    const sent = socket.sendEnvelope({ type: 'interactive', payload: buildBlockActions({ actions: [{ action_id: 'calendar_feed', value: 'calendar-feed' }], responseUrl }) });
    await sent.ack();
    const deadline = Date.now() + 5000;
    while (!api.responses.some((r) => responseUrl.endsWith(r.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((api.responses.find((r) => responseUrl.endsWith(r.id))!.body as { text: string }).text).toContain('calendar.ics?token=');
  });
});
