/**
 * The Discord side of the `ThreadNotifier` port: when a file from Discord is processed (or fails),
 * its results go to the thread of the message it came with.
 */
import { REST } from 'discord.js';
import type { Logger } from '../../logger.js';
import type { FileSummary, ThreadNotifier } from '../../services/process-file.js';
import type { UploadOrigin } from '../../services/uploads.js';
import { fileSummaryReply } from '../commands/index.js';
import { renderReply } from './render.js';
import { postInThread } from './threads.js';

export interface DiscordNotifierOptions {
  rest: REST;
  /** Dates in summaries are shown in this zone. */
  timeZone: string;
  logger?: Logger;
}

export function createDiscordThreadNotifier(options: DiscordNotifierOptions): ThreadNotifier {
  return {
    async replyInThread(origin: UploadOrigin, summary: FileSummary): Promise<void> {
      if (origin.platform !== 'discord') return;
      const body = renderReply(fileSummaryReply(summary, options.timeZone), { defaultTimeZone: options.timeZone });
      const posted = await postInThread(options.rest, origin, { ...body, allowed_mentions: { parse: [] } }, `TeamSync: ${summary.fileName}`);
      options.logger?.debug({ fileId: summary.fileId, channelId: posted.channelId, status: summary.status }, 'discord thread reply posted');
    },
  };
}

/** A notifier with its own REST client, for a worker process that does not run the bot. */
export function discordNotifierFromToken(token: string, apiUrl: string, timeZone: string, logger?: Logger): ThreadNotifier {
  return createDiscordThreadNotifier({ rest: new REST({ api: apiUrl }).setToken(token), timeZone, logger });
}
