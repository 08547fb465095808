/**
 * Stamps of desktop exporters (DiscordChatExporter TXT/CSV, plain transcripts): ISO 8601 with or
 * without offset, or a locale stamp such as `14-Mar-26 09:15 AM` / `3/14/2026 9:15 PM`.
 */
import { parseIsoInstant } from './iso.js';
import { DateOrderVote, STAMP_SOURCE, normalizeHead, quickStamp, stampEpoch, stampParts, type DateOrder, type StampParts } from './stamp.js';
import type { ZoneClock } from './zone.js';

const FULL_STAMP = new RegExp(`^${STAMP_SOURCE}$`);

function emptyParts(): StampParts {
  return { a: 0, b: 0, c: 0, month: 0, yearFirst: false, hour: 0, minute: 0, second: 0 };
}

/**
 * The parts into `out` (plain stamps, read by hand: `quickStamp` reads the whole trimmed text only
 * when the regex would match it the same way) or a new object from the regex; null when no stamp.
 */
function readParts(text: string, out: StampParts): StampParts | null {
  const trimmed = text.trim();
  if (quickStamp(trimmed, 0, 'end', out) === trimmed.length) return out;
  const m = FULL_STAMP.exec(normalizeHead(trimmed).text);
  return m ? stampParts(m) : null;
}

/** The locale parts of a non-ISO stamp, or null. */
export function looseParts(text: string): StampParts | null {
  return readParts(text, emptyParts());
}

const scratch = emptyParts();

/** Epoch ms of a stamp; NaN when it is not one. */
export function looseEpoch(text: string, order: DateOrder, clock: ZoneClock): number {
  const iso = parseIsoInstant(text, clock);
  if (!Number.isNaN(iso)) return iso;
  const parts = readParts(text, scratch);
  return parts ? stampEpoch(parts, order, clock) : NaN;
}

/** Index of the two characters after the first ":" of `text` when both are digits, else -1. */
function minuteAt(text: string): number {
  const colon = text.indexOf(':');
  if (colon === -1) return -1;
  const a = text.charCodeAt(colon + 1) - 48;
  const b = text.charCodeAt(colon + 2) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? colon + 1 : -1;
}

/** Index of the two characters after `:` at `minute + 2` when both are digits (seconds), else -1. */
function secondAt(text: string, minute: number): number {
  if (minute === -1 || text.charCodeAt(minute + 2) !== 58) return -1;
  const a = text.charCodeAt(minute + 3) - 48;
  const b = text.charCodeAt(minute + 4) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? minute + 3 : -1;
}

/**
 * Whether `a` and `b` (same length) differ at most at `at` and `at + 1` and, unless `sec` is -1,
 * at `sec` and `sec + 1` (`sec` > `at` + 1).
 */
function sameBut(a: string, b: string, at: number, sec: number): boolean {
  for (let i = 0; i < at; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  if (sec === -1) {
    for (let i = at + 2; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
    return true;
  }
  for (let i = at + 2; i < sec; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  for (let i = sec + 2; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** The two digits at `at` as a number 0-59, or -1 (not digits, or past 59). */
function sixty(text: string, at: number): number {
  const d1 = text.charCodeAt(at) - 48;
  const d2 = text.charCodeAt(at + 1) - 48;
  return d1 >= 0 && d1 <= 5 && d2 >= 0 && d2 <= 9 ? d1 * 10 + d2 : -1;
}

/**
 * `looseEpoch` that remembers its last answer (exports repeat a stamp for every message of a minute)
 * and reads the minutes and seconds of an hour without parsing: a stamp equal to the last one parsed
 * except for the two digits after its first ":" (and, when a ":" and two digits follow those, these
 * two) is that stamp moved by the difference in minutes and seconds. Such stamps are parsed as well
 * and compared until a move of the minutes alone and one of the seconds alone (or of both, once one
 * of them proved itself) gave the parsed instant: the shortcut is taken only once those digits proved
 * to be minutes (they are seconds in `14.03.26 09.15:30`) and seconds, and never for a value past 59.
 * Within one hour no offset changes (`ZoneClock` takes one per local hour), so the sum is exact.
 * `sameObjects` false skips comparing with the last text first: that costs a full comparison when a
 * caller never hands on the same string object twice (a stamp sliced from each line).
 */
export function cachedLooseEpoch(order: DateOrder, clock: ZoneClock, sameObjects = true): (text: string) => number {
  let lastText: string | null = null;
  let lastEpoch = NaN;
  /** The last stamp parsed, its instant, where its minutes and seconds are (-1: none) and whether they proved to be such. */
  let baseText = '';
  let baseEpoch = NaN;
  let baseMinute = -1;
  let baseSecond = -1;
  let baseMinuteValue = 0;
  let baseSecondValue = 0;
  let provenMinute = false;
  let provenSecond = false;
  return (text) => {
    // (The same string object when a reader hands on a repeated field: then this costs nothing.)
    if (sameObjects && text === lastText) return lastEpoch;
    lastText = text;
    const at = baseMinute;
    if (at !== -1 && text.length === baseText.length && sameBut(text, baseText, at, baseSecond)) {
      const minute = sixty(text, at);
      const second = baseSecond === -1 ? baseSecondValue : sixty(text, baseSecond);
      if (minute !== -1 && second !== -1) {
        const minutes = minute - baseMinuteValue;
        const seconds = second - baseSecondValue;
        if (minutes === 0 && seconds === 0) return (lastEpoch = baseEpoch); // the base stamp itself
        const shifted = baseEpoch + minutes * 60000 + seconds * 1000;
        if ((minutes === 0 || provenMinute) && (seconds === 0 || provenSecond)) return (lastEpoch = shifted);
        lastEpoch = looseEpoch(text, order, clock);
        // (A move of both proves one only when the other proved itself before.)
        if (lastEpoch === shifted) {
          const minuteProof = seconds === 0 || provenSecond;
          const secondProof = minutes === 0 || provenMinute;
          if (minuteProof) provenMinute = true;
          if (secondProof) provenSecond = true;
        }
        return lastEpoch;
      }
    }
    lastEpoch = looseEpoch(text, order, clock);
    baseText = text;
    baseEpoch = lastEpoch;
    baseMinute = Number.isNaN(lastEpoch) ? -1 : minuteAt(text);
    baseSecond = secondAt(text, baseMinute);
    baseMinuteValue = baseMinute === -1 ? 0 : (text.charCodeAt(baseMinute) - 48) * 10 + text.charCodeAt(baseMinute + 1) - 48;
    baseSecondValue = baseSecond === -1 ? 0 : (text.charCodeAt(baseSecond) - 48) * 10 + text.charCodeAt(baseSecond + 1) - 48;
    provenMinute = false;
    provenSecond = false;
    return lastEpoch;
  };
}

/** Feeds a stamp into a vote; returns whether the text was a stamp at all. */
export function voteLoose(text: string, vote: DateOrderVote): boolean {
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(text.trim())) {
    vote.addUnambiguous();
    return true;
  }
  const parts = looseParts(text);
  if (!parts) return false;
  vote.add(parts);
  return true;
}
