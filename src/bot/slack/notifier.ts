/** The thread port for Slack: a processed file's summary (or its failure) in the thread it was shared in. */
import { WebClient } from '@slack/web-api';
import type { ServiceContext } from '../../services/context.js';
import type { FileSummary, ThreadNotifier } from '../../services/process-file.js';
import type { UploadOrigin } from '../../services/uploads.js';
import { createCommandSet, type CommandSet } from '../commands/index.js';
import type { SlackDoor } from './context.js';
import { renderReply } from './render.js';

export function createSlackThreadNotifier(door: Pick<SlackDoor, 'ctx' | 'commands' | 'client'>): ThreadNotifier {
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

/**
 * The notifier alone, from configuration: Web API only, no Bolt app and no listener. For a process
 * that runs jobs but not the bot (`teamsync worker`). null when SLACK_BOT_TOKEN is unset.
 */
export function slackNotifierFromConfig(services: ServiceContext, commands?: CommandSet): ThreadNotifier | null {
  const { botToken, apiUrl } = services.config.slack;
  if (!botToken) return null;
  const client = new WebClient(botToken, { slackApiUrl: apiUrl, logger: undefined });
  return createSlackThreadNotifier({ ctx: services, commands: commands ?? createCommandSet(services), client });
}
