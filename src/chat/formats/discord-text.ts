/**
 * DiscordChatExporter CSV (`AuthorID,Author,Date,Content,Attachments,Reactions`) and plain-text
 * exports. Neither carries message ids, so ids are derived from the position (`R<row>` / `L<line>`).
 * Dates follow the exporting user's locale; day/month order is decided per file.
 */
import type { ReadContext } from '../collect.js';
import { fileNameOf, isDceSystemText } from '../discord/markup.js';
import { ChatParseError } from '../errors.js';
import type { ByteSource } from '../source.js';
import { forEachCsvRecord } from '../text/csv.js';
import { PositionIds, forEachLine } from '../text/lines.js';
import { cachedLooseEpoch, voteLoose } from '../time/loose.js';
import { DateOrderVote } from '../time/stamp.js';
import { isoOf } from '../time/zone.js';

export const DCE_CSV_HEADER = /^\uFEFF?"?AuthorID"?,"?Author"?,"?Date"?,"?Content"?/;

const DISCRIMINATOR = /#\d{1,4}$/;

function authorName(full: string): string {
  // A discriminator is "#" and at most four digits at the end: no "#" among the last five
  // characters means nothing to remove.
  const hash = full.lastIndexOf('#');
  return hash === -1 || full.length - hash > 5 ? full : full.replace(DISCRIMINATOR, '');
}

/** `authorName` remembered per author text (exports repeat a few authors): at most this many. */
const AUTHOR_CACHE_SIZE = 4096;

/** Whether `full` may end in a discriminator: "#" and one to four digits, read from the end. */
function mayHaveDiscriminator(full: string): boolean {
  const n = full.length;
  for (let i = n - 1; i >= 0 && i >= n - 5; i--) {
    const c = full.charCodeAt(i);
    if (c === 35) return i < n - 1;
    if (c < 48 || c > 57) return false;
  }
  return false;
}

export function readDiscordCsv(buf: ByteSource, ctx: ReadContext): void {
  const names = new Map<string, string>();
  const nameOf = (full: string): string => {
    // (Most names have no discriminator: a few character tests instead of a lookup.)
    if (!mayHaveDiscriminator(full)) return full;
    let name = names.get(full);
    if (name === undefined) {
      name = authorName(full);
      if (names.size < AUTHOR_CACHE_SIZE) names.set(full, name);
    }
    return name;
  };
  const vote = new DateOrderVote();
  const rowIds = new PositionIds('R');
  let row = 0;
  forEachCsvRecord(buf, ctx.limits.lineLength, 'discord-csv', (fields) => {
    if (row++ === 0) return;
    if (fields.length >= 4) voteLoose(fields[2]!, vote);
    return vote.settled ? false : undefined;
  });
  const epochOf = cachedLooseEpoch(vote.decide('mdy', ctx.clock), ctx.clock);
  row = 0;
  // Column indexes, read from the header row (-1 when a column is missing: `fields[-1]` is undefined).
  let authorIdCol = -1;
  let authorCol = -1;
  let dateCol = -1;
  let contentCol = -1;
  let attachmentsCol = -1;
  forEachCsvRecord(buf, ctx.limits.lineLength, 'discord-csv', (fields) => {
    row++;
    if (row === 1) {
      const columns: Record<string, number> = Object.fromEntries(fields.map((f, i) => [f.trim(), i]));
      if (columns.AuthorID === undefined || columns.Date === undefined || columns.Content === undefined) {
        throw new ChatParseError('malformed', 'this CSV lacks the DiscordChatExporter header AuthorID,Author,Date,Content', 'discord-csv');
      }
      authorIdCol = columns.AuthorID;
      authorCol = columns.Author ?? -1;
      dateCol = columns.Date;
      contentCol = columns.Content;
      attachmentsCol = columns.Attachments ?? -1;
      return;
    }
    if (fields.length === 1 && fields[0] === '') return;
    const epoch = epochOf(fields[dateCol] ?? '');
    if (Number.isNaN(epoch)) {
      throw new ChatParseError('malformed', `row ${row} of the Discord CSV has no readable date ("${fields[dateCol] ?? ''}")`, 'discord-csv');
    }
    const authorId = fields[authorIdCol] ?? '';
    const text = fields[contentCol] ?? '';
    const attachmentField = attachmentsCol === -1 ? '' : (fields[attachmentsCol] ?? '');
    ctx.emit({
      id: rowIds.of(row),
      sentAt: isoOf(epoch),
      author: { id: authorId, name: nameOf(fields[authorCol] ?? authorId) },
      text,
      threadId: null,
      attachments: attachmentField ? attachmentField.split(',').map((a) => fileNameOf(a.trim())).filter(Boolean) : [],
      system: isDceSystemText(text),
    }, epoch);
  });
}

const TXT_HEADER = /^\[([^\]]{6,60})\] (.+?)(?: \(pinned\))?$/;
const PINNED = ' (pinned)';

/**
 * `TXT_HEADER` read by hand: the stamp runs to the first "]" (6-60 characters), then a space and the
 * author, without a trailing " (pinned)"; a line with characters "." does not match goes to the regex.
 */
function txtHeader(line: string): { stamp: string; author: string } | null {
  if (line.charCodeAt(0) !== 91) return null;
  const close = line.indexOf(']', 1);
  if (close < 7 || close > 61 || line.charCodeAt(close + 1) !== 32) return null;
  if (hasLineBreak(line, close + 2)) {
    const m = TXT_HEADER.exec(line);
    return m ? { stamp: m[1]!, author: m[2]! } : null;
  }
  const restLength = line.length - close - 2;
  const end = restLength - PINNED.length >= 1 && line.endsWith(PINNED) ? restLength - PINNED.length : restLength;
  return end >= 1 ? { stamp: line.slice(1, close), author: line.slice(close + 2, close + 2 + end) } : null;
}

/** Whether `line` holds a CR, LINE SEPARATOR or PARAGRAPH SEPARATOR from `from` on (such a line goes to the regex). */
function hasLineBreak(line: string, from: number): boolean {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}
const BANNER = /^={20,}$/;
const BLOCK = /^\{(Attachments|Embed|Stickers|Reactions)\}$/;

export function readDiscordTxt(buf: ByteSource, ctx: ReadContext): void {
  const lineIds = new PositionIds('L');
  const vote = new DateOrderVote();
  forEachLine(buf, ctx.limits.lineLength, 'discord-txt', (line) => {
    if (line.charCodeAt(0) !== 91) return;
    const h = txtHeader(line);
    if (h) voteLoose(h.stamp, vote);
    return vote.settled ? false : undefined;
  });
  const epochOf = cachedLooseEpoch(vote.decide('mdy', ctx.clock), ctx.clock);

  interface Pending { id: string; sentAt: string; epoch: number; author: string; lines: string[]; attachments: string[] }
  let pending: Pending | null = null;
  let banner = 0;
  let block: string | null = null;
  const flush = (): void => {
    if (!pending) return;
    const lines = pending.lines;
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    const text = lines.join('\n');
    ctx.emit({
      id: pending.id,
      sentAt: pending.sentAt,
      author: { id: pending.author, name: authorName(pending.author) },
      text,
      threadId: null,
      attachments: pending.attachments,
      system: isDceSystemText(text),
    }, pending.epoch);
    pending = null;
  };
  forEachLine(buf, ctx.limits.lineLength, 'discord-txt', (line, lineNo) => {
    if (line.charCodeAt(0) === 61 && BANNER.test(line)) {
      banner++;
      if (banner > 2) {
        flush();
        return false;
      }
      return;
    }
    if (banner === 1) {
      const m = /^Channel: (.+)$/.exec(line);
      if (m) ctx.name = m[1]!.split(' / ').pop()!.trim();
      return;
    }
    if (line.charCodeAt(0) === 91) {
      const h = txtHeader(line);
      const epoch = h ? epochOf(h.stamp) : NaN;
      if (!Number.isNaN(epoch)) {
        flush();
        pending = { id: lineIds.of(lineNo), sentAt: isoOf(epoch), epoch, author: h!.author, lines: [], attachments: [] };
        block = null;
        return;
      }
    }
    if (!pending) return;
    const blockStart = line.charCodeAt(0) === 123 ? BLOCK.exec(line) : null;
    if (blockStart) {
      block = blockStart[1]!;
      while (pending.lines.length && pending.lines[pending.lines.length - 1] === '') pending.lines.pop();
      return;
    }
    if (block !== null) {
      if (line === '') block = null;
      else if (block === 'Attachments') pending.attachments.push(fileNameOf(line.trim()));
      return;
    }
    pending.lines.push(line);
  });
  flush();
  if (ctx.count === 0 && banner === 0) {
    throw new ChatParseError('malformed', 'this looks like a DiscordChatExporter text file but no message header ("[date] Author") was found', 'discord-txt');
  }
}
