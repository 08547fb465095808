/**
 * Slack JSON outside a workspace zip: one channel day file (an array of messages), or Web API
 * `conversations.history` / `conversations.replies` responses (one page, or an array of pages).
 */
import type { ReadContext } from '../collect.js';
import { ChatParseError } from '../errors.js';
import { parseJsonLimited } from '../json/scan.js';
import { slackMessageToChat } from '../slack/messages.js';
import type { SlackNames } from '../slack/markup.js';
import type { ByteSource } from '../source.js';

const NO_NAMES: SlackNames = { user: () => undefined, channel: () => undefined };

function emitAll(messages: unknown[], ctx: ReadContext): void {
  for (const raw of messages) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const m = slackMessageToChat(raw as Record<string, unknown>, { names: NO_NAMES, idPrefix: '' });
    if (m) ctx.emitOnce(m);
  }
}

export function readSlackDayFile(buf: ByteSource, ctx: ReadContext): void {
  const value = parseJsonLimited(buf, ctx.limits.jsonDepth, 'slack-json');
  if (!Array.isArray(value)) throw new ChatParseError('malformed', 'a Slack channel file must be a JSON array of messages', 'slack-json');
  emitAll(value, ctx);
  if (ctx.count === 0 && value.length > 0) {
    throw new ChatParseError('malformed', 'this looks like a Slack channel file but no entry had a "ts"', 'slack-json');
  }
}

export function readSlackApiPages(buf: ByteSource, ctx: ReadContext): void {
  const value = parseJsonLimited(buf, ctx.limits.jsonDepth, 'slack-api');
  const pages = Array.isArray(value) ? value : [value];
  for (const page of pages) {
    if (!page || typeof page !== 'object') continue;
    const p = page as Record<string, unknown>;
    if (p.ok === false) {
      throw new ChatParseError('malformed', `this Slack API response is an error (${String(p.error ?? 'no error code')}), not messages`, 'slack-api');
    }
    if (!Array.isArray(p.messages)) throw new ChatParseError('malformed', 'a Slack API response needs a "messages" array', 'slack-api');
    emitAll(p.messages, ctx);
  }
}
