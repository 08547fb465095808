/** The Slack door. Start with `slackBotFromConfig` (src/bot/slack/app.ts explains the mounting). */
export { createSlackBot, slackBotFromConfig, boltLogger, type SlackBot, type SlackBotDeps, type SlackSettings } from './app.js';
export { KoaSlackReceiver, SLACK_EVENTS_PATH, type KoaSlackReceiverOptions } from './receiver.js';
export { createSlackThreadNotifier, slackNotifierFromConfig } from './notifier.js';
export { createSlackHistoryReader, slackHistoryReaderFromConfig, type SlackHistoryReaderOptions } from './history.js';
export { renderReply, CALENDAR_FEED_ACTION, TODO_DONE_ACTION } from './render.js';
export { DEFAULT_TIMINGS, type SlackDoorTimings } from './context.js';
