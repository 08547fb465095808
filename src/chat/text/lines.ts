/**
 * Line access to text exports without decoding the whole file into one string: the buffer is decoded
 * in chunks that end at a newline, so a multi-byte character is never split and invalid UTF-8 becomes
 * U+FFFD. CRLF and LF both end a line.
 */
import { ChatParseError } from '../errors.js';
import { bufferSource, forEachBlock, type ByteSource } from '../source.js';
import type { ChatFormat } from '../types.js';

/**
 * Decoded strings past ~128 KB go to V8's large-object space, which made decoding 1 MB chunks 4-8
 * times slower than 32 KB ones (measured); so text is decoded in small chunks.
 */
export const CHUNK_BYTES = 32 * 1024;

const nativeUtf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (this: Buffer, start: number, end: number) => string }).utf8Slice;

/**
 * `buf.toString('utf8', start, end)` (invalid bytes become U+FFFD) without its argument checks and
 * encoding lookup, which cost as much as decoding a short field: Node's own `utf8Slice` where it
 * exists. `start` and `end` must lie within the buffer.
 */
export const utf8: (buf: Buffer, start: number, end: number) => string =
  typeof nativeUtf8Slice === 'function' ? (buf, start, end) => nativeUtf8Slice.call(buf, start, end) : (buf, start, end) => buf.toString('utf8', start, end);

/** Byte offset after a UTF-8 byte order mark, if any. */
export function bomLength(buf: Buffer): number {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}

/** Re-encodes UTF-16 input (recognised by its byte order mark) as UTF-8; other input is returned as is. */
export function toUtf8(buf: Buffer): Buffer {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return Buffer.from(buf.subarray(2).toString('utf16le'), 'utf8');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return Buffer.from(swapped.toString('utf16le'), 'utf8');
  }
  return buf;
}

/** The first `maxBytes` bytes as text (for format detection). */
export function headText(buf: Buffer, maxBytes = 64 * 1024): string {
  return buf.toString('utf8', bomLength(buf), Math.min(buf.length, maxBytes));
}

function tooLong(limit: number, lineNo: number, format: ChatFormat | null): ChatParseError {
  return new ChatParseError(
    'limit',
    `line ${lineNo} is longer than the limit of ${limit} characters; is this really a chat export?`,
    format,
  );
}

const ARABIC_LETTER_MARK = Buffer.from('\u061c', 'utf8');
const BYTE_ORDER_MARK = Buffer.from('\ufeff', 'utf8');

/**
 * Finds the invisible marks of `stripMarks` (LRM, RLM, ALM, embeddings/overrides, isolates, BOM) in
 * UTF-8 bytes, before they are decoded: a native byte search per kind, each resumed where it
 * stopped, so a whole block costs a few memchr passes. In UTF-8 the marks are E2 80 8E/8F,
 * E2 80 AA-AE, E2 81 A6-A9, D8 9C and EF BB BF.
 */
class MarkFinder {
  private e2 = -1;
  private alm = -1;
  private bom = -1;
  constructor(private readonly buf: Buffer) {}

  /** Offset of the first mark at or after `from` (the buffer length when none). */
  next(from: number): number {
    const buf = this.buf;
    if (this.e2 < from && this.e2 !== buf.length) {
      let i = buf.indexOf(0xe2, from);
      for (; i !== -1; i = buf.indexOf(0xe2, i + 1)) {
        const b1 = buf[i + 1];
        const b2 = buf[i + 2]!;
        if ((b1 === 0x80 && (b2 === 0x8e || b2 === 0x8f || (b2 >= 0xaa && b2 <= 0xae))) || (b1 === 0x81 && b2 >= 0xa6 && b2 <= 0xa9)) break;
      }
      this.e2 = i === -1 ? buf.length : i;
    }
    if (this.alm < from && this.alm !== buf.length) {
      const i = buf.indexOf(ARABIC_LETTER_MARK, from);
      this.alm = i === -1 ? buf.length : i;
    }
    if (this.bom < from && this.bom !== buf.length) {
      const i = buf.indexOf(BYTE_ORDER_MARK, from);
      this.bom = i === -1 ? buf.length : i;
    }
    return Math.min(this.e2, this.alm, this.bom);
  }
}

/**
 * Calls `onLine(line, lineNo, marks, breaks)` for every line (1-based numbers, line ending removed)
 * of a Buffer or a `ByteSource` (a file is read block by block). `marks` is false when the line surely
 * holds no invisible mark (so `stripMarks` has nothing to do), true when it does. With
 * `findBreaks`, `breaks` is false when the line surely holds no CR, LINE SEPARATOR or PARAGRAPH
 * SEPARATOR (the characters besides LF that a regex `.` does not match), true when it may (always
 * true without `findBreaks`, which spares readers that never ask three searches per chunk). A line
 * longer than `maxLine` characters throws a `limit` error. Return `false` from `onLine` to stop.
 */
export function forEachLine(
  input: Buffer | ByteSource,
  maxLine: number,
  format: ChatFormat | null,
  onLine: (line: string, lineNo: number, marks: boolean, breaks: boolean) => boolean | void,
  findBreaks = false,
): void {
  const src = Buffer.isBuffer(input) ? bufferSource(input) : input;
  let lineNo = 0;
  const maxBytes = maxLine * 4 + 2;
  const head = src.read(0, 3);
  forEachBlock(src, bomLength(head), maxBytes, () => tooLong(maxLine, lineNo + 1, format), (buf) => {
    const finder = new MarkFinder(buf);
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      let end = Math.min(len, pos + CHUNK_BYTES);
      if (end < len) {
        const nl = buf.lastIndexOf(10, end - 1);
        if (nl >= pos) end = nl + 1;
        else {
          const next = buf.indexOf(10, end);
          end = next === -1 ? len : next + 1;
          if (end - pos > maxBytes) throw tooLong(maxLine, lineNo + 1, format);
        }
      }
      // Lines with a mark are decoded on their own, so every other line is known to hold none.
      let marks = false;
      const mark = finder.next(pos);
      if (mark < end) {
        const lineStart = buf.lastIndexOf(10, mark) + 1;
        if (lineStart > pos) end = lineStart;
        else {
          const nl = buf.indexOf(10, mark);
          if (nl !== -1 && nl < end) end = nl + 1;
          marks = true;
        }
      }
      const text = buf.toString('utf8', pos, end);
      pos = end;
      // Three native searches of the chunk instead of some per line (a CRLF file takes the slow answer).
      const breaks = !findBreaks || text.indexOf('\r') !== -1 || text.indexOf('\u2028') !== -1 || text.indexOf('\u2029') !== -1;
      let start = 0;
      const textLen = text.length;
      while (start < textLen) {
        let nl = text.indexOf('\n', start);
        const next = nl === -1 ? textLen : nl + 1;
        if (nl === -1) nl = textLen;
        let stop = nl;
        if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
        lineNo++;
        if (stop - start > maxLine) throw tooLong(maxLine, lineNo, format);
        if (onLine(text.slice(start, stop), lineNo, marks, breaks) === false) return false;
        start = next;
      }
    }
    return undefined;
  });
}

const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const SMALL = Array.from({ length: 1000 }, (_, i) => String(i));

/**
 * Ids `<letter><n>` (`L12`, `R7`) for line and row numbers, which only grow: the text of n / 1000 is
 * kept, so an id is one short concatenation instead of a number-to-text conversion, which missed
 * V8's cache for every new number. The same text as `${letter}${n}`.
 */
export class PositionIds {
  private high = -1;
  private prefix = '';
  constructor(private readonly letter: string) {}

  of(n: number): string {
    if (!(n >= 0 && n < 1e15 && n === Math.floor(n))) return this.letter + String(n);
    if (n < 1000) return this.letter + SMALL[n]!;
    const high = Math.floor(n / 1000);
    if (high !== this.high) {
      this.high = high;
      this.prefix = this.letter + String(high);
    }
    return this.prefix + DIGITS3[n - high * 1000]!;
  }
}
