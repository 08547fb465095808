/**
 * The one ThreadNotifier the job system gets: it hands each finished file to every configured
 * platform's notifier, and each posts only results whose origin is its own platform. Likewise the
 * channel-history readers of the configured platforms, for `import-channel-history` jobs.
 */
import type { ServiceContext } from '../services/context.js';
import type { ChannelHistoryReader } from '../services/history-import.js';
import type { ThreadNotifier } from '../services/process-file.js';
import { slackHistoryReaderFromConfig, slackNotifierFromConfig } from './slack/index.js';
import { discordHistoryReaderFromConfig, discordNotifierFromConfig } from './discord/index.js';

export function combineNotifiers(notifiers: Array<ThreadNotifier | null | undefined>): ThreadNotifier | undefined {
  const present = notifiers.filter((n): n is ThreadNotifier => Boolean(n));
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return {
    async replyInThread(origin, summary) {
      await Promise.all(present.map((n) => n.replyInThread(origin, summary)));
    },
  };
}

/** Notifiers for a process that runs jobs but no bot (`teamsync worker`): REST/Web API only. */
export function platformNotifierFromConfig(services: ServiceContext): ThreadNotifier | undefined {
  return combineNotifiers([slackNotifierFromConfig(services), discordNotifierFromConfig(services.config, services.logger)]);
}

/** History readers for a process that runs jobs but no bot (`teamsync worker`): Web API / REST only. */
export function platformHistoryReadersFromConfig(services: ServiceContext): ChannelHistoryReader[] {
  return [slackHistoryReaderFromConfig(services), discordHistoryReaderFromConfig(services.config, services.logger)].filter((r): r is ChannelHistoryReader => Boolean(r));
}
