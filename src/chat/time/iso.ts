import type { ZoneClock } from './zone.js';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}

/**
 * Epoch ms of an ISO 8601 timestamp with any number of fractional digits (DiscordChatExporter writes
 * seven). Without an offset the time is read in `clock`'s zone. NaN when the text is not ISO.
 */
export function parseIsoInstant(text: string, clock: ZoneClock): number {
  // Fast path for the shapes transcripts and exporters write, `YYYY-MM-DD[T ]hh:mm[:ss][Z]` without
  // surrounding space; the regex below reads every other form (and stays the definition).
  const len = text.length;
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
    if (text.charCodeAt(4) !== 45 || Number.isNaN(y)) return NaN; // the regex needs "dddd-" after trim
    const t = text.charCodeAt(10);
    if (len >= 16 && len <= 20 && text.charCodeAt(7) === 45 && (t === 84 || t === 116 || t === 32) && text.charCodeAt(13) === 58) {
      const mo = digit(text, 5) * 10 + digit(text, 6);
      const d = digit(text, 8) * 10 + digit(text, 9);
      const h = digit(text, 11) * 10 + digit(text, 12);
      const mi = digit(text, 14) * 10 + digit(text, 15);
      let s = 0;
      let end = 16;
      if (len >= 19 && text.charCodeAt(16) === 58) {
        s = digit(text, 17) * 10 + digit(text, 18);
        end = 19;
      }
      const zulu = end === len - 1 && (text.charCodeAt(end) === 90 || text.charCodeAt(end) === 122);
      if ((end === len || zulu) && !Number.isNaN(mo + d + h + mi + s)) {
        return zulu ? Date.UTC(y, mo - 1, d, h, mi, s, 0) : clock.toEpoch(y, mo, d, h, mi, s, 0);
      }
    }
  }
  const m = ISO_RE.exec(text.trim());
  if (!m) return NaN;
  const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  const fields = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)] as const;
  const zone = m[8];
  if (zone === undefined) return clock.toEpoch(...fields, ms);
  const naive = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], ms);
  if (zone === 'Z' || zone === 'z') return naive;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return naive - sign * offset * 60000;
}
