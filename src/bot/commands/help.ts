/** `help`: what the bot does and how to ask. */
import { privateReply } from './replies.js';
import type { CommandReply } from './types.js';

export function helpReply(prefix = '/teamsync', unknown?: string): CommandReply {
  const lines = [
    `\`${prefix} todos [mine|all|@someone] [open|done]\` — your todos from the chats you shared`,
    `\`${prefix} calendar [upcoming|tbd]\` — events found in them, and your calendar feed`,
    `\`${prefix} ask <question>\` — answered from this channel's latest processed export (\`ask file:NAME <question>\` for another file)`,
    `\`${prefix} import [days]\` — read this channel's history (default 30 days) and process it like an upload`,
    `\`${prefix} status\` — your recent files from this channel and how far they are`,
    `\`${prefix} link [CODE]\` — connect this chat account to your TeamSync account`,
    `\`${prefix} forget\` — delete everything you uploaded`,
    'Share a chat export (Slack, Discord, WhatsApp, Telegram, transcripts) in a channel with the bot and the results arrive in its thread.',
  ];
  return privateReply(
    ...(unknown ? [{ kind: 'text' as const, text: `I don't know "${unknown}".` }] : []),
    { kind: 'heading', text: 'TeamSync commands' },
    { kind: 'text', text: lines.join('\n') },
  );
}
