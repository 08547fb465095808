/**
 * `npm run bench parse`: parse throughput and memory per chat format.
 *
 * For each format a large export (at least BENCH_PARSE_MB megabytes, default 200, and at least
 * 200,000 messages) is generated under the OS temp directory; then, each in its own child process so
 * peak RSS does not mix, `streamChatFile` reads it from the file (the read time counts) and a
 * baseline reads the same bytes, loaded into memory before its clock starts (JSON.parse of the whole
 * document / of every zip entry, or a readline pass for text). Reported: messages/s, MB/s, the ratio
 * to the baseline and the peak RSS of each child (the baseline's includes the input buffer). Each is
 * run BENCH_PARSE_RUNS times (default 5), alternately (which goes first swaps from round to round),
 * and the fastest run of each counts. The export is flushed to disk before the first run, so the
 * kernel's writing back of 200 MB of dirty pages does not compete with whichever runs come first.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { streamChatFile } from '../src/chat/index.js';

const MB = 1024 * 1024;
const TARGET_BYTES = Number(process.env.BENCH_PARSE_MB ?? 200) * MB;
const MIN_MESSAGES = Number(process.env.BENCH_PARSE_MIN_MESSAGES ?? 200_000);
const NO_LIMITS = { uploadBytes: 4096 * MB, zipUncompressedBytes: 8192 * MB, zipEntries: 1_000_000 };
/** Parse and baseline each run this many times, alternately, each in a fresh process; the fastest run of each counts. */
const RUNS = Math.max(1, Number(process.env.BENCH_PARSE_RUNS ?? 5));

// ---------------------------------------------------------------- deterministic content

let seed = 42;
function rand(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
}
const WORDS = 'the meeting deadline draft review ship release friday monday budget plan please check ok thanks will send call notes café naïve 🎉 deploy fix bug test docs report client design'.split(' ');
const NAMES = Array.from({ length: 40 }, (_, i) => `${['Ana', 'Ben', 'Cara', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana'][i % 8]} ${['Silva', 'Okafor', 'Jones', 'Müller', 'Kim'][i % 5]}${i}`);
function sentence(): string {
  const n = 4 + rand(14);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[rand(WORDS.length)]!);
  return out.join(' ');
}
const START = Date.UTC(2024, 0, 1);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Batches text into 1 MB writes. */
class TextFile {
  private parts: string[] = [];
  private chars = 0;
  bytes = 0;
  private readonly fd: number;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(s: string): void {
    this.parts.push(s);
    this.chars += s.length;
    if (this.chars > MB) this.flush();
  }
  flush(): void {
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, chunk);
    this.bytes += chunk.length;
    this.parts = [];
    this.chars = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
  done(count: number): boolean {
    return count >= MIN_MESSAGES && this.bytes + this.chars >= TARGET_BYTES;
  }
}

type Generator = (path: string) => Promise<number>;

function lineFormat(render: (i: number, at: number, name: string, text: string) => string, head = '', tail = ''): Generator {
  return async (path) => {
    const f = new TextFile(path);
    f.write(head);
    let i = 0;
    for (; !f.done(i); i++) f.write(render(i, START + i * 37_000, NAMES[rand(NAMES.length)]!, sentence()));
    f.write(tail);
    f.close();
    return i;
  };
}

export const GENERATORS: Record<string, Generator> = {
  whatsapp: lineFormat((i, at, name, text) => {
    const d = new Date(at);
    const stamp = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} - `;
    if (i % 1000 === 999) return `${stamp}${name} joined using this group's invite link\n`;
    if (i % 50 === 49) return `${stamp}${name}: <Media omitted>\n`;
    return `${stamp}${name}: ${text}${i % 20 === 0 ? '\n' + sentence() : ''}\n`;
  }),
  'whatsapp-ios': lineFormat((i, at, name, text) => {
    const d = new Date(at);
    const h = d.getUTCHours();
    return `[${d.getUTCMonth() + 1}/${d.getUTCDate()}/${pad(d.getUTCFullYear() % 100)}, ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}\u202f${h < 12 ? 'AM' : 'PM'}] ${name}: ${i % 50 === 49 ? '\u200eimage omitted' : text}\r\n`;
  }),
  'discord-json': lineFormat(
    (i, at, name, text) => {
      const id = String(1200000000000000000n + BigInt(i) * 4194304n);
      const uid = String(100000 + NAMES.indexOf(name));
      return `${i ? ',\n' : ''}    {
      "id": "${id}",
      "type": "${i % 10 === 9 ? 'Reply' : 'Default'}",
      "timestamp": "${new Date(at).toISOString().replace('Z', '0000+00:00')}",
      "timestampEdited": null,
      "callEndedTimestamp": null,
      "isPinned": false,
      "content": ${JSON.stringify(text)},
      "author": {
        "id": "${uid}",
        "name": "${name.toLowerCase().replace(/\W/g, '')}",
        "discriminator": "0000",
        "nickname": ${JSON.stringify(name)},
        "color": null,
        "isBot": false,
        "roles": [],
        "avatarUrl": "https://cdn.discordapp.com/embed/avatars/0.png"
      },
      "attachments": [${i % 40 === 0 ? `{ "id": "1", "url": "https://cdn.discordapp.com/attachments/1/2/file${i}.png", "fileName": "file${i}.png", "fileSizeBytes": 1000 }` : ''}],
      "embeds": [],
      "stickers": [],
      "reactions": [],
      "mentions": []${i % 10 === 9 ? `,\n      "reference": { "messageId": "${String(1200000000000000000n + BigInt(i - 1) * 4194304n)}", "channelId": "1", "guildId": "2" }` : ''}
    }`;
    },
    '{\n  "guild": { "id": "2", "name": "Bench Guild", "iconUrl": "" },\n  "channel": { "id": "1", "type": "GuildTextChat", "categoryId": "3", "category": "Text", "name": "general", "topic": null },\n  "dateRange": { "after": null, "before": null },\n  "exportedAt": "2026-03-20T10:00:00+00:00",\n  "messages": [\n',
    '\n  ],\n  "messageCount": 0\n}\n',
  ),
  'discord-csv': lineFormat((_i, at, name, text) => {
    const d = new Date(at);
    const h = d.getUTCHours();
    return `"${100000 + NAMES.indexOf(name)}","${name}","${pad(d.getUTCDate())}-${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ${pad(h % 12 || 12)}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}","${text.replace(/e/g, '""e""')}","",""\n`;
  }, '"AuthorID","Author","Date","Content","Attachments","Reactions"\n'),
  'discord-txt': lineFormat((i, at, name, text) => {
    const d = new Date(at);
    const h = d.getUTCHours();
    return `[${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}] ${name}\n${text}\n${i % 40 === 0 ? `\n{Attachments}\nhttps://cdn.discordapp.com/attachments/1/2/f${i}.png\n` : ''}\n`;
  }, `${'='.repeat(62)}\nGuild: Bench\nChannel: Text / general\n${'='.repeat(62)}\n\n`),
  transcript: lineFormat((_i, at, name, text) => `[${new Date(at).toISOString().slice(0, 19).replace('T', ' ')}] ${name}: ${text}\n`),
  webvtt: lineFormat((i, _at, name, text) => {
    const ms = i * 3700;
    const t = (v: number) => `${pad(Math.floor(v / 3600000))}:${pad(Math.floor(v / 60000) % 60)}:${pad(Math.floor(v / 1000) % 60)}.${pad(v % 1000, 3)}`;
    return `${i + 1}\n${t(ms)} --> ${t(ms + 3000)}\n<v ${name}>${text}</v>\n\n`;
  }, 'WEBVTT\n\n'),
  'telegram-json': lineFormat(
    (i, at, name, text) => `${i ? ',\n' : ''}  {\n   "id": ${i + 1},\n   "type": "message",\n   "date": "${new Date(at).toISOString().slice(0, 19)}",\n   "date_unixtime": "${Math.floor(at / 1000)}",\n   "from": ${JSON.stringify(name)},\n   "from_id": "user${100000 + NAMES.indexOf(name)}",\n   "text": ${i % 5 === 0 ? `[${JSON.stringify(text)}, {"type": "bold", "text": "now"}]` : JSON.stringify(text)},\n   "text_entities": [{"type": "plain", "text": ${JSON.stringify(text)}}]\n  }`,
    '{\n "name": "Bench Group",\n "type": "private_group",\n "id": 4001,\n "messages": [\n',
    '\n ]\n}\n',
  ),
  'slack-zip': async (path) => {
    const zip = new yazl.ZipFile();
    const out = createWriteStream(path);
    const finished = new Promise<void>((res, rej) => {
      out.on('close', () => res());
      out.on('error', rej);
    });
    zip.outputStream.pipe(out);
    const users = NAMES.map((n, i) => ({ id: `U${100000 + i}`, name: n.toLowerCase().replace(/\W/g, ''), real_name: n, profile: { display_name: n.split(' ')[0], real_name: n } }));
    const channels = Array.from({ length: 20 }, (_, i) => ({ id: `C${1000 + i}`, name: `channel-${i}` }));
    zip.addBuffer(Buffer.from(JSON.stringify(users, null, 4)), 'users.json');
    zip.addBuffer(Buffer.from(JSON.stringify(channels, null, 4)), 'channels.json');
    let bytes = 0;
    let i = 0;
    const perDay = 400;
    for (let day = 0; i < MIN_MESSAGES || bytes < TARGET_BYTES; day++) {
      const date = new Date(START + day * 86400000).toISOString().slice(0, 10);
      for (const ch of channels) {
        const msgs = [];
        for (let k = 0; k < perDay; k++, i++) {
          const sec = Math.floor(START / 1000) + day * 86400 + k * 200 + rand(100);
          const u = users[rand(users.length)]!;
          const m: Record<string, unknown> = { client_msg_id: `0000-${i}`, type: 'message', text: `${sentence()} <@${users[rand(users.length)]!.id}>`, user: u.id, ts: `${sec}.${pad(i % 1000000, 6)}`, team: 'T1', user_profile: { real_name: u.real_name, display_name: u.profile.display_name } };
          if (k % 25 === 1) m.thread_ts = msgs[0]?.ts;
          msgs.push(m as { ts: string });
        }
        const buf = Buffer.from(JSON.stringify(msgs, null, 4));
        bytes += buf.length;
        zip.addBuffer(buf, `${ch.name}/${date}.json`);
      }
    }
    zip.end();
    await finished;
    return i;
  },
};

// ---------------------------------------------------------------- measurement in a child process

/** Waits until the file's data is on disk (the generators leave it in dirty pages). */
function flushToDisk(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

interface Measurement {
  ms: number;
  count: number;
  peakRss: number;
  /** RSS before the clock starts (the baseline's includes the input it read): the rest of the peak is the working set. */
  rssBefore: number;
}

async function baseline(format: string, buf: Buffer): Promise<number> {
  if (format === 'slack-zip') {
    const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.fromBuffer(buf, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z))));
    let count = 0;
    await new Promise<void>((res, rej) => {
      zip.on('end', () => res());
      zip.on('error', rej);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return rej(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
            if (/\d{4}-\d{2}-\d{2}\.json$/.test(entry.fileName)) count += v.length;
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
    return count;
  }
  if (format.endsWith('json')) {
    const v = JSON.parse(buf.toString('utf8')) as { messages: unknown[] };
    return v.messages.length;
  }
  const chunks = function* () {
    for (let i = 0; i < buf.length; i += 64 * 1024) yield buf.subarray(i, i + 64 * 1024);
  };
  let lines = 0;
  for await (const _line of createInterface({ input: Readable.from(chunks()), crlfDelay: Infinity })) lines++;
  return lines;
}

/**
 * Peak RSS of this process. `resourceUsage().maxRSS` is no good here: on Linux a spawned child starts
 * with its parent's maximum (measured: a child of a 340 MB parent reports 304 MB, 40 MB really), and
 * the parent has just generated the export. The high-water mark of /proc/self/status is the child's own.
 */
function peakRss(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function child(mode: string, format: string, file: string): Promise<void> {
  const buf = mode === 'parse' ? null : readFileSync(file);
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage.rss();
  const t0 = performance.now();
  let count = 0;
  if (buf === null) {
    const summary = await streamChatFile(file, { limits: NO_LIMITS }, () => count++);
    if (summary.format !== format.replace('-ios', '')) throw new Error(`detected ${summary.format}, expected ${format}`);
  } else count = await baseline(format, buf);
  const m: Measurement = { ms: performance.now() - t0, count, peakRss: peakRss(), rssBefore };
  process.stdout.write(JSON.stringify(m));
}

function measure(mode: string, format: string, file: string): Measurement {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), 'child', mode, format, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} ${format} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Measurement;
}

/** The faster of two runs; the peak RSS is the larger of both. */
function fastest(a: Measurement, b: Measurement): Measurement {
  const best = b.ms < a.ms ? b : a;
  return { ...best, peakRss: Math.max(a.peakRss, b.peakRss), rssBefore: Math.max(a.rssBefore, b.rssBefore) };
}

// ---------------------------------------------------------------- report

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamsync-bench-parse-'));
  const only = process.env.BENCH_PARSE_FORMATS?.split(',');
  const rows: string[][] = [];
  const header = ['format', 'size MB', 'messages', 'parse msg/s', 'parse MB/s', 'baseline MB/s', 'ratio', 'peak RSS parse', 'RSS before parse', 'peak RSS baseline'];
  console.log(`target ${TARGET_BYTES / MB} MB (slack-zip: of JSON inside the zip; size and MB/s count the zip) and >= ${MIN_MESSAGES} messages per format; baseline = JSON.parse (zip: per entry) or readline; fastest of ${RUNS} alternating runs each`);
  try {
    for (const [format, generate] of Object.entries(GENERATORS)) {
      if (only && !only.includes(format)) continue;
      const file = join(dir, format);
      const generated = await generate(file);
      const size = statSync(file).size;
      flushToDisk(file);
      // Alternating runs, best of each: on a shared machine a load spike then hits one run, not the
      // ratio. Which side goes first swaps every round, so neither always runs right after the other.
      let parse: Measurement | null = null;
      let base: Measurement | null = null;
      const best = (m: Measurement | null, next: Measurement): Measurement => (m === null ? next : fastest(m, next));
      for (let run = 0; run < RUNS; run++) {
        if (run % 2 === 0) {
          parse = best(parse, measure('parse', format, file));
          base = best(base, measure('baseline', format, file));
        } else {
          base = best(base, measure('baseline', format, file));
          parse = best(parse, measure('parse', format, file));
        }
      }
      rmSync(file);
      if (parse === null || base === null) throw new Error('no runs');
      if (parse.count < generated * 0.9) throw new Error(`${format}: parsed ${parse.count} of ${generated} messages`);
      const mbps = (m: Measurement) => size / MB / (m.ms / 1000);
      rows.push([
        format,
        (size / MB).toFixed(0),
        String(parse.count),
        Math.round(parse.count / (parse.ms / 1000)).toLocaleString('en-US'),
        mbps(parse).toFixed(0),
        mbps(base).toFixed(0),
        (mbps(parse) / mbps(base)).toFixed(2),
        `${(parse.peakRss / MB).toFixed(0)} MB`,
        `${(parse.rssBefore / MB).toFixed(0)} MB`,
        `${(base.peakRss / MB).toFixed(0)} MB`,
      ]);
      console.log(`| ${rows[rows.length - 1]!.join(' | ')} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('');
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

if (process.argv[2] === 'child' && process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
}
