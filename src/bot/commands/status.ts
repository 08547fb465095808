/** `status`: this account's recent files from this channel: where their processing stands. */
import { recentFilesInChannel } from '../../services/channel-files.js';
import type { CommandContext } from './context.js';
import { privateReply, privateText } from './replies.js';
import type { CommandReply } from './types.js';

const STATUS_MARK: Record<string, string> = { queued: '⏳ queued', processing: '⚙️ processing', done: '✅ done', failed: '❌ failed' };

export async function statusCommand(c: CommandContext): Promise<CommandReply> {
  const files = await recentFilesInChannel(c.ctx, c.userId, c.request.actor.platform, c.request.place.channelId, 8);
  if (files.length === 0) return privateText('You have shared no chat export in this channel yet.');
  const lines = files.map((f) => {
    let state = STATUS_MARK[f.status] ?? f.status;
    if (f.status === 'processing' && f.progress != null) state += ` ${f.progress}%`;
    if (f.status === 'done') state += ` — ${f.message_count ?? 0} messages, ${f.todo_count ?? 0} todos, ${f.event_count ?? 0} events`;
    if (f.status === 'failed' && f.error) state += ` — ${f.error.slice(0, 200)}`;
    if (f.status === 'queued' && f.error) state += ` (${f.error.slice(0, 120)})`;
    const job = f.job_id ? ` · job ${f.job_id}` : '';
    return `• *${f.file_name}* (${new Date(f.created_at).toISOString().slice(0, 16).replace('T', ' ')} UTC${job}): ${state}`;
  });
  return privateReply({ kind: 'heading', text: 'Your files from this channel' }, { kind: 'text', text: lines.join('\n') });
}
