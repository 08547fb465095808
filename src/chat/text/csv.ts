/**
 * RFC 4180 records (quoted fields, doubled quotes, newlines inside quotes) read chunk by chunk from a
 * buffer, so a large CSV never becomes one string. Fast for DiscordChatExporter's all-quoted fields.
 */
import { ChatParseError } from '../errors.js';
import { bufferSource, forEachBlock, type ByteSource } from '../source.js';
import { CHUNK_BYTES, bomLength } from './lines.js';
import type { ChatFormat } from '../types.js';

function recordTooLong(maxRecord: number, format: ChatFormat | null): ChatParseError {
  return new ChatParseError('limit', `a CSV record is longer than the limit of ${maxRecord} characters`, format);
}

/**
 * Parses complete records from `text` starting at 0; returns the index after the last complete
 * record (records cut off by the chunk end are left for the next call unless `final`).
 */
function parseRecords(text: string, final: boolean, maxRecord: number, onRecord: (fields: string[]) => boolean | void, format: ChatFormat | null): { used: number; stop: boolean } {
  const len = text.length;
  let pos = 0;
  while (pos < len) {
    const recStart = pos;
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(pos) === 34) {
        let value = '';
        let p = pos + 1;
        for (;;) {
          const q = text.indexOf('"', p);
          if (q === -1) {
            if (final) throw new ChatParseError('malformed', 'the CSV ends inside a quoted field; the file looks truncated', format);
            return { used: recStart, stop: false };
          }
          if (text.charCodeAt(q + 1) === 34) {
            // A doubled quote: keep the text up to and including its first quote in one piece.
            value += text.slice(p, q + 1);
            p = q + 2;
          } else {
            value += text.slice(p, q);
            p = q + 1;
            if (q + 1 >= len && !final) return { used: recStart, stop: false };
            break;
          }
        }
        fields.push(value);
        pos = p;
      } else {
        let p = pos;
        while (p < len) {
          const c = text.charCodeAt(p);
          if (c === 44 || c === 10 || c === 13) break;
          p++;
        }
        if (p >= len && !final) return { used: recStart, stop: false };
        fields.push(text.slice(pos, p));
        pos = p;
      }
      const c = text.charCodeAt(pos);
      if (c === 44) {
        pos++;
        continue;
      }
      if (c === 13) pos++;
      if (text.charCodeAt(pos) === 10) pos++;
      else if (pos < len) throw new ChatParseError('malformed', 'a CSV field has text after its closing quote', format);
      break;
    }
    if (pos - recStart > maxRecord) throw recordTooLong(maxRecord, format);
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
  let carry = '';
  let stopped = false;
  const tooLong = (): ChatParseError => recordTooLong(maxRecord, format);
  forEachBlock(src, bomLength(src.read(0, 3)), maxRecord * 4 + 2, tooLong, (buf, _first, last) => {
    let pos = 0;
    while (pos < buf.length) {
      let end = Math.min(buf.length, pos + CHUNK_BYTES);
      if (end < buf.length) {
        const nl = buf.lastIndexOf(10, end - 1);
        end = nl >= pos ? nl + 1 : end;
        while (end < buf.length && (buf[end]! & 0xc0) === 0x80) end++;
      }
      // A record cut off by the previous chunk is decoded again from its bytes rather than prepended:
      // the text stays one flat string instead of a rope the scanner must flatten. (Only when the
      // carry is valid UTF-8, so its length in bytes is known, and its bytes are in this block; a
      // U+FFFD may stand for any invalid bytes.)
      let text: string;
      if (carry === '') text = buf.toString('utf8', pos, end);
      else {
        const from = carry.includes('\ufffd') ? -1 : pos - Buffer.byteLength(carry, 'utf8');
        text = from >= 0 ? buf.toString('utf8', from, end) : carry + buf.toString('utf8', pos, end);
      }
      pos = end;
      const { used, stop } = parseRecords(text, last && pos >= buf.length, maxRecord, onRecord, format);
      if (stop) {
        stopped = true;
        return false;
      }
      carry = text.slice(used);
      if (carry.length > maxRecord) throw tooLong();
    }
    return undefined;
  });
  if (carry && !stopped) parseRecords(carry, true, maxRecord, onRecord, format);
}
