/**
 * The real discord.js Client (REST over HTTP, gateway over WebSocket) against the fake Discord.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  SlashCommandBuilder,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import { snowflake, startFakeDiscord, type FakeDiscord } from '../fakes/discord.js';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const HISTORY = '1300000000000000002';

function nextEvent<T>(client: Client, event: string, predicate: (value: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`No ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (value: T): void => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(value);
    };
    client.on(event, listener);
  });
}

describe('discord.js against the fake Discord', () => {
  let fake: FakeDiscord;
  let client: Client;
  const interactionErrors: unknown[] = [];
  const downloaded: string[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord({
      heartbeatIntervalMs: 250,
      guilds: [{ id: GUILD, name: 'TeamSync Test', channels: [{ id: CHANNEL, name: 'general' }, { id: HISTORY, name: 'history' }] }],
    });
    client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: fake.apiUrl } });
    client.on(Events.InteractionCreate, (interaction: Interaction) => {
      void (async () => {
        if (interaction.isChatInputCommand() && interaction.options.getSubcommand() === 'import') {
          await interaction.deferReply();
          const file = interaction.options.getAttachment('file', true);
          const text = await (await fetch(file.url)).text();
          downloaded.push(text);
          await interaction.editReply(`Imported ${file.name} (${file.size} bytes)`);
        } else if (interaction.isButton()) {
          await interaction.reply({ content: `Clicked ${interaction.customId}` });
          await interaction.followUp({ content: 'And a followup' });
        }
      })().catch((error: unknown) => interactionErrors.push(error));
    });
    const ready = nextEvent(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in through GET /gateway/bot, IDENTIFY, READY and GUILD_CREATE, and gets heartbeats acked', async () => {
    const gatewayBot = await fake.waitForRequest('GET', /^\/gateway\/bot$/);
    expect(gatewayBot.headers.authorization).toBe(`Bot ${fake.token}`);
    const identify = await fake.waitForGatewayOp(2);
    expect(identify.d).toMatchObject({ token: fake.token, intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages });
    expect(fake.gatewayConnections[0]?.url).toBe('/gateway?v=10&encoding=json');
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.channels.cache.get(CHANNEL)?.type).toBe(ChannelType.GuildText);
    await fake.waitForGatewayOp(1, 3000);
    const deadline = Date.now() + 3000;
    while (!fake.gatewayLog.some((f) => f.direction === 'out' && f.op === 11) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(fake.gatewayLog.some((f) => f.direction === 'out' && f.op === 11)).toBe(true);
  });

  it('registers guild commands with PUT and validates them like Discord', async () => {
    const command = new SlashCommandBuilder()
      .setName('teamsync')
      .setDescription('TeamSync')
      .addSubcommand((s) =>
        s
          .setName('import')
          .setDescription('Import a chat export')
          .addAttachmentOption((o) => o.setName('file').setDescription('The export').setRequired(true)),
      );
    const registered = await client.application!.commands.set([command.toJSON()], GUILD);
    expect(registered.first()?.name).toBe('teamsync');
    const put = await fake.waitForRequest('PUT', /^\/applications\/\d+\/guilds\/\d+\/commands$/);
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/${GUILD}/commands`);
    expect(put.body).toEqual([expect.objectContaining({ name: 'teamsync', options: [expect.objectContaining({ name: 'import', type: 1 })] })]);
    await expect(client.application!.commands.set([{ name: 'Bad Name', description: 'x' }])).rejects.toMatchObject({ code: 50035 });
  });

  it('handles a slash command with an attachment: defer (type 5), download, edit @original', async () => {
    const attachment = fake.addAttachment({ filename: 'chat.txt', content: Buffer.from('Alice: ship it by Friday'), contentType: 'text/plain', ephemeral: true });
    const sent = fake.sendChatInputCommand({ name: 'teamsync', subcommand: 'import', attachments: { file: attachment }, channelId: CHANNEL });

    const edit = await fake.waitForRequest('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/);
    expect(edit.rawPath).toBe(`/api/v10/webhooks/${fake.applicationId}/${sent.token}/messages/%40original`);
    expect(edit.body).toMatchObject({ content: 'Imported chat.txt (24 bytes)' });
    expect(edit.headers.authorization).toBeUndefined();
    expect(edit.status).toBe(200);

    const callback = fake.requests.find((r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`);
    expect(callback).toMatchObject({ method: 'POST', status: 204, body: { type: 5 }, query: { with_response: 'false' } });
    expect(downloaded).toEqual(['Alice: ship it by Friday']);
    expect(interactionErrors).toEqual([]);

    // The attachment URL is signed: without its query it is gone, like Discord's CDN.
    const unsigned = await fetch(attachment.url.split('?')[0] as string);
    expect(unsigned.status).toBe(404);
  });

  it('answers a button with an immediate reply (type 4) and a followup', async () => {
    const base = fake.sendMessage({ channelId: CHANNEL, content: 'Pick one', author: fake.botUser });
    const sent = fake.sendButtonClick({ customId: 'approve:1', channelId: CHANNEL, messageId: String(base.id) });
    const followup = await fake.waitForRequest('POST', new RegExp(`^/webhooks/\\d+/${sent.token}$`));
    expect(followup.body).toMatchObject({ content: 'And a followup' });
    const callback = fake.requests.find((r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`);
    expect(callback).toMatchObject({ status: 204, body: { type: 4, data: { content: 'Clicked approve:1' } } });
    expect(interactionErrors).toEqual([]);
    // An interaction takes exactly one first response.
    const again = await fetch(`${fake.apiUrl}/v10/interactions/${sent.id}/${sent.token}/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'twice' } }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 40060 });
  });

  it('delivers MESSAGE_CREATE in a cached channel, blanked without the MessageContent intent unless it mentions the bot', async () => {
    const plain = nextEvent<Message>(client, Events.MessageCreate, (m) => m.author.id !== fake.botUser.id);
    fake.sendMessage({ channelId: CHANNEL, content: 'secret plans' });
    const received = await plain;
    expect(received.channelId).toBe(CHANNEL);
    expect(received.content).toBe('');

    const mention = nextEvent<Message>(client, Events.MessageCreate, (m) => m.content.length > 0);
    fake.sendMessage({ channelId: CHANNEL, content: `<@${fake.botUser.id}> todos` });
    expect((await mention).content).toBe(`<@${fake.botUser.id}> todos`);
  });

  it('starts a thread from a message and posts in it', async () => {
    const created = nextEvent<Message>(client, Events.MessageCreate, (m) => m.content.includes('import this'));
    fake.sendMessage({ channelId: CHANNEL, content: `<@${fake.botUser.id}> import this` });
    const message = await created;
    const thread = await message.startThread({ name: 'Import results', autoArchiveDuration: 1440 });
    expect(thread.id).toBe(message.id);
    expect(thread.parentId).toBe(CHANNEL);
    await thread.send('3 todos, 1 event');
    const post = await fake.waitForRequest('POST', new RegExp(`^/channels/${thread.id}/messages$`));
    expect(post.body).toMatchObject({ content: '3 todos, 1 event' });
    const create = await fake.waitForRequest('POST', /^\/channels\/\d+\/messages\/\d+\/threads$/);
    expect(create.body).toMatchObject({ name: 'Import results', auto_archive_duration: 1440 });
    await expect(message.startThread({ name: 'x'.repeat(101) })).rejects.toMatchObject({ code: 50035 });
  });

  it('fetches channel history over two pages with a 429 in between (the REST client waits and retries)', async () => {
    const base = Date.UTC(2024, 0, 1);
    fake.setMessages(
      HISTORY,
      Array.from({ length: 150 }, (_, i) => ({ id: snowflake(base + i * 1000), content: `m${i}` })),
    );
    const channel = client.channels.cache.get(HISTORY) as TextChannel;
    const first = await channel.messages.fetch({ limit: 100 });
    expect(first.size).toBe(100);
    expect(first.first()?.content).toBe('m149');
    fake.failNext('GET', /^\/channels\/\d+\/messages$/, { retryAfter: 0.3 });
    const started = Date.now();
    const second = await channel.messages.fetch({ limit: 100, before: first.last()!.id });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(second.map((m) => m.content)).toEqual(Array.from({ length: 50 }, (_, i) => `m${49 - i}`));
    const gets = fake.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${HISTORY}/messages`);
    expect(gets.map((r) => r.status)).toEqual([200, 429, 200]);
    expect(gets[1]?.query).toEqual({ limit: '100', before: first.last()!.id });
    expect(gets[2]?.query).toEqual(gets[1]?.query);
  });

  it('waits out a global 429 on the client REST manager', async () => {
    fake.failNext('GET', /^\/users\/@me$/, { retryAfter: 0.2, global: true });
    const started = Date.now();
    const me = (await client.rest.get('/users/@me')) as { id: string };
    expect(me.id).toBe(fake.botUser.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(fake.requests.filter((r) => r.path === '/users/@me').map((r) => r.status)).toEqual([429, 200]);
  });

  it('survives a gateway disconnect: RESUME on the resume URL replays missed dispatches, then RESUMED', async () => {
    const resumed = nextEvent<number>(client, Events.ShardResume);
    fake.disconnectClient(4000);
    // Sent while the client is away: must arrive through the replay.
    const missed = nextEvent<Message>(client, Events.MessageCreate, (m) => m.content.includes('while you were away'));
    fake.sendMessage({ channelId: CHANNEL, content: `<@${fake.botUser.id}> while you were away` });
    const resume = await fake.waitForGatewayOp(6, 5000);
    expect(resume.d).toMatchObject({ token: fake.token, session_id: fake.sessionId });
    await resumed;
    expect((await missed).channelId).toBe(CHANNEL);
    expect(fake.gatewayConnections.at(-1)?.url).toBe('/resume-gateway?v=10&encoding=json');
    expect(fake.gatewayLog.filter((f) => f.direction === 'in' && f.op === 2)).toHaveLength(1);
    expect(fake.connected).toBe(true);
  });
});
