/**
 * WebVTT meeting transcripts (Teams, Zoom, Meet). The speaker comes from `<v Name>` or a `Name: `
 * prefix; cue start times are offsets from `startAt`. Teams splits one utterance into cues with ids
 * `<guid>/<n>-<part>`: consecutive parts of the same utterance and speaker become one message.
 */
import { decode } from 'html-entities';
import type { ReadContext } from '../collect.js';
import { ChatParseError } from '../errors.js';
import type { ByteSource } from '../source.js';
import { forEachLine } from '../text/lines.js';
import { isoOf } from '../time/zone.js';
import type { ChatMessage } from '../types.js';

const TIMING = /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})\s+-->\s+/;
const VOICE = /<v(?:\.[^\s>]*)?\s+([^>]+)>/;
const TAG = /<[^>]*>/g;
const PREFIX = /^([\p{L}\p{N}_][\p{L}\p{N} ._'’()-]{0,59}?):\s+/u;
const TEAMS_ID = /^(.+\/\d+)-\d+$/;
function unescapeText(text: string): string {
  return text.indexOf('&') === -1 ? text : decode(text);
}

const UNKNOWN = Object.freeze({ id: 'unknown', name: 'Unknown speaker' });

function digitAt(line: string, i: number): number {
  const d = line.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Cue start (ms) of a timing line per `TIMING`; NaN when the line is none. */
function cueStart(line: string): number {
  if (digitAt(line, 0) < 0) return NaN; // (every timing line starts with a digit)
  // The usual `[h:]mm:ss.mmm --> ` read by hand; anything else goes to the regex, the definition.
  let i = 0;
  let first = 0;
  for (let d = digitAt(line, 0); d >= 0 && i < 9; d = digitAt(line, ++i)) first = first * 10 + d;
  const firstDigits = i;
  const b1 = digitAt(line, i + 1);
  const b2 = digitAt(line, i + 2);
  if (line.charCodeAt(i) === 58 && b1 >= 0 && b2 >= 0) {
    let h = 0;
    let m = first;
    let s = b1 * 10 + b2;
    i += 3;
    let ok = firstDigits === 2;
    if (line.charCodeAt(i) === 58) {
      const s1 = digitAt(line, i + 1);
      const s2 = digitAt(line, i + 2);
      ok = s1 >= 0 && s2 >= 0;
      h = first;
      m = s;
      s = s1 * 10 + s2;
      i += 3;
    }
    const sep = line.charCodeAt(i);
    const m1 = digitAt(line, i + 1);
    const m2 = digitAt(line, i + 2);
    const m3 = digitAt(line, i + 3);
    if (ok && (sep === 46 || sep === 44) && m1 >= 0 && m2 >= 0 && m3 >= 0 && digitAt(line, i + 4) < 0) {
      i += 4;
      const spaces = i;
      while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
      if (i > spaces && line.startsWith('-->', i) && (line.charCodeAt(i + 3) === 32 || line.charCodeAt(i + 3) === 9)) {
        return ((h * 60 + m) * 60 + s) * 1000 + m1 * 100 + m2 * 10 + m3;
      }
    }
  }
  if (line.indexOf('-->') === -1) return NaN; // (cue ids and text)
  const t = TIMING.exec(line);
  return t ? ((Number(t[1] ?? 0) * 60 + Number(t[2])) * 60 + Number(t[3])) * 1000 + Number(t[4]) : NaN;
}

export function readWebVtt(buf: ByteSource, ctx: ReadContext): void {
  let sawHeader = false;
  let block: string[] = [];
  let cueIndex = 0;
  let pending: (ChatMessage & { group: string | null; epoch: number }) | null = null;

  const flush = (): void => {
    if (!pending) return;
    // (Built field by field: a rest pattern copying all but two fields cost a tenth of the parse.)
    const p = pending;
    ctx.emit({ id: p.id, sentAt: p.sentAt, author: p.author, text: p.text, threadId: p.threadId, attachments: p.attachments, system: p.system }, p.epoch);
    pending = null;
  };

  const endBlock = (): void => {
    const lines = block;
    block = [];
    if (lines.length === 0) return;
    let t = 0;
    let offset = NaN;
    for (; t < lines.length; t++) {
      offset = cueStart(lines[t]!);
      if (!Number.isNaN(offset)) break;
    }
    if (Number.isNaN(offset)) return; // NOTE, STYLE, REGION or stray text
    cueIndex++;
    const cueId = t > 0 ? lines[t - 1]!.trim() : '';
    let payload = t + 2 === lines.length ? lines[t + 1]! : lines.slice(t + 1).join('\n');
    let speaker: string | null = null;
    if (payload.indexOf('<') !== -1) {
      const voice = VOICE.exec(payload);
      if (voice) speaker = unescapeText(voice[1]!.trim());
      payload = payload.replace(TAG, '');
    }
    payload = unescapeText(payload).trim();
    if (!speaker) {
      const p = PREFIX.exec(payload);
      if (p) {
        speaker = p[1]!.trim();
        payload = payload.slice(p[0].length);
      }
    }
    const author = speaker ? { id: speaker, name: speaker } : UNKNOWN;
    const teams = cueId.indexOf('/') === -1 ? null : TEAMS_ID.exec(cueId);
    const group = teams ? teams[1]! : null;
    if (pending && group !== null && pending.group === group && pending.author.id === author.id) {
      pending.text += (pending.text && payload ? ' ' : '') + payload;
      return;
    }
    flush();
    pending = {
      id: group ?? (cueId || `C${cueIndex}`),
      sentAt: isoOf(ctx.startAt + offset),
      epoch: ctx.startAt + offset,
      author,
      text: payload,
      threadId: null,
      attachments: [],
      system: false,
      group,
    };
  };

  forEachLine(buf, ctx.limits.lineLength, 'webvtt', (line, lineNo) => {
    if (lineNo === 1) {
      if (!/^WEBVTT(?:[ \t].*)?$/.test(line.replace(/^\uFEFF/, ''))) {
        throw new ChatParseError('malformed', 'a WebVTT file must start with the line "WEBVTT"', 'webvtt');
      }
      sawHeader = true;
      return;
    }
    if (line.trim() === '') endBlock();
    else block.push(line);
  });
  endBlock();
  flush();
  if (!sawHeader || cueIndex === 0) {
    throw new ChatParseError('malformed', 'this WebVTT file has no cues ("00:00:01.000 --> 00:00:04.000" lines)', 'webvtt');
  }
}
