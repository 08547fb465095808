/**
 * DiscordChatExporter CSV (`AuthorID,Author,Date,Content,Attachments,Reactions`) and plain-text
 * exports. Neither carries message ids, so ids are derived from the position (`R<row>` / `L<line>`).
 * Dates follow the exporting user's locale; day/month order is decided per file.
 */
import type { ReadContext } from '../collect.js';
import { DCE_SYSTEM_TEXT, fileNameOf } from '../discord/markup.js';
import { ChatParseError } from '../errors.js';
import { forEachCsvRecord } from '../text/csv.js';
import { forEachLine } from '../text/lines.js';
import { cachedLooseEpoch, voteLoose } from '../time/loose.js';
import { DateOrderVote } from '../time/stamp.js';
import { isoOf } from '../time/zone.js';

export const DCE_CSV_HEADER = /^\uFEFF?"?AuthorID"?,"?Author"?,"?Date"?,"?Content"?/;

function authorName(full: string): string {
  return full.replace(/#\d{1,4}$/, '');
}

export function readDiscordCsv(buf: Buffer, ctx: ReadContext): void {
  const vote = new DateOrderVote();
  let row = 0;
  forEachCsvRecord(buf, ctx.limits.lineLength, 'discord-csv', (fields) => {
    if (row++ === 0) return;
    if (fields.length >= 4) voteLoose(fields[2]!, vote);
    return vote.settled ? false : undefined;
  });
  const epochOf = cachedLooseEpoch(vote.decide('mdy', ctx.clock), ctx.clock);
  row = 0;
  let columns: Record<string, number> = {};
  forEachCsvRecord(buf, ctx.limits.lineLength, 'discord-csv', (fields) => {
    row++;
    if (row === 1) {
      columns = Object.fromEntries(fields.map((f, i) => [f.trim(), i]));
      if (columns.AuthorID === undefined || columns.Date === undefined || columns.Content === undefined) {
        throw new ChatParseError('malformed', 'this CSV lacks the DiscordChatExporter header AuthorID,Author,Date,Content', 'discord-csv');
      }
      return;
    }
    if (fields.length === 1 && fields[0] === '') return;
    const epoch = epochOf(fields[columns.Date!] ?? '');
    if (Number.isNaN(epoch)) {
      throw new ChatParseError('malformed', `row ${row} of the Discord CSV has no readable date ("${fields[columns.Date!] ?? ''}")`, 'discord-csv');
    }
    const authorId = fields[columns.AuthorID!] ?? '';
    const text = fields[columns.Content!] ?? '';
    const attachmentField = columns.Attachments === undefined ? '' : (fields[columns.Attachments] ?? '');
    ctx.emit({
      id: `R${row}`,
      sentAt: isoOf(epoch),
      author: { id: authorId, name: authorName(fields[columns.Author ?? -1] ?? authorId) },
      text,
      threadId: null,
      attachments: attachmentField ? attachmentField.split(',').map((a) => fileNameOf(a.trim())).filter(Boolean) : [],
      system: DCE_SYSTEM_TEXT.test(text),
    });
  });
}

const TXT_HEADER = /^\[([^\]]{6,60})\] (.+?)(?: \(pinned\))?$/;
const BANNER = /^={20,}$/;
const BLOCK = /^\{(Attachments|Embed|Stickers|Reactions)\}$/;

export function readDiscordTxt(buf: Buffer, ctx: ReadContext): void {
  const vote = new DateOrderVote();
  forEachLine(buf, ctx.limits.lineLength, 'discord-txt', (line) => {
    if (line.charCodeAt(0) !== 91) return;
    const m = TXT_HEADER.exec(line);
    if (m) voteLoose(m[1]!, vote);
    return vote.settled ? false : undefined;
  });
  const epochOf = cachedLooseEpoch(vote.decide('mdy', ctx.clock), ctx.clock);

  interface Pending { id: string; sentAt: string; author: string; lines: string[]; attachments: string[] }
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
      system: DCE_SYSTEM_TEXT.test(text),
    });
    pending = null;
  };
  forEachLine(buf, ctx.limits.lineLength, 'discord-txt', (line, lineNo) => {
    if (BANNER.test(line)) {
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
      const m = TXT_HEADER.exec(line);
      const epoch = m ? epochOf(m[1]!) : NaN;
      if (!Number.isNaN(epoch)) {
        flush();
        pending = { id: `L${lineNo}`, sentAt: isoOf(epoch), author: m![2]!, lines: [], attachments: [] };
        block = null;
        return;
      }
    }
    if (!pending) return;
    const blockStart = BLOCK.exec(line);
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
