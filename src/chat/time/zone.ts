/**
 * Wall-clock time in a named zone -> absolute instant. Offsets are computed with luxon once per local
 * hour and cached, so millions of timestamps cost one table lookup each.
 */
import { DateTime, IANAZone } from 'luxon';
import { ChatParseError } from '../errors.js';

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when the fields form a real calendar date and clock time. */
export function isValidLocal(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60)) return false;
  if (d > DAYS_IN_MONTH[mo - 1]!) return false;
  if (mo === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return y >= 1900 && y <= 2200;
}

export function assertTimeZone(zone: string): void {
  if (!IANAZone.isValidZone(zone)) {
    throw new ChatParseError('bad-option', `unknown time zone "${zone}"; use an IANA name such as Europe/Berlin or UTC`);
  }
}

export class ZoneClock {
  private readonly utc: boolean;
  private readonly offsets = new Map<number, number>();

  constructor(readonly zone: string) {
    assertTimeZone(zone);
    this.utc = zone === 'UTC' || zone === 'Etc/UTC';
  }

  /** Epoch milliseconds of the wall-clock time, or NaN when the fields are not a valid date/time. */
  toEpoch(y: number, mo: number, d: number, h: number, mi: number, s = 0, ms = 0): number {
    if (!isValidLocal(y, mo, d, h, mi, s)) return NaN;
    const naive = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    if (this.utc) return naive;
    const key = (((y * 13 + mo) * 32 + d) * 24 + h) | 0;
    let offset = this.offsets.get(key);
    if (offset === undefined) {
      offset = DateTime.fromObject({ year: y, month: mo, day: d, hour: h }, { zone: this.zone }).offset;
      this.offsets.set(key, offset);
    }
    return naive - offset * 60000;
  }
}

/** ISO 8601 UTC text of an epoch; throws nothing for valid numbers. */
export function isoOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
