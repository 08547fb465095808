/**
 * Locale-formatted date/time stamps as phones and desktop exporters write them:
 * `14/03/2026, 09:15`, `3/14/26, 9:15 PM`, `14.03.26 09:15:22`, `2026. 3. 14. 오후 9:15`,
 * `14-Mar-26 09:15 AM`, `14/3/2569 BE 9:15`, with Arabic-Indic digits, Arabic commas, direction marks,
 * narrow no-break spaces and `a. m.` spellings. Day/month order is not knowable from one stamp, so
 * callers vote over a whole file with `DateOrderVote`.
 */
import type { ZoneClock } from './zone.js';

export type DateOrder = 'dmy' | 'mdy';

/** Invisible marks dropped from stamps and message text: LRM, RLM, ALM, embeddings/overrides, isolates, BOM. */
export const INVISIBLE_MARKS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** True for the characters `INVISIBLE_MARKS` matches. */
function isInvisibleMark(code: number): boolean {
  return code === 0x200e || code === 0x200f || code === 0x061c || code === 0xfeff || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

const HAS_MARK = new RegExp(INVISIBLE_MARKS.source);

/** `text` without invisible marks; the string itself when it holds none. */
export function stripMarks(text: string): string {
  // A regex test scans natively, about twice as fast as a charCodeAt loop on two-byte strings.
  return HAS_MARK.test(text) ? text.replace(INVISIBLE_MARKS, '') : text;
}

function mapChar(code: number): string | null {
  if (code === 0x200e || code === 0x200f || code === 0x061c || code === 0xfeff) return '';
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return '';
  if (code >= 0x0660 && code <= 0x0669) return String.fromCharCode(48 + code - 0x0660);
  if (code >= 0x06f0 && code <= 0x06f9) return String.fromCharCode(48 + code - 0x06f0);
  if (code === 0x202f || code === 0x00a0 || code === 0x2009 || code === 0x2007) return ' ';
  if (code === 0x060c) return ',';
  return null;
}

/**
 * The first `max` characters of `line` with marks removed and digits/spaces/commas made ASCII, plus a map
 * from each normalized index to the original index (null when nothing changed, so indexes agree).
 */
const NEEDS_NORMALIZING = /[\u00a0\u060c\u061c\u0660-\u0669\u06f0-\u06f9\u200e\u200f\u2007\u2009\u202a-\u202f\u2066-\u2069\ufeff]/;

/** True when a line holds a mark, Arabic-Indic digit or special space that `normalizeHead` rewrites. */
export function needsNormalizing(line: string): boolean {
  return NEEDS_NORMALIZING.test(line);
}

const HEAD_CHARS = 64;
const NORMALIZABLE = new RegExp(NEEDS_NORMALIZING.source, 'g');

/**
 * The first 64 characters of `line` (where any stamp sits) with marks removed and digits, spaces and
 * commas made ASCII. `deleted` tells whether characters were removed, so that `originalIndex` must
 * map a position back.
 */
export function normalizeHead(line: string): { text: string; deleted: boolean } {
  // The regex finds the (rare, usually one or two) characters to rewrite natively; the head is then
  // copied in slices around them. Cheaper than a replace with a callback or a loop over every char.
  const head = line.length <= HEAD_CHARS ? line : line.slice(0, HEAD_CHARS);
  NORMALIZABLE.lastIndex = 0;
  let m = NORMALIZABLE.exec(head);
  if (m === null) return { text: head, deleted: false };
  let text = '';
  let from = 0;
  let deleted = false;
  do {
    const i = m.index;
    const mapped = mapChar(head.charCodeAt(i))!;
    if (mapped === '') deleted = true;
    text += head.slice(from, i) + mapped;
    from = i + 1;
    m = NORMALIZABLE.exec(head);
  } while (m !== null);
  return { text: text + head.slice(from), deleted };
}

/** Index in `line` of index `i` of its normalized head. */
export function originalIndex(line: string, head: { deleted: boolean }, i: number): number {
  if (!head.deleted) return i;
  let kept = 0;
  let j = 0;
  for (; j < line.length && kept < i; j++) if (mapChar(line.charCodeAt(j)) !== '') kept++;
  while (j < line.length && mapChar(line.charCodeAt(j)) === '') j++;
  return j;
}

/** Index of the first character at or after `i` that is no invisible mark (what `originalIndex` skips). */
export function skipMarks(line: string, i: number): number {
  while (i < line.length && isInvisibleMark(line.charCodeAt(i))) i++;
  return i;
}

const AMPM = '(?:[AaPp]\\.?\\s?[Mm]\\.?|午前|午後|上午|下午|오전|오후|ص|م|vorm\\.|nachm\\.)';
const DATE = '(\\d{1,4})\\s?[./-]\\s?(\\d{1,2}|[A-Za-z]{3,9}\\.?)\\s?[./-]\\s?(\\d{2,4})\\.?(?:\\s?B\\.?E\\.?)?';
const TIME = `(?:(${AMPM})\\s?)?(\\d{1,2})[:.](\\d{2})(?:[:.](\\d{2}))?(?:\\s?(${AMPM}))?`;
/** Regex source of a stamp: 8 groups (a, b, c, ampm-before, hour, minute, second, ampm-after). */
export const STAMP_SOURCE = `${DATE}\\s?,?\\s?(?:(?:klo|um|à|at|o)\\s)?${TIME}`;
/** `source` with every capturing group made non-capturing (for a cheaper first match). */
export function withoutCaptures(source: string): string {
  return source.replace(/(?<!\\)\((?!\?)/g, '(?:');
}

/** Regex source of a bare clock time: 5 groups (ampm-before, hour, minute, second, ampm-after). */
export const TIME_SOURCE = TIME;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

/** Three ASCII letters at `i` as one number, lower-cased. */
function lowerKey(text: string, i: number): number {
  return ((text.charCodeAt(i) | 32) << 16) | ((text.charCodeAt(i + 1) | 32) << 8) | (text.charCodeAt(i + 2) | 32);
}

/** The three-letter names of `MONTHS` by `lowerKey`. */
const SHORT_MONTHS = new Map(Object.entries(MONTHS).filter(([name]) => name.length === 3).map(([name, month]) => [lowerKey(name, 0), month]));

/** A stamp as written, before day/month order is known. */
export interface StampParts {
  /** First and second date fields; `b` is 0 when the month is a name (see `month`). */
  a: number;
  b: number;
  c: number;
  /** Month from a month name, else 0. */
  month: number;
  yearFirst: boolean;
  hour: number;
  minute: number;
  second: number;
}

const PM = /^(?:[Pp]|午後|下午|오후|م|nachm)/;

/** 24-hour clock from hour text and an optional AM/PM marker; NaN when inconsistent. */
export function clockHour(hourText: string, marker: string | undefined): number {
  let h = Number(hourText);
  if (marker) {
    if (h < 1 || h > 12) return NaN;
    const pm = PM.test(marker);
    if (pm && h < 12) h += 12;
    else if (!pm && h === 12) h = 0;
  }
  return h;
}

/** Reads the groups of a `STAMP_SOURCE` match starting at group index `g`. Null when not a date. */
export function stampParts(m: RegExpExecArray, g = 1): StampParts | null {
  const aText = m[g]!;
  const bText = m[g + 1]!;
  const cText = m[g + 2]!;
  let month = 0;
  let b = 0;
  const b0 = bText.charCodeAt(0);
  if (b0 >= 48 && b0 <= 57) b = Number(bText);
  else {
    month = MONTHS[bText.replace('.', '').toLowerCase()] ?? 0;
    if (!month) return null;
  }
  const hour = clockHour(m[g + 4]!, m[g + 3] ?? m[g + 7]);
  if (Number.isNaN(hour)) return null;
  return {
    a: Number(aText),
    b,
    c: Number(cText),
    month,
    yearFirst: aText.length === 4,
    hour,
    minute: Number(m[g + 5]),
    second: m[g + 6] ? Number(m[g + 6]) : 0,
  };
}

/** Where `quickStamp` found the minute and second digits (-1: none). */
export interface StampDigits {
  minute: number;
  second: number;
}

/** What must follow a stamp for `quickStamp`: `]` and an optional space (iOS), ` - ` (Android), or nothing. */
export type StampEnd = 'bracket' | 'dash' | 'end';

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Space, or one of the spaces `normalizeHead` turns into a space (iOS puts U+202F before AM/PM). */
function isSpace(code: number): boolean {
  return code === 32 || code === 0x202f || code === 0x00a0 || code === 0x2009 || code === 0x2007;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Reads the plain ASCII stamps nearly every export writes (`1/5/24, 3:04:05 PM`, `05/01/2024, 15:04`,
 * `01-Jan-24 12:00 AM`, `2024-01-05 15:04`) by hand, from `start` in `text` (already normalized by
 * `normalizeHead`), followed by `end`. It only accepts text on which `STAMP_SOURCE` followed by that
 * ending matches on its first, greedy path (no space around separators, no dots after a month name or
 * AM/PM, nothing unusual after the time), so the stamp it finds is the one the regex finds; it fills
 * `out` and returns the index after the match (ending included). Any other shape returns -1: the
 * caller then runs the regex, which stays the definition.
 *
 * `text` may also be a raw line: the special spaces `normalizeHead` turns into spaces count as spaces,
 * and any other non-ASCII character it looks at returns -1, so on a raw line it finds what it finds
 * on the normalized head (no character before the end of the stamp is removed or rewritten otherwise).
 *
 * With `digits`, a match also tells where the two minute digits and the two second digits are (-1:
 * no seconds). Only "is a digit" is asked of those four characters, so the same text with other
 * digits there reads the same way, with just the minute and second changed.
 */
export function quickStamp(text: string, start: number, end: StampEnd, out: StampParts, digits?: StampDigits): number {
  const len = text.length;
  let i = start;
  // First date field: 1-4 digits.
  let a = 0;
  while (i < len && i - start < 5 && isDigit(text.charCodeAt(i))) a = a * 10 + text.charCodeAt(i++) - 48;
  const aDigits = i - start;
  if (aDigits === 0 || aDigits > 4) return -1;
  let c = text.charCodeAt(i);
  if (c !== 47 && c !== 46 && c !== 45) return -1;
  i++;
  // Second field: 1-2 digits, or a month name of 3-9 letters.
  let b = 0;
  let month = 0;
  const bStart = i;
  c = text.charCodeAt(i);
  if (isDigit(c)) {
    while (i < len && i - bStart < 3 && isDigit(text.charCodeAt(i))) b = b * 10 + text.charCodeAt(i++) - 48;
    if (i - bStart > 2) return -1;
  } else {
    while (i < len && i - bStart < 10 && isLetter(text.charCodeAt(i))) i++;
    if (i - bStart < 3 || i - bStart > 9) return -1;
    if (text.charCodeAt(i) === 46) return -1;
    month = i - bStart === 3 ? (SHORT_MONTHS.get(lowerKey(text, bStart)) ?? 0) : (MONTHS[text.slice(bStart, i).toLowerCase()] ?? 0);
    if (!month) return -1;
  }
  c = text.charCodeAt(i);
  if (c !== 47 && c !== 46 && c !== 45) return -1;
  i++;
  // Year (or day, year first): 2-4 digits, then optional ",", optional space, and the hour.
  const cStart = i;
  let cValue = 0;
  while (i < len && i - cStart < 5 && isDigit(text.charCodeAt(i))) cValue = cValue * 10 + text.charCodeAt(i++) - 48;
  if (i - cStart < 2 || i - cStart > 4) return -1;
  if (text.charCodeAt(i) === 44) i++;
  if (isSpace(text.charCodeAt(i))) i++;
  // Hour: 1-2 digits, ":" or ".", minute: 2 digits, optional ":ss" / ".ss".
  const hStart = i;
  let hour = 0;
  while (i < len && i - hStart < 3 && isDigit(text.charCodeAt(i))) hour = hour * 10 + text.charCodeAt(i++) - 48;
  if (i === hStart || i - hStart > 2) return -1;
  c = text.charCodeAt(i);
  if (c !== 58 && c !== 46) return -1;
  const m1 = text.charCodeAt(i + 1);
  const m2 = text.charCodeAt(i + 2);
  if (!isDigit(m1) || !isDigit(m2)) return -1;
  const minute = (m1 - 48) * 10 + m2 - 48;
  const minuteAt = i + 1;
  i += 3;
  let second = 0;
  let secondAt = -1;
  c = text.charCodeAt(i);
  if (c === 58 || c === 46) {
    const s1 = text.charCodeAt(i + 1);
    const s2 = text.charCodeAt(i + 2);
    if (!isDigit(s1) || !isDigit(s2)) return -1;
    second = (s1 - 48) * 10 + s2 - 48;
    secondAt = i + 1;
    i += 3;
  }
  if (isDigit(text.charCodeAt(i))) return -1;
  // Optional AM/PM after an optional space: exactly two letters, no dots.
  let marker = 0;
  const p = isSpace(text.charCodeAt(i)) ? i + 1 : i;
  c = text.charCodeAt(p);
  if (c === 65 || c === 97 || c === 80 || c === 112) {
    const mm = text.charCodeAt(p + 1);
    if (mm !== 77 && mm !== 109) return -1;
    if (text.charCodeAt(p + 2) === 46) return -1;
    marker = c === 80 || c === 112 ? 2 : 1;
    i = p + 2;
  } else if (c >= 128 || c === 118 || c === 110) return -1; // other spellings of AM/PM
  if (marker) {
    if (hour < 1 || hour > 12) return -1;
    if (marker === 2 && hour < 12) hour += 12;
    else if (marker === 1 && hour === 12) hour = 0;
  }
  // What follows the stamp.
  if (end === 'end') {
    if (i !== len) return -1;
  } else if (end === 'bracket') {
    if (text.charCodeAt(i) !== 93) return -1;
    i++;
    if (i < len) {
      c = text.charCodeAt(i);
      if (isSpace(c) || (c >= 9 && c <= 13)) i++;
      else if (c >= 128) return -1;
    }
  } else {
    if (!isSpace(text.charCodeAt(i)) || text.charCodeAt(i + 1) !== 45 || !isSpace(text.charCodeAt(i + 2))) return -1;
    i += 3;
  }
  out.a = a;
  out.b = b;
  out.c = cValue;
  out.month = month;
  out.yearFirst = aDigits === 4;
  out.hour = hour;
  out.minute = minute;
  out.second = second;
  if (digits) {
    digits.minute = minuteAt;
    digits.second = secondAt;
  }
  return i;
}

function fullYear(y: number): number {
  if (y < 100) return 2000 + y;
  if (y >= 2400) return y - 543; // Thai Buddhist era
  return y;
}

/** Epoch ms of the parts read with `order` in `clock`'s zone; NaN when they are no valid date. */
export function stampEpoch(p: StampParts, order: DateOrder, clock: ZoneClock): number {
  let y: number;
  let mo: number;
  let d: number;
  if (p.yearFirst) {
    y = p.a;
    mo = p.month || p.b;
    d = p.c;
  } else if (p.month) {
    y = p.c;
    mo = p.month;
    d = p.a;
  } else {
    y = p.c;
    mo = order === 'dmy' ? p.b : p.a;
    d = order === 'dmy' ? p.a : p.b;
  }
  return clock.toEpoch(fullYear(y), mo, d, p.hour, p.minute, p.second);
}

const SAMPLE_CAP = 20000;

/**
 * Decides day/month order for a file: a first field above 12 means day-first, a second field above 12
 * month-first. With no such stamp, the order under which the timestamps run forward more often wins;
 * a tie falls back to `fallback`.
 */
export class DateOrderVote {
  private dmy = 0;
  private mdy = 0;
  private unambiguous = 0;
  private readonly samples: StampParts[] = [];

  /** Counts a stamp whose form leaves no doubt (ISO, year first, month name). */
  addUnambiguous(): void {
    this.unambiguous++;
  }

  add(p: StampParts): void {
    if (p.yearFirst || p.month) {
      this.unambiguous++;
      return;
    }
    if (p.a > 12 && p.b <= 12) this.dmy++;
    else if (p.b > 12 && p.a <= 12) this.mdy++;
    else if (this.samples.length < SAMPLE_CAP) this.samples.push(p);
  }

  /** True once one stamp settled the order (or showed that the file's stamps need none). */
  get settled(): boolean {
    return this.dmy + this.mdy + this.unambiguous > 0;
  }

  decide(fallback: DateOrder, clock: ZoneClock): DateOrder {
    if (this.dmy !== this.mdy) return this.dmy > this.mdy ? 'dmy' : 'mdy';
    const back = (order: DateOrder): number => {
      let count = 0;
      let prev = -Infinity;
      for (const p of this.samples) {
        const t = stampEpoch(p, order, clock);
        if (Number.isNaN(t)) count += 2;
        else {
          if (t < prev) count++;
          prev = t;
        }
      }
      return count;
    };
    const d = back('dmy');
    const m = back('mdy');
    if (d !== m) return d < m ? 'dmy' : 'mdy';
    return fallback;
  }
}
