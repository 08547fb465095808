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

const knownZones = new Set<string>(['UTC', 'Etc/UTC']);

export function assertTimeZone(zone: string): void {
  if (knownZones.has(zone)) return;
  if (IANAZone.isValidZone(zone)) knownZones.add(zone);
  else {
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

  /** The last day asked for (`y * 416 + mo * 32 + d`) and its midnight as if in UTC. */
  private lastDay = -1;
  private lastDayMs = 0;
  /** The last local hour asked for (key as in `offsets`) and its offset in minutes. */
  private lastHourKey = -1;
  private lastOffset = 0;

  /** Epoch milliseconds of the wall-clock time, or NaN when the fields are not a valid date/time. */
  toEpoch(y: number, mo: number, d: number, h: number, mi: number, s = 0, ms = 0): number {
    if (!isValidLocal(y, mo, d, h, mi, s)) return NaN;
    // Stamps come in runs on the same day: Date.UTC once per day, then arithmetic.
    const day = y * 416 + mo * 32 + d;
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.lastDayMs = Date.UTC(y, mo - 1, d);
    }
    const naive = this.lastDayMs + h * 3600000 + mi * 60000 + s * 1000 + ms;
    if (this.utc) return naive;
    const key = (((y * 13 + mo) * 32 + d) * 24 + h) | 0;
    if (key === this.lastHourKey) return naive - this.lastOffset * 60000;
    let offset = this.offsets.get(key);
    if (offset === undefined) {
      offset = DateTime.fromObject({ year: y, month: mo, day: d, hour: h }, { zone: this.zone }).offset;
      this.offsets.set(key, offset);
    }
    this.lastHourKey = key;
    this.lastOffset = offset;
    return naive - offset * 60000;
  }
}

const DAY_MS = 86400000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => '.' + String(i).padStart(3, '0') + 'Z');
/** `HH:MM:` for each minute of the day. */
const CLOCK = Array.from({ length: 1440 }, (_, i) => `${TWO[Math.floor(i / 60)]}:${TWO[i % 60]}:`);
/** `ss.000Z` for whole seconds, the common case. */
const WHOLE_SECOND = TWO.map((ss) => ss + '.000Z');
let cachedDay = NaN;
let cachedPrefix = '';

/**
 * ISO 8601 UTC text of an epoch (`2026-03-14T09:15:00.000Z`). Messages arrive in runs on the same day,
 * so the date part is cached and the time taken from tables: several times faster than
 * `toISOString`, which dominated parsing of text exports. The result is three flat pieces, which
 * is cheap to flatten when it is compared.
 */
export function isoOf(epochMs: number): string {
  if (epochMs === lastIsoEpoch) return lastIso; // (a run of messages with one stamp)
  if (!(epochMs >= 0 && epochMs < 253402300800000)) {
    const iso = new Date(epochMs).toISOString();
    lastIso = iso;
    lastIsoEpoch = Date.parse(iso);
    return iso;
  }
  epochMs = Math.floor(epochMs);
  const day = Math.floor(epochMs / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const rest = epochMs - day * DAY_MS;
  const minute = Math.floor(rest / 60000);
  const ms = rest - minute * 60000;
  const sec = Math.floor(ms / 1000);
  const frac = ms - sec * 1000;
  lastIso = cachedPrefix + CLOCK[minute] + (frac === 0 ? WHOLE_SECOND[sec] : TWO[sec]! + THREE[frac]);
  lastIsoEpoch = epochMs;
  return lastIso;
}

/** The last text `isoOf` made, and its instant. */
let lastIso = '';
let lastIsoEpoch = NaN;

/**
 * Epoch ms of an ISO 8601 instant; for the text `isoOf` made last (usually the message just
 * converted) without parsing it.
 */
export function epochOfIso(iso: string): number {
  return iso === lastIso ? lastIsoEpoch : Date.parse(iso);
}
