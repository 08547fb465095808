/**
 * WhatsApp "Export chat" text, Android (`date, time - Name: text`) and iOS (`[date, time] Name: text`),
 * in any phone locale. Two passes over the lines: the first settles the header style and day/month
 * order (stopping early once a stamp settles it), the second emits messages.
 */
import { SYSTEM_AUTHOR, type ReadContext } from '../collect.js';
import { ChatParseError } from '../errors.js';
import type { ByteSource } from '../source.js';
import { PositionIds, forEachLine } from '../text/lines.js';
import {
  DateOrderVote,
  STAMP_SOURCE,
  normalizeHead,
  originalIndex,
  stampEpoch,
  stampParts,
  quickStamp,
  skipMarks,
  stripMarks,
  type DateOrder,
  type StampDigits,
  type StampParts,
} from '../time/stamp.js';
import { isoOf } from '../time/zone.js';
import { supportedFormatsText } from '../supported.js';

export const ANDROID_HEADER = new RegExp(`^${STAMP_SOURCE}\\s?[-–]\\s`);
export const IOS_HEADER = new RegExp(`^\\[${STAMP_SOURCE}\\]\\s?`);

type Style = 'android' | 'ios';

/** Cheap test before any regex: a header starts with a digit, `[`, or a non-ASCII mark/digit. */
function mayBeHeader(line: string): boolean {
  const c = line.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 91 || c >= 0x80;
}

const MEDIA_PATTERNS: Array<[RegExp, number]> = [
  [/<attached: ([^>]+)>$/, 1],
  [/^(.+?) \(file attached\)$/, 1],
  [/^((?:image|video|audio|sticker|GIF|document|photo|Contact card|video note) omitted)$/i, 1],
  [/^<(Media omitted|Medien ausgeschlossen|Multimedia omitido|Arquivo de mídia oculto|Médias omis|Media omessi|Media weggelaten|Pominięto multimedia|Без медиафайлов|Medya dahil edilmedi)>$/i, 1],
];
const EDITED_SUFFIX = /\s*<This message was edited>$/;

/** False when the line cannot be a placeholder: it ends in neither ">", "d" nor ")" nor white space. */
function mayBeMedia(line: string): boolean {
  const c = line.charCodeAt(line.length - 1);
  return c === 62 || c === 100 || c === 41 || c <= 32 || c === 0xa0 || c >= 0x1680;
}

/** Whether a name holds a straight or curly double quote (then it is no name). */
function hasQuote(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 34 || c === 0x201c || c === 0x201d) return true;
  }
  return false;
}

function mediaName(firstLine: string): string | null {
  // Every placeholder ends with ">", "omitted" or "(file attached)".
  if (!firstLine.endsWith('>') && !firstLine.endsWith('omitted') && !firstLine.endsWith(')')) return null;
  for (const [re, group] of MEDIA_PATTERNS) {
    const m = re.exec(firstLine);
    if (m) return m[group]!;
  }
  return null;
}

type Author = Readonly<{ id: string; name: string }>;

interface Pending {
  id: string;
  sentAt: string;
  epoch: number;
  /** The author the line names (null: none); `SYSTEM_AUTHOR` may still take its place. */
  author: Author | null;
  text: string;
  markedSystem: boolean;
  /** Whether a line of the message holds an invisible mark (else `stripMarks` is skipped). */
  marks: boolean;
  /** Whether continuation lines were added (else the text holds no line break). */
  multi: boolean;
}

/** Conversation name from the file name WhatsApp gives the export ("WhatsApp Chat with Team.txt"). */
export function whatsAppChatName(fileName: string | null): string | null {
  const m = fileName ? /WhatsApp Chat (?:with |- )?(.+?)(?:\.txt|\.zip)?$/i.exec(fileName.split(/[\\/]/).pop()!) : null;
  return m ? m[1]!.trim() : null;
}

export function readWhatsApp(buf: ByteSource, ctx: ReadContext): void {
  const votes: Record<Style, DateOrderVote> = { android: new DateOrderVote(), ios: new DateOrderVote() };
  const counts: Record<Style, number> = { android: 0, ios: 0 };
  let usStyle = 0;
  forEachLine(buf, ctx.limits.lineLength, 'whatsapp', (line) => {
    if (!mayBeHeader(line)) return;
    const head = normalizeHead(line);
    for (const style of ['android', 'ios'] as const) {
      const m = (style === 'android' ? ANDROID_HEADER : IOS_HEADER).exec(head.text);
      if (!m) continue;
      const parts = stampParts(m);
      if (!parts) continue;
      counts[style]++;
      votes[style].add(parts);
      if ((m[4] || m[8]) && m[0].includes('/')) usStyle++;
    }
    const lead: Style = counts.android >= counts.ios ? 'android' : 'ios';
    const other: Style = lead === 'android' ? 'ios' : 'android';
    if (counts[lead] >= 50 && counts[other] === 0 && votes[lead].settled) return false;
    return undefined;
  });
  if (counts.android + counts.ios === 0) {
    throw new ChatParseError(
      'malformed',
      `this looks like a WhatsApp export but no line had a date; supported formats: ${supportedFormatsText()}`,
      'whatsapp',
    );
  }
  const style: Style = counts.android >= counts.ios ? 'android' : 'ios';
  const header = style === 'android' ? ANDROID_HEADER : IOS_HEADER;
  const order: DateOrder = votes[style].decide(usStyle > 0 ? 'mdy' : 'dmy', ctx.clock);
  ctx.name = whatsAppChatName(ctx.fileName);

  // One Pending, reused: `flush` copies what it needs into the message.
  const current: Pending = { id: '', sentAt: '', epoch: NaN, author: null, text: '', markedSystem: false, marks: false, multi: false };
  const authors: AuthorCache = new Map();
  const lineIds = new PositionIds('L');
  let pending: Pending | null = null;
  let firstMessage = true;
  let lastSentAt = '';
  let lastEpoch = NaN;
  /** Text of the last stamp read by hand when it ends in a space: a line starting with it has the same stamp. */
  let lastStamp = '\u0000';
  /** Where the last digit of `lastStamp` is (where stamps of consecutive minutes differ): tested first, as a comparison of the whole stamp costs far more. */
  let lastProbe = 0;
  const quick: StampParts = { a: 0, b: 0, c: 0, month: 0, yearFirst: false, hour: 0, minute: 0, second: 0 };
  /** Parts of the last stamp that gave an instant (month -1: none yet). */
  const last: StampParts = { ...quick, month: -1 };
  /**
   * The last stamp read by hand that ended in a space and gave an instant: its text, where its
   * minute and second digits are, its parts and its instant ('' : none yet).
   */
  let shiftText = '';
  const shiftDigits: StampDigits = { minute: -1, second: -1 };
  const shiftParts: StampParts = { ...quick };
  let shiftEpoch = NaN;
  const digits: StampDigits = { minute: -1, second: -1 };
  const flush = (p: Pending): void => {
    // iOS writes the chat's own name as the author of the opening system line.
    if (firstMessage && style === 'ios' && p.markedSystem && p.author !== null && ctx.name === null) ctx.name = p.author.name;
    firstMessage = false;
    let text = p.text;
    // (The suffix is only removed at the very end, so only a text ending with it can change.)
    if (text.charCodeAt(text.length - 1) === 62 && text.endsWith('<This message was edited>')) text = text.replace(EDITED_SUFFIX, '');
    const startsMarked = p.markedSystem;
    if (p.marks) text = stripMarks(text);
    const nl = p.multi ? text.indexOf('\n') : -1;
    const firstLine = nl === -1 ? text : text.slice(0, nl);
    const media = mayBeMedia(firstLine) ? mediaName(firstLine.trim()) : null;
    const attachments = media === null ? [] : [media];
    if (media !== null) text = nl === -1 ? '' : text.slice(nl + 1);
    const system = p.author === null || (startsMarked && media === null);
    const author = system || p.author === null ? SYSTEM_AUTHOR : p.author;
    ctx.emit({ id: p.id, sentAt: p.sentAt, author, text, threadId: null, attachments, system }, p.epoch);
  };

  forEachLine(buf, ctx.limits.lineLength, 'whatsapp', (line, lineNo, marks) => {
    if (mayBeHeader(line)) {
      if (line.charCodeAt(lastProbe) === lastStamp.charCodeAt(lastProbe) && startsWithStamp(line, lastStamp)) {
        if (pending) flush(pending);
        pending = startMessage(line, skipMarks(line, lastStamp.length), lineIds.of(lineNo), lastSentAt, lastEpoch, style, marks, current, authors);
        return;
      }
      // A stamp equal to that one but for its minute and second digits (minutes of an hour): the
      // quick reader would read it the same way with just those changed, and within one hour the
      // instant moves by exactly as much (ZoneClock takes one offset per local hour).
      if (shiftText !== '' && sameStampBut(line, shiftText, shiftDigits.minute, shiftDigits.second)) {
        const minute = sixty(line, shiftDigits.minute);
        const second = shiftDigits.second === -1 ? 0 : sixty(line, shiftDigits.second);
        if (minute !== -1 && second !== -1) {
          lastEpoch = shiftEpoch + (minute - shiftParts.minute) * 60000 + (second - shiftParts.second) * 1000;
          lastSentAt = isoOf(lastEpoch);
          copyParts(shiftParts, last);
          last.minute = minute;
          last.second = second;
          lastStamp = second === 0 ? line.slice(0, shiftText.length) : '\u0000';
          lastProbe = lastDigit(lastStamp);
          if (pending) flush(pending);
          pending = startMessage(line, skipMarks(line, shiftText.length), lineIds.of(lineNo), lastSentAt, lastEpoch, style, marks, current, authors);
          return;
        }
      }
      // Most stamps are plain ASCII (up to special spaces) and read by hand from the raw line;
      // anything else goes through normalizeHead and the regex. A header is at most 63 characters
      // long, so matching the normalized head alone finds the same stamp as the whole line would.
      const start = style === 'android' ? 0 : line.charCodeAt(0) === 91 ? 1 : -1;
      let stampEnd = start < 0 ? -1 : quickStamp(line, start, style === 'android' ? 'dash' : 'bracket', quick, digits);
      let parts: StampParts | null = quick;
      // (originalIndex also skips the marks right after the stamp, e.g. iOS's before a placeholder.)
      let restAt = stampEnd < 0 ? -1 : skipMarks(line, stampEnd);
      if (stampEnd < 0) {
        const head = normalizeHead(line);
        const m = header.exec(head.text);
        stampEnd = m ? m[0].length : -1;
        parts = m ? stampParts(m) : null;
        if (m) restAt = originalIndex(line, head, stampEnd);
      }
      let sentAt: string | null = null;
      if (stampEnd >= 0 && parts) {
        // Messages come in bursts within a minute: reuse the instant of a stamp with the same parts.
        if (sameParts(parts, last)) sentAt = lastSentAt;
        else {
          const epoch = stampEpoch(parts, order, ctx.clock);
          if (!Number.isNaN(epoch)) {
            sentAt = lastSentAt = isoOf(epoch);
            lastEpoch = epoch;
            copyParts(parts, last);
          }
        }
      }
      if (sentAt !== null) {
        // (Read by hand, the stamp is the one the regex reads; ending in a space, nothing after it
        // was looked at, so the same text at the start of a line is the same stamp.)
        // (Stamps with seconds rarely repeat: not worth keeping their text unless at second 0.)
        lastStamp = parts === quick && parts.second === 0 && line.charCodeAt(stampEnd - 1) === 32 ? line.slice(0, stampEnd) : '\u0000';
        lastProbe = lastDigit(lastStamp);
        if (parts === quick && line.charCodeAt(stampEnd - 1) === 32) {
          shiftText = line.slice(0, stampEnd);
          shiftDigits.minute = digits.minute;
          shiftDigits.second = digits.second;
          copyParts(quick, shiftParts);
          shiftEpoch = lastEpoch;
        }
        if (pending) flush(pending);
        pending = startMessage(line, restAt, lineIds.of(lineNo), sentAt, lastEpoch, style, marks, current, authors);
        return;
      }
    }
    if (pending) {
      pending.text += '\n' + line;
      pending.multi = true;
      if (marks) pending.marks = true;
    }
  });
  if (pending) flush(pending);
}

/**
 * `line.startsWith(stamp)`, compared from the end of the stamp, where stamps of consecutive minutes
 * differ; a loop is also cheaper than the builtin on these short sliced strings (measured).
 */
function startsWithStamp(line: string, stamp: string): boolean {
  if (stamp.length > line.length) return false;
  let k = stamp.length - 1;
  while (k >= 0 && line.charCodeAt(k) === stamp.charCodeAt(k)) k--;
  return k < 0;
}

/** The two digits at `at` as a number 0-59, or -1 (not digits, or past 59). */
function sixty(text: string, at: number): number {
  const d1 = text.charCodeAt(at) - 48;
  const d2 = text.charCodeAt(at + 1) - 48;
  return d1 >= 0 && d1 <= 5 && d2 >= 0 && d2 <= 9 ? d1 * 10 + d2 : -1;
}

/** Whether `line` starts with `stamp` but for the two characters at `minute` and, unless it is -1, at `second` (after `minute`). */
function sameStampBut(line: string, stamp: string, minute: number, second: number): boolean {
  const n = stamp.length;
  if (n > line.length) return false;
  // From the end: stamps of one hour differ in their last digits.
  let k = n - 1;
  const lastDigits = second === -1 ? minute : second;
  for (; k >= lastDigits + 2; k--) if (line.charCodeAt(k) !== stamp.charCodeAt(k)) return false;
  if (second !== -1) for (k = second - 1; k >= minute + 2; k--) if (line.charCodeAt(k) !== stamp.charCodeAt(k)) return false;
  for (k = minute - 1; k >= 0; k--) if (line.charCodeAt(k) !== stamp.charCodeAt(k)) return false;
  return true;
}

/** Index of the last ASCII digit of `stamp` (0 when none). */
function lastDigit(stamp: string): number {
  for (let i = stamp.length - 1; i > 0; i--) {
    const c = stamp.charCodeAt(i);
    if (c >= 48 && c <= 57) return i;
  }
  return 0;
}

function sameParts(p: StampParts, q: StampParts): boolean {
  return p.second === q.second && p.minute === q.minute && p.hour === q.hour && p.a === q.a && p.b === q.b && p.c === q.c && p.month === q.month && p.yearFirst === q.yearFirst;
}

function copyParts(from: StampParts, to: StampParts): void {
  to.a = from.a;
  to.b = from.b;
  to.c = from.c;
  to.month = from.month;
  to.yearFirst = from.yearFirst;
  to.hour = from.hour;
  to.minute = from.minute;
  to.second = from.second;
}

/** Authors by the name text as a line writes it (null: that text names no author). */
type AuthorCache = Map<string, Author | null>;
/** Chats have few authors; past this many name texts, names are no longer remembered. */
const AUTHOR_CACHE_SIZE = 4096;

/**
 * A copy of `text` that does not keep the string it was sliced from alive (a line slices the 32 KB
 * chunk it was decoded from): remembered names must not hold chunks.
 */
function own(text: string): string {
  return (' ' + text).slice(1);
}

/**
 * The author a name text stands for: none when it holds a double quote or nothing but marks and
 * spaces. Texts without marks are remembered, so a repeated name costs one lookup, and every message
 * of an author shares one author object (frozen, like `SYSTEM_AUTHOR`) whose id is hashed once.
 */
function authorOf(rawName: string, marks: boolean, cache: AuthorCache): Author | null {
  if (!marks) {
    const known = cache.get(rawName);
    if (known !== undefined) return known;
  }
  let author: Author | null = null;
  if (!hasQuote(rawName)) {
    const name = (marks ? stripMarks(rawName) : rawName).trim();
    if (name) {
      const kept = own(name);
      author = Object.freeze({ id: kept, name: kept });
    }
  }
  if (!marks && cache.size < AUTHOR_CACHE_SIZE) cache.set(own(rawName), author);
  return author;
}

/** Fills `p` with the message whose text starts at `at` in `line` (after the stamp); returns `p`. */
function startMessage(line: string, at: number, id: string, sentAt: string, epoch: number, style: Style, marks: boolean, p: Pending, authors: AuthorCache): Pending {
  p.id = id;
  p.sentAt = sentAt;
  p.epoch = epoch;
  p.marks = marks;
  p.multi = false;
  const restLength = line.length - at;
  let nameEnd = line.indexOf(': ', at);
  if (nameEnd === -1 && restLength > 0 && restLength <= 81 && line.endsWith(':')) nameEnd = line.length - 1;
  if (nameEnd > at && nameEnd - at <= 80) {
    const author = authorOf(line.slice(at, nameEnd), marks, authors);
    if (author !== null) {
      const text = line.slice(nameEnd + 2);
      p.author = author;
      p.text = text;
      // iOS marks system lines (and media placeholders) with a leading LEFT-TO-RIGHT MARK.
      p.markedSystem = style === 'ios' && text.charCodeAt(0) === 0x200e;
      return p;
    }
  }
  p.author = null;
  p.text = at === 0 ? line : line.slice(at);
  p.markedSystem = true;
  return p;
}
