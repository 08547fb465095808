/**
 * The bot with the privileged Message Content intent and a watched channel: files posted there are
 * imported without a mention; files that are no chat export are left alone. (Processing is run
 * directly after enqueueing, as the job does it, to keep this suite short.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GatewayIntentBits } from 'discord.js';
import { BOB, startDiscordRig, teamChat, waitForPost, WATCHED_CHANNEL, type DiscordRig } from './discord-support.js';

describe('Discord bot with the Message Content intent', () => {
  let rig: DiscordRig;
  beforeAll(async () => {
    rig = await startDiscordRig({ bot: { messageContent: true, watchChannelIds: [WATCHED_CHANNEL] } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('identifies with the intent and imports files posted in a watched channel, ignoring files that are no chat export', async () => {
    const identify = await rig.fake.waitForGatewayOp(2);
    expect(identify.d).toMatchObject({ intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent });

    const picture = rig.fake.addAttachment({ filename: 'notes.bin', content: Buffer.from([0, 159, 146, 150]) });
    rig.fake.sendMessage({ channelId: WATCHED_CHANNEL, content: 'random file', author: BOB, attachments: [picture] });
    const attachment = rig.fake.addAttachment({ filename: 'watched.txt', content: teamChat(' watched') });
    const message = rig.fake.sendMessage({ channelId: WATCHED_CHANNEL, content: 'our chat from last week', author: BOB, attachments: [attachment] });

    const result = await waitForPost(rig.fake, message.id as string, (b) => String(b.content).includes('✅ watched.txt'));
    expect(String((result.body as { content: string }).content)).toMatch(/6 messages/);
    const files = await rig.services.models.UploadedFile.findAll({ attributes: ['file_name', 'origin_channel_id'] });
    expect(files.map((f) => [f.file_name, f.origin_channel_id])).toEqual([['watched.txt', WATCHED_CHANNEL]]);
    // The unreadable file got no reply in the channel.
    expect(rig.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${WATCHED_CHANNEL}/messages`)).toEqual([]);
  });
});
