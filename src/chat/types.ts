/** One message of any chat export, normalized. */
export interface ChatMessage {
  /** Stable id: the platform's own where it has one (Slack ts, Discord snowflake), else derived. */
  id: string;
  /** Absolute instant, ISO 8601 in UTC (e.g. 2026-03-14T09:15:00.000Z). */
  sentAt: string;
  author: { id: string; name: string };
  /** Readable text: platform markup resolved (mentions -> @Name, links -> label/URL, entities unescaped). */
  text: string;
  /** Id of the thread root / replied-to message, or null. */
  threadId: string | null;
  /** Attachment file names (or placeholders such as "image omitted"). */
  attachments: string[];
  /** True for join/leave/pin/"created group" lines and other service messages. */
  system: boolean;
  /** Channel or chat name, set when one export holds several (Slack workspace zip, Telegram account export). */
  channel?: string;
}

export type ChatFormat =
  | 'slack-zip'
  | 'slack-json'
  | 'slack-api'
  | 'discord-json'
  | 'discord-csv'
  | 'discord-txt'
  | 'discord-html'
  | 'discord-api'
  | 'whatsapp'
  | 'telegram-json'
  | 'transcript'
  | 'webvtt';

export interface Conversation {
  format: ChatFormat;
  /** Channel or chat name when the export names it. */
  name: string | null;
  participants: Array<{ id: string; name: string }>;
  firstAt: string | null;
  lastAt: string | null;
  messages: ChatMessage[];
}
