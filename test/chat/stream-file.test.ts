/**
 * Reading from a file (block by block, a zip entry by entry) must give exactly what reading the
 * same bytes from a Buffer gives: the same messages and summary, and the same errors and limits.
 * Small blocks put block boundaries inside lines, strings, escapes, keys and CRLF pairs.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatParseError, parseChat, parseChatFile, streamChatFile, type ChatMessage, type ParseChatOptions } from '../../src/chat/index.js';
import { streamChatSource } from '../../src/chat/parse.js';
import { chunkedSource } from '../../src/chat/source.js';
import { fixture, zipFixtureDir, zipOf } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teamsync-chat-stream-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
function file(content: Buffer | string): string {
  const path = join(dir, `input-${fileNo++}`);
  writeFileSync(path, content);
  return path;
}

/** Outcome of a parse: the conversation, or the error's kind, format and message. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ChatParseError)) throw err;
    return { error: [err.kind, err.format, err.message] };
  }
}

async function chunked(buf: Buffer, blockBytes: number, options: ParseChatOptions): Promise<unknown> {
  const messages: ChatMessage[] = [];
  const s = await streamChatSource(chunkedSource(buf, blockBytes), options, (m) => messages.push(m));
  return { format: s.format, name: s.name, participants: s.participants, firstAt: s.firstAt, lastAt: s.lastAt, messages };
}

/** Asserts that the file and every block size read `buf` as the Buffer path does; returns that. */
async function sameAsBuffer(buf: Buffer, options: ParseChatOptions = {}): Promise<unknown> {
  const expected = await outcome(() => parseChat(buf, options));
  expect(await outcome(() => parseChatFile(file(buf), options))).toEqual(expected);
  for (const blockBytes of [1, 7, 64, 1000]) {
    expect([blockBytes, await outcome(() => chunked(buf, blockBytes, options))]).toEqual([blockBytes, expected]);
  }
  return expected;
}

const FIXTURES = [
  'dce.json',
  'dce-thread.json',
  'dce.csv',
  'dce.txt',
  'discord-api.json',
  'slack-day.json',
  'slack-api-page.json',
  'slack-api-error.json',
  'telegram-chat.json',
  'telegram-account.json',
  'whatsapp-android.txt',
  'whatsapp-ios.txt',
  'whatsapp-arabic.txt',
  'whatsapp-thai.txt',
  'whatsapp-es.txt',
  'whatsapp-german.txt',
  'whatsapp-ambiguous.txt',
  'transcript.txt',
  'transcript-plain.txt',
  'teams.vtt',
  'zoom.vtt',
];

describe('a file reads like its bytes', () => {
  test.each(FIXTURES)('%s', async (name) => {
    const result = await sameAsBuffer(fixture(name), { timeZone: 'Europe/Berlin', fileName: name });
    if (name !== 'slack-api-error.json') expect((result as { messages: unknown[] }).messages.length).toBeGreaterThan(0);
  });

  test('CRLF line ends, a byte order mark and invalid UTF-8', async () => {
    const text = fixture('whatsapp-android.txt').toString('utf8').replace(/\n/g, '\r\n');
    await sameAsBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const csv = fixture('dce.csv').toString('utf8').replace(/\n/g, '\r\n');
    await sameAsBuffer(Buffer.from(csv));
    const bad = Buffer.concat([Buffer.from('14/03/2026, 09:15 - Ana: caf'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' ok\r\n14/03/2026, 09:16 - Ben: \u00e9\u00e9\n')]);
    const result = (await sameAsBuffer(bad)) as { messages: ChatMessage[] };
    expect(result.messages[0]!.text).toBe('caf\ufffd(\ufffd ok');
  });

  test('UTF-16 input', async () => {
    const text = fixture('whatsapp-german.txt').toString('utf8');
    await sameAsBuffer(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  });

  test('JSON strings with escaped quotes and backslashes across blocks', async () => {
    const doc = JSON.parse(fixture('dce.json').toString('utf8')) as { messages: Array<{ content: string }> };
    doc.messages[0]!.content = 'say \\"hi\\" \\\\ "quoted" \\\\\\" } ] { [ end';
    doc.messages[1]!.content = '\\';
    const result = (await sameAsBuffer(Buffer.from(JSON.stringify(doc)))) as { messages: ChatMessage[] };
    expect(result.messages[0]!.text).toContain('"quoted"');
    // Minified: no line breaks at all, so blocks end anywhere.
    const telegram = JSON.stringify(JSON.parse(fixture('telegram-chat.json').toString('utf8')));
    await sameAsBuffer(Buffer.from(telegram));
  });

  test('Slack workspace zip and a WhatsApp zip', async () => {
    const slack = (await sameAsBuffer(await zipFixtureDir('slack-export'))) as { format: string; messages: unknown[] };
    expect(slack.format).toBe('slack-zip');
    await sameAsBuffer(await zipFixtureDir('slack-export', 'export/'));
    const whatsapp = (await sameAsBuffer(await zipOf({ 'WhatsApp Chat with Team.txt': fixture('whatsapp-android.txt') }))) as { format: string };
    expect(whatsapp.format).toBe('whatsapp');
  });
});

describe('errors and limits are the same from a file', () => {
  test('empty, blank, binary and prose', async () => {
    for (const input of [Buffer.alloc(0), Buffer.from(' \r\n\t\n'), Buffer.from('\ufeff'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), Buffer.from('Dear team,\nplease read.\n')]) {
      expect(await sameAsBuffer(input)).toHaveProperty('error');
    }
  });

  test('truncated and malformed JSON', async () => {
    const text = fixture('dce.json').toString('utf8');
    expect(await sameAsBuffer(Buffer.from(text.slice(0, text.length / 2)))).toEqual({ error: ['malformed', 'discord-json', expect.stringContaining('truncated')] });
    expect(await sameAsBuffer(Buffer.from('[{"type":"message","ts":"1.2",}]'))).toEqual({ error: ['malformed', 'slack-json', expect.stringMatching(/not valid JSON/)] });
    expect(await sameAsBuffer(Buffer.from(text.replace('"messages": [', '"messages": [ {"id": "1", "content": "unterminated ')))).toHaveProperty('error');
  });

  test('JSON nesting depth', async () => {
    const deep = '{"guild":{},"channel":{},"messages":[' + '['.repeat(100) + ']'.repeat(100) + ']}';
    expect(await sameAsBuffer(Buffer.from(deep), { limits: { jsonDepth: 64 } })).toEqual({ error: ['limit', 'discord-json', expect.stringContaining('64 levels')] });
  });

  test('line and CSV record length', async () => {
    const long = '14/03/2026, 09:15 - Ana: hi\n14/03/2026, 09:16 - Ana: ' + 'x'.repeat(5000) + '\n';
    expect(await sameAsBuffer(Buffer.from(long), { limits: { lineLength: 1000 } })).toEqual({ error: ['limit', 'whatsapp', expect.stringMatching(/line 2 is longer than the limit of 1000/)] });
    // No line break at all after the long line: the block grows until the limit says no.
    expect(await sameAsBuffer(Buffer.from(long.trimEnd() + 'y'.repeat(20000)), { limits: { lineLength: 1000 } })).toEqual({ error: ['limit', 'whatsapp', expect.stringMatching(/line 2 is longer/)] });
    const csv = fixture('dce.csv').toString('utf8') + `"1","Ana","14-Mar-26 09:15 AM","${'x'.repeat(5000)}","",""\n`;
    expect(await sameAsBuffer(Buffer.from(csv), { limits: { lineLength: 1000 } })).toEqual({ error: ['limit', 'discord-csv', expect.stringContaining('limit of 1000')] });
  });

  test('upload size', async () => {
    expect(await sameAsBuffer(fixture('dce.json'), { limits: { uploadBytes: 100 } })).toEqual({ error: ['too-large', null, expect.any(String)] });
  });

  test('zip bomb, entry count and a truncated zip', async () => {
    const bomb = await zipOf({ 'users.json': '[]', 'general/2026-03-14.json': Buffer.alloc(4 * 1024 * 1024, 0x20) });
    expect(await sameAsBuffer(bomb)).toEqual({ error: ['too-large', null, expect.stringMatching(/zip bomb/)] });
    expect(await sameAsBuffer(bomb, { limits: { zipRatio: 100000, zipUncompressedBytes: 1024 * 1024 } })).toEqual({
      error: ['too-large', null, expect.stringMatching(/inflates to more than the limit of 1048576 bytes/)],
    });
    const entries = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`general/2026-01-${String(i + 1).padStart(2, '0')}.json`, '[]']));
    expect(await sameAsBuffer(await zipOf(entries), { limits: { zipEntries: 10 } })).toEqual({ error: ['too-large', null, expect.stringMatching(/30 entries/)] });
    const zip = await zipFixtureDir('slack-export');
    expect(await sameAsBuffer(zip.subarray(0, Math.floor(zip.length * 0.6)))).toEqual({ error: ['malformed', null, expect.stringMatching(/damaged or truncated/)] });
  });
});

describe('streamChatFile', () => {
  test('hands messages one by one and returns the summary', async () => {
    const seen: string[] = [];
    const summary = await streamChatFile(file(fixture('whatsapp-german.txt')), { timeZone: 'Europe/Berlin' }, (m) => seen.push(m.id));
    expect(seen).toEqual(['L1', 'L2']);
    expect(summary).toMatchObject({ format: 'whatsapp', count: 2 });
  });

  test('file system errors are thrown as they are', async () => {
    await expect(streamChatFile(join(dir, 'missing.txt'), {}, () => {})).rejects.toMatchObject({ code: 'ENOENT' });
    const sub = join(dir, 'a-folder');
    mkdirSync(sub);
    await expect(streamChatFile(sub, {}, () => {})).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
