/**
 * A chat export handed to the bot on Discord (slash command attachment, a message mentioning the
 * bot, a file in a watched channel, or a channel's history) -> a stored, queued upload whose
 * results go to a thread of the message it hangs from.
 *
 * The thread of a message has the message's id, so the upload's origin names its thread before the
 * thread exists; the thread is started right after the file is accepted (or by the notifier, should
 * the job finish first).
 */
import { Routes, type REST } from 'discord.js';
import type { ServiceContext } from '../../services/context.js';
import { AppError } from '../../services/errors.js';
import { ingestUpload, type FileProcessingQueue, type IngestResult, type UploadOrigin } from '../../services/uploads.js';
import type { ChatFormat } from '../../chat/types.js';
import { plain } from './render.js';
import { ensureMessageThread } from './threads.js';

export interface DiscordIngestPlace {
  guildId: string | null;
  channelId: string;
  /** The message the results thread hangs from (null: post in `channelId` itself, e.g. a thread or DM). */
  anchorMessageId: string | null;
}

export interface DiscordIngestInput {
  userId: string;
  fileName: string;
  content: Buffer;
  format?: ChatFormat;
  place: DiscordIngestPlace;
}

export type DiscordIngestOutcome =
  | { kind: 'queued'; result: IngestResult; threadId: string }
  | { kind: 'duplicate'; result: IngestResult }
  | { kind: 'refused'; reason: string; status: number };

export function originFor(place: DiscordIngestPlace): UploadOrigin {
  return {
    platform: 'discord',
    workspaceId: place.guildId ?? '',
    channelId: place.channelId,
    threadId: place.anchorMessageId,
    messageId: place.anchorMessageId,
  };
}

/** A link to a channel or thread that Discord clients open. */
export function channelLink(guildId: string | null, channelId: string): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}`;
}

/**
 * Stores and queues the file, then starts its thread and says there that it is on its way. A file
 * the parser refuses is reported back (`refused`) without touching the channel.
 */
export async function ingestFromDiscord(
  ctx: ServiceContext,
  queue: FileProcessingQueue,
  rest: REST,
  input: DiscordIngestInput,
): Promise<DiscordIngestOutcome> {
  let result: IngestResult;
  try {
    result = await ingestUpload(ctx, queue, {
      userId: input.userId,
      fileName: input.fileName,
      content: input.content,
      format: input.format,
      origin: originFor(input.place),
    });
  } catch (err) {
    if (err instanceof AppError) return { kind: 'refused', reason: err.message, status: err.status };
    throw err;
  }
  if (!result.created) return { kind: 'duplicate', result };
  const { place } = input;
  const threadId = place.anchorMessageId
    ? await ensureMessageThread(rest, place.channelId, place.anchorMessageId, `TeamSync: ${input.fileName}`)
    : place.channelId;
  const messages = result.file.message_count ?? 0;
  await rest
    .post(Routes.channelMessages(threadId), {
      body: {
        content: `⏳ Processing **${plain(input.fileName)}** (${messages.toLocaleString('en-US')} messages, ${result.file.format ?? 'chat export'}). The todos and events will be posted here.`,
        allowed_mentions: { parse: [] },
      },
    })
    .catch((err: unknown) => ctx.logger.warn({ err, threadId }, 'could not post the processing notice'));
  return { kind: 'queued', result, threadId };
}

/** A sentence about an upload that was there already. */
export function duplicateText(result: IngestResult): string {
  return duplicateFileText(result.file);
}

export function duplicateFileText(f: IngestResult['file']): string {
  const where = f.origin_platform === 'discord' && f.origin_channel_id ? ` Its results: ${channelLink(f.origin_workspace_id || null, f.origin_thread_id ?? f.origin_channel_id)}` : '';
  return `You imported this same file before as **${plain(f.file_name)}** (status: ${f.status}).${where}`;
}

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs?: number;
}

/** Downloads an attachment from Discord's CDN, refusing what is over the upload limit. */
export async function downloadAttachment(url: string, size: number | null, limits: DownloadLimits): Promise<Buffer> {
  if (size !== null && size > limits.maxBytes) {
    throw new AppError(413, 'payload_too_large', `the file is ${size} bytes; the limit is ${limits.maxBytes} bytes`);
  }
  const response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs ?? 60_000) });
  if (!response.ok) throw new AppError(502, 'download_failed', `Discord did not hand over the file (HTTP ${response.status}); share it again`);
  const content = Buffer.from(await response.arrayBuffer());
  if (content.length > limits.maxBytes) {
    throw new AppError(413, 'payload_too_large', `the file is ${content.length} bytes; the limit is ${limits.maxBytes} bytes`);
  }
  return content;
}
