/**
 * RFC 4180 records (quoted fields, doubled quotes, newlines inside quotes) read from bytes, block by
 * block, so a large CSV never becomes one string. Fields are found on the bytes (a quote, comma or
 * line break is never part of a multi-byte UTF-8 character) and each is decoded on its own; a field
 * with doubled quotes is copied without them into a scratch buffer first. Every field thus comes out
 * as one flat string: joining the pieces around each doubled quote built a rope that every later use
 * had to flatten, which cost more than the parse itself.
 *
 * Short fields (ids, names, dates) repeat from record to record; decoding each was one native call
 * per field, which cost more than finding the fields. They are looked up by their bytes in a small
 * table of decoded strings first (`shortField`), so a repeated value is decoded once.
 */
import { ChatParseError } from '../errors.js';
import { bufferSource, forEachBlock, type ByteSource } from '../source.js';
import { bomLength, utf8 } from './lines.js';
import type { ChatFormat } from '../types.js';

function recordTooLong(maxRecord: number, format: ChatFormat | null): ChatParseError {
  return new ChatParseError('limit', `a CSV record is longer than the limit of ${maxRecord} characters`, format);
}

/** Longer than `maxRecord` characters (decoding only when the byte count says it may be). */
function overLimit(buf: Buffer, start: number, end: number, maxRecord: number): boolean {
  return end - start > maxRecord && buf.toString('utf8', start, end).length > maxRecord;
}

let scratch: Buffer = Buffer.allocUnsafe(64 * 1024);

/** `scratch` made larger, its first `used` bytes kept. */
function grow(used: number): Buffer {
  const grown = Buffer.allocUnsafe(scratch.length * 2);
  scratch.copy(grown, 0, 0, used);
  scratch = grown;
  return grown;
}

/** Copies buf[start, end) to `scratch` at `at`; returns the new end. */
function append(buf: Buffer, start: number, end: number, at: number): number {
  const n = end - start;
  while (at + n > scratch.length) grow(at);
  // (A native copy pays off only past a few dozen bytes; the runs before a quote are mostly short.)
  if (n > 48) buf.copy(scratch, at, start, end);
  else for (let k = 0; k < n; k++) scratch[at + k] = buf[start + k]!;
  return at + n;
}

/** Fields of at most this many bytes go through the table of decoded strings. */
export const SHORT_FIELD_BYTES = 32;
const SLOTS = 1024;
/** Per slot: the bytes of the field decoded there, its byte length + 1 (0: empty) and the string. */
const slotBytes = Buffer.alloc(SLOTS * SHORT_FIELD_BYTES);
const slotLength = new Int32Array(SLOTS);
const slotText: string[] = new Array<string>(SLOTS).fill('');

/**
 * `utf8(buf, start, end)` for a field of at most `SHORT_FIELD_BYTES` bytes, the same string: taken
 * from the table when a field with the same bytes was decoded there last, else decoded and stored.
 */
export function shortField(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  // The slot from the length and the first and last four bytes (where names, ids and stamps differ).
  let h = n;
  const head = Math.min(end, start + 4);
  for (let i = start; i < head; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  for (let i = Math.max(head, end - 4); i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
  const at = slot * SHORT_FIELD_BYTES;
  if (slotLength[slot] === n + 1) {
    // Compared from the end: stamps of one day differ there.
    let k = n;
    while (k > 0 && slotBytes[at + k - 1] === buf[start + k - 1]) k--;
    if (k === 0) return slotText[slot]!;
  }
  const text = utf8(buf, start, end);
  for (let k = 0; k < n; k++) slotBytes[at + k] = buf[start + k]!;
  slotLength[slot] = n + 1;
  slotText[slot] = text;
  return text;
}

/**
 * Parses the complete records of `buf` from `from`; returns the offset after the last complete one
 * (a record cut off by the end of `buf` is left for the next call unless `final`).
 */
function parseRecords(
  buf: Buffer,
  from: number,
  final: boolean,
  maxRecord: number,
  onRecord: (fields: string[]) => boolean | void,
  format: ChatFormat | null,
): { used: number; stop: boolean } {
  const len = buf.length;
  let pos = from;
  while (pos < len) {
    const recStart = pos;
    const fields: string[] = [];
    for (;;) {
      if (buf[pos] === 34) {
        let p = pos + 1;
        while (p < len && buf[p] !== 34) p++;
        let copied = -1;
        if (p + 1 < len && buf[p + 1] === 34) {
          // A doubled quote: from here the field is copied byte by byte into `scratch`, one quote of
          // each pair kept (one tight loop: the runs between quotes are short).
          copied = append(buf, pos + 1, p + 1, 0);
          p += 2;
          let out = scratch;
          for (;;) {
            // Up to where the buffer or the scratch space ends, whichever comes first: no bound to
            // check per byte (a byte of the field is written for at least one read).
            const stop = Math.min(len, p + out.length - copied);
            while (p < stop) {
              const c = buf[p]!;
              if (c === 34) {
                if (buf[p + 1] !== 34) break;
                p++;
              }
              out[copied++] = c;
              p++;
            }
            if (p < stop || p >= len) break; // the closing quote, or the end of the buffer
            out = grow(copied);
          }
        }
        if (p >= len) {
          if (final) throw new ChatParseError('malformed', 'the CSV ends inside a quoted field; the file looks truncated', format);
          return { used: recStart, stop: false };
        }
        if (p + 1 >= len && !final) return { used: recStart, stop: false };
        if (copied >= 0) fields.push(copied <= SHORT_FIELD_BYTES ? shortField(scratch, 0, copied) : utf8(scratch, 0, copied));
        else fields.push(p === pos + 1 ? '' : p - pos - 1 <= SHORT_FIELD_BYTES ? shortField(buf, pos + 1, p) : utf8(buf, pos + 1, p));
        pos = p + 1;
      } else {
        let p = pos;
        while (p < len) {
          const c = buf[p];
          if (c === 44 || c === 10 || c === 13) break;
          p++;
        }
        if (p >= len && !final) return { used: recStart, stop: false };
        fields.push(p === pos ? '' : p - pos <= SHORT_FIELD_BYTES ? shortField(buf, pos, p) : utf8(buf, pos, p));
        pos = p;
      }
      const c = buf[pos];
      if (c === 44) {
        pos++;
        continue;
      }
      if (c === 13) pos++;
      if (buf[pos] === 10) pos++;
      else if (pos < len) throw new ChatParseError('malformed', 'a CSV field has text after its closing quote', format);
      break;
    }
    if (overLimit(buf, recStart, pos, maxRecord)) throw recordTooLong(maxRecord, format);
    if (onRecord(fields) === false) return { used: pos, stop: true };
  }
  return { used: pos, stop: false };
}

/**
 * Calls `onRecord(fields)` per record of a Buffer or a `ByteSource` (a file is read block by block);
 * a record longer than `maxRecord` characters is a `limit` error.
 */
export function forEachCsvRecord(input: Buffer | ByteSource, maxRecord: number, format: ChatFormat | null, onRecord: (fields: string[]) => boolean | void): void {
  const src = Buffer.isBuffer(input) ? bufferSource(input) : input;
  /** Bytes of a record cut off by the end of the last block (a quoted field holding line breaks). */
  let carry: Buffer | null = null;
  const tooLong = (): ChatParseError => recordTooLong(maxRecord, format);
  forEachBlock(src, bomLength(src.read(0, 3)), maxRecord * 4 + 2, tooLong, (block, _first, last) => {
    const buf = carry === null ? block : Buffer.concat([carry, block]);
    const { used, stop } = parseRecords(buf, 0, last, maxRecord, onRecord, format);
    if (stop) return false;
    carry = used < buf.length ? buf.subarray(used) : null;
    if (carry !== null && overLimit(carry, 0, carry.length, maxRecord)) throw tooLong();
    return undefined;
  });
}
