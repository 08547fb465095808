/**
 * Random conversations rendered the way each tool writes them, then parsed back: the same authors,
 * instants and texts must come out.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseChat, type ChatFormat } from '../../src/chat/index.js';

interface Generated {
  name: string;
  at: number;
  lines: string[];
}

const NUM_RUNS = 40;
const word = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9]{0,7}[,.!?]?$/),
  fc.constantFrom('café', 'über', '🎉', '日本語', 'naïve', "don't", '50%'),
);
const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
const name = fc
  .tuple(fc.stringMatching(/^[A-Z][a-z]{1,8}$/), fc.option(fc.stringMatching(/^[A-Z][a-z]{1,8}$/), { nil: undefined }))
  .map(([first, last]) => (last ? `${first} ${last}` : first));
const MINUTE = 60000;
const FROM = Date.UTC(2020, 0, 1) / MINUTE;
const TO = Date.UTC(2030, 0, 1) / MINUTE;

function conversation(opts: { multiline: boolean; seconds: boolean; lineArb?: fc.Arbitrary<string> }): fc.Arbitrary<Generated[]> {
  const message = fc.record({
    name,
    at: fc.integer({ min: FROM, max: TO }).chain((m) => (opts.seconds ? fc.integer({ min: 0, max: 59 }).map((s) => m * MINUTE + s * 1000) : fc.constant(m * MINUTE))),
    lines: fc.array(opts.lineArb ?? line, { minLength: 1, maxLength: opts.multiline ? 3 : 1 }),
  });
  return fc.array(message, { minLength: 1, maxLength: 20 }).map((ms) => ms.sort((a, b) => a.at - b.at));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function parts(at: number) {
  const d = new Date(at);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
}
function clock12(h: number): [number, string] {
  return [h % 12 === 0 ? 12 : h % 12, h < 12 ? 'AM' : 'PM'];
}

async function roundTrip(messages: Generated[], rendered: string, format: ChatFormat | undefined, options: { startAt?: string } = {}): Promise<void> {
  const c = await parseChat(Buffer.from(rendered, 'utf8'), options);
  if (format) expect(c.format).toBe(format);
  expect(c.messages.map((m) => [m.author.name, m.sentAt, m.text])).toEqual(messages.map((m) => [m.name, new Date(m.at).toISOString(), m.lines.join('\n')]));
}

const whatsAppStyles: Record<string, (at: number) => string> = {
  'android dd/mm/yyyy 24h': (at) => {
    const p = parts(at);
    return `${pad(p.d)}/${pad(p.mo)}/${p.y}, ${pad(p.h)}:${pad(p.mi)} - `;
  },
  'android m/d/yy 12h with narrow no-break space': (at) => {
    const p = parts(at);
    const [h, ap] = clock12(p.h);
    return `${p.mo}/${p.d}/${pad(p.y % 100)}, ${h}:${pad(p.mi)}\u202f${ap} - `;
  },
  'android dd.mm.yy 24h': (at) => {
    const p = parts(at);
    return `${pad(p.d)}.${pad(p.mo)}.${pad(p.y % 100)}, ${pad(p.h)}:${pad(p.mi)} - `;
  },
};

describe('round trips', () => {
  for (const [style, stamp] of Object.entries(whatsAppStyles)) {
    test(`WhatsApp ${style}`, async () => {
      await fc.assert(
        fc.asyncProperty(conversation({ multiline: true, seconds: false }), async (ms) => {
          await roundTrip(ms, ms.map((m) => `${stamp(m.at)}${m.name}: ${m.lines.join('\n')}`).join('\n') + '\n', 'whatsapp');
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }

  test('WhatsApp iOS [d/m/yyyy, HH:MM:SS] with CRLF', async () => {
    await fc.assert(
      fc.asyncProperty(conversation({ multiline: true, seconds: true }), async (ms) => {
        const text = ms
          .map((m) => {
            const p = parts(m.at);
            return `[${p.d}/${p.mo}/${p.y}, ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}] ${m.name}: ${m.lines.join('\r\n')}`;
          })
          .join('\r\n');
        await roundTrip(ms, text, 'whatsapp');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('plain transcript [YYYY-MM-DD HH:MM:SS] Name: text', async () => {
    await fc.assert(
      fc.asyncProperty(conversation({ multiline: true, seconds: true }), async (ms) => {
        const text = ms.map((m) => `[${new Date(m.at).toISOString().slice(0, 19).replace('T', ' ')}] ${m.name}: ${m.lines.join('\n')}`).join('\n');
        await roundTrip(ms, text, 'transcript');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('WebVTT with <v> voices or "Name: " prefixes', async () => {
    const start = Date.UTC(2026, 2, 14, 9);
    const cues = fc.array(fc.record({ name, offset: fc.integer({ min: 0, max: 5 * 3600 * 1000 }), lines: fc.array(line, { minLength: 1, maxLength: 2 }), voice: fc.boolean() }), { minLength: 1, maxLength: 15 });
    await fc.assert(
      fc.asyncProperty(cues, async (cs) => {
        const stamp = (ms: number) => `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
        const body = cs
          .map((c, i) => {
            const text = c.lines.join('\n');
            return `${i + 1}\n${stamp(c.offset)} --> ${stamp(c.offset + 1500)}\n${c.voice ? `<v ${c.name}>${text}</v>` : `${c.name}: ${text}`}`;
          })
          .join('\n\n');
        const expected = cs.map((c) => ({ name: c.name, at: start + c.offset, lines: c.lines }));
        await roundTrip(expected, `WEBVTT\n\n${body}\n`, 'webvtt', { startAt: new Date(start).toISOString() });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('DiscordChatExporter TXT', async () => {
    await fc.assert(
      fc.asyncProperty(conversation({ multiline: true, seconds: false }), async (ms) => {
        const bar = '='.repeat(62);
        const body = ms
          .map((m) => {
            const p = parts(m.at);
            const [h, ap] = clock12(p.h);
            return `[${p.mo}/${p.d}/${p.y} ${h}:${pad(p.mi)} ${ap}] ${m.name}\n${m.lines.join('\n')}\n`;
          })
          .join('\n');
        await roundTrip(ms, `${bar}\nGuild: G\nChannel: C / general\n${bar}\n\n${body}\n${bar}\nExported ${ms.length} message(s)\n${bar}\n`, 'discord-txt');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('DiscordChatExporter CSV with quotes, commas and newlines in content', async () => {
    const csvLine = fc.array(fc.oneof(word, fc.constantFrom('"quoted"', 'a,b', '""', ',')), { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
    await fc.assert(
      fc.asyncProperty(conversation({ multiline: true, seconds: false, lineArb: csvLine }), async (ms) => {
        const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
        const rows = ms.map((m, i) => {
          const p = parts(m.at);
          const [h, ap] = clock12(p.h);
          const date = `${pad(p.d)}-${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][p.mo - 1]}-${pad(p.y % 100)} ${pad(h)}:${pad(p.mi)} ${ap}`;
          return [String(1000 + i), m.name, date, m.lines.join('\n'), '', ''].map(q).join(',');
        });
        await roundTrip(ms, ['AuthorID,Author,Date,Content,Attachments,Reactions'.split(',').map(q).join(','), ...rows].join('\n') + '\n', 'discord-csv');
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
