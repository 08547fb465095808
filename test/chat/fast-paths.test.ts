/**
 * The shortcuts of the hot loops must not change what comes out: WhatsApp stamps reused by their
 * text, invisible marks found on the bytes line by line, CSV fields unquoted on the bytes (checked
 * against csv-parse), summary instants compared as numbers.
 */
import { describe, expect, test } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { parseChat } from '../../src/chat/index.js';
import { forEachCsvRecord } from '../../src/chat/text/csv.js';
import { forEachLine } from '../../src/chat/text/lines.js';
import { chunkedSource } from '../../src/chat/source.js';

describe('WhatsApp stamps reused by their text', () => {
  test('a stamp read by the regex in between does not leave the earlier text pointing at its instant', async () => {
    const text = [
      '14/03/2026, 09:15 - Ana: one',
      '14/03/2026, 09:15 - Ben: same stamp text',
      '١٤/٠٣/٢٠٢٦, ١٠:٣٠ - Ana: Arabic-Indic digits, read by the regex',
      '14/03/2026, 09:15 - Ben: the first stamp again',
      '14/03/2026, 09:15 -  Cara: two spaces after the dash',
      '14/03/2026, 09:16 - Ana: next minute',
    ].join('\n');
    const c = await parseChat(Buffer.from(text));
    expect(c.messages.map((m) => [m.sentAt, m.author.name, m.text])).toEqual([
      ['2026-03-14T09:15:00.000Z', 'Ana', 'one'],
      ['2026-03-14T09:15:00.000Z', 'Ben', 'same stamp text'],
      ['2026-03-14T10:30:00.000Z', 'Ana', 'Arabic-Indic digits, read by the regex'],
      ['2026-03-14T09:15:00.000Z', 'Ben', 'the first stamp again'],
      ['2026-03-14T09:15:00.000Z', 'Cara', 'two spaces after the dash'],
      ['2026-03-14T09:16:00.000Z', 'Ana', 'next minute'],
    ]);
    expect([c.firstAt, c.lastAt]).toEqual(['2026-03-14T09:15:00.000Z', '2026-03-14T10:30:00.000Z']);
  });

  test('iOS: a stamp text followed by something else than a space is read again', async () => {
    const text = ['[14/03/2026, 09:15:00] Ana: one', '[14/03/2026, 09:15:00] Ben: two', '[14/03/2026, 09:15:00]\u200eCara: marked', '[14/03/2026, 09:15:01] Ana: three'].join('\r\n');
    const c = await parseChat(Buffer.from(text));
    expect(c.messages.map((m) => [m.sentAt, m.author.name, m.text])).toEqual([
      ['2026-03-14T09:15:00.000Z', 'Ana', 'one'],
      ['2026-03-14T09:15:00.000Z', 'Ben', 'two'],
      ['2026-03-14T09:15:00.000Z', 'Cara', 'marked'],
      ['2026-03-14T09:15:01.000Z', 'Ana', 'three'],
    ]);
  });
});

describe('WhatsApp stamps of one hour read from the last one read', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  /** Header-like lines of a few hours of one day: minutes and seconds 0-99 (past 59: no stamp) and endings the quick reader declines. */
  const row = fc.record({
    h: fc.integer({ min: 9, max: 11 }),
    m: fc.integer({ min: 0, max: 99 }),
    s: fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
    ending: fc.integer({ min: 0, max: 4 }),
    who: fc.constantFrom('Ana', 'Ben Kim', 'Cé'),
  });
  type Row = { h: number; m: number; s: number | undefined; ending: number; who: string };
  const styles: Record<string, { render: (r: Row) => string; breaker: string }> = {
    android: {
      render: (r) => `14/03/2026, ${two(r.h)}:${two(r.m)}${r.s === undefined ? '' : ':' + two(r.s)}${[' - ', ' - ', ' – ', ' -', '\u202f- '][r.ending]}${r.who}: t${r.m}`,
      breaker: '20/03/2026, 23:59 - ZZ: x',
    },
    ios: {
      render: (r) => `[14/03/2026, ${r.h - 8}:${two(r.m)}${r.s === undefined ? '' : ':' + two(r.s)}${[' AM] ', '\u202fAM] ', ' AM]', ' PM] ', ' AM]  '][r.ending]}${r.who}: t${r.m}`,
      breaker: '[20/03/2026, 11:59:59 PM] ZZ: x',
    },
  };

  test.each(Object.keys(styles))('the same messages as reading every stamp on its own (%s)', async (style) => {
    const { render, breaker } = styles[style]!;
    const first: Row = { h: 9, m: 15, s: 0, ending: 0, who: 'Ana' };
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        const lines = [first, ...rows].map(render);
        const options = { timeZone: 'Europe/Berlin', format: 'whatsapp' as const };
        const read = await parseChat(Buffer.from(lines.join('\n')), options);
        // A line from another day before each line: no stamp is read from the one before it.
        const apart = await parseChat(Buffer.from(lines.flatMap((l) => [breaker, l]).join('\n')), options);
        const byId = (c: typeof read, id: string) => {
          const m = c.messages.find((x) => x.id === id);
          return m ? [m.sentAt, m.author.name, m.text.split('\n')[0]] : null;
        };
        expect(lines.map((l, i) => [l, byId(read, `L${i + 1}`)])).toEqual(lines.map((l, i) => [l, byId(apart, `L${2 * i + 2}`)]));
      }),
      { numRuns: 200 },
    );
  });
});

describe('invisible marks found line by line', () => {
  const MARKS = ['\u200e', '\u200f', '\u061c', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff'];

  test('forEachLine flags exactly the lines that hold a mark', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('plain', 'café 🎉', '\u202f9:15 PM', '“quoted” …'), fc.option(fc.constantFrom(...MARKS), { nil: undefined })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        (lines, blockBytes) => {
          const text = lines.map(([t, mark]) => (mark ? `${t}${mark}x` : t)).join('\n') + '\n';
          for (const input of [Buffer.from(text), chunkedSource(Buffer.from(text), blockBytes)]) {
            const seen: Array<[string, boolean]> = [];
            forEachLine(input, 1000, null, (line, _no, marks) => {
              seen.push([line, marks]);
            });
            expect(seen).toEqual(lines.map(([t, mark]) => [mark ? `${t}${mark}x` : t, mark !== undefined]));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('forEachLine with findBreaks flags every line holding a CR, LINE or PARAGRAPH SEPARATOR', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('[2026-03-14 09:15] Ana: hi', 'café 🎉', ''), fc.option(fc.constantFrom('\r', '\u2028', '\u2029'), { nil: undefined })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        (lines, blockBytes) => {
          const text = lines.map(([t, br]) => (br ? `${t}${br}x` : t)).join('\n') + '\n';
          for (const input of [Buffer.from(text), chunkedSource(Buffer.from(text), blockBytes)]) {
            const seen: string[] = [];
            forEachLine(input, 1000, null, (line, _no, _marks, breaks) => {
              if (/[\r\u2028\u2029]/.test(line)) expect([line, breaks]).toEqual([line, true]);
              seen.push(line);
            }, true);
            expect(seen).toEqual(lines.map(([t, br]) => (br ? `${t}${br}x` : t)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('a transcript line with a line or paragraph separator continues the message, as the regex reads it', async () => {
    const text = ['[2026-03-14 09:15] Ana: one', '[2026-03-14 09:16] Ben: two\u2028more', '[2026-03-14 09:17] Cara: three\rback', '[2026-03-14 09:18] Dev: four'].join('\n');
    const c = await parseChat(Buffer.from(text), { format: 'transcript' });
    expect(c.messages.map((m) => [m.author.name, m.text])).toEqual([
      ['Ana', 'one\n[2026-03-14 09:16] Ben: two\u2028more\n[2026-03-14 09:17] Cara: three\rback'],
      ['Dev', 'four'],
    ]);
  });

  test('marks in names and in continuation lines are removed', async () => {
    const text = ['14/03/2026, 09:15 - \u200eAna\u200f: hi', 'plain continuation', 'marked \u2066continuation\u2069', '14/03/2026, 09:16 - Ben: plain', '14/03/2026, 09:17 - Cara: \u202atext\u202c'].join('\n');
    const c = await parseChat(Buffer.from(text));
    expect(c.messages.map((m) => [m.author.name, m.text])).toEqual([
      ['Ana', 'hi\nplain continuation\nmarked continuation'],
      ['Ben', 'plain'],
      ['Cara', 'text'],
    ]);
  });
});

describe('CSV records read on the bytes', () => {
  const field = fc.oneof(
    fc.constantFrom('', '"', '""', 'a""b', 'café', '🎉"🎉', 'x,y', 'line\nbreak', 'crlf\r\nbreak', ' ', '"start', 'end"'),
    fc.string({ unit: fc.constantFrom('a', 'é', '"', ',', '\n', ' ', '🎉'), maxLength: 12 }),
  );

  test('the same fields as csv-parse, whole or in blocks of any size', () => {
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), (rows, blockBytes, crlf) => {
        const csv = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
        const expected = parseCsv(csv, { relax_column_count: true }) as string[][];
        for (const input of [Buffer.from(csv), chunkedSource(Buffer.from(csv), blockBytes)]) {
          const got: string[][] = [];
          forEachCsvRecord(input, 10000, null, (fields) => {
            got.push(fields);
          });
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('unquoted fields, a missing final line break, and errors', () => {
    const got: string[][] = [];
    forEachCsvRecord(Buffer.from('a,b,"c"\r\n,,\n1,"2""",3'), 100, null, (f) => {
      got.push(f);
    });
    expect(got).toEqual([['a', 'b', 'c'], ['', '', ''], ['1', '2"', '3']]);
    expect(() => forEachCsvRecord(Buffer.from('"a"x,b\n'), 100, null, () => {})).toThrow(/text after its closing quote/);
    expect(() => forEachCsvRecord(Buffer.from('"a,b\n'), 100, null, () => {})).toThrow(/ends inside a quoted field/);
    expect(() => forEachCsvRecord(Buffer.from(`"${'é'.repeat(60)}"\n`), 61, null, () => {})).toThrow(/limit of 61 characters/);
    forEachCsvRecord(Buffer.from(`"${'é'.repeat(58)}"\n`), 61, null, () => {}); // 61 characters with quotes and line break, 119 bytes
  });
});

describe('WebVTT timing lines read by hand', () => {
  test('the forms the regex reads, and lines it does not', async () => {
    const cues = [
      ['00:01.000 --> 00:02.000', 1000],
      ['1:02:03.456 --> 1:02:04.000', 3723456],
      ['02:03,456\t-->\t02:04,000', 123456],
      ['123:02:03.004   -->  123:02:04.000 align:start', 442923004],
      ['00:05.000 -->\u00a000:06.000', 5000], // (any white space after the arrow: the regex decides)
    ] as const;
    const vtt = ['WEBVTT', '', ...cues.flatMap(([timing], i) => [`${i + 1}`, timing, `<v Ana>cue ${i + 1}</v>`, '']), '7', '123:45.678 --> 123:46.000', 'not a timing line', '', '8', '00:09.000 -->x', 'nor this', ''].join('\n');
    const c = await parseChat(Buffer.from(vtt), { startAt: '2026-03-14T09:00:00Z' });
    expect(c.messages.map((m) => [m.id, Date.parse(m.sentAt) - Date.parse('2026-03-14T09:00:00Z'), m.text])).toEqual(cues.map(([, ms], i) => [String(i + 1), ms, `cue ${i + 1}`]));
  });
});
