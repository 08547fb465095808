/**
 * Chat exports -> one normalized message stream. Bytes or a file in, values out (no other I/O, no
 * clock).
 *
 *   parseChat(input: Buffer, options?: ParseChatOptions): Promise<Conversation>
 *       Detects the format from the content (or takes `options.format`) and reads every message.
 *       Options: format, timeZone (IANA, for exports without zones; default UTC), limits (partial
 *       ChatLimits; pass `config.limits`), fileName (only names the conversation), startAt (ISO; WebVTT
 *       cue offsets and untimed transcripts count from it).
 *   streamChat(input, options, onMessage): Promise<ChatSummary>
 *       Same, but hands each message to `onMessage` instead of keeping them: bounded memory.
 *   streamChatFile(path, options, onMessage) / parseChatFile(path, options)
 *       Same, reading the file by position in 1 MB blocks (text per line, JSON per message, a zip per
 *       entry) instead of taking a Buffer: memory stays flat for any size. File system errors are
 *       thrown as they are (err.code ENOENT, EISDIR, ...).
 *   detectFormat(input: Buffer): ChatFormat | null
 *   SUPPORTED_FORMATS: {format, description}[]
 *   ChatParseError: the only error thrown for bad input; `kind` (empty | unsupported | malformed |
 *       too-large | limit | bad-option) and `status` (422 | 415 | 422 | 413 | 422 | 400).
 *   slackApiMessagesToChat(messages: unknown[], {users?, channels?, channel?}): ChatMessage[]
 *       Raw Slack Web API message objects (conversations.history/replies) -> ChatMessages.
 *   discordMessagesToChat(messages: unknown[], {users?, channels?, roles?, threadId?}): ChatMessage[]
 *       discord.js Message / toJSON() objects or REST message objects -> ChatMessages, oldest first.
 *
 * Message ids: the platform's own (Slack `ts`, prefixed `<channel id>/` in a workspace zip; Discord
 * snowflakes; Telegram ids, prefixed `<chat id>:` in an account export); otherwise derived from the
 * position: `L<line>` (WhatsApp, DiscordChatExporter TXT, transcripts), `R<row>` (CSV), the cue id or
 * `C<cue>` (WebVTT). `threadId` is the thread root or replied-to message; null for a root itself.
 * Messages come in file order (Slack zip: channel by channel, day by day).
 */
export { parseChat, parseChatFile, streamChat, streamChatFile, type ParseChatOptions } from './parse.js';
export { detectFormat } from './detect.js';
export { ChatParseError, type ChatParseErrorKind } from './errors.js';
export { SUPPORTED_FORMATS } from './supported.js';
export { DEFAULT_CHAT_LIMITS, type ChatLimits } from './limits.js';
export type { ChatSummary } from './collect.js';
export { slackApiMessagesToChat, type SlackApiConvertOptions } from './slack/messages.js';
export { discordMessagesToChat, type DiscordConvertOptions } from './discord/messages.js';
export type { ChatFormat, ChatMessage, Conversation } from './types.js';
