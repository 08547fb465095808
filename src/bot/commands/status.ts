/**
 * `status`: this account's recent files from this channel (where their processing stands) and its
 * latest history imports of this channel (the `import-channel-history` jobs).
 */
import { recentFilesInChannel } from '../../services/channel-files.js';
import type { HistoryImportStatus } from '../../services/history-import.js';
import type { CommandContext } from './context.js';
import { privateReply, privateText } from './replies.js';
import type { CommandReply, ReplyPart } from './types.js';

const STATUS_MARK: Record<string, string> = { queued: '⏳ queued', processing: '⚙️ processing', done: '✅ done', failed: '❌ failed' };
const IMPORT_MARK: Record<string, string> = { queued: '⏳ queued', running: '⚙️ reading', retrying: '🔁 retrying', completed: '✅ done', failed: '❌ failed' };

const when = (iso: string | Date) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function importLine(i: HistoryImportStatus): string {
  let state = IMPORT_MARK[i.state] ?? i.state;
  if (i.state === 'running' && i.progress != null) state += ` ${i.progress}%`;
  if (i.state === 'completed' && i.messageCount != null) state += ` — ${i.messageCount} messages read`;
  if ((i.state === 'failed' || i.state === 'retrying') && i.error) state += ` — ${i.error.slice(0, 200)}`;
  return `• Last ${i.days} day(s), asked ${when(i.requestedAt)} · job ${i.jobId}: ${state}`;
}

async function recentImports(c: CommandContext): Promise<HistoryImportStatus[]> {
  const lookup = c.imports?.()?.recentHistoryImports;
  if (!lookup) return [];
  try {
    return await lookup({ userId: c.userId, platform: c.request.actor.platform, channelId: c.request.place.channelId, limit: 3 });
  } catch (err) {
    c.ctx.logger.warn({ err }, 'could not look up the history imports');
    return [];
  }
}

export async function statusCommand(c: CommandContext): Promise<CommandReply> {
  const [files, imports] = await Promise.all([recentFilesInChannel(c.ctx, c.userId, c.request.actor.platform, c.request.place.channelId, 8), recentImports(c)]);
  if (files.length === 0 && imports.length === 0) return privateText('You have shared no chat export in this channel yet.');
  const parts: ReplyPart[] = [];
  if (files.length) {
    const lines = files.map((f) => {
      let state = STATUS_MARK[f.status] ?? f.status;
      if (f.status === 'processing' && f.progress != null) state += ` ${f.progress}%`;
      if (f.status === 'done') state += ` — ${f.message_count ?? 0} messages, ${f.todo_count ?? 0} todos, ${f.event_count ?? 0} events`;
      if (f.status === 'failed' && f.error) state += ` — ${f.error.slice(0, 200)}`;
      if (f.status === 'queued' && f.error) state += ` (${f.error.slice(0, 120)})`;
      const job = f.job_id ? ` · job ${f.job_id}` : '';
      return `• *${f.file_name}* (${when(f.created_at)}${job}): ${state}`;
    });
    parts.push({ kind: 'heading', text: 'Your files from this channel' }, { kind: 'text', text: lines.join('\n') });
  }
  if (imports.length) {
    parts.push({ kind: 'heading', text: 'Your history imports of this channel' }, { kind: 'text', text: imports.map(importLine).join('\n') });
  }
  return privateReply(...parts);
}
