/**
 * Entry points: `streamChat` hands messages to a callback one by one (bounded memory, used by the
 * CLI and large uploads); `parseChat` collects them into a Conversation. The `...File` variants read
 * a file block by block instead of taking its bytes, so the export itself is never held in memory.
 */
import { MessageCollector, type ChatSummary, type ReadContext } from './collect.js';
import { detectFormat } from './detect.js';
import { ChatParseError } from './errors.js';
import { readDiscordApiJson, readDiscordExporterJson } from './formats/discord-json.js';
import { readDiscordCsv, readDiscordTxt } from './formats/discord-text.js';
import { readSlackApiPages, readSlackDayFile } from './formats/slack-json.js';
import { readSlackZip, slackLayout } from './formats/slack-zip.js';
import { readTelegram } from './formats/telegram.js';
import { readTranscript } from './formats/transcript.js';
import { readWebVtt } from './formats/webvtt.js';
import { readWhatsApp } from './formats/whatsapp.js';
import { resolveLimits, type ChatLimits } from './limits.js';
import { SUPPORTED_FORMATS, supportedFormatsText } from './supported.js';
import { FileSource, bufferSource, type ByteSource } from './source.js';
import { bomLength, headText, toUtf8 } from './text/lines.js';
import { parseIsoInstant } from './time/iso.js';
import { ZoneClock } from './time/zone.js';
import type { ChatFormat, ChatMessage, Conversation } from './types.js';
import { isZip, openZip, type ZipArchive } from './zip/archive.js';

export interface ParseChatOptions {
  /** Read as this format instead of detecting it from the content. */
  format?: ChatFormat;
  /** IANA zone for exports whose times carry no zone (WhatsApp, transcripts, CSV/TXT). Default UTC. */
  timeZone?: string;
  /** Overrides of the input limits (defaults: `DEFAULT_CHAT_LIMITS`, same as config). */
  limits?: Partial<ChatLimits>;
  /** Original file name: used only for the conversation name (e.g. "WhatsApp Chat with Team.txt"). */
  fileName?: string;
  /**
   * ISO instant the recording started: WebVTT cue times are offsets from it, and untimed transcript
   * lines get it. Default 1970-01-01T00:00:00Z (so offsets stay visible as such).
   */
  startAt?: string;
}

type TextReader = (src: ByteSource, ctx: ReadContext) => void;

const READERS: Partial<Record<ChatFormat, TextReader>> = {
  'slack-json': readSlackDayFile,
  'slack-api': readSlackApiPages,
  'discord-json': readDiscordExporterJson,
  'discord-api': readDiscordApiJson,
  'discord-csv': readDiscordCsv,
  'discord-txt': readDiscordTxt,
  whatsapp: readWhatsApp,
  'telegram-json': readTelegram,
  transcript: readTranscript,
  webvtt: readWebVtt,
};

const TEXT_ENTRY = /\.(?:txt|json|csv|vtt)$/i;
const PREFERRED_ENTRY = /(?:^|\/)(?:_chat\.txt|WhatsApp Chat[^/]*\.txt|result\.json)$/i;

function unsupported(buf: Buffer, detail = ''): ChatParseError {
  const start = headText(buf, 200).replace(/\s+/g, ' ').trim().slice(0, 40);
  const shown = /[\x00-\x08\x0e-\x1f\ufffd]/.test(start) ? 'binary data' : `"${start}"`;
  return new ChatParseError(
    'unsupported',
    `this does not look like a chat export${detail} (it starts with ${shown}); supported formats: ${supportedFormatsText()}`,
  );
}

function isBlankFrom(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

/** True when the input holds nothing but white space (after a byte order mark). */
function isBlank(src: ByteSource): boolean {
  if (src.whole) return isBlankFrom(src.whole, bomLength(src.whole));
  const step = Math.max(src.blockBytes, 64 * 1024);
  for (let pos = bomLength(src.read(0, 3)); pos < src.size; pos += step) {
    if (!isBlankFrom(src.read(pos, pos + step), 0)) return false;
  }
  return true;
}

/** How much of the input format detection looks at. */
const HEAD_BYTES = 64 * 1024;

function validate(options: ParseChatOptions): void {
  if (options.format !== undefined && !SUPPORTED_FORMATS.some((f) => f.format === options.format)) {
    throw new ChatParseError(
      'bad-option',
      options.format === 'discord-html'
        ? 'DiscordChatExporter HTML is not supported; export the channel as JSON instead'
        : `unknown format "${String(options.format)}"; use one of ${SUPPORTED_FORMATS.map((f) => f.format).join(', ')}`,
    );
  }
}

async function readZip(zip: ZipArchive, ctx: MessageCollector, options: ParseChatOptions): Promise<void> {
  const layout = options.format === undefined || options.format === 'slack-zip' ? slackLayout(zip.names) : null;
  if (layout) {
    ctx.format = 'slack-zip';
    await readSlackZip(zip, layout, ctx);
    return;
  }
  if (options.format === 'slack-zip') throw new ChatParseError('malformed', 'this zip holds no Slack export (no users.json, channels.json or channel/YYYY-MM-DD.json files)', 'slack-zip');
  const candidates = zip.names.filter((n) => TEXT_ENTRY.test(n) && !n.split('/').pop()!.startsWith('.'));
  const chosen = candidates.find((n) => PREFERRED_ENTRY.test(n)) ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!chosen) {
    throw new ChatParseError(
      'unsupported',
      candidates.length
        ? `this zip holds ${candidates.length} text files and none is a known chat export (_chat.txt, result.json, or a single chat file); supported formats: ${supportedFormatsText()}`
        : `this zip holds no chat export; supported formats: ${supportedFormatsText()}`,
    );
  }
  const inner = toUtf8(await zip.read(chosen));
  const format = options.format ?? detectFormat(inner);
  if (!format || isZip(inner)) throw unsupported(inner, ` (the zip's file ${chosen})`);
  readSource(bufferSource(inner), format, ctx);
}

function readSource(src: ByteSource, format: ChatFormat, ctx: MessageCollector): void {
  const reader = READERS[format];
  if (!reader) {
    throw new ChatParseError(
      'unsupported',
      format === 'discord-html'
        ? 'this is a DiscordChatExporter HTML export, which is not supported; export the channel as JSON (or CSV/TXT) instead'
        : `format ${format} needs a zip file`,
      format,
    );
  }
  ctx.format = format;
  if (isBlank(src)) throw new ChatParseError('empty', 'the file is empty', format);
  reader(src, ctx);
}

/**
 * Reads an export and calls `onMessage` for each message in file order, keeping only the summary in
 * memory. Throws `ChatParseError` for input that is not a readable chat export.
 */
export function streamChat(input: Buffer, options: ParseChatOptions, onMessage: (message: ChatMessage) => void): Promise<ChatSummary> {
  return streamChatSource(bufferSource(input), options, onMessage);
}

/**
 * `streamChat` of a file read block by block (a zip entry by entry): memory stays bounded by the
 * largest block, zip entry or JSON message, not the file size. File system errors (ENOENT, EISDIR,
 * ...) are thrown as they are; bad content as `ChatParseError`.
 */
export async function streamChatFile(path: string, options: ParseChatOptions, onMessage: (message: ChatMessage) => void): Promise<ChatSummary> {
  const src = new FileSource(path);
  try {
    return await streamChatSource(src, options, onMessage);
  } finally {
    src.close();
  }
}

/** `streamChat` of any byte source (a Buffer, a file, or a Buffer read in blocks as a file would be). */
export async function streamChatSource(input: ByteSource, options: ParseChatOptions, onMessage: (message: ChatMessage) => void): Promise<ChatSummary> {
  validate(options);
  const limits = resolveLimits(options.limits);
  const clock = new ZoneClock(options.timeZone ?? 'UTC');
  let startAt = 0;
  if (options.startAt !== undefined) {
    startAt = parseIsoInstant(options.startAt, new ZoneClock('UTC'));
    if (Number.isNaN(startAt)) throw new ChatParseError('bad-option', `startAt "${options.startAt}" is not an ISO date-time`);
  }
  if (input.size > limits.uploadBytes) {
    throw new ChatParseError('too-large', `the file is ${input.size} bytes; the limit is ${limits.uploadBytes} bytes`);
  }
  if (input.size === 0 || isBlank(input)) throw new ChatParseError('empty', 'the file is empty');
  const collector = new MessageCollector(limits, clock, startAt, options.fileName ?? null, options.format ?? 'transcript', onMessage);
  const head = input.read(0, HEAD_BYTES);
  if (isZip(head)) {
    const zip = await openZip(input, limits, options.format ?? null);
    try {
      await readZip(zip, collector, options);
    } finally {
      zip.close();
    }
  } else {
    // UTF-16 (rare, small) is re-encoded whole; UTF-8 is read as it is.
    const utf16 = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
    const src = utf16 ? bufferSource(toUtf8(input.whole ?? input.read(0, input.size))) : input;
    const textHead = utf16 ? src.read(0, HEAD_BYTES) : head;
    const format = options.format ?? detectFormat(textHead);
    if (!format) throw unsupported(textHead);
    readSource(src, format, collector);
  }
  if (collector.count === 0) {
    throw new ChatParseError('empty', `the ${collector.format} export holds no messages`, collector.format);
  }
  return collector.summary();
}

/** Reads a whole export into a Conversation (all messages in memory). */
export async function parseChat(input: Buffer, options: ParseChatOptions = {}): Promise<Conversation> {
  return collect((onMessage) => streamChat(input, options, onMessage));
}

/** `parseChat` of a file, read block by block (see `streamChatFile`). */
export async function parseChatFile(path: string, options: ParseChatOptions = {}): Promise<Conversation> {
  return collect((onMessage) => streamChatFile(path, options, onMessage));
}

async function collect(stream: (onMessage: (m: ChatMessage) => void) => Promise<ChatSummary>): Promise<Conversation> {
  const messages: ChatMessage[] = [];
  const summary = await stream((m) => messages.push(m));
  return {
    format: summary.format,
    name: summary.name,
    participants: summary.participants,
    firstAt: summary.firstAt,
    lastAt: summary.lastAt,
    messages,
  };
}
