/**
 * The Discord bot with the real discord.js client against the fake Discord (REST over HTTP,
 * gateway over WebSocket), a real SQLite database and the real job system with its worker.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { teamsyncCommandData } from '../../src/bot/discord/command-data.js';
import { main } from '../../src/cli/index.js';
import { issueCodeForAccount } from '../../src/services/linking.js';
import { createUser } from '../../src/services/auth.js';
import { snowflake } from '../fakes/discord.js';
import { ALICE, BOB, CHANNEL, GUILD, HISTORY_CHANNEL, startDiscordRig, teamChat, text, waitForEdit, waitForPost, type DiscordRig } from './discord-support.js';

type Json = Record<string, unknown>;

describe('Discord bot', () => {
  let rig: DiscordRig;
  let aliceThread = '';
  let firstTodoButton = '';

  beforeAll(async () => {
    rig = await startDiscordRig({ jobs: 'agenda' });
  });
  afterAll(async () => {
    await rig?.close();
  });

  const slash = (subcommand: string, options: Array<{ name: string; type: number; value: string | number | boolean }> = [], extra: Json = {}) =>
    rig.fake.sendChatInputCommand({ name: 'teamsync', subcommand, options, channelId: CHANNEL, ...extra });

  /** The interaction's first response: deferred (type 5), ephemeral (flag 64). */
  const callbackOf = async (id: string) =>
    rig.fake.waitForRequest('POST', /^\/interactions\/\d+\/[^/]+\/callback$/, 5000, (r) => r.path.startsWith(`/interactions/${id}/`));

  it('registers /teamsync with typed subcommands in the guild and globally (CLI)', async () => {
    const guild = rig.fake.commands.get(GUILD)!;
    expect(guild.map((c) => c.name)).toEqual(['teamsync']);
    const subcommands = (guild[0]!.options as Json[]).map((o) => o.name);
    expect(subcommands).toEqual(['help', 'link', 'todos', 'calendar', 'ask', 'import', 'status', 'forget']);
    const importOptions = ((guild[0]!.options as Json[]).find((o) => o.name === 'import')!.options as Json[]).map((o) => [o.name, o.type]);
    expect(importOptions).toEqual([['file', 11], ['days', 4]]);
    const ask = (guild[0]!.options as Json[]).find((o) => o.name === 'ask')!.options as Json[];
    expect(ask.find((o) => o.name === 'file')).toMatchObject({ autocomplete: true });

    const saved = { ...process.env };
    Object.assign(process.env, { DISCORD_TOKEN: rig.fake.token, DISCORD_APPLICATION_ID: rig.fake.applicationId, DISCORD_API_URL: rig.fake.apiUrl, LOG_LEVEL: 'silent' });
    delete process.env.DISCORD_GUILD_ID;
    try {
      const writes: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => writes.push(String(chunk)) > 0) as typeof process.stdout.write;
      let code: number;
      try {
        code = await main(['node', 'teamsync', 'discord', 'register-commands', '--global']);
      } finally {
        process.stdout.write = write;
      }
      expect(code).toBe(0);
      expect(writes.join('')).toMatch(/^registered \/teamsync globally/);
    } finally {
      process.env = saved;
    }
    expect(rig.fake.commands.get('global')).toEqual([expect.objectContaining({ name: 'teamsync', options: teamsyncCommandData().options })]);
  });

  it('help: deferred ephemerally at once, then the original reply is edited with the command list', async () => {
    const sent = slash('help');
    const callback = await callbackOf(sent.id);
    expect(callback).toMatchObject({ status: 204, body: { type: 5, data: { flags: 64 } } });
    const edit = await waitForEdit(rig.fake, sent.token);
    expect(edit.status).toBe(200);
    expect(edit.at - callback.at).toBeGreaterThanOrEqual(0);
    for (const word of ['/teamsync todos', '/teamsync calendar', '/teamsync ask', '/teamsync import', '/teamsync link', '/teamsync forget']) expect(text(edit)).toContain(word);
  });

  it('import file: the attachment is stored and processed by the job worker; results, buttons and the feed button land in a thread', async () => {
    const attachment = rig.fake.addAttachment({ filename: 'team.txt', content: teamChat(), contentType: 'text/plain', ephemeral: true });
    const sent = rig.fake.sendChatInputCommand({ name: 'teamsync', subcommand: 'import', attachments: { file: attachment }, channelId: CHANNEL });
    expect((await callbackOf(sent.id)).body).toEqual({ type: 5, data: { flags: 64 } });

    const anchorPost = await waitForPost(rig.fake, CHANNEL, (b) => String(b.content).includes('shared **team.txt**'));
    const anchorId = (anchorPost.response as Json).id as string;
    const thread = await rig.fake.waitForRequest('POST', /^\/channels\/\d+\/messages\/\d+\/threads$/, 5000, (r) => r.path === `/channels/${CHANNEL}/messages/${anchorId}/threads`);
    expect(thread.body).toEqual({ name: 'TeamSync: team.txt', auto_archive_duration: 1440 });
    aliceThread = anchorId;

    const queued = await waitForEdit(rig.fake, sent.token, (b) => String(b.content).includes('queued'));
    expect(queued.body).toMatchObject({ content: `📥 **team.txt** is queued (6 messages). The results will be posted in <#${anchorId}>.` });

    const result = await waitForPost(rig.fake, aliceThread, (b) => String(b.content).includes('✅'));
    const body = result.body as { content: string; embeds: Json[]; components: Array<{ components: Json[] }> };
    const todoCount = await rig.services.models.TodoItem.count();
    expect(todoCount).toBeGreaterThanOrEqual(2);
    expect(body.content).toBe(`**✅ team.txt: 6 messages, ${todoCount} todo(s), 2 event(s)**`);
    expect(body.embeds.map((e) => e.title)).toEqual([`Todos (${todoCount})`, 'Events (2)']);
    expect(String(body.embeds[0]!.description)).toMatch(/budget report.*HIGH.*👤 Bob.*📅 due/);
    expect(String(body.embeds[1]!.description)).toContain('**TBD**');
    expect(String(body.embeds[1]!.description)).toContain('launch meeting');
    const buttons = body.components.flatMap((row) => row.components);
    expect(buttons.map((b) => b.custom_id)).toEqual([...Array.from({ length: todoCount }, () => expect.stringMatching(/^teamsync:done:/)), 'teamsync:feed']);
    firstTodoButton = buttons[0]!.custom_id as string;
    // The processing notice came first, in the same thread.
    const notice = await waitForPost(rig.fake, aliceThread, (b) => String(b.content).startsWith('⏳ Processing **team.txt**'));
    expect(notice.at).toBeLessThanOrEqual(result.at);

    const file = await rig.services.models.UploadedFile.findOne({ where: { file_name: 'team.txt' } });
    expect(file).toMatchObject({ status: 'done', origin_platform: 'discord', origin_workspace_id: GUILD, origin_channel_id: CHANNEL, origin_thread_id: anchorId });
  });

  it('import file again: the same bytes are not processed twice, and the notice is taken back', async () => {
    const attachment = rig.fake.addAttachment({ filename: 'team-again.txt', content: teamChat(), contentType: 'text/plain', ephemeral: true });
    const sent = rig.fake.sendChatInputCommand({ name: 'teamsync', subcommand: 'import', attachments: { file: attachment }, channelId: CHANNEL });
    const edit = await waitForEdit(rig.fake, sent.token);
    expect(String((edit.body as Json).content)).toContain('You imported this same file before as **team.txt** (status: done)');
    const anchor = await waitForPost(rig.fake, CHANNEL, (b) => String(b.content).includes('team-again.txt'));
    await rig.fake.waitForRequest('DELETE', new RegExp(`^/channels/${CHANNEL}/messages/${(anchor.response as Json).id}$`));
    expect(await rig.services.models.UploadedFile.count()).toBe(1);
  });

  it('import file that is no chat export: refused with the reason, nothing left in the channel', async () => {
    const attachment = rig.fake.addAttachment({ filename: 'photo.bin', content: Buffer.from([0, 1, 2, 3, 255, 254]), ephemeral: true });
    const sent = rig.fake.sendChatInputCommand({ name: 'teamsync', subcommand: 'import', attachments: { file: attachment }, channelId: CHANNEL });
    const edit = await waitForEdit(rig.fake, sent.token);
    expect(String((edit.body as Json).content)).toMatch(/^❌ Could not import \*\*photo\.bin\*\*: /);
    expect(await rig.services.models.UploadedFile.count({ where: { file_name: 'photo.bin' } })).toBe(0);
  });

  it('todos, calendar and status answer privately from the importer\'s account', async () => {
    const todos = slash('todos', [{ name: 'status', type: 3, value: 'open' }]);
    const todosEdit = await waitForEdit(rig.fake, todos.token);
    const body = todosEdit.body as { content: string; embeds: Json[]; components: Array<{ components: Json[] }> };
    expect(body.content).toContain('Your open todos');
    expect(String(body.embeds[0]!.description)).toContain('budget report');
    expect(body.components.flatMap((r) => r.components).length).toBe(await rig.services.models.TodoItem.count({ where: { status: 'open' } }));

    const calendar = slash('calendar', [{ name: 'show', type: 3, value: 'upcoming' }]);
    const calendarEdit = await waitForEdit(rig.fake, calendar.token);
    expect(text(calendarEdit)).toContain('launch meeting');
    expect(text(calendarEdit)).toContain('/api/v1/agent/calendar.ics?token=');

    const status = slash('status');
    const statusEdit = await waitForEdit(rig.fake, status.token);
    expect(text(statusEdit)).toContain('team.txt');
    expect(text(statusEdit)).toContain('✅ done');
  });

  it('ask: autocompletes the file name, and answers with sources', async () => {
    // An interaction the bot does not handle, re-sent as an autocomplete (type 4) for `ask file:`.
    const carrier = rig.fake.sendChatInputCommand({ name: 'other-bot-command', channelId: CHANNEL });
    rig.fake.dispatch('INTERACTION_CREATE', {
      ...carrier.payload,
      type: 4,
      data: {
        id: (rig.fake.commands.get(GUILD)![0]!.id as string),
        name: 'teamsync',
        type: 1,
        guild_id: GUILD,
        options: [{ name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: 'who' }, { name: 'file', type: 3, value: 'tea', focused: true }] }],
      },
    });
    const choices = await callbackOf(carrier.id);
    expect(choices).toMatchObject({ status: 204, body: { type: 8, data: { choices: [{ name: 'team.txt', value: 'team.txt' }] } } });

    const ask = slash('ask', [
      { name: 'question', type: 3, value: 'who sends the budget report?' },
      { name: 'file', type: 3, value: 'team.txt' },
    ]);
    const edit = await waitForEdit(rig.fake, ask.token, () => true, 20_000);
    expect(text(edit)).toContain('From \\"team.txt\\"');
    expect(text(edit)).toContain('Sources');
  });

  it('a done button marks the todo done for its owner only; the feed button answers with the clicker\'s own link', async () => {
    const resultMessage = rig.fake.messagesIn(aliceThread).find((m) => String(m.content).includes('✅'))!;
    const bobClick = rig.fake.sendButtonClick({ customId: firstTodoButton, channelId: aliceThread, messageId: resultMessage.id as string, user: BOB });
    const bobEdit = await waitForEdit(rig.fake, bobClick.token);
    expect(text(bobEdit)).toContain('That todo is not in your TeamSync account');
    const todoId = firstTodoButton.slice('teamsync:done:'.length);
    expect((await rig.services.models.TodoItem.findByPk(todoId))!.status).toBe('open');

    const aliceClick = rig.fake.sendButtonClick({ customId: firstTodoButton, channelId: aliceThread, messageId: resultMessage.id as string });
    expect((await callbackOf(aliceClick.id)).body).toEqual({ type: 5, data: { flags: 64 } });
    const aliceEdit = await waitForEdit(rig.fake, aliceClick.token);
    expect(text(aliceEdit)).toContain('Marked done');
    expect((await rig.services.models.TodoItem.findByPk(todoId))!.status).toBe('done');
    const strike = await rig.fake.waitForRequest('PATCH', new RegExp(`^/channels/${aliceThread}/messages/${resultMessage.id}$`));
    const struck = ((strike.body as { components: Array<{ components: Json[] }> }).components.flatMap((r) => r.components)).find((b) => b.custom_id === firstTodoButton);
    expect(struck).toMatchObject({ disabled: true, style: 3 });

    const feed = rig.fake.sendButtonClick({ customId: 'teamsync:feed', channelId: aliceThread, messageId: resultMessage.id as string, user: BOB });
    const feedEdit = await waitForEdit(rig.fake, feed.token);
    const aliceUser = await rig.services.models.User.findOne({ where: { username: `discord-${GUILD}-${ALICE.id}` } });
    const bobUser = await rig.services.models.User.findOne({ where: { username: `discord-${GUILD}-${BOB.id}` } });
    expect(bobUser!.feed_token).toBeTruthy();
    expect(text(feedEdit)).toContain('calendar.ics?token=');
    expect(aliceUser!.feed_token && text(feedEdit).includes(aliceUser!.feed_token)).toBeFalsy();
  });

  it('keeps users apart: Bob sees none of Alice\'s todos', async () => {
    const sent = slash('todos', [{ name: 'status', type: 3, value: 'any' }], { user: BOB });
    const edit = await waitForEdit(rig.fake, sent.token);
    expect(text(edit)).not.toContain('budget report');
    expect(text(edit)).toContain('No open and done todos');
  });

  it('link: shows a one-time code; a code from the web app moves the auto account\'s data to the real account', async () => {
    const show = slash('link');
    const shown = await waitForEdit(rig.fake, show.token);
    expect(text(shown)).toMatch(/[A-Z2-9]{5}-[A-Z2-9]{5}/);

    const real = await createUser(rig.services, { username: 'alice-real', email: 'alice@example.com', password: 'a long enough password' });
    const { code } = await issueCodeForAccount(rig.services, real.id);
    const redeem = slash('link', [{ name: 'code', type: 3, value: code }]);
    const linked = await waitForEdit(rig.fake, redeem.token);
    expect(text(linked)).toContain('Linked to TeamSync account **alice-real**');
    expect(await rig.services.models.TodoItem.count({ where: { user_id: real.id } })).toBeGreaterThanOrEqual(2);
    expect(await rig.services.models.UploadedFile.count({ where: { user_id: real.id } })).toBe(1);
  });

  it('a message that mentions the bot with an attachment: processed, results in a thread started from that message', async () => {
    // Without the Message Content intent a file in a message that does not mention the bot is not seen.
    const unseen = rig.fake.addAttachment({ filename: 'unseen.txt', content: teamChat(' unseen') });
    rig.fake.sendMessage({ channelId: CHANNEL, content: 'our chat, no mention', author: BOB, attachments: [unseen] });

    const attachment = rig.fake.addAttachment({ filename: 'bob-chat.txt', content: teamChat(' from Bob') });
    const message = rig.fake.sendMessage({ channelId: CHANNEL, content: `<@${rig.fake.botUser.id}> here is our chat`, author: BOB, attachments: [attachment] });
    const thread = await rig.fake.waitForRequest('POST', /^\/channels\/\d+\/messages\/\d+\/threads$/, 5000, (r) => r.path === `/channels/${CHANNEL}/messages/${message.id}/threads`);
    expect(thread.body).toEqual({ name: 'TeamSync: bob-chat.txt', auto_archive_duration: 1440 });
    const result = await waitForPost(rig.fake, message.id as string, (b) => String(b.content).includes('✅'));
    expect(String((result.body as Json).content)).toMatch(/^\*\*✅ bob-chat\.txt: 6 messages, \d+ todo\(s\), 2 event\(s\)\*\*$/);
    const file = await rig.services.models.UploadedFile.findOne({ where: { file_name: 'bob-chat.txt' } });
    const bob = await rig.services.models.User.findOne({ where: { username: `discord-${GUILD}-${BOB.id}` } });
    expect(file).toMatchObject({ user_id: bob!.id, origin_message_id: message.id, origin_thread_id: message.id, status: 'done' });
    expect(await rig.services.models.UploadedFile.count({ where: { file_name: 'unseen.txt' } })).toBe(0);
  });

  it('a mention without a file gets a pointer to the slash command', async () => {
    const message = rig.fake.sendMessage({ channelId: CHANNEL, content: `<@${rig.fake.botUser.id}> todos`, author: BOB });
    const reply = await waitForPost(rig.fake, CHANNEL, (b) => (b.message_reference as Json | undefined)?.message_id === message.id);
    expect(String((reply.body as Json).content)).toContain('/teamsync import file:');
  });

  const jobIn = async (jobId: string, states: string[], timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const job = await rig.jobs!.queue.getJob(jobId);
      if (job && states.includes(job.state)) return job;
      if (Date.now() > end) throw new Error(`job ${jobId} is ${job?.state ?? 'missing'}, not ${states.join('/')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const accountOf = async (user: { id: string }) => (await rig.services.models.PlatformIdentity.findOne({ where: { platform_user_id: user.id } }))!.user_id;
  let historyJob = '';
  let historyThread = '';

  it('import days: a job of the asker pages through the history (100 per request, before= cursor) past a 429, then processes it like an upload', async () => {
    const now = Date.now();
    const people = [ALICE, BOB, { ...BOB, id: '1400000000000000003', username: 'carol', global_name: 'Carol' }];
    const lines = ['Dana, please review the design doc by Monday', 'ok', 'The retro meeting is on 2030-04-02 at 15:00', 'thanks', 'sounds good'];
    const recent = Array.from({ length: 250 }, (_, i) => ({
      id: snowflake(now - 2 * 86_400_000 + i * 60_000),
      content: `${lines[i % lines.length]} (${i})`,
      author: people[i % people.length],
    }));
    const old = Array.from({ length: 20 }, (_, i) => ({ id: snowflake(now - 40 * 86_400_000 + i * 60_000), content: `old ${i}`, author: ALICE }));
    rig.fake.setMessages(HISTORY_CHANNEL, [...old, ...recent]);
    rig.fake.failNext('GET', new RegExp(`^/channels/${HISTORY_CHANNEL}/messages$`), { retryAfter: 0.3 });

    const sent = slash('import', [{ name: 'days', type: 4, value: 3 }], { channelId: HISTORY_CHANNEL });
    expect((await callbackOf(sent.id)).body).toEqual({ type: 5, data: { flags: 64 } });
    const started = Date.now();
    const first = await waitForEdit(rig.fake, sent.token, (b) => String(b.content).includes('Reading the last 3 day(s)'));
    expect(first.status).toBe(200);
    const anchor = await waitForPost(rig.fake, HISTORY_CHANNEL, (b) => String(b.content).includes('is importing the last 3 day(s)'));
    const threadId = (anchor.response as Json).id as string;
    expect(String((first.body as Json).content)).toContain(`follow in <#${threadId}>`);
    const jobId = String((first.body as Json).content).match(/job `([^`]+)`/)![1]!;
    // The job belongs to the asker's account (GET /api/v1/jobs/:id asks the same), nobody else's.
    const aliceId = await accountOf(ALICE);
    expect(await rig.jobs!.queue.getJob(jobId, aliceId)).toMatchObject({ id: jobId, name: 'import-channel-history' });
    expect(await rig.jobs!.queue.getJob(jobId, 'someone-else')).toBeNull();
    historyJob = jobId;
    historyThread = threadId;

    const result = await waitForPost(rig.fake, threadId, (b) => String(b.content).includes('✅ #history'), 20_000);
    const took = Date.now() - started;
    expect(String((result.body as Json).content)).toMatch(/250 messages, \d+ todo\(s\), \d+ event\(s\)/);
    expect(text(result)).toContain('design doc');

    const gets = rig.fake.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${HISTORY_CHANNEL}/messages`);
    expect(gets.map((r) => r.status)).toEqual([429, 200, 200, 200]);
    expect(gets[0]!.query).toEqual({ limit: '100' });
    expect(gets[1]!.query).toEqual({ limit: '100' });
    const pages = gets.slice(1).map((r) => r.response as Json[]);
    expect(gets[2]!.query).toEqual({ limit: '100', before: pages[0]!.at(-1)!.id });
    expect(gets[3]!.query).toEqual({ limit: '100', before: pages[1]!.at(-1)!.id });

    const progress = rig.fake.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith(`/channels/${threadId}/messages/`)).map((r) => String((r.body as Json).content));
    expect(progress).toEqual([
      expect.stringMatching(/^⏳ Read 99 messages \(1 page\(s\), back to /),
      expect.stringMatching(/^⏳ Read 199 messages \(2 page\(s\)/),
      expect.stringMatching(/^⏳ Read 250 messages \(3 page\(s\)/),
      '✅ Read 250 messages (3 page(s)).',
    ]);
    const file = await rig.services.models.UploadedFile.findOne({ where: { origin_channel_id: HISTORY_CHANNEL } });
    expect(file).toMatchObject({ format: 'discord-api', message_count: 250, status: 'done', origin_thread_id: threadId, user_id: aliceId });
    expect(await jobIn(jobId, ['completed'])).toMatchObject({ attempts: 1, file_id: file!.id, result: { message_count: 250, created: true, file_id: file!.id } });
    const status = slash('status', [], { channelId: HISTORY_CHANNEL });
    expect(text(await waitForEdit(rig.fake, status.token))).toContain(`job ${jobId}: ✅ done — 250 messages read`);
    process.stdout.write(`discord import of 250 messages (3 pages, one 429 of 0.3 s) to the summary in its thread: ${took} ms\n`);
  });

  it('import days run a second time (an operator\'s retry): still one file and one summary', async () => {
    const before = await rig.jobs!.queue.getJob(historyJob);
    await rig.jobs!.queue.retry(historyJob);
    const end = Date.now() + 15_000;
    while ((await rig.jobs!.queue.getJob(historyJob))!.last_finished_at === before!.last_finished_at) {
      if (Date.now() > end) throw new Error('the second run did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await jobIn(historyJob, ['completed'])).toMatchObject({ result: before!.result });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await rig.services.models.UploadedFile.count({ where: { origin_channel_id: HISTORY_CHANNEL } })).toBe(1);
    expect(rig.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${historyThread}/messages` && String((r.body as Json).content).includes('✅ #history'))).toHaveLength(1);
  });

  it('import days where the bot may not read (Missing Access): the job fails at once with the reason, told in the thread', async () => {
    rig.fake.failNext('GET', new RegExp(`^/channels/${CHANNEL}/messages$`), { status: 403, code: 50001, message: 'Missing Access' });
    const sent = slash('import', [{ name: 'days', type: 4, value: 2 }]);
    const first = await waitForEdit(rig.fake, sent.token, (b) => String(b.content).includes('Reading the last 2 day(s)'));
    const jobId = String((first.body as Json).content).match(/job `([^`]+)`/)![1]!;
    const threadId = String((first.body as Json).content).match(/<#(\d+)>/)![1]!;
    const failed = await jobIn(jobId, ['failed']);
    expect(failed).toMatchObject({ attempts: 1, next_run_at: null });
    expect(failed.last_error).toContain('Missing Access');
    const told = await waitForPost(rig.fake, threadId, (b) => String(b.content).startsWith('❌ Could not import this channel\'s history'));
    expect(text(told)).toContain('Read Message History');
    expect(await rig.services.models.UploadedFile.count({ where: { origin_channel_id: CHANNEL, origin_thread_id: threadId } })).toBe(0);
  });

  it('an import for a platform this worker cannot read (no Slack token here) fails at once with that reason', async () => {
    const userId = await accountOf(ALICE);
    const jobId = await rig.jobs!.queue.enqueueHistoryImport({ userId, platform: 'slack', workspaceId: 'T0', channelId: 'C0', requesterId: 'U0', days: 1, anchorId: null });
    const failed = await jobIn(jobId, ['failed']);
    expect(failed).toMatchObject({ attempts: 1, next_run_at: null });
    expect(failed.last_error).toContain('SLACK_BOT_TOKEN is not set');
  });

  it('keeps answering across a gateway disconnect: the command sent meanwhile arrives on RESUME and is answered', async () => {
    rig.fake.disconnectClient(4000);
    const sent = slash('help');
    const resume = await rig.fake.waitForGatewayOp(6, 5000);
    expect(resume.d).toMatchObject({ session_id: rig.fake.sessionId });
    expect((await callbackOf(sent.id)).status).toBe(204);
    const edit = await waitForEdit(rig.fake, sent.token);
    expect(text(edit)).toContain('TeamSync commands');
    expect(rig.fake.gatewayLog.filter((f) => f.direction === 'in' && f.op === 2)).toHaveLength(1);
  });

  it('forget: says what would go, then deletes it with confirm', async () => {
    const ask = slash('forget');
    expect(text(await waitForEdit(rig.fake, ask.token))).toMatch(/This deletes \d+ file\(s\)/);
    const confirm = slash('forget', [{ name: 'confirm', type: 5, value: true }]);
    expect(text(await waitForEdit(rig.fake, confirm.token))).toMatch(/Deleted \d+ file\(s\)/);
    const real = await rig.services.models.User.findOne({ where: { username: 'alice-real' } });
    expect(await rig.services.models.TodoItem.count({ where: { user_id: real!.id } })).toBe(0);
  });
});
