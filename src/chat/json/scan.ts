/**
 * A byte-level pass over JSON that enforces the nesting limit before `JSON.parse` sees the text, and can
 * cut one big top-level array (DiscordChatExporter's `messages`) into element ranges, so a 200 MB export
 * is parsed one small message at a time instead of as one giant object graph.
 */
import { ChatParseError } from '../errors.js';
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

function scan(buf: Buffer, start: number, end: number, maxDepth: number, format: ChatFormat | null, key: string | null): ScanResult {
  const keyBytes = key === null ? null : Buffer.from(key, 'utf8');
  let depth = 0;
  let keyNext = false;
  let matched = false;
  let inTarget = false;
  let elemStart = -1;
  const result: ScanResult = { arrayStart: -1, arrayEnd: -1, ranges: [] };
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === QUOTE) {
      let q = i + 1;
      for (;;) {
        q = buf.indexOf(QUOTE, q);
        if (q === -1 || q >= end) throw truncated(format);
        let bs = 0;
        while (buf[q - 1 - bs] === BACKSLASH) bs++;
        if ((bs & 1) === 0) break;
        q++;
      }
      if (keyNext && depth === 1 && keyBytes !== null) {
        matched = q - i - 1 === keyBytes.length && buf.compare(keyBytes, 0, keyBytes.length, i + 1, q) === 0;
      }
      i = q;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) {
        throw new ChatParseError('limit', `the JSON nests deeper than the limit of ${maxDepth} levels`, format);
      }
      if (depth === 1) keyNext = c === 0x7b;
      else if (depth === 2 && matched && c === 0x5b && result.arrayStart === -1) {
        inTarget = true;
        result.arrayStart = i;
      } else if (depth === 3 && inTarget && c === 0x7b) elemStart = i;
    } else if (c === 0x7d || c === 0x5d) {
      if (inTarget) {
        if (depth === 3 && elemStart !== -1) {
          result.ranges.push(elemStart, i + 1);
          elemStart = -1;
        } else if (depth === 2) {
          inTarget = false;
          result.arrayEnd = i + 1;
        }
      }
      depth--;
      if (depth < 0) throw malformed(format, 'a closing bracket has no opening one');
    } else if (depth === 1) {
      if (c === 0x2c) {
        keyNext = true;
        matched = false;
      } else if (c === 0x3a) keyNext = false;
    }
  }
  if (depth !== 0) throw truncated(format);
  return result;
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

/** Parses a JSON buffer after checking its nesting depth (BOM tolerated, invalid UTF-8 replaced). */
export function parseJsonLimited(buf: Buffer, maxDepth: number, format: ChatFormat | null): unknown {
  const start = bomLength(buf);
  scan(buf, start, buf.length, maxDepth, format, null);
  return parseJsonText(buf.toString('utf8', start), format);
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
export function splitTopLevelArray(buf: Buffer, key: string, maxDepth: number, format: ChatFormat | null): SplitJson | null {
  const start = bomLength(buf);
  const found = scan(buf, start, buf.length, maxDepth, format, key);
  if (found.arrayStart === -1) return null;
  const outerText = buf.toString('utf8', start, found.arrayStart) + '[]' + buf.toString('utf8', found.arrayEnd);
  const outer = parseJsonText(outerText, format);
  if (outer === null || typeof outer !== 'object' || Array.isArray(outer)) return null;
  return { outer: outer as Record<string, unknown>, ranges: found.ranges };
}

/** JSON.parse of one element range found by `splitTopLevelArray`. */
export function parseRange(buf: Buffer, start: number, end: number, format: ChatFormat | null): unknown {
  return parseJsonText(buf.toString('utf8', start, end), format);
}
