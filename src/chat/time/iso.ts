import type { ZoneClock } from './zone.js';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Epoch ms of an ISO 8601 timestamp with any number of fractional digits (DiscordChatExporter writes
 * seven). Without an offset the time is read in `clock`'s zone. NaN when the text is not ISO.
 */
export function parseIsoInstant(text: string, clock: ZoneClock): number {
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
