import { describe, expect, test } from '@jest/globals';
import { ChatParseError, detectFormat, parseChat } from '../../src/chat/index.js';
import { fixture, zipFixtureDir, zipOf } from './helpers.js';

async function failure(promise: Promise<unknown>): Promise<ChatParseError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ChatParseError);
    return err as ChatParseError;
  }
  throw new Error('expected a ChatParseError');
}

describe('inputs that are not chat exports', () => {
  test('empty and whitespace-only files', async () => {
    for (const input of [Buffer.alloc(0), Buffer.from(' \r\n\t\n'), Buffer.from('\ufeff')]) {
      const err = await failure(parseChat(input));
      expect([err.kind, err.status, err.message]).toEqual(['empty', 422, 'the file is empty']);
    }
  });

  test('binary data names the supported formats', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const err = await failure(parseChat(png));
    expect(err.kind).toBe('unsupported');
    expect(err.status).toBe(415);
    expect(err.message).toMatch(/does not look like a chat export .*binary data.*supported formats: Slack workspace export/);
  });

  test('prose that is no chat', async () => {
    const err = await failure(parseChat(Buffer.from('Dear team,\nplease find attached the quarterly report.\nRegards\n')));
    expect(err.kind).toBe('unsupported');
    expect(err.message).toContain('"Dear team, please find attached');
  });

  test('a WhatsApp export whose lines carry no valid date', async () => {
    const err = await failure(parseChat(Buffer.from('Ana: hi\n'), { format: 'whatsapp' }));
    expect([err.kind, err.format]).toEqual(['malformed', 'whatsapp']);
    expect(err.message).toMatch(/^this looks like a WhatsApp export but no line had a date; supported formats: /);
  });

  test('DiscordChatExporter HTML is refused with advice', async () => {
    const html = Buffer.from('<!DOCTYPE html>\n<html><head><title>Team - general</title></head><body><div class="chatlog"></div></body></html>');
    expect(detectFormat(html)).toBe('discord-html');
    const err = await failure(parseChat(html));
    expect(err.kind).toBe('unsupported');
    expect(err.message).toContain('export the channel as JSON');
  });
});

describe('damaged input', () => {
  test('malformed and truncated JSON', async () => {
    const text = fixture('dce.json').toString();
    const truncated = await failure(parseChat(Buffer.from(text.slice(0, text.length / 2))));
    expect([truncated.kind, truncated.status, truncated.format]).toEqual(['malformed', 422, 'discord-json']);
    expect(truncated.message).toContain('truncated');
    const broken = await failure(parseChat(Buffer.from('[{"type":"message","ts":"1.2",}]')));
    expect(broken.kind).toBe('malformed');
    expect(broken.message).toMatch(/not valid JSON/);
  });

  test('a truncated zip', async () => {
    const zip = await zipFixtureDir('slack-export');
    const err = await failure(parseChat(zip.subarray(0, Math.floor(zip.length * 0.6))));
    expect([err.kind, err.status]).toEqual(['malformed', 422]);
    expect(err.message).toMatch(/zip file is damaged or truncated/);
  });

  test('invalid UTF-8 is replaced, not fatal', async () => {
    const bytes = Buffer.concat([Buffer.from('14/03/2026, 09:15 - Ana: caf'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' ok\n')]);
    const c = await parseChat(bytes);
    expect(c.messages[0]!.text).toBe('caf\ufffd(\ufffd ok');
  });

  test('a zip with no chat inside', async () => {
    const err = await failure(parseChat(await zipOf({ 'a.txt': 'hello', 'b.txt': 'world' })));
    expect(err.kind).toBe('unsupported');
    expect(err.message).toMatch(/holds 2 text files/);
  });
});

describe('limits', () => {
  test('upload size', async () => {
    const err = await failure(parseChat(fixture('dce.json'), { limits: { uploadBytes: 100 } }));
    expect([err.kind, err.status]).toEqual(['too-large', 413]);
  });

  test('JSON nesting depth', async () => {
    const deep = '{"guild":{},"channel":{},"messages":[' + '['.repeat(100) + ']'.repeat(100) + ']}';
    const err = await failure(parseChat(Buffer.from(deep), { limits: { jsonDepth: 64 } }));
    expect([err.kind, err.status]).toEqual(['limit', 422]);
    expect(err.message).toContain('64 levels');
  });

  test('line length', async () => {
    const long = '14/03/2026, 09:15 - Ana: ' + 'x'.repeat(5000) + '\n';
    const err = await failure(parseChat(Buffer.from(long), { limits: { lineLength: 1000 } }));
    expect(err.kind).toBe('limit');
    expect(err.message).toMatch(/line 1 is longer than the limit of 1000/);
  });

  test('zip entry count', async () => {
    const entries = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`general/2026-01-${String(i + 1).padStart(2, '0')}.json`, '[]']));
    const err = await failure(parseChat(await zipOf(entries), { limits: { zipEntries: 10 } }));
    expect([err.kind, err.status]).toEqual(['too-large', 413]);
    expect(err.message).toMatch(/30 entries; the limit is 10/);
  });

  test('zip bomb: compression ratio and total inflated size', async () => {
    const bomb = await zipOf({ 'users.json': '[]', 'general/2026-03-14.json': Buffer.alloc(4 * 1024 * 1024, 0x20) });
    const ratio = await failure(parseChat(bomb));
    expect(ratio.kind).toBe('too-large');
    expect(ratio.message).toMatch(/zip bomb/);
    const total = await failure(parseChat(bomb, { limits: { zipRatio: 100000, zipUncompressedBytes: 1024 * 1024 } }));
    expect(total.message).toMatch(/inflates to more than the limit of 1048576 bytes/);
  });

  test('entry names are only names: "../" paths in a zip are refused, nothing is written', async () => {
    const zip = await zipOf({ 'users.json': '[]', 'general/2026-03-14.json': '[]' });
    const evil = Buffer.from(zip.toString('latin1').split('general/').join('../../x/'), 'latin1');
    const err = await failure(parseChat(evil));
    expect(['malformed', 'unsupported']).toContain(err.kind);
  });
});

describe('options', () => {
  test('unknown time zone and format are bad options (400)', async () => {
    const tz = await failure(parseChat(fixture('whatsapp-german.txt'), { timeZone: 'Mars/Olympus' }));
    expect([tz.kind, tz.status]).toEqual(['bad-option', 400]);
    const format = await failure(parseChat(fixture('whatsapp-german.txt'), { format: 'myspace' as never }));
    expect(format.kind).toBe('bad-option');
  });

  test('an explicit format overrides detection', async () => {
    const c = await parseChat(Buffer.from('Ana: [2026-03-14 09:15] starts with a name\n'), { format: 'transcript' });
    expect(c.messages.map((m) => [m.author.name, m.text])).toEqual([['Ana', '[2026-03-14 09:15] starts with a name']]);
  });
});

describe('detectFormat', () => {
  test.each([
    ['dce.json', 'discord-json'],
    ['dce-thread.json', 'discord-json'],
    ['dce.csv', 'discord-csv'],
    ['dce.txt', 'discord-txt'],
    ['discord-api.json', 'discord-api'],
    ['slack-day.json', 'slack-json'],
    ['slack-api-page.json', 'slack-api'],
    ['telegram-chat.json', 'telegram-json'],
    ['telegram-account.json', 'telegram-json'],
    ['whatsapp-android.txt', 'whatsapp'],
    ['whatsapp-ios.txt', 'whatsapp'],
    ['whatsapp-arabic.txt', 'whatsapp'],
    ['whatsapp-thai.txt', 'whatsapp'],
    ['transcript.txt', 'transcript'],
    ['transcript-plain.txt', 'transcript'],
    ['teams.vtt', 'webvtt'],
    ['zoom.vtt', 'webvtt'],
  ])('%s -> %s', (name, format) => {
    expect(detectFormat(fixture(name))).toBe(format);
  });

  test('a Slack zip', async () => {
    expect(detectFormat(await zipFixtureDir('slack-export'))).toBe('slack-zip');
  });
});
