/**
 * A byte-level pass over JSON that enforces the nesting limit before `JSON.parse` sees the text, and can
 * cut one big top-level array (DiscordChatExporter's `messages`) into element ranges, so a 200 MB export
 * is parsed one small message at a time instead of as one giant object graph.
 */
import { ChatParseError } from '../errors.js';
import { bufferSource, type ByteSource } from '../source.js';
import { bomLength } from '../text/lines.js';
import type { ChatFormat } from '../types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface ScanResult {
  /** Byte range of the array under `key` in the top-level object, or -1s. */
  arrayStart: number;
  arrayEnd: number;
  /** Start/end byte pairs of the object elements of that array. */
  ranges: number[];
}

/**
 * The scan as a state machine fed block after block (absolute offsets), so a file can be scanned
 * without holding it: strings, escapes and the key may run across a block boundary.
 */
class Scanner {
  private readonly keyBytes: Buffer | null;
  private depth = 0;
  private keyNext = false;
  private matched = false;
  private inTarget = false;
  private elemStart = -1;
  /** Inside a string at the end of the last block; `escaped`: its last byte was an unpaired backslash. */
  private inString = false;
  private escaped = false;
  /** Bytes of a depth-1 key string cut by a block boundary (null when not collecting). */
  private keyParts: Buffer[] | null = null;
  readonly result: ScanResult = { arrayStart: -1, arrayEnd: -1, ranges: [] };

  constructor(
    key: string | null,
    private readonly maxDepth: number,
    private readonly format: ChatFormat | null,
  ) {
    this.keyBytes = key === null ? null : Buffer.from(key, 'utf8');
  }

  /** Index of the quote closing a string whose text starts at `from` (-1: not in this block). */
  private stringEnd(buf: Buffer, from: number, end: number): number {
    let low = from;
    let q = from;
    if (this.escaped) {
      this.escaped = false;
      low = q = from + 1; // the escaped byte
    }
    for (;;) {
      // Most strings are short (keys, ids, stamps): their first bytes are looked at here, and only a
      // longer string goes to the native search, whose call costs more than a short string's scan.
      const near = Math.min(end, q + 24);
      while (q < near && buf[q] !== QUOTE) q++;
      if (q === near) q = q === end ? -1 : buf.indexOf(QUOTE, q);
      if (q === -1 || q >= end) {
        let bs = 0;
        while (end - 1 - bs >= low && buf[end - 1 - bs] === BACKSLASH) bs++;
        this.escaped = (bs & 1) === 1;
        return -1;
      }
      let bs = 0;
      while (q - 1 - bs >= low && buf[q - 1 - bs] === BACKSLASH) bs++;
      if ((bs & 1) === 0) return q;
      q++;
    }
  }

  private keyMatches(buf: Buffer, from: number, to: number): boolean {
    const keyBytes = this.keyBytes!;
    if (this.keyParts === null) return to - from === keyBytes.length && buf.compare(keyBytes, 0, keyBytes.length, from, to) === 0;
    const whole = Buffer.concat([...this.keyParts, buf.subarray(from, to)]);
    this.keyParts = null;
    return whole.equals(keyBytes);
  }

  /** Scans `buf[start, end)`, which sits at offset `base` of the input. */
  feed(buf: Buffer, start: number, end: number, base: number): void {
    const { maxDepth, format, result } = this;
    let i = start;
    if (this.inString) {
      const q = this.stringEnd(buf, i, end);
      if (q === -1) {
        if (this.keyParts !== null) this.keyParts.push(Buffer.from(buf.subarray(i, end)));
        return;
      }
      this.inString = false;
      if (this.keyParts !== null) this.matched = this.keyMatches(buf, i, q);
      i = q + 1;
    }
    // The state lives in locals while the loop runs (fields cost a load and store per byte).
    let depth = this.depth;
    let keyNext = this.keyNext;
    let inTarget = this.inTarget;
    let elemStart = this.elemStart;
    const keyed = this.keyBytes !== null;
    for (; i < end; i++) {
      const c = buf[i]!;
      // Whitespace (most of the bytes outside strings of an indented export) and other bytes below
      // the quote take none of the branches below.
      if (c < QUOTE) continue;
      if (c === QUOTE) {
        const isKey = keyNext && depth === 1 && keyed;
        const q = this.stringEnd(buf, i + 1, end);
        if (q === -1) {
          this.inString = true;
          if (isKey) this.keyParts = [Buffer.from(buf.subarray(i + 1, end))];
          break;
        }
        if (isKey) this.matched = this.keyMatches(buf, i + 1, q);
        i = q;
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
        if (depth > maxDepth) {
          throw new ChatParseError('limit', `the JSON nests deeper than the limit of ${maxDepth} levels`, format);
        }
        if (depth === 1) keyNext = c === 0x7b;
        else if (depth === 2 && this.matched && c === 0x5b && result.arrayStart === -1) {
          inTarget = true;
          result.arrayStart = base + i;
        } else if (depth === 3 && inTarget && c === 0x7b) elemStart = base + i;
      } else if (c === 0x7d || c === 0x5d) {
        if (inTarget) {
          if (depth === 3 && elemStart !== -1) {
            result.ranges.push(elemStart, base + i + 1);
            elemStart = -1;
          } else if (depth === 2) {
            inTarget = false;
            result.arrayEnd = base + i + 1;
          }
        }
        depth--;
        if (depth < 0) throw malformed(format, 'a closing bracket has no opening one');
      } else if (depth === 1) {
        if (c === 0x2c) {
          keyNext = true;
          this.matched = false;
        } else if (c === 0x3a) keyNext = false;
      }
    }
    this.depth = depth;
    this.keyNext = keyNext;
    this.inTarget = inTarget;
    this.elemStart = elemStart;
  }

  finish(): ScanResult {
    if (this.depth !== 0 || this.inString) throw truncated(this.format);
    return this.result;
  }
}

function scan(buf: Buffer, start: number, end: number, maxDepth: number, format: ChatFormat | null, key: string | null): ScanResult {
  const scanner = new Scanner(key, maxDepth, format);
  scanner.feed(buf, start, end, 0);
  return scanner.finish();
}

/** `scan` of a whole source, block by block when it is a file. */
function scanSource(src: ByteSource, maxDepth: number, format: ChatFormat | null, key: string | null): { start: number; found: ScanResult } {
  const start = bomLength(src.read(0, 3));
  if (src.whole) return { start, found: scan(src.whole, start, src.size, maxDepth, format, key) };
  const scanner = new Scanner(key, maxDepth, format);
  for (let pos = start; pos < src.size; ) {
    const block = src.read(pos, pos + src.blockBytes);
    if (block.length === 0) break;
    scanner.feed(block, 0, block.length, pos);
    pos += block.length;
  }
  return { start, found: scanner.finish() };
}

function truncated(format: ChatFormat | null): ChatParseError {
  return new ChatParseError('malformed', 'the JSON ends in the middle of a value; the file looks truncated', format);
}

function malformed(format: ChatFormat | null, detail: string): ChatParseError {
  return new ChatParseError('malformed', `the file is not valid JSON (${detail})`, format);
}

/** JSON.parse of a text, with syntax errors turned into a `malformed` ChatParseError. */
export function parseJsonText(text: string, format: ChatFormat | null): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw malformed(format, (err as Error).message);
  }
}

/** Parses a JSON document after checking its nesting depth (BOM tolerated, invalid UTF-8 replaced). */
export function parseJsonLimited(input: Buffer | ByteSource, maxDepth: number, format: ChatFormat | null): unknown {
  const src = Buffer.isBuffer(input) ? bufferSource(input) : input;
  const { start } = scanSource(src, maxDepth, format, null);
  return parseJsonText(src.read(start, src.size).toString('utf8'), format);
}

export interface SplitJson {
  /** The top-level object with the big array replaced by `[]`. */
  outer: Record<string, unknown>;
  /** Start/end byte pairs of each object element of the array. */
  ranges: number[];
}

/**
 * Checks depth and finds the array under top-level `key`; null when the top level is not an object
 * holding such an array.
 */
export function splitTopLevelArray(input: Buffer | ByteSource, key: string, maxDepth: number, format: ChatFormat | null): SplitJson | null {
  const src = Buffer.isBuffer(input) ? bufferSource(input) : input;
  const { start, found } = scanSource(src, maxDepth, format, key);
  if (found.arrayStart === -1) return null;
  const outerText = src.read(start, found.arrayStart).toString('utf8') + '[]' + src.read(found.arrayEnd, src.size).toString('utf8');
  const outer = parseJsonText(outerText, format);
  if (outer === null || typeof outer !== 'object' || Array.isArray(outer)) return null;
  return { outer: outer as Record<string, unknown>, ranges: found.ranges };
}

/** JSON.parse of one element range found by `splitTopLevelArray`. */
export function parseRange(buf: Buffer, start: number, end: number, format: ChatFormat | null): unknown {
  return parseJsonText(buf.toString('utf8', start, end), format);
}

/**
 * Calls `onElement(value)` for each element range found by `splitTopLevelArray`, in order; a file is
 * read in blocks that hold whole elements.
 */
export function forEachRange(input: Buffer | ByteSource, ranges: number[], format: ChatFormat | null, onElement: (value: unknown) => void): void {
  const src = Buffer.isBuffer(input) ? bufferSource(input) : input;
  if (src.whole) {
    for (let i = 0; i < ranges.length; i += 2) onElement(parseRange(src.whole, ranges[i]!, ranges[i + 1]!, format));
    return;
  }
  let i = 0;
  while (i < ranges.length) {
    // One block from this element's start: at least the block size, and at least this element.
    const base = ranges[i]!;
    const block = src.read(base, Math.max(base + src.blockBytes, ranges[i + 1]!));
    const blockEnd = base + block.length;
    do {
      onElement(parseRange(block, ranges[i]! - base, ranges[i + 1]! - base, format));
      i += 2;
    } while (i < ranges.length && ranges[i + 1]! <= blockEnd);
  }
}
