import { describe, expect, test } from '@jest/globals';
import { discordMessagesToChat, parseChat } from '../../src/chat/index.js';
import { fixture } from './helpers.js';

describe('DiscordChatExporter', () => {
  test('JSON: counts the array not messageCount, de-duplicates ids, replies, system types, local attachment paths, embeds', async () => {
    const c = await parseChat(fixture('dce.json'));
    expect(c.format).toBe('discord-json');
    expect(c.name).toBe('general');
    expect(c.messages).toEqual([
      { id: '1350000000000000001', sentAt: '2026-03-14T09:15:00.123Z', author: { id: '111', name: 'Ana' }, text: 'Hello @Ben', threadId: null, attachments: [], system: false },
      { id: '1350000000000000002', sentAt: '2026-03-14T09:16:00.000Z', author: { id: '222', name: 'Ben' }, text: 'hi @Ana, file attached', threadId: '1350000000000000001', attachments: ['report.pdf', 'diagram.png'], system: false },
      { id: '1350000000000000003', sentAt: '2026-03-14T09:17:00.500Z', author: { id: '333', name: 'cara' }, text: 'Joined the server.', threadId: null, attachments: [], system: true },
      { id: '1350000000000000004', sentAt: '2026-03-14T09:18:00.000Z', author: { id: '444', name: 'CI' }, text: 'Build passed\nmain #42', threadId: null, attachments: [], system: false },
    ]);
  });

  test('JSON thread file: messages belong to the thread (its id is the starter message id)', async () => {
    const c = await parseChat(fixture('dce-thread.json'));
    expect(c.name).toBe('Launch thread');
    expect(c.messages.map((m) => [m.id, m.threadId, m.text])).toEqual([['1350000000000000010', '1350000000000000001', 'in the thread']]);
  });

  test('CSV: quoted fields with doubled quotes and newlines, locale dates, attachment URLs', async () => {
    const c = await parseChat(fixture('dce.csv'), { timeZone: 'America/New_York' });
    expect(c.format).toBe('discord-csv');
    expect(c.messages).toEqual([
      { id: 'R2', sentAt: '2026-03-14T13:15:00.000Z', author: { id: '111', name: 'ana' }, text: 'Hello, "team"\nsecond line', threadId: null, attachments: [], system: false },
      { id: 'R3', sentAt: '2026-03-15T01:16:00.000Z', author: { id: '222', name: 'Ben' }, text: 'see files', threadId: null, attachments: ['a.png', 'b.pdf'], system: false },
      { id: 'R4', sentAt: '2026-03-15T04:00:00.000Z', author: { id: '333', name: 'Cara' }, text: 'Joined the server.', threadId: null, attachments: [], system: true },
    ]);
  });

  test('TXT: banner, multi-line content, attachment and reaction blocks, pinned marker, CRLF', async () => {
    const c = await parseChat(fixture('dce.txt'));
    expect(c.format).toBe('discord-txt');
    expect(c.name).toBe('general');
    expect(c.messages).toEqual([
      { id: 'L7', sentAt: '2026-03-14T09:15:00.000Z', author: { id: 'ana', name: 'ana' }, text: 'Hello team\n[not a header] still text', threadId: null, attachments: ['spec.pdf'], system: false },
      { id: 'L17', sentAt: '2026-03-14T13:05:00.000Z', author: { id: 'Ben#1234', name: 'Ben' }, text: 'Pinned plan', threadId: null, attachments: [], system: false },
      { id: 'L20', sentAt: '2026-03-15T00:00:00.000Z', author: { id: 'Cara', name: 'Cara' }, text: 'Joined the server.', threadId: null, attachments: [], system: true },
    ]);
  });
});

describe('Discord bot messages', () => {
  test('REST API objects in a JSON file are read oldest first', async () => {
    const c = await parseChat(fixture('discord-api.json'));
    expect(c.format).toBe('discord-api');
    expect(c.messages.map((m) => [m.id, m.author.name, m.text, m.threadId, m.attachments, m.system])).toEqual([
      ['1350000000000000020', 'ben', 'first', null, [], false],
      ['1350000000000000021', 'Ana', 'second, replying @Ben', '1350000000000000020', ['plan.md'], false],
      ['1350000000000000022', 'ben', '', null, [], true],
    ]);
  });

  test('discord.js toJSON() objects: createdTimestamp, globalName, reference, attachments as a collection, system flag, duplicates', () => {
    const newer = {
      id: '1350000000000000031',
      channelId: '1001',
      createdTimestamp: Date.UTC(2026, 2, 14, 9, 31),
      content: 'thanks <@222> in <#1001> <:party:123>',
      author: { id: '111', username: 'ana', globalName: 'Ana' },
      attachments: new Map([['9', { id: '9', name: 'notes.txt', url: 'https://cdn/notes.txt' }]]),
      reference: { messageId: '1350000000000000030', channelId: '1001' },
      type: 19,
      system: false,
    };
    const older = { id: '1350000000000000030', channelId: '1001', createdTimestamp: Date.UTC(2026, 2, 14, 9, 30), content: 'hi', author: { id: '222', username: 'ben', globalName: null }, attachments: [], type: 0, system: false };
    const join = { id: '1350000000000000032', channelId: '1001', createdTimestamp: Date.UTC(2026, 2, 14, 9, 32), content: '', author: { id: '333', username: 'cara' }, attachments: [], type: 7, system: true };
    const wrapped = { toJSON: () => older };
    const out = discordMessagesToChat([newer, join, wrapped, older], { users: { '222': 'Ben' }, channels: { '1001': 'general' } });
    expect(out).toEqual([
      { id: '1350000000000000030', sentAt: '2026-03-14T09:30:00.000Z', author: { id: '222', name: 'ben' }, text: 'hi', threadId: null, attachments: [], system: false },
      { id: '1350000000000000031', sentAt: '2026-03-14T09:31:00.000Z', author: { id: '111', name: 'Ana' }, text: 'thanks @Ben in #general :party:', threadId: '1350000000000000030', attachments: ['notes.txt'], system: false },
      { id: '1350000000000000032', sentAt: '2026-03-14T09:32:00.000Z', author: { id: '333', name: 'cara' }, text: '', threadId: null, attachments: [], system: true },
    ]);
  });

  test('the time comes from the snowflake when no timestamp is given', () => {
    const [m] = discordMessagesToChat([{ id: '175928847299117063', content: 'x', author: { id: '1', username: 'a' } }]);
    expect(m!.sentAt).toBe('2016-04-30T11:18:25.796Z');
  });
});
