/** The thread port for Slack: a processed file's summary (or its failure) in the thread it was shared in. */
import type { FileSummary, ThreadNotifier } from '../../services/process-file.js';
import type { UploadOrigin } from '../../services/uploads.js';
import type { SlackDoor } from './context.js';
import { renderReply } from './render.js';

export function createSlackThreadNotifier(door: SlackDoor): ThreadNotifier {
  return {
    async replyInThread(origin: UploadOrigin, summary: FileSummary): Promise<void> {
      if (origin.platform !== 'slack') return;
      const message = renderReply(door.commands.fileSummary(summary), door.ctx.config.defaultTimeZone);
      await door.client.chat.postMessage({
        channel: origin.channelId,
        thread_ts: origin.threadId ?? undefined,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
      if (origin.messageId) {
        const name = summary.status === 'done' ? 'white_check_mark' : 'x';
        await door.client.reactions.add({ channel: origin.channelId, timestamp: origin.messageId, name }).catch(() => undefined);
      }
    },
  };
}
