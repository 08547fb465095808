/**
 * `import [days]`: hands the reading of this channel's history to the door, which posts the
 * announcement its thread hangs from and queues an `import-channel-history` job.
 */
import type { CommandContext } from './context.js';
import { argumentWords } from './parse.js';
import { privateText } from './replies.js';
import type { CommandReply, CommandResult } from './types.js';

export const DEFAULT_IMPORT_DAYS = 30;
export const MAX_IMPORT_DAYS = 365;

export function importCommand(c: CommandContext): CommandResult {
  const [word] = argumentWords(c.request.args);
  const days = word === undefined ? DEFAULT_IMPORT_DAYS : Number(word.replace(/d(ays?)?$/i, ''));
  if (!Number.isInteger(days) || days < 1 || days > MAX_IMPORT_DAYS) {
    return { reply: privateText(`Give the number of days to read, 1 to ${MAX_IMPORT_DAYS}: \`import 30\`.`) };
  }
  return {
    reply: privateText(`📥 Reading the last ${days} day(s) of this channel in the background; progress and results follow in a thread.`),
    followUp: { kind: 'import-history', days },
  };
}

/** The door's answer once the import job is queued: `where` the progress goes (e.g. "in <#123>"). */
export function importQueuedReply(days: number, jobId: string, where = 'in the thread'): CommandReply {
  return privateText(`📥 Reading the last ${days} day(s) of this channel in the background (job \`${jobId}\`); progress and results follow ${where}.`);
}
