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

/** `looseEpoch` that remembers its last answer: exports repeat a stamp for every message of a minute. */
export function cachedLooseEpoch(order: DateOrder, clock: ZoneClock): (text: string) => number {
  let lastText: string | null = null;
  let lastEpoch = NaN;
  return (text) => {
    if (text !== lastText) {
      lastEpoch = looseEpoch(text, order, clock);
      lastText = text;
    }
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
