/**
 * RFC 4180 records (quoted fields, doubled quotes, newlines inside quotes) read chunk by chunk from a
 * buffer, so a large CSV never becomes one string. Fast for DiscordChatExporter's all-quoted fields.
 */
import { ChatParseError } from '../errors.js';
import { CHUNK_BYTES, bomLength } from './lines.js';
import type { ChatFormat } from '../types.js';

/**
 * Parses complete records from `text` starting at 0; returns the index after the last complete
 * record (records cut off by the chunk end are left for the next call unless `final`).
 */
function parseRecords(text: string, final: boolean, onRecord: (fields: string[]) => boolean | void, format: ChatFormat | null): { used: number; stop: boolean } {
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
    if (onRecord(fields) === false) return { used: pos, stop: true };
  }
  return { used: pos, stop: false };
}

/** Calls `onRecord(fields)` per record; a record longer than `maxRecord` characters is a `limit` error. */
export function forEachCsvRecord(buf: Buffer, maxRecord: number, format: ChatFormat | null, onRecord: (fields: string[]) => boolean | void): void {
  let pos = bomLength(buf);
  let carry = '';
  while (pos < buf.length) {
    let end = Math.min(buf.length, pos + CHUNK_BYTES);
    if (end < buf.length) {
      const nl = buf.lastIndexOf(10, end - 1);
      end = nl >= pos ? nl + 1 : end;
      while (end < buf.length && (buf[end]! & 0xc0) === 0x80) end++;
    }
    // A record cut off by the previous chunk is decoded again from its bytes rather than prepended:
    // the text stays one flat string instead of a rope the scanner must flatten. (Only when the carry
    // is valid UTF-8, so its length in bytes is known; a U+FFFD may stand for any invalid bytes.)
    let text: string;
    if (carry === '') text = buf.toString('utf8', pos, end);
    else if (!carry.includes('\ufffd')) text = buf.toString('utf8', pos - Buffer.byteLength(carry, 'utf8'), end);
    else text = carry + buf.toString('utf8', pos, end);
    pos = end;
    const { used, stop } = parseRecords(text, pos >= buf.length, onRecord, format);
    if (stop) return;
    carry = text.slice(used);
    if (carry.length > maxRecord) {
      throw new ChatParseError('limit', `a CSV record is longer than the limit of ${maxRecord} characters`, format);
    }
  }
  if (carry) parseRecords(carry, true, onRecord, format);
}
