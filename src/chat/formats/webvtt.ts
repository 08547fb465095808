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

export function readWebVtt(buf: ByteSource, ctx: ReadContext): void {
  let sawHeader = false;
  let block: string[] = [];
  let cueIndex = 0;
  let pending: (ChatMessage & { group: string | null; epoch: number }) | null = null;

  const flush = (): void => {
    if (!pending) return;
    const { group: _group, epoch, ...message } = pending;
    ctx.emit(message, epoch);
    pending = null;
  };

  const endBlock = (): void => {
    const lines = block;
    block = [];
    if (lines.length === 0) return;
    let t = 0;
    while (t < lines.length && !TIMING.test(lines[t]!)) t++;
    if (t >= lines.length) return; // NOTE, STYLE, REGION or stray text
    cueIndex++;
    const m = TIMING.exec(lines[t]!)!;
    const offset = ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
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
    const teams = TEAMS_ID.exec(cueId);
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
