import { expect, test } from '@jest/globals';
import { parseChat } from '../../src/chat/index.js';
import { fixture } from './helpers.js';

test('single chat: entity arrays, service messages, deleted authors, replies, photos and missing files, zone-less dates', async () => {
  const c = await parseChat(fixture('telegram-chat.json'), { timeZone: 'Europe/Berlin' });
  expect(c.format).toBe('telegram-json');
  expect(c.name).toBe('Launch Group');
  expect(c.messages).toEqual([
    { id: '1', sentAt: '2026-03-14T09:00:00.000Z', author: { id: 'user111', name: 'Ana Silva' }, text: 'create group "Launch Group" (Ben)', threadId: null, attachments: [], system: true },
    { id: '2', sentAt: '2026-03-14T09:15:00.000Z', author: { id: 'user111', name: 'Ana Silva' }, text: 'See the doc (https://example.com/doc) and hurry', threadId: null, attachments: [], system: false },
    { id: '3', sentAt: '2026-03-14T09:16:00.000Z', author: { id: 'user999', name: 'Deleted Account' }, text: 'from a deleted account', threadId: '2', attachments: [], system: false },
    { id: '4', sentAt: '2026-03-14T09:17:00.000Z', author: { id: 'user222', name: 'Ben' }, text: 'whiteboard', threadId: null, attachments: ['photo_1@14-03-2026_10-17-00.jpg'], system: false },
    { id: '5', sentAt: '2026-03-14T09:18:00.000Z', author: { id: 'user222', name: 'Ben' }, text: '', threadId: null, attachments: ['budget.xlsx'], system: false },
  ]);
});

test('whole-account export: every chat, ids prefixed with the chat id, chat name on each message', async () => {
  const c = await parseChat(fixture('telegram-account.json'));
  expect(c.messages.map((m) => [m.id, m.channel, m.author.name, m.text])).toEqual([
    ['5001:1', 'Ben', 'Ben', 'hey'],
    ['5002:1', 'Cara', 'Cara', 'hi'],
  ]);
});
