import { describe, expect, test } from '@jest/globals';
import { parseChat, slackApiMessagesToChat } from '../../src/chat/index.js';
import { fixture, zipFixtureDir } from './helpers.js';

describe('Slack workspace export zip', () => {
  test('all channels, names from users.json, threads across day files, broadcast once, files and bot fallbacks', async () => {
    const c = await parseChat(await zipFixtureDir('slack-export'));
    expect(c.format).toBe('slack-zip');
    expect(c.name).toBeNull();
    expect(c.messages).toHaveLength(8);
    const byId = new Map(c.messages.map((m) => [m.id, m]));
    expect(byId.get('C01GEN/1773479700.000012')).toEqual({
      id: 'C01GEN/1773479700.000012',
      sentAt: '2026-03-14T09:15:00.000Z',
      author: { id: 'U01ANA', name: 'Ana' },
      text: 'Hi @Ben Okafor, see #random and the spec (https://example.com/spec?a=1&b=2) & @channel <3',
      threadId: null,
      attachments: [],
      system: false,
      channel: 'general',
    });
    expect(byId.get('C01GEN/1773478800.000100')).toMatchObject({ system: true, text: '@Ben Okafor has joined the channel' });
    expect(byId.get('C01GEN/1773533100.000300')).toMatchObject({
      threadId: 'C01GEN/1773532200.000200',
      text: 'Reply in thread on the next day',
      sentAt: '2026-03-15T00:05:00.000Z',
    });
    expect(c.messages.filter((m) => m.text === 'Broadcast reply')).toHaveLength(1);
    expect(byId.get('C01GEN/1773482400.000400')).toMatchObject({
      author: { id: 'B01', name: 'deploybot' },
      text: 'Deploy finished: build 1 (https://ci.example.com/1)',
    });
    expect(byId.get('C01GEN/1773486000.000500')!.attachments).toEqual(['deck.pdf']);
    expect(byId.get('C02RND/1773489600.000700')).toMatchObject({ author: { id: 'U09GONE', name: 'old' }, attachments: ['notes.txt'], channel: 'random' });
    expect(c.firstAt).toBe('2026-03-14T09:00:00.000Z');
    expect(c.lastAt).toBe('2026-03-15T00:06:00.000Z');
    expect(c.participants).toEqual([
      { id: 'U02BEN', name: 'Ben Okafor' },
      { id: 'U01ANA', name: 'Ana' },
      { id: 'B01', name: 'deploybot' },
      { id: 'U09GONE', name: 'old' },
    ]);
  });

  test('an export nested in a folder inside the zip', async () => {
    const c = await parseChat(await zipFixtureDir('slack-export', 'Acme Slack export Mar 14 2026/'));
    expect(c.messages).toHaveLength(8);
  });

  test('ts keeps every digit (no float round trip)', async () => {
    const day = JSON.stringify([{ type: 'message', user: 'U1', text: 'x', ts: '1458980525.000012' }]);
    const c = await parseChat(Buffer.from(day));
    expect(c.messages[0]!.id).toBe('1458980525.000012');
    expect(c.messages[0]!.sentAt).toBe('2016-03-26T08:22:05.000Z');
  });
});

describe('Slack JSON files', () => {
  test('a single channel day file', async () => {
    const c = await parseChat(fixture('slack-day.json'));
    expect(c.format).toBe('slack-json');
    expect(c.messages).toHaveLength(5);
    expect(c.messages[1]!.text).toBe('Hi @U02BEN, see #random and the spec (https://example.com/spec?a=1&b=2) & @channel <3');
  });

  test('a conversations.history page', async () => {
    const c = await parseChat(fixture('slack-api-page.json'));
    expect(c.format).toBe('slack-api');
    expect(c.messages.map((m) => [m.id, m.text, m.threadId])).toEqual([
      ['1773533100.000300', 'Reply in thread on the next day', '1773532200.000200'],
      ['1773533160.000600', 'Broadcast reply', '1773532200.000200'],
      ['1773479700.000099', 'Hey @ben', null],
    ]);
  });

  test('an error response is reported, not read as an empty chat', async () => {
    await expect(parseChat(fixture('slack-api-error.json'))).rejects.toMatchObject({ kind: 'malformed', status: 422, message: expect.stringContaining('not_in_channel') });
  });
});

describe('slackApiMessagesToChat', () => {
  test('resolves names from the users map and counts history+replies overlap once', () => {
    const root = { type: 'message', user: 'U1', text: 'root <!here>', ts: '1773479700.000100', thread_ts: '1773479700.000100', reply_count: 1 };
    const reply = { type: 'message', subtype: 'thread_broadcast', user: 'U2', text: '&lt;b&gt; for <@U1>', ts: '1773479760.000200', thread_ts: '1773479700.000100' };
    const out = slackApiMessagesToChat([root, reply, reply, { type: 'message', text: 'no ts' }], { users: { U1: 'Ana', U2: 'Ben' } });
    expect(out).toEqual([
      { id: '1773479700.000100', sentAt: '2026-03-14T09:15:00.000Z', author: { id: 'U1', name: 'Ana' }, text: 'root @here', threadId: null, attachments: [], system: false },
      { id: '1773479760.000200', sentAt: '2026-03-14T09:16:00.000Z', author: { id: 'U2', name: 'Ben' }, text: '<b> for @Ana', threadId: '1773479700.000100', attachments: [], system: false },
    ]);
  });

  test('markup: mailto, bare links, subteams, dates, unlabeled channels', () => {
    const [m] = slackApiMessagesToChat(
      [{ type: 'message', user: 'U1', ts: '1.000001', text: '<mailto:a@b.io|a@b.io> <https://x.io> <!subteam^S1|@devs> <!date^1392734382^{date}|Feb 18> <#C9>' }],
      { channels: new Map([['C9', 'ops']]) },
    );
    expect(m!.text).toBe('a@b.io https://x.io @devs Feb 18 #ops');
  });
});
