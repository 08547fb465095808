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

/**
 * Calls `onLine(line, lineNo)` for every line (1-based numbers, line ending removed) of a Buffer or a
 * `ByteSource` (a file is read block by block). A line longer than `maxLine` characters throws a
 * `limit` error. Return `false` from `onLine` to stop.
 */
export function forEachLine(
  input: Buffer | ByteSource,
  maxLine: number,
  format: ChatFormat | null,
  onLine: (line: string, lineNo: number) => boolean | void,
): void {
  const src = Buffer.isBuffer(input) ? bufferSource(input) : input;
  let lineNo = 0;
  const maxBytes = maxLine * 4 + 2;
  const head = src.read(0, 3);
  forEachBlock(src, bomLength(head), maxBytes, () => tooLong(maxLine, lineNo + 1, format), (buf) => {
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
      const text = buf.toString('utf8', pos, end);
      pos = end;
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
        if (onLine(text.slice(start, stop), lineNo) === false) return false;
        start = next;
      }
    }
    return undefined;
  });
}
