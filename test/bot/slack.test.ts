/**
 * The Slack door end to end: the real Bolt app behind TeamSync's receiver on the API's own port,
 * talking HTTP to the fake Slack Web API, signed requests in, the real job system (SQLite store)
 * processing uploads and history imports and posting results through the Slack thread notifier.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApi } from '../../src/api/app.js';
import { testConfig } from '../../config/index.js';
import { createSlackBot, slackBotFromConfig, slackNotifierFromConfig, type SlackBot } from '../../src/bot/slack/index.js';
import { createLogger } from '../../src/logger.js';
import { createJobSystem, type JobSystem } from '../../src/jobs/index.js';
import { startFakeSlackApi, type FakeSlackApi, type RecordedSlackCall } from '../fakes/slack-api.js';
import {
  buildBlockActions,
  buildEventEnvelope,
  buildSlashCommandBody,
  buildUrlVerification,
  interactivityBody,
  postSignedToApp,
  signSlackRequest,
  slackEventId,
  slackRetryHeaders,
} from '../fakes/slack-signing.js';
import { openTestServices, type TestServices } from '../support/databases.js';
import { serve, type TestServer } from '../support/http.js';
import { teamChat } from './commands-support.js';

const SECRET = 'slack-test-signing-secret';
const TEAM = 'T0TEST';
const CHANNEL = 'C0GENERAL';
const PASSWORD = 'correct horse battery';

describe('slackBotFromConfig', () => {
  it('is null, with one log line, without Slack variables; HTTP or Socket Mode by the variables set', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const services = { config: testConfig(), logger } as unknown as Parameters<typeof slackBotFromConfig>[0];
    const queue = { enqueueFileProcessing: async () => 'job' };
    expect(slackBotFromConfig(services, { queue })).toBeNull();
    expect(slackNotifierFromConfig(services)).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Slack bot off');

    const http = slackBotFromConfig({ ...services, config: testConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }) }, { queue });
    expect(http?.mode).toBe('http');
    expect(http?.receiver).not.toBeNull();
    const socket = slackBotFromConfig({ ...services, config: testConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }) }, { queue });
    expect(socket?.mode).toBe('socket');
    expect(socket?.receiver).toBeNull();
  });
});

describe('Slack bot over HTTP (Events API, slash commands, interactivity)', () => {
  let services: TestServices;
  let slack: FakeSlackApi;
  let bot: SlackBot;
  let jobs: JobSystem;
  let server: TestServer;
  let endpoint: string;
  let tsCounter = 1_800_000_000;
  const nextTs = () => `${++tsCounter}.000100`;

  const makeBot = () =>
    createSlackBot(services, {
      queue: () => jobs.queue,
      config: { botToken: slack.botToken, signingSecret: SECRET, apiUrl: slack.url },
      timings: { inlineReplyMs: 1500, fileSharedGraceMs: 400, historyPaceMs: 0, progressEveryMs: 0 },
    });

  const startJobs = async () => {
    const system = await createJobSystem(services, { worker: true, notifier: bot.notifier, historyReaders: [bot.historyReader], processEvery: '200 milliseconds' });
    if (jobs) await system.start();
    return system;
  };

  beforeAll(async () => {
    services = await openTestServices('sqlite', { PUBLIC_URL: 'https://teamsync.example' });
    slack = await startFakeSlackApi({
      users: { U0ALICE: { name: 'Alice' }, U0BOB: { name: 'Bob' }, U0CAROL: { name: 'Carol' } },
      maxMessagesPerPage: 15,
    });
    bot = makeBot();
    // The bot is built first with a lazy queue; the job system then takes the bot's notifier and history reader.
    jobs = await startJobs();
    const api = createApi(services);
    api.middleware.unshift(bot.receiver!.koaMiddleware());
    server = await serve(api);
    endpoint = `${server.url}/slack/events`;
    await jobs.start();
    await bot.start();
  });

  afterAll(async () => {
    await bot?.stop();
    await jobs?.stop(1000);
    await server?.close();
    await slack?.close();
    await services?.dispose();
  });

  const slash = async (text: string, user = 'U0ALICE', channel = CHANNEL) => {
    const responseUrl = slack.responseUrl();
    const res = await postSignedToApp(endpoint, buildSlashCommandBody({ command: '/teamsync', text, userId: user, userName: user.slice(2).toLowerCase(), channelId: channel, teamId: TEAM, responseUrl }), { signingSecret: SECRET });
    const raw = await res.text();
    return { status: res.status, body: raw ? (JSON.parse(raw) as { response_type?: string; text?: string; blocks?: unknown[] }) : null, responseUrl };
  };
  const laterResponses = (responseUrl: string) => slack.responses.filter((r) => responseUrl.endsWith(r.id)).map((r) => r.body as { text?: string; response_type?: string; blocks?: unknown[] });
  const sendEvent = (event: Record<string, unknown>, options: { eventId?: string; headers?: Record<string, string> } = {}) =>
    postSignedToApp(endpoint, JSON.stringify(buildEventEnvelope({ event, teamId: TEAM, eventId: options.eventId })), { signingSecret: SECRET, headers: options.headers });
  const fileShareEvent = (files: unknown[], ts: string, user = 'U0ALICE') => ({ type: 'message', subtype: 'file_share', channel: CHANNEL, channel_type: 'channel', user, text: '', ts, event_ts: ts, files });
  const threadReplies = (threadTs: string) => slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === threadTs);
  const summaryIn = (threadTs: string) => slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts === threadTs && String(c.args.blocks ?? '').includes('calendar_feed'), 15_000);
  const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const blocksOf = (call: RecordedSlackCall) => JSON.parse(String(call.args.blocks)) as Array<{ type: string; text?: { text: string }; accessory?: { action_id: string; value: string } }>;

  it('answers url_verification and ssl_check on the API port', async () => {
    const challenge = buildUrlVerification('5f2b7c1e-0000-4000-8000-000000000123');
    const res = await postSignedToApp(endpoint, JSON.stringify(challenge), { signingSecret: SECRET });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: '5f2b7c1e-0000-4000-8000-000000000123' });
    const ssl = await postSignedToApp(endpoint, 'ssl_check=1&token=x', { signingSecret: SECRET });
    expect(ssl.status).toBe(200);
    // The API itself is still served on the same port.
    expect((await server.request('GET', '/healthz')).status).toBeLessThan(500);
  });

  it('refuses a bad signature and a stale timestamp with 401, and runs nothing', async () => {
    const before = slack.calls.length;
    const body = buildSlashCommandBody({ command: '/teamsync', text: 'help', teamId: TEAM, responseUrl: slack.responseUrl() });
    const forged = await postSignedToApp(endpoint, body, { signingSecret: SECRET, signature: 'v0=' + '0'.repeat(64) });
    expect(forged.status).toBe(401);
    const wrongSecret = await postSignedToApp(endpoint, body, { signingSecret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);
    const stale = await postSignedToApp(endpoint, body, { signingSecret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await settle(50);
    expect(slack.calls.slice(before).filter((c) => c.method !== 'users.info')).toEqual([]);
  });

  it('/teamsync help is answered privately in the ack', async () => {
    const { status, body } = await slash('help');
    expect(status).toBe(200);
    expect(body).toMatchObject({ response_type: 'ephemeral' });
    expect(body!.text).toContain('/teamsync todos');
    expect(JSON.stringify(body!.blocks)).toContain('TeamSync commands');
    expect((await slash('')).body!.text).toContain('/teamsync ask');
  });

  let firstThread = '';
  let aliceTodoIds: string[] = [];

  it('a shared chat export is downloaded, queued, processed and summarized in its thread with buttons', async () => {
    const file = slack.addFile({ id: 'F0TEAM1', name: 'team.txt', mimetype: 'text/plain', content: teamChat(), user: 'U0ALICE' });
    firstThread = nextTs();
    const res = await sendEvent(fileShareEvent([file.info], firstThread));
    expect(res.status).toBe(200);
    const summary = await summaryIn(firstThread);
    expect(summary.args.channel).toBe(CHANNEL);
    expect(String(summary.args.text)).toMatch(/team\.txt: 7 messages, \d+ todo\(s\), \d+ event\(s\)/);
    const blocks = blocksOf(summary);
    const buttons = blocks.filter((b) => b.accessory?.action_id === 'todo_done');
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(blocks)).toMatch(/HIGH|MEDIUM|LOW/);
    expect(JSON.stringify(blocks)).toContain('TBD');
    aliceTodoIds = buttons.map((b) => b.accessory!.value);
    // The download carried the bot token; the message got the hourglass, then a check mark.
    expect(slack.downloads.some((d) => d.fileId === 'F0TEAM1' && d.served === 'file')).toBe(true);
    expect(slack.callsTo('reactions.add').some((c) => c.args.timestamp === firstThread && c.args.name === 'hourglass_flowing_sand')).toBe(true);
    await slack.waitForCall('reactions.add', (c) => c.args.timestamp === firstThread && c.args.name === 'white_check_mark');
    const stored = await services.models.UploadedFile.findOne({ where: { file_name: 'team.txt' } });
    expect(stored).toMatchObject({ status: 'done', origin_platform: 'slack', origin_workspace_id: TEAM, origin_channel_id: CHANNEL, origin_thread_id: firstThread });
  });

  it('a retried event (same event_id), even after a restart, makes no second file and no second reply', async () => {
    const file = slack.addFile({ id: 'F0RETRY', name: 'retry.txt', mimetype: 'text/plain', content: teamChat(' retry'), user: 'U0ALICE' });
    const ts = nextTs();
    const eventId = slackEventId();
    const event = fileShareEvent([file.info], ts);
    expect((await sendEvent(event, { eventId })).status).toBe(200);
    expect((await sendEvent(event, { eventId, headers: slackRetryHeaders(1, 'http_timeout') })).status).toBe(200);
    await summaryIn(ts);
    // A new process on the same database recognizes the event too.
    const restarted = makeBot();
    await restarted.start();
    const again = JSON.stringify(buildEventEnvelope({ event, teamId: TEAM, eventId }));
    const answer = await restarted.receiver!.handle(Buffer.from(again), lowerCaseHeaders({ 'content-type': 'application/json', ...signSlackRequest(SECRET, again) }));
    expect(answer.status).toBe(200);
    // Even a fresh event id announcing the same file is recognized by the file id.
    expect((await sendEvent(event, { headers: slackRetryHeaders(2, 'http_error') })).status).toBe(200);
    await settle(600);
    await restarted.stop();
    expect(await services.models.UploadedFile.count({ where: { file_name: 'retry.txt' } })).toBe(1);
    expect(threadReplies(ts)).toHaveLength(1);
    expect(slack.downloads.filter((d) => d.fileId === 'F0RETRY')).toHaveLength(1);
  });

  it('one share announced as message and as file_shared gets one file and one reply, in the message thread', async () => {
    const file = slack.addFile({ id: 'F0TWICE', name: 'twice.txt', mimetype: 'text/plain', content: teamChat(' twice'), user: 'U0ALICE' });
    const ts = nextTs();
    await sendEvent({ type: 'file_shared', file_id: 'F0TWICE', user_id: 'U0ALICE', channel_id: CHANNEL, file: { id: 'F0TWICE' }, event_ts: ts });
    await sendEvent(fileShareEvent([file.info], ts));
    await summaryIn(ts);
    await settle(700);
    expect(await services.models.UploadedFile.count({ where: { file_name: 'twice.txt' } })).toBe(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').includes('twice.txt'))).toHaveLength(1);
  });

  it('file_shared alone: the bot starts a thread of its own for the results', async () => {
    slack.addFile({ id: 'F0ALONE', name: 'alone.txt', mimetype: 'text/plain', content: teamChat(' alone'), user: 'U0BOB' });
    await sendEvent({ type: 'file_shared', file_id: 'F0ALONE', user_id: 'U0BOB', channel_id: CHANNEL, file: { id: 'F0ALONE' }, event_ts: nextTs() });
    const opener = await slack.waitForCall('chat.postMessage', (c) => String(c.args.text ?? '').includes('Taking in *alone.txt*'), 5000);
    const ts = tsOf(opener);
    const summary = await summaryIn(ts);
    expect(String(summary.args.text)).toContain('alone.txt');
  });

  it('a file that is no chat export gets one short note, once', async () => {
    const image = slack.addFile({ id: 'F0IMAGE', name: 'photo.png', mimetype: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
    const ts = nextTs();
    const eventId = slackEventId();
    await sendEvent(fileShareEvent([image.info], ts), { eventId });
    await sendEvent(fileShareEvent([image.info], ts), { eventId, headers: slackRetryHeaders(1) });
    const note = await slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts === ts);
    expect(String(note.args.text)).toContain('*photo.png* is not a chat export');
    await settle(300);
    expect(threadReplies(ts)).toHaveLength(1);
    expect(slack.downloads.filter((d) => d.fileId === 'F0IMAGE')).toHaveLength(0);
  });

  it('an HTML login page instead of the file is reported as an access problem, not read as a chat', async () => {
    const file = slack.addFile({ id: 'F0HTML', name: 'export.json', mimetype: 'application/json', content: Buffer.from('[]'), html: true });
    const ts = nextTs();
    await sendEvent(fileShareEvent([file.info], ts));
    const note = await slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts === ts);
    expect(String(note.args.text)).toContain('login page');
    expect(String(note.args.text)).toContain('files:read');
    expect(await services.models.UploadedFile.count({ where: { file_name: 'export.json' } })).toBe(0);
  });

  it('todos and calendar through the slash command; another person sees none of it', async () => {
    const todos = await slash('todos');
    expect(todos.body!.response_type).toBe('ephemeral');
    const listed = JSON.stringify(todos.body!.blocks);
    for (const id of aliceTodoIds) expect(listed).toContain(id);
    expect((await slash('todos @bob open')).body!.text).toMatch(/Bob/);
    const cal = await slash('calendar');
    expect(cal.body!.text).toContain('Upcoming events');
    expect(cal.body!.text).toContain('https://teamsync.example/api/v1/agent/calendar.ics?token=');
    expect((await slash('calendar tbd')).body!.text).toContain('without a date');

    const bobs = await slash('todos all any', 'U0BOB');
    for (const id of aliceTodoIds) expect(JSON.stringify(bobs.body)).not.toContain(id);
    const bobsCal = await slash('calendar', 'U0BOB');
    expect(bobsCal.body!.text).not.toContain((cal.body!.text ?? '').match(/token=([\w-]+)/)![1]);
  });

  it('"Mark done" works for the owner only; the message shows it done', async () => {
    const summary = (await summaryIn(firstThread));
    const message = { type: 'message', user: 'U0BOT', bot_id: 'B0BOT', ts: tsOf(summary), text: String(summary.args.text), blocks: blocksOf(summary) };
    const todoId = aliceTodoIds[0]!;
    const click = async (user: string) => {
      const responseUrl = slack.responseUrl();
      const payload = buildBlockActions({ actions: [{ action_id: 'todo_done', value: todoId }], userId: user, userName: user, teamId: TEAM, channelId: CHANNEL, message, responseUrl });
      const res = await postSignedToApp(endpoint, interactivityBody(payload), { signingSecret: SECRET });
      expect(res.status).toBe(200);
      return responseUrl;
    };
    const bobUrl = await click('U0BOB');
    await waitFor(() => laterResponses(bobUrl).length > 0);
    expect(laterResponses(bobUrl)[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(laterResponses(bobUrl)[0]!.text).toContain('not in your TeamSync account');
    expect((await services.models.TodoItem.findByPk(todoId))!.status).toBe('open');

    const aliceUrl = await click('U0ALICE');
    await waitFor(() => laterResponses(aliceUrl).length > 0);
    expect(laterResponses(aliceUrl)[0]!.text).toContain('Marked done');
    expect((await services.models.TodoItem.findByPk(todoId))!.status).toBe('done');
    const update = await slack.waitForCall('chat.update', (c) => c.args.ts === message.ts);
    const updated = JSON.parse(String(update.args.blocks)) as Array<{ accessory?: { value: string }; text?: { text: string } }>;
    expect(updated.some((b) => b.accessory?.value === todoId)).toBe(false);
    expect(JSON.stringify(updated)).toContain('✅');
  });

  it('the calendar feed button answers the clicker privately with their own feed', async () => {
    const responseUrl = slack.responseUrl();
    const payload = buildBlockActions({ actions: [{ action_id: 'calendar_feed', value: 'calendar-feed' }], userId: 'U0ALICE', teamId: TEAM, channelId: CHANNEL, responseUrl });
    await postSignedToApp(endpoint, interactivityBody(payload), { signingSecret: SECRET });
    await waitFor(() => laterResponses(responseUrl).length > 0);
    const answer = laterResponses(responseUrl)[0]!;
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('/api/v1/agent/calendar.ics?token=');
  });

  it('ask and status answer privately from this channel\'s files', async () => {
    const ask = await slash('ask when is the product launch meeting?');
    const text = [ask.body?.text ?? '', ...laterResponses(ask.responseUrl).map((r) => r.text ?? '')].join('\n');
    expect(text).toContain('From "');
    expect(JSON.stringify([ask.body, laterResponses(ask.responseUrl)])).toContain('launch meeting is on 2030-03-20');
    const status = await slash('status');
    expect(status.body!.text).toMatch(/team\.txt.*done/);
    expect((await slash('status', 'U0ALICE', 'C0ELSEWHERE')).body!.text).toContain('no chat export in this channel');
  });

  /** `/teamsync import ...`: the private answer (in the ack, or later if slow) and the job it names. */
  const startImport = async (text: string, user: string, channel: string) => {
    const res = await slash(text, user, channel);
    const answer = () => [res.body?.text ?? '', ...laterResponses(res.responseUrl).map((r) => r.text ?? '')].join('\n');
    await waitFor(() => /job `[^`]+`|⚠️/.test(answer()));
    return { answer: answer(), jobId: answer().match(/job `([^`]+)`/)?.[1] ?? '' };
  };
  const jobIn = async (jobId: string, states: string[], timeoutMs = 15_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const job = await jobs.queue.getJob(jobId);
      if (job && states.includes(job.state)) return job;
      if (Date.now() > end) throw new Error(`job ${jobId} is ${job?.state ?? 'missing'}, not ${states.join('/')}`);
      await settle(50);
    }
  };
  const ownerOf = async (slackUser: string) => (await services.models.PlatformIdentity.findOne({ where: { platform_user_id: slackUser } }))!.user_id;
  const summariesIn = (threadTs: string) => threadReplies(threadTs).filter((c) => String(c.args.blocks ?? '').includes('calendar_feed'));
  const historyOf = (n: number, tag: string) => {
    const base = Math.floor(Date.now() / 1000) - 2 * 86400;
    return Array.from({ length: n }, (_, i) => ({
      ts: `${base + i * 60}.000400`,
      user: i % 2 ? 'U0BOB' : 'U0CAROL',
      text: i === 2 ? `Bob, please send the ${tag} figures by Friday` : `${tag} message ${i}`,
      type: 'message',
    }));
  };

  it('import runs as a job of the asker: reads the history page by page through a 429 and processes it into the thread', async () => {
    const base = Math.floor(Date.now() / 1000) - 3 * 86400;
    const history = Array.from({ length: 40 }, (_, i) => ({
      ts: `${base + i * 60}.000200`,
      user: i % 2 ? 'U0BOB' : 'U0CAROL',
      text: i === 5 ? 'Bob, please update the roadmap slides by Thursday' : i === 9 ? 'Design review on 2030-05-04 at 15:00' : `message number ${i}`,
      type: 'message',
    }));
    slack.setHistory('C0IMPORT', history);
    slack.setReplies('C0IMPORT', history[3]!.ts, [
      { ts: `${base + 3 * 60 + 5}.000300`, user: 'U0BOB', text: 'Carol, please book the demo room', thread_ts: history[3]!.ts, type: 'message' },
    ]);
    slack.failNext('conversations.history', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const { answer, jobId } = await startImport('import 30', 'U0CAROL', 'C0IMPORT');
    expect(answer).toContain('Reading the last 30 day(s)');
    expect(jobId).not.toBe('');
    const opener = await slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0IMPORT' && String(c.args.text).includes('Importing the last 30 day(s)'));
    const thread = tsOf(opener);

    // The job belongs to the asker's account: visible to them (GET /api/v1/jobs/:id asks the same), nobody else.
    const carolId = await ownerOf('U0CAROL');
    expect(await jobs.queue.getJob(jobId, carolId)).toMatchObject({ id: jobId, name: 'import-channel-history' });
    expect(await jobs.queue.getJob(jobId, await ownerOf('U0ALICE'))).toBeNull();

    const summary = await summaryIn(thread);
    const took = Date.now() - started;
    expect(String(summary.args.text)).toMatch(/slack-C0IMPORT-last-30-days-.*: 41 messages/);
    const historyCalls = slack.callsTo('conversations.history').filter((c) => c.args.channel === 'C0IMPORT');
    expect(historyCalls[0]!.status).toBe(429);
    expect(historyCalls.filter((c) => c.status === 200).length).toBe(3); // 40 messages at 15 a page
    expect(historyCalls[1]!.at - historyCalls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(slack.callsTo('conversations.replies').some((c) => c.args.ts === history[3]!.ts)).toBe(true);
    expect(threadReplies(thread).some((c) => String(c.args.text).includes('…read 15 messages so far'))).toBe(true);
    expect(threadReplies(thread).some((c) => String(c.args.text).includes('Read 41 messages'))).toBe(true);
    const file = await services.models.UploadedFile.findOne({ where: { origin_channel_id: 'C0IMPORT' } });
    expect(file).toMatchObject({ format: 'slack-api', status: 'done', origin_thread_id: thread, user_id: carolId });
    const done = await jobIn(jobId, ['completed']);
    expect(done).toMatchObject({ attempts: 1, last_error: null, progress: 100, file_id: file!.id, result: { message_count: 41, created: true, file_id: file!.id } });
    expect(took).toBeLessThan(15_000);
    // `status` in the channel shows the import next to the file it made.
    const status = (await slash('status', 'U0CAROL', 'C0IMPORT')).body!.text!;
    expect(status).toMatch(/slack-C0IMPORT-last-30-days-.*✅ done — 41 messages/);
    expect(status).toContain(`job ${jobId}: ✅ done — 41 messages read`);
    process.stdout.write(`slack import of 41 messages (3 history pages, 1 thread, one 429 of 1 s) to the summary in its thread: ${took} ms\n`);
  });

  it('an import interrupted by a worker shutdown runs again on the next worker: one file, one summary; a second run changes nothing', async () => {
    slack.setHistory('C0RESTART', historyOf(30, 'restart'));
    // The first page is refused for 3 s: the worker is stopped while the import waits.
    slack.failNext('conversations.history', { status: 429, retryAfter: 3 });
    const { jobId } = await startImport('import 7', 'U0CAROL', 'C0RESTART');
    const opener = await slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0RESTART' && String(c.args.text).includes('Importing the last 7 day(s)'));
    const thread = tsOf(opener);
    await slack.waitForCall('conversations.history', (c) => c.args.channel === 'C0RESTART' && c.status === 429);
    await jobs.stop(0);
    const interrupted = await jobs.queue.getJob(jobId);
    expect(interrupted!.state).not.toBe('failed');
    expect(await services.models.UploadedFile.count({ where: { origin_channel_id: 'C0RESTART' } })).toBe(0);

    jobs = await startJobs();
    const summary = await summaryIn(thread);
    expect(String(summary.args.text)).toMatch(/slack-C0RESTART-last-7-days-.*: 30 messages/);
    const first = await jobIn(jobId, ['completed']);

    // Run it once more (as an operator's retry would): the file is there, so nothing new happens.
    await jobs.queue.retry(jobId);
    const end = Date.now() + 10_000;
    while ((await jobs.queue.getJob(jobId))!.last_finished_at === first.last_finished_at) {
      if (Date.now() > end) throw new Error('the second run did not finish');
      await settle(50);
    }
    expect((await jobIn(jobId, ['completed'])).result).toEqual(first.result);
    await settle(800);
    expect(await services.models.UploadedFile.count({ where: { origin_channel_id: 'C0RESTART' } })).toBe(1);
    expect(summariesIn(thread)).toHaveLength(1);
    expect(threadReplies(thread).filter((c) => String(c.args.text).includes('Nothing new'))).toHaveLength(0);
    expect(slack.callsTo('conversations.history').filter((c) => c.args.channel === 'C0RESTART' && c.status === 200)).toHaveLength(2);
  });

  it('an import the bot may not read (not_in_channel) fails at once, with the reason on the job and in the thread', async () => {
    slack.setHistory('C0LOCKED', historyOf(5, 'locked'));
    slack.failNext('conversations.history', { error: 'not_in_channel' });
    const { jobId } = await startImport('import 5', 'U0CAROL', 'C0LOCKED');
    const opener = await slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0LOCKED' && String(c.args.text).includes('Importing the last 5 day(s)'));
    const failed = await jobIn(jobId, ['failed']);
    expect(failed).toMatchObject({ attempts: 1, next_run_at: null });
    expect(failed.last_error).toContain('not_in_channel');
    const told = await slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts === tsOf(opener) && String(c.args.text).includes('The import stopped'));
    expect(String(told.args.text)).toContain('not_in_channel');
    expect(String(told.args.text)).toContain('/invite @TeamSync');
    expect(await services.models.UploadedFile.count({ where: { origin_channel_id: 'C0LOCKED' } })).toBe(0);
    expect((await slash('status', 'U0CAROL', 'C0LOCKED')).body!.text).toContain(`job ${jobId}: ❌ failed — not_in_channel`);
  });

  it('import where the bot cannot even post (a private channel it is not in): asked privately to invite it, no job', async () => {
    slack.handle('chat.postMessage', (args) => (args.channel === 'C0SECRET' ? { ok: false, error: 'not_in_channel' } : undefined));
    try {
      const before = (await jobs.agenda.queryJobs({ name: 'import-channel-history' })).total;
      const { answer, jobId } = await startImport('import 3', 'U0CAROL', 'C0SECRET');
      expect(answer).toContain('Invite me to this channel first (`/invite @TeamSync`)');
      expect(jobId).toBe('');
      expect((await jobs.agenda.queryJobs({ name: 'import-channel-history' })).total).toBe(before);
    } finally {
      slack.handle('chat.postMessage', undefined);
    }
  });

  it('links both ways through the API; the auto account\'s data moves to the real one', async () => {
    // Alice (auto account, with team.txt) shows a code; her real account redeems it.
    const code = ((await slash('link')).body!.blocks as Array<{ text?: { text: string } }>).map((b) => b.text?.text ?? '').join('\n').match(/```([A-Z2-9]{5}-[A-Z2-9]{5})```/)![1]!;
    const reg = await server.request('POST', '/api/v1/auth/register', { body: { username: 'alice', email: 'alice@example.com', password: PASSWORD } });
    expect(reg.status).toBe(201);
    const token = reg.body.access_token as string;
    expect((await server.request('POST', '/api/v1/auth/link', { body: { code } })).status).toBe(401);
    const linked = await server.request('POST', '/api/v1/auth/link', { token, body: { code } });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ user_id: reg.body.user.id, identity: { platform: 'slack', workspace_id: TEAM, platform_user_id: 'U0ALICE' }, changed: true });
    expect(linked.body.merged.files).toBeGreaterThanOrEqual(3);
    expect((await server.request('POST', '/api/v1/auth/link', { token, body: { code } })).body.error.code).toBe('invalid_link_code');
    const todos = await server.request('GET', '/api/v1/agent/todos?limit=100', { token });
    if (todos.status === 200) expect(JSON.stringify(todos.body)).toContain(aliceTodoIds[1]!);
    expect(JSON.stringify((await slash('todos any')).body!.blocks)).toContain(aliceTodoIds[1]!);

    // Bob gets a code from the API and types it to the bot.
    const bobReg = await server.request('POST', '/api/v1/auth/register', { body: { username: 'bob', email: 'bob@example.com', password: PASSWORD } });
    const issued = await server.request('POST', '/api/v1/auth/link-code', { token: bobReg.body.access_token });
    expect(issued.status).toBe(201);
    const typed = await slash(`link ${issued.body.code}`, 'U0BOB');
    expect(typed.body!.text).toContain('Linked to TeamSync account *bob*');
    expect(typed.body!.text).toContain('Moved over: 1 file');
    const bobIdentity = await services.models.PlatformIdentity.findOne({ where: { platform_user_id: 'U0BOB' } });
    expect(bobIdentity!.user_id).toBe(bobReg.body.user.id);
  });

  it('forget deletes the asker\'s data after confirmation', async () => {
    expect((await slash('forget', 'U0BOB')).body!.text).toContain('forget confirm');
    expect((await slash('forget confirm', 'U0BOB')).body!.text).toMatch(/Deleted 1 file/);
    const bobIdentity = await services.models.PlatformIdentity.findOne({ where: { platform_user_id: 'U0BOB' } });
    expect(await services.models.UploadedFile.count({ where: { user_id: bobIdentity!.user_id } })).toBe(0);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const tsOf = (call: RecordedSlackCall) => String((call.response as { ts?: string }).ts);
