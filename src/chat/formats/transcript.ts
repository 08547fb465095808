/**
 * Plain transcripts: `[2026-03-14 09:15] Name: text` (any stamp `parseChat` knows, or a bare
 * `[09:15]` on the day of `startAt`) or untimed `Name: text` lines, which all get `startAt`.
 * Lines that start no message continue the previous one.
 */
import { SYSTEM_AUTHOR, type ReadContext } from '../collect.js';
import { ChatParseError } from '../errors.js';
import type { ByteSource } from '../source.js';
import { PositionIds, forEachLine } from '../text/lines.js';
import { cachedLooseEpoch, voteLoose } from '../time/loose.js';
import { DateOrderVote, TIME_SOURCE, clockHour, stripMarks } from '../time/stamp.js';
import { isoOf } from '../time/zone.js';
import type { ChatMessage } from '../types.js';

export const TIMED_LINE = /^\[([^\]]{4,40})\]\s*(?:([^:\s][^:]{0,59}?):(?: (.*)|$)|(.*))$/;
export const SPEAKER_LINE = /^([\p{L}\p{N}_~][\p{L}\p{N} ._'’()~@+-]{0,59}?):(?: (.*)|$)/u;
const CLOCK_ONLY = new RegExp(`^${TIME_SOURCE}$`);
/** Whether a line holds a character `.` does not match (what sends it to the regex); four native searches beat a regex call per line. */
function hasLineBreak(line: string): boolean {
  return line.indexOf('\r') !== -1 || line.indexOf('\n') !== -1 || line.indexOf('\u2028') !== -1 || line.indexOf('\u2029') !== -1;
}

/** Groups 1-4 of `TIMED_LINE` (stamp; name and text; or untitled text), index 0 unused. */
type TimedGroups = readonly [unknown, string, string | undefined, string | undefined, string | undefined];

/**
 * `TIMED_LINE` read by hand for the usual `[stamp] Name: text` / `[stamp] text` lines: the stamp
 * runs to the first "]", one space follows, and the next character is ASCII other than ":" and
 * space, so the regex's `\s*` takes exactly that space; the name is then everything up to the first
 * ":" (1-60 characters) if a space or the line end follows it, and otherwise the rest is untitled
 * text. Other lines (and lines with line-break characters, which `breaks` false rules out) go to the
 * regex.
 */
function timedLine(line: string, breaks: boolean): TimedGroups | null {
  const close = line.indexOf(']', 1);
  const first = line.charCodeAt(close + 2);
  if (close < 5 || close > 41 || line.charCodeAt(close + 1) !== 32 || !(first > 32 && first < 127 && first !== 58) || (breaks && hasLineBreak(line))) {
    return TIMED_LINE.exec(line) as TimedGroups | null;
  }
  const stamp = line.slice(1, close);
  const colon = line.indexOf(':', close + 2);
  const nameLength = colon - (close + 2);
  if (colon !== -1 && nameLength <= 60 && (colon + 1 === line.length || line.charCodeAt(colon + 1) === 32)) {
    return [null, stamp, line.slice(close + 2, colon), colon + 1 === line.length ? undefined : line.slice(colon + 2), undefined];
  }
  return [null, stamp, undefined, undefined, line.slice(close + 2)];
}

export function readTranscript(buf: ByteSource, ctx: ReadContext): void {
  const vote = new DateOrderVote();
  let timed = 0;
  forEachLine(buf, ctx.limits.lineLength, 'transcript', (line) => {
    const m = TIMED_LINE.exec(line);
    if (m && (voteLoose(m[1]!, vote) || CLOCK_ONLY.test(m[1]!))) timed++;
    return timed > 20 && vote.settled ? false : undefined;
  });
  const looseEpoch = cachedLooseEpoch(vote.decide('dmy', ctx.clock), ctx.clock, false);
  const day = new Date(ctx.startAt);
  const startIso = isoOf(ctx.startAt);

  const stampOf = (text: string): number => {
    const epoch = looseEpoch(text);
    if (!Number.isNaN(epoch)) return epoch;
    const t = CLOCK_ONLY.exec(text.trim());
    if (!t) return NaN;
    const hour = clockHour(t[2]!, t[1] ?? t[5]);
    return ctx.clock.toEpoch(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour, Number(t[3]), t[4] ? Number(t[4]) : 0);
  };

  const lineIds = new PositionIds('L');
  let pending: ChatMessage | null = null;
  let pendingEpoch = NaN;
  const flush = (): void => {
    if (!pending) return;
    if (pending.text.endsWith('\n')) pending.text = pending.text.replace(/\n+$/, '');
    ctx.emit(pending, pendingEpoch);
    pending = null;
  };
  const start = (id: string, epoch: number, sentAt: string, name: string | undefined, text: string, marks: boolean): void => {
    flush();
    pendingEpoch = epoch;
    const clean = name === undefined ? undefined : (marks ? stripMarks(name) : name).trim();
    pending = {
      id,
      sentAt,
      author: clean ? { id: clean, name: clean } : SYSTEM_AUTHOR,
      text,
      threadId: null,
      attachments: [],
      system: !clean,
    };
  };
  forEachLine(buf, ctx.limits.lineLength, 'transcript', (line, lineNo, marks, breaks) => {
    if (timed > 0) {
      const m = line.charCodeAt(0) === 91 ? timedLine(line, breaks) : null;
      const epoch = m ? stampOf(m[1]!) : NaN;
      if (!Number.isNaN(epoch)) {
        start(lineIds.of(lineNo), epoch, isoOf(epoch), m![2], m![2] === undefined ? (m![4] ?? '') : (m![3] ?? ''), marks);
        return;
      }
    } else {
      const m = SPEAKER_LINE.exec(line);
      if (m) {
        start(lineIds.of(lineNo), ctx.startAt, startIso, m[1], m[2] ?? '', marks);
        return;
      }
    }
    if (pending) pending.text += '\n' + line;
  }, true);
  flush();
  if (ctx.count === 0) {
    throw new ChatParseError('malformed', 'this looks like a transcript but no line had the form "[time] Name: text" or "Name: text"', 'transcript');
  }
}
