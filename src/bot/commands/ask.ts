/** `ask [file:NAME] <question>`: answered from this channel's latest processed export (or the named file), with sources. */
import { findOwnFileByName, latestProcessedInChannel } from '../../services/channel-files.js';
import type { CommandContext } from './context.js';
import { privateReply, privateText } from './replies.js';
import type { CommandReply, ReplyPart, SourceLine } from './types.js';

const ANSWER_TIMEOUT_MS = 60_000;

/** `file:NAME`, `file:"a name"` or `in "a name":` before the question picks the file. */
export function splitFileOption(args: string): { fileName: string | null; question: string } {
  const m = /^\s*(?:file:(?:"([^"]+)"|(\S+))|in\s+"([^"]+)":?)\s*(.*)$/is.exec(args);
  if (!m) return { fileName: null, question: args.trim() };
  return { fileName: (m[1] ?? m[2] ?? m[3] ?? '').trim(), question: (m[4] ?? '').trim() };
}

export async function askCommand(c: CommandContext): Promise<CommandReply> {
  const { fileName, question } = splitFileOption(c.request.args);
  if (!question) return privateText('Ask me something: `ask when is the launch?` (or `ask file:NAME <question>`).');
  const { actor, } = c.request;
  const file = fileName
    ? await findOwnFileByName(c.ctx, c.userId, fileName)
    : await latestProcessedInChannel(c.ctx, c.userId, actor.platform, c.request.place.channelId);
  if (!file) {
    return privateText(
      fileName
        ? `You have no file called "${fileName}".`
        : 'You have no processed chat export from this channel yet. Share one here, `import` the channel history, or name a file: `ask file:NAME <question>`.',
    );
  }
  const prepared = await c.chat.prepare(c.userId, { question, fileId: file.id });
  let answer = '';
  let sources: SourceLine[] = [];
  let failure: string | null = null;
  const signal = AbortSignal.timeout(ANSWER_TIMEOUT_MS);
  for await (const line of c.chat.lines(prepared, signal)) {
    const chunk = JSON.parse(line) as { type: string; text?: string; messages?: SourceLine[]; message?: string };
    if (chunk.type === 'delta') answer += chunk.text ?? '';
    else if (chunk.type === 'sources') sources = chunk.messages ?? [];
    else if (chunk.type === 'error') failure = chunk.message ?? 'the answer failed';
  }
  if (failure && !answer) return privateText(`⚠️ ${failure}`);
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `From "${file.file_name}"` },
    { kind: 'text', text: answer.trim() || 'I found nothing about that in this conversation.' },
  ];
  if (sources.length) parts.push({ kind: 'sources', messages: sources });
  return privateReply(...parts);
}
