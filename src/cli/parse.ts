/**
 * `teamsync parse FILE [--format F] [--tz ZONE] [--start ISO]`: reads a chat export and prints one
 * JSON message per line (snake_case fields) on stdout, and a summary line on stderr.
 * Exit code 2 with the reason when the file is not a readable chat export.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { ChatParseError, SUPPORTED_FORMATS, streamChatFile, type ChatFormat, type ChatMessage } from '../chat/index.js';

const FLUSH_CHARS = 64 * 1024;

/** The NDJSON line of one message. */
export function messageLine(m: ChatMessage): string {
  return (
    JSON.stringify({
      id: m.id,
      sent_at: m.sentAt,
      author_id: m.author.id,
      author_name: m.author.name,
      text: m.text,
      thread_id: m.threadId,
      attachments: m.attachments,
      system: m.system,
      ...(m.channel === undefined ? {} : { channel: m.channel }),
    }) + '\n'
  );
}

function fail(message: string): void {
  process.stderr.write(`teamsync: ${message}\n`);
  process.exitCode = 2;
}

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('read a chat export and print its messages as NDJSON')
    .argument('<file>', 'the export (Slack zip, DiscordChatExporter JSON/CSV/TXT, WhatsApp .txt/.zip, Telegram result.json, transcript, WebVTT)')
    .option('--format <format>', `read as this format instead of detecting it (${SUPPORTED_FORMATS.map((f) => f.format).join(', ')})`)
    .option('--tz <zone>', 'IANA time zone for exports without zones (default: DEFAULT_TIMEZONE)')
    .option('--start <iso>', 'when the recording started (WebVTT offsets count from it)')
    .action(async (file: string, opts: { format?: string; tz?: string; start?: string }) => {
      const config = loadConfig();
      let pending = '';
      try {
        // Read block by block from the file: memory stays flat whatever the export's size.
        const summary = await streamChatFile(
          file,
          {
            format: opts.format as ChatFormat | undefined,
            timeZone: opts.tz ?? config.defaultTimeZone,
            limits: config.limits,
            fileName: file,
            startAt: opts.start,
          },
          (m) => {
            pending += messageLine(m);
            if (pending.length >= FLUSH_CHARS) {
              process.stdout.write(pending);
              pending = '';
            }
          },
        );
        if (pending) process.stdout.write(pending);
        const span = summary.firstAt ? `${summary.firstAt} .. ${summary.lastAt}` : 'no dates';
        process.stderr.write(`${summary.format}${summary.name ? ` "${summary.name}"` : ''}: ${summary.count} messages, ${summary.participants.length} participants, ${span}\n`);
      } catch (err) {
        if (err instanceof ChatParseError) return fail(`${file}: ${err.message}`);
        const code = (err as NodeJS.ErrnoException).code;
        if (typeof code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string') return fail(`cannot read ${file}: ${code}`);
        throw err;
      }
    });
}
