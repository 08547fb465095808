/**
 * Shortcuts of the parse hot paths checked against the general path: short CSV fields taken from a
 * table of decoded strings, stamp minutes read without parsing, zip entries inflated in one call
 * (with the size limits still enforced) and Slack ids remembered per channel.
 */
import { describe, expect, test } from '@jest/globals';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { parseChat } from '../../src/chat/index.js';
import { ChatParseError } from '../../src/chat/errors.js';
import { SHORT_FIELD_BYTES, shortField } from '../../src/chat/text/csv.js';
import { PositionIds } from '../../src/chat/text/lines.js';
import { cachedLooseEpoch, looseEpoch } from '../../src/chat/time/loose.js';
import { ZoneClock } from '../../src/chat/time/zone.js';
import { inflateEntry } from '../../src/chat/zip/archive.js';
import { zipOf } from './helpers.js';

describe('short CSV fields from the table of decoded strings', () => {
  test('the same string as decoding the bytes, for any bytes (invalid UTF-8 too) and colliding slots', () => {
    const bytes = fc.uint8Array({ minLength: 0, maxLength: SHORT_FIELD_BYTES });
    fc.assert(
      fc.property(fc.array(bytes, { minLength: 1, maxLength: 3000 }), (fields) => {
        const buf = Buffer.concat(fields.map((f) => Buffer.from(f)));
        let at = 0;
        for (const f of fields) {
          expect(shortField(buf, at, at + f.length)).toBe(buf.toString('utf8', at, at + f.length));
          at += f.length;
        }
      }),
      { numRuns: 30 },
    );
  });

  test('a value seen before comes back after the bytes it was read from changed', () => {
    const buf = Buffer.from('"Ana Müller","Ben"');
    expect(shortField(buf, 1, 12)).toBe('Ana Müller');
    buf.write('X', 1);
    expect(shortField(buf, 1, 12)).toBe('Xna Müller');
  });

  test('a Discord CSV with repeated authors and stamps reads as before', async () => {
    const rows = ['"AuthorID","Author","Date","Content","Attachments","Reactions"'];
    for (let i = 0; i < 200; i++) rows.push(`"${100 + (i % 3)}","${['Ana#0001', 'Bé', 'Cara'][i % 3]}","14-Mar-26 09:${String(10 + (i >> 3)).padStart(2, '0')} AM","m${i} ""q""","",""`);
    const c = await parseChat(Buffer.from(rows.join('\n') + '\n'), { fileName: 'x.csv' });
    expect(c.messages).toHaveLength(200);
    expect(c.messages[7]).toMatchObject({ id: 'R9', sentAt: '2026-03-14T09:10:00.000Z', author: { id: '101', name: 'Bé' }, text: 'm7 "q"' });
    expect(c.messages[9]).toMatchObject({ sentAt: '2026-03-14T09:11:00.000Z', author: { id: '100', name: 'Ana' } });
    expect(c.messages[199]!.sentAt).toBe('2026-03-14T09:34:00.000Z');
  });
});

describe('stamp minutes read without parsing', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  /** Stamp forms: the digits after the first ":" are minutes, except in the one with "." before the minutes. */
  const forms: Array<(d: number, h: number, m: number, s: number) => string> = [
    (d, h, m) => `${two(d)}-Mar-26 ${two(h % 12 || 12)}:${two(m)} ${h < 12 ? 'AM' : 'PM'}`,
    (d, h, m) => `3/${d}/2026 ${h % 12 || 12}:${two(m)} ${h < 12 ? 'AM' : 'PM'}`,
    (d, h, m, s) => `2026-03-${two(d)}T${two(h)}:${two(m)}:${two(s)}.000+02:00`,
    (d, h, m, s) => `2026-10-${two(d)} ${two(h)}:${two(m)}:${two(s)}`,
    (d, h, m, s) => `${two(d)}.03.26 ${two(h)}.${two(m)}:${two(s)}`,
    (d, h, m) => `${two(d)}/03/2026 ${two(h)}:${two(m)}`,
  ];
  /** Runs of stamps of one form, day and hour in which only the digits after the first ":" change (0-99: past 59 is no stamp). */
  const run = fc.record({
    form: fc.integer({ min: 0, max: forms.length - 1 }),
    d: fc.integer({ min: 24, max: 31 }),
    h: fc.integer({ min: 0, max: 3 }),
    fixed: fc.integer({ min: 0, max: 59 }),
    values: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 12 }),
  });
  const textsOf = (r: { form: number; d: number; h: number; fixed: number; values: number[] }) =>
    r.values.map((v) => (r.form === 4 ? forms[4]!(r.d, r.h, r.fixed, v) : forms[r.form]!(r.d, r.h, v, r.fixed)));

  test.each(['UTC', 'Europe/Berlin', 'America/New_York'])('the same instants as parsing every stamp (%s, DST changes included)', (zone) => {
    const clock = new ZoneClock(zone);
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 8 }), fc.constantFrom('dmy' as const, 'mdy' as const), (runs, order) => {
        const cached = cachedLooseEpoch(order, clock);
        for (const text of runs.flatMap(textsOf)) expect([text, cached(text)]).toEqual([text, looseEpoch(text, order, clock)]);
      }),
      { numRuns: 300 },
    );
  });

  /** Forms with seconds after the minutes, and runs in one hour in which minutes and seconds both change (0-99). */
  const withSeconds: Array<(d: number, h: number, m: number, s: number) => string> = [
    (d, h, m, s) => `2026-03-${two(d)}T${two(h)}:${two(m)}:${two(s)}.000+02:00`,
    (d, h, m, s) => `2026-10-${two(d)} ${two(h)}:${two(m)}:${two(s)}`,
    (d, h, m, s) => `${two(d)}/03/2026 ${two(h)}:${two(m)}:${two(s)}`,
    (d, h, m, s) => `3/${d}/26 ${h % 12 || 12}:${two(m)}:${two(s)} ${h < 12 ? 'AM' : 'PM'}`,
    (d, h, m, s) => `2026-03-${two(d)} ${two(h)}:${two(m)}:${two(s)}Z`,
  ];
  const secondsRun = fc.record({
    form: fc.integer({ min: 0, max: withSeconds.length - 1 }),
    d: fc.integer({ min: 24, max: 31 }),
    h: fc.integer({ min: 0, max: 3 }),
    values: fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })), { minLength: 1, maxLength: 12 }),
  });

  test.each(['UTC', 'Europe/Berlin', 'America/New_York'])('minutes and seconds moving together: the same instants as parsing (%s)', (zone) => {
    const clock = new ZoneClock(zone);
    fc.assert(
      fc.property(fc.array(secondsRun, { minLength: 1, maxLength: 8 }), fc.constantFrom('dmy' as const, 'mdy' as const), (runs, order) => {
        const cached = cachedLooseEpoch(order, clock);
        for (const text of runs.flatMap((r) => r.values.map(([m, s]) => withSeconds[r.form]!(r.d, r.h, m, s)))) {
          expect([text, cached(text)]).toEqual([text, looseEpoch(text, order, clock)]);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('runs of one hour, minute by minute, and seconds that are not minutes', () => {
    const clock = new ZoneClock('Europe/Berlin');
    const cached = cachedLooseEpoch('dmy', clock);
    for (const day of [28, 29]) {
      for (let h = 0; h < 4; h++) {
        for (const form of [(m: number) => `${day}/03/2026 ${two(h)}:${two(m)}`, (s: number) => `${day}.03.26 ${two(h)}.15:${two(s)}`]) {
          for (let v = 0; v < 60; v += 7) {
            const text = form(v);
            expect([text, cached(text)]).toEqual([text, looseEpoch(text, 'dmy', clock)]);
          }
        }
      }
    }
    expect(cached('29/03/2026 03:59')).toBe(looseEpoch('29/03/2026 03:59', 'dmy', clock));
    expect(cached('29/03/2026 03:75')).toBeNaN();
  });
});

describe('ids from line and row numbers', () => {
  test('the same text as a template literal, for growing numbers and any others', () => {
    const ids = new PositionIds('L');
    for (let n = 0; n < 25000; n += 1 + (n % 7)) expect(ids.of(n)).toBe(`L${n}`);
    for (const n of [999, 1000, 1001, 999999, 1000000, 123456789, 0, 5, -0, -3, 1.5, 1e15, 1e21, NaN]) expect(ids.of(n)).toBe(`L${n}`);
    fc.assert(fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), (ns) => {
      const rows = new PositionIds('R');
      for (const n of ns) expect(rows.of(n)).toBe(`R${n}`);
    }));
  });
});

describe('zip entries inflated in one call', () => {
  const data = Buffer.from('[' + Array.from({ length: 2000 }, (_, i) => `{"ts":"${1700000000 + i}.000100","text":"hello ${i}"}`).join(',') + ']');
  const raw = deflateRawSync(data);

  test('the declared size is the most it may inflate to, and must be what it inflates to', () => {
    expect(inflateEntry(raw, { uncompressedSize: data.length }, data.length, 'slack-zip').equals(data)).toBe(true);
    const over = (() => {
      try {
        inflateEntry(raw, { uncompressedSize: 1000 }, 1000, 'slack-zip');
      } catch (err) {
        return err as ChatParseError;
      }
      return null;
    })();
    expect([over?.kind, over?.message]).toEqual(['too-large', 'a zip entry inflates past its declared size or the total limit']);
    // Within the declared size but past what is left of the total limit.
    expect(() => inflateEntry(raw, { uncompressedSize: data.length }, data.length - 1, 'slack-zip')).toThrow(/past its declared size or the total limit/);
    // Declared larger than it is, or not deflate data at all: damaged.
    expect(() => inflateEntry(raw, { uncompressedSize: data.length + 1 }, data.length + 1, 'slack-zip')).toThrow(/damaged or truncated/);
    expect(() => inflateEntry(raw.subarray(0, raw.length >> 1), { uncompressedSize: data.length }, data.length, 'slack-zip')).toThrow(/damaged or truncated/);
    expect(() => inflateEntry(Buffer.from('not deflate data at all'), { uncompressedSize: 10 }, 10, 'slack-zip')).toThrow(/damaged or truncated/);
    expect(inflateEntry(deflateRawSync(Buffer.alloc(0)), { uncompressedSize: 0 }, 0, 'slack-zip').length).toBe(0);
  });

  /** `zip` with the uncompressed size of `name` in its central directory and local header set to `size`. */
  function withDeclaredSize(zip: Buffer, name: string, size: number): Buffer {
    const out = Buffer.from(zip);
    for (let i = out.indexOf(name); i !== -1; i = out.indexOf(name, i + 1)) {
      if (out.readUInt32LE(i - 46) === 0x02014b50) out.writeUInt32LE(size, i - 46 + 24);
      else if (out.readUInt32LE(i - 30) === 0x04034b50) out.writeUInt32LE(size, i - 30 + 22);
    }
    return out;
  }

  test('a zip whose entry inflates past its declared size, or to less, is refused', async () => {
    const day = 'general/2026-03-14.json';
    const zip = await zipOf({ 'users.json': '[]', [day]: data });
    expect((await parseChat(zip)).messages).toHaveLength(2000);
    const lying = withDeclaredSize(zip, day, data.length - 100);
    await expect(parseChat(lying)).rejects.toMatchObject({ kind: 'too-large', message: expect.stringMatching(/past its declared size/) });
    const short = withDeclaredSize(zip, day, data.length + 100);
    await expect(parseChat(short)).rejects.toMatchObject({ kind: 'malformed', message: expect.stringMatching(/damaged or truncated/) });
    // Stored (not deflated) entries still go through the stream.
    expect((await parseChat(await zipOf({ 'users.json': '[]', [day]: data }, false))).messages).toHaveLength(2000);
  });
});

describe('Slack ids remembered per channel', () => {
  test('a ts repeated in one channel counts once, the same ts in two channels twice', async () => {
    const msg = (ts: string, text: string) => ({ type: 'message', user: 'U1', text, ts });
    const zip = await zipOf({
      'users.json': JSON.stringify([{ id: 'U1', name: 'ana' }]),
      'channels.json': JSON.stringify([{ id: 'C1', name: 'general' }, { id: 'C2', name: 'random' }]),
      'general/2026-03-14.json': JSON.stringify([msg('1773480000.000100', 'a'), msg('1773480001.000100', 'b')]),
      'general/2026-03-15.json': JSON.stringify([msg('1773480001.000100', 'b again'), msg('1773566400.000100', 'c')]),
      'random/2026-03-14.json': JSON.stringify([msg('1773480000.000100', 'same ts, other channel')]),
    });
    const c = await parseChat(zip);
    expect(c.messages.map((m) => [m.id, m.text])).toEqual([
      ['C1/1773480000.000100', 'a'],
      ['C1/1773480001.000100', 'b'],
      ['C1/1773566400.000100', 'c'],
      ['C2/1773480000.000100', 'same ts, other channel'],
    ]);
  });
});
