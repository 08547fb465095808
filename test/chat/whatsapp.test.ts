import { describe, expect, test } from '@jest/globals';
import { parseChat } from '../../src/chat/index.js';
import { fixture, zipOf } from './helpers.js';

const msg = (id: string, sentAt: string, name: string | null, text: string, extra: { attachments?: string[]; system?: boolean } = {}) => ({
  id,
  sentAt,
  author: name === null ? { id: 'system', name: 'System' } : { id: name, name },
  text,
  threadId: null,
  attachments: extra.attachments ?? [],
  system: extra.system ?? name === null,
});

describe('WhatsApp Android', () => {
  test('system lines, multi-line messages, media, mentions, edits, no final newline, out-of-order stamps', async () => {
    const c = await parseChat(fixture('whatsapp-android.txt'), { fileName: 'WhatsApp Chat with Launch.txt' });
    expect(c.format).toBe('whatsapp');
    expect(c.name).toBe('Launch');
    expect(c.messages).toHaveLength(9);
    expect(c.messages).toEqual([
      msg('L1', '2026-03-14T09:00:00.000Z', null, 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.'),
      msg('L2', '2026-03-14T09:01:00.000Z', null, 'Ana created group "Launch"'),
      msg('L3', '2026-03-14T09:15:00.000Z', 'Ana', 'Morning all! Draft is ready'),
      msg('L4', '2026-03-14T09:16:00.000Z', 'Ben Okafor', "@Ana great, reviewing now\nsecond line of Ben's message\n15/03/2026 is when we ship"),
      msg('L7', '2026-03-14T09:20:00.000Z', '+49 170 1234567', '', { attachments: ['Media omitted'] }),
      msg('L8', '2026-03-14T09:21:00.000Z', 'Ana', 'Photo of the whiteboard', { attachments: ['IMG-20260314-WA0001.jpg'] }),
      msg('L10', '2026-03-14T21:05:00.000Z', 'Ben Okafor', 'Fixed the typo'),
      msg('L11', '2026-03-13T23:59:00.000Z', 'Ana', 'late line, out of order'),
      msg('L12', '2026-03-14T21:06:00.000Z', null, 'Ben Okafor left'),
    ]);
    expect(c.participants.map((p) => p.name)).toEqual(['Ana', 'Ben Okafor', '+49 170 1234567']);
    expect(c.firstAt).toBe('2026-03-13T23:59:00.000Z');
    expect(c.lastAt).toBe('2026-03-14T21:06:00.000Z');
  });

  test('the time zone passed in applies to zone-less stamps', async () => {
    const c = await parseChat(fixture('whatsapp-german.txt'), { timeZone: 'Europe/Berlin' });
    expect(c.messages.map((m) => [m.sentAt, m.author.name, m.text])).toEqual([
      ['2026-03-14T08:15:00.000Z', 'Anna', 'Hallo zusammen'],
      ['2026-03-14T08:16:00.000Z', 'Jonas', 'Moin'],
    ]);
  });

  test('Spanish "a. m." / "p. m." and localized media placeholder', async () => {
    const c = await parseChat(fixture('whatsapp-es.txt'));
    expect(c.messages.map((m) => [m.sentAt, m.author.name, m.text, m.attachments])).toEqual([
      ['2026-03-14T09:15:00.000Z', 'Ana', 'Hola equipo', []],
      ['2026-03-14T12:00:00.000Z', 'Luis', 'Mediodía', []],
      ['2026-03-14T21:15:00.000Z', 'Ana', 'Buenas noches', []],
      ['2026-03-14T21:16:00.000Z', 'Luis', '', ['Multimedia omitido']],
    ]);
  });

  test('Buddhist-era years', async () => {
    const c = await parseChat(fixture('whatsapp-thai.txt'), { timeZone: 'Asia/Bangkok' });
    expect(c.messages.map((m) => [m.sentAt, m.author.name, m.text])).toEqual([
      ['2026-03-14T02:15:00.000Z', 'สมชาย', 'สวัสดีครับ'],
      ['2026-03-14T11:40:00.000Z', 'Ana', 'hello'],
    ]);
  });

  test('Arabic-Indic digits, right-to-left marks, Arabic comma and ص/م; digits in the text stay', async () => {
    const c = await parseChat(fixture('whatsapp-arabic.txt'));
    expect(c.messages.map((m) => [m.sentAt, m.author.name, m.text])).toEqual([
      ['2026-03-14T09:15:00.000Z', 'أحمد', 'صباح الخير ٣ مرات'],
      ['2026-03-14T21:20:00.000Z', 'Ana', 'hi'],
    ]);
  });

  test('day/month order with no field above 12 is decided by which order runs forward', async () => {
    const c = await parseChat(fixture('whatsapp-ambiguous.txt'));
    expect(c.messages.map((m) => m.sentAt)).toEqual(['2026-01-12T10:00:00.000Z', '2026-02-01T10:00:00.000Z', '2026-02-03T10:00:00.000Z']);
  });

  test('a first field above 12 anywhere settles day-first for the whole file', async () => {
    const text = '01/02/2026, 10:00 - Ana: a\n13/02/2026, 10:00 - Ben: b\n';
    const c = await parseChat(Buffer.from(text));
    expect(c.messages.map((m) => m.sentAt)).toEqual(['2026-02-01T10:00:00.000Z', '2026-02-13T10:00:00.000Z']);
  });
});

describe('WhatsApp iOS', () => {
  test('CRLF, narrow no-break space before AM/PM, LRM-marked system and media lines, chat name', async () => {
    const c = await parseChat(fixture('whatsapp-ios.txt'));
    expect(c.name).toBe('Launch');
    expect(c.messages).toEqual([
      msg('L1', '2026-03-14T09:00:00.000Z', null, 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.'),
      msg('L2', '2026-03-14T09:15:03.000Z', 'Ana', 'Morning all!'),
      msg('L3', '2026-03-14T09:16:10.000Z', 'Ben Okafor', '', { attachments: ['image omitted'] }),
      msg('L4', '2026-03-14T09:17:00.000Z', 'Ben Okafor', '', { attachments: ['00000012-PHOTO-2026-03-14-09-17-00.jpg'] }),
      msg('L5', '2026-03-14T12:30:00.000Z', 'Ana', 'Lunch?\nLine two'),
      msg('L7', '2026-03-14T21:05:00.000Z', null, 'You deleted this message.'),
      msg('L8', '2026-03-15T00:01:00.000Z', 'Ben Okafor', 'after midnight'),
    ]);
  });

  test('the zip iOS shares (_chat.txt plus media) is read through its chat file', async () => {
    const zip = await zipOf({ '_chat.txt': fixture('whatsapp-ios.txt'), '00000012-PHOTO-2026-03-14-09-17-00.jpg': Buffer.alloc(100, 1) });
    const c = await parseChat(zip);
    expect(c.format).toBe('whatsapp');
    expect(c.messages).toHaveLength(7);
    expect(c.messages[1]!.text).toBe('Morning all!');
  });

  test('UTF-16 exports with a byte order mark are read', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[14/03/2026, 09:15:00] Ana: hi\r\n', 'utf16le')]);
    const c = await parseChat(utf16);
    expect(c.messages.map((m) => [m.sentAt, m.author.name, m.text])).toEqual([['2026-03-14T09:15:00.000Z', 'Ana', 'hi']]);
  });
});
