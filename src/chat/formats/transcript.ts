/**
 * Plain transcripts: `[2026-03-14 09:15] Name: text` (any stamp `parseChat` knows, or a bare
 * `[09:15]` on the day of `startAt`) or untimed `Name: text` lines, which all get `startAt`.
 * Lines that start no message continue the previous one.
 */
import { SYSTEM_AUTHOR, type ReadContext } from '../collect.js';
import { ChatParseError } from '../errors.js';
import { forEachLine } from '../text/lines.js';
import { cachedLooseEpoch, voteLoose } from '../time/loose.js';
import { DateOrderVote, TIME_SOURCE, clockHour, stripMarks } from '../time/stamp.js';
import { isoOf } from '../time/zone.js';
import type { ChatMessage } from '../types.js';

export const TIMED_LINE = /^\[([^\]]{4,40})\]\s*(?:([^:\s][^:]{0,59}?):(?: (.*)|$)|(.*))$/;
export const SPEAKER_LINE = /^([\p{L}\p{N}_~][\p{L}\p{N} ._'’()~@+-]{0,59}?):(?: (.*)|$)/u;
const CLOCK_ONLY = new RegExp(`^${TIME_SOURCE}$`);

export function readTranscript(buf: Buffer, ctx: ReadContext): void {
  const vote = new DateOrderVote();
  let timed = 0;
  forEachLine(buf, ctx.limits.lineLength, 'transcript', (line) => {
    const m = TIMED_LINE.exec(line);
    if (m && (voteLoose(m[1]!, vote) || CLOCK_ONLY.test(m[1]!))) timed++;
    return timed > 20 && vote.settled ? false : undefined;
  });
  const looseEpoch = cachedLooseEpoch(vote.decide('dmy', ctx.clock), ctx.clock);
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

  let pending: ChatMessage | null = null;
  const flush = (): void => {
    if (!pending) return;
    if (pending.text.endsWith('\n')) pending.text = pending.text.replace(/\n+$/, '');
    ctx.emit(pending);
    pending = null;
  };
  const start = (id: string, sentAt: string, name: string | undefined, text: string): void => {
    flush();
    const clean = name === undefined ? undefined : stripMarks(name).trim();
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
  forEachLine(buf, ctx.limits.lineLength, 'transcript', (line, lineNo) => {
    if (timed > 0) {
      const m = line.charCodeAt(0) === 91 ? TIMED_LINE.exec(line) : null;
      const epoch = m ? stampOf(m[1]!) : NaN;
      if (!Number.isNaN(epoch)) {
        start(`L${lineNo}`, isoOf(epoch), m![2], m![2] === undefined ? (m![4] ?? '') : (m![3] ?? ''));
        return;
      }
    } else {
      const m = SPEAKER_LINE.exec(line);
      if (m) {
        start(`L${lineNo}`, startIso, m[1], m[2] ?? '');
        return;
      }
    }
    if (pending) pending.text += '\n' + line;
  });
  flush();
  if (ctx.count === 0) {
    throw new ChatParseError('malformed', 'this looks like a transcript but no line had the form "[time] Name: text" or "Name: text"', 'transcript');
  }
}
