/**
 * Format detection from content (never the file name): a zip's signature and entry names, the keys
 * near the start of a JSON document, or the shape of the first lines of a text file.
 */
import { DCE_CSV_HEADER } from './formats/discord-text.js';
import { SPEAKER_LINE, TIMED_LINE } from './formats/transcript.js';
import { ANDROID_HEADER, IOS_HEADER } from './formats/whatsapp.js';
import { headText, toUtf8 } from './text/lines.js';
import { normalizeHead } from './time/stamp.js';
import type { ChatFormat } from './types.js';
import { isZip } from './zip/archive.js';

const SLACK_DAY_ENTRY = /\/\d{4}-\d{2}-\d{2}\.json/;

/** The format of a zip judged by the entry names it mentions (names are stored uncompressed). */
function detectZip(buf: Buffer): ChatFormat | null {
  if (buf.indexOf('channels.json') !== -1 || buf.indexOf('users.json') !== -1) return 'slack-zip';
  const names = buf.toString('latin1', 0, Math.min(buf.length, 1 << 16)) + buf.toString('latin1', Math.max(0, buf.length - (1 << 16)));
  if (SLACK_DAY_ENTRY.test(names)) return 'slack-zip';
  if (buf.indexOf('_chat.txt') !== -1 || buf.indexOf('WhatsApp Chat') !== -1) return 'whatsapp';
  if (buf.indexOf('result.json') !== -1) return 'telegram-json';
  return null;
}

function detectJson(head: string): ChatFormat | null {
  if (head.startsWith('{')) {
    if (/"guild"\s*:/.test(head) && /"channel"\s*:/.test(head)) return 'discord-json';
    if (/"ok"\s*:\s*(?:true|false)/.test(head) || /"has_more"\s*:/.test(head)) return 'slack-api';
    if (/"chats"\s*:\s*\{/.test(head) || /"date_unixtime"\s*:/.test(head) || /"from_id"\s*:/.test(head)) return 'telegram-json';
    if (/"messages"\s*:/.test(head) && /"type"\s*:\s*"(?:personal_chat|private_group|private_supergroup|public_supergroup|private_channel|public_channel|bot_chat|saved_messages)"/.test(head)) return 'telegram-json';
    if (/"messages"\s*:/.test(head) && /"channel_?[iI]d"\s*:/.test(head)) return 'discord-api';
    return null;
  }
  if (/^\[\s*\{\s*"ok"\s*:/.test(head)) return 'slack-api';
  if (/"ts"\s*:\s*"\d+\.\d+"/.test(head)) return 'slack-json';
  if (/"channel_?[iI]d"\s*:/.test(head) && /"author"\s*:/.test(head)) return 'discord-api';
  if (/^\[\s*\]$/.test(head.trim())) return 'slack-json';
  return null;
}

function detectText(head: string): ChatFormat | null {
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(head)) return 'webvtt';
  if (DCE_CSV_HEADER.test(head)) return 'discord-csv';
  const lines = head.split('\n', 200).map((l) => l.replace(/\r$/, ''));
  if (lines.length > 1 && !head.endsWith('\n')) lines.pop(); // cut mid-line
  if (/^={20,}$/.test(lines[0] ?? '') && lines.slice(1, 6).some((l) => /^(Guild|Channel): /.test(l))) return 'discord-txt';
  if (/^\s*<(?:!DOCTYPE html|html)/i.test(head)) return /chatlog|DiscordChatExporter/i.test(head) ? 'discord-html' : null;
  let whatsapp = 0;
  let timed = 0;
  let speaker = 0;
  let nonEmpty = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    nonEmpty++;
    if (/^\[\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?\]|^\[\d{1,2}:\d{2}(?::\d{2})?\]/.test(line) && TIMED_LINE.test(line)) timed++;
    else {
      const h = normalizeHead(line).text;
      if (ANDROID_HEADER.test(h) || IOS_HEADER.test(h)) whatsapp++;
      else if (SPEAKER_LINE.test(line)) speaker++;
    }
  }
  if (whatsapp > 0 && whatsapp >= timed) return 'whatsapp';
  if (timed > 0) return 'transcript';
  if (speaker > 0 && speaker * 2 >= nonEmpty) return 'transcript';
  return null;
}

/**
 * The format of an export judged by its content, or null when it is none this parser knows.
 * (For a zip, judged by the entry names; `parseChat` still inspects the archive itself.)
 */
export function detectFormat(input: Buffer): ChatFormat | null {
  if (isZip(input)) return detectZip(input);
  const head = headText(toUtf8(input.subarray(0, 64 * 1024))).replace(/^\uFEFF/, '');
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[{') || /^\[\s*[{\]]/.test(trimmed)) {
    const json = detectJson(trimmed);
    if (json) return json;
    if (trimmed.startsWith('{')) return null;
  }
  return detectText(head);
}
