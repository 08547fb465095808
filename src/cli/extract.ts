/**
 * `teamsync extract FILE [--format F] [--tz ZONE] [--extractor heuristic|gemini]`: reads a chat
 * export and prints every todo and event found in it (past or future) as one JSON document.
 * Exit code 2 for unreadable input or an unavailable extractor.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/index.js';
import { ChatParseError, SUPPORTED_FORMATS, parseChat, type ChatFormat } from '../chat/index.js';
import { extractHeuristic } from '../extract/index.js';
import type { ChatMessage, Evidence, ExtractionResult, ExtractionSettings } from '../extract/types.js';

type Extract = (messages: ChatMessage[], settings: ExtractionSettings) => Promise<ExtractionResult>;

function fail(message: string): void {
  process.stderr.write(`teamsync: ${message}\n`);
  process.exitCode = 2;
}

function sourceJson(e: Evidence) {
  return { message_id: e.messageId, author: e.author, sent_at: e.sentAt, excerpt: e.excerpt };
}

/** The printed shape: snake_case fields, evidence under `source`. */
export function extractionJson(result: ExtractionResult) {
  return {
    todos: result.todos.map((t) => ({ text: t.text, assignee: t.assignee, priority: t.priority, due_at: t.dueAt, source: sourceJson(t.source) })),
    events: result.events.map((e) => ({ title: e.title, starts_at: e.startsAt, ends_at: e.endsAt, all_day: e.allDay, source: sourceJson(e.source) })),
  };
}

async function geminiExtract(config: Config): Promise<Extract | string> {
  let gemini: typeof import('../extract/gemini/index.js');
  try {
    gemini = await import('../extract/gemini/index.js');
  } catch {
    return 'gemini extractor not available';
  }
  if (!config.gemini.apiKey) return 'gemini extractor needs GOOGLE_API_KEY to be configured';
  const extractor = gemini.createGeminiExtractor({
    apiKey: config.gemini.apiKey,
    model: config.gemini.model,
    baseUrl: config.gemini.baseUrl,
    concurrency: config.gemini.concurrency,
    windowTokens: config.gemini.windowTokens,
    fallback: extractHeuristic,
  });
  return async (messages, settings) => {
    const { todos, events } = await extractor.extract(messages, settings);
    return { todos, events };
  };
}

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('read a chat export and print the todos and events found in it as JSON')
    .argument('<file>', 'the chat export')
    .option('--format <format>', `read as this format instead of detecting it (${SUPPORTED_FORMATS.map((f) => f.format).join(', ')})`)
    .option('--tz <zone>', "the chat's IANA time zone, for relative dates and exports without zones (default: DEFAULT_TIMEZONE)")
    .option('--extractor <name>', 'heuristic or gemini', 'heuristic')
    .action(async (file: string, opts: { format?: string; tz?: string; extractor: string }) => {
      const config = loadConfig();
      const timeZone = opts.tz ?? config.defaultTimeZone;
      try {
        new Intl.DateTimeFormat('en-US', { timeZone });
      } catch {
        return fail(`unknown time zone "${timeZone}"`);
      }
      let extract: Extract;
      if (opts.extractor === 'heuristic') extract = async (messages, settings) => extractHeuristic(messages, settings);
      else if (opts.extractor === 'gemini') {
        const chosen = await geminiExtract(config);
        if (typeof chosen === 'string') return fail(chosen);
        extract = chosen;
      } else return fail(`unknown extractor "${opts.extractor}" (heuristic or gemini)`);
      let input: Buffer;
      try {
        input = await readFile(file);
      } catch (err) {
        return fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      try {
        const conversation = await parseChat(input, { format: opts.format as ChatFormat | undefined, timeZone, limits: config.limits, fileName: file });
        const result = await extract(conversation.messages, { timeZone });
        process.stdout.write(`${JSON.stringify(extractionJson(result), null, 2)}\n`);
      } catch (err) {
        if (err instanceof ChatParseError) return fail(err.message);
        throw err;
      }
    });
}
