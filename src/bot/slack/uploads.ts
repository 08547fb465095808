/**
 * Files shared in a channel: chat exports are downloaded with the bot token and handed to the upload
 * pipeline with their Slack origin (the results come back to the thread); other files get one short
 * note. One file is handled once, however many events announce it (message + file_shared, retries).
 */
import { SUPPORTED_FORMATS } from '../../chat/index.js';
import { AppError } from '../../services/errors.js';
import { claimPlatformEvent } from '../../services/platform-events.js';
import { ingestUpload } from '../../services/uploads.js';
import type { SlackDoor } from './context.js';

export interface SharedFile {
  id: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

export interface FileShare {
  teamId: string;
  channelId: string;
  /** The Slack user who shared the files (their account owns the upload). */
  userId: string;
  /** The message the files came with; the thread hangs from it. */
  threadTs: string;
  messageTs: string | null;
  files: SharedFile[];
  /** When the thread is not known yet (file_shared): finds or starts it, once the files are claimed. */
  locate?: () => Promise<{ threadTs: string; messageTs: string | null }>;
}

const EXPORT_EXTENSIONS = /\.(json|txt|zip|csv|vtt|log|md)$/i;
const EXPORT_FILETYPES = new Set(['json', 'text', 'zip', 'csv', 'javascript', 'markdown', 'vtt', 'plain']);

/** A guess from the name and type: could this be a chat export at all? (The parser decides for sure.) */
export function mayBeChatExport(file: SharedFile): boolean {
  const name = file.name ?? file.title ?? '';
  if (EXPORT_EXTENSIONS.test(name)) return true;
  if (file.filetype && EXPORT_FILETYPES.has(file.filetype)) return true;
  const mime = file.mimetype ?? '';
  return mime.startsWith('text/') && mime !== 'text/html' ? true : mime === 'application/json' || mime === 'application/zip';
}

export class DownloadError extends Error {}

/** The file's bytes. Slack answers a token it does not accept with its HTML login page (status 200). */
export async function downloadSlackFile(door: SlackDoor, file: SharedFile, maxBytes: number): Promise<Buffer> {
  const url = file.url_private_download ?? file.url_private;
  if (!url) throw new DownloadError('Slack gave no download address for this file');
  const res = await fetch(url, { headers: { Authorization: `Bearer ${door.botToken}` }, signal: AbortSignal.any([door.stopping, AbortSignal.timeout(60_000)]) });
  if (!res.ok) throw new DownloadError(`Slack refused the download (HTTP ${res.status})`);
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('text/html')) {
    await res.body?.cancel();
    throw new DownloadError('Slack sent its login page instead of the file: the app needs the files:read scope and access to this channel');
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new AppError(413, 'payload_too_large', `the file is larger than the limit of ${maxBytes} bytes`);
  }
  const content = Buffer.from(await res.arrayBuffer());
  if (content.length > maxBytes) throw new AppError(413, 'payload_too_large', `the file is larger than the limit of ${maxBytes} bytes`);
  return content;
}

async function say(door: SlackDoor, share: FileShare, text: string): Promise<void> {
  await door.client.chat.postMessage({ channel: share.channelId, thread_ts: share.threadTs, text, unfurl_links: false });
}

async function takeInFile(door: SlackDoor, share: FileShare, file: SharedFile, userId: string): Promise<void> {
  const name = file.name ?? file.title ?? file.id;
  try {
    if (share.messageTs) {
      await door.client.reactions.add({ channel: share.channelId, timestamp: share.messageTs, name: 'hourglass_flowing_sand' }).catch(() => undefined);
    }
    const content = await downloadSlackFile(door, file, door.ctx.config.limits.uploadBytes);
    const result = await ingestUpload(door.ctx, door.queue(), {
      userId,
      fileName: name,
      content,
      origin: { platform: 'slack', workspaceId: share.teamId, channelId: share.channelId, threadId: share.threadTs, messageId: share.messageTs },
    });
    if (!result.created) {
      await say(door, share, `*${name}* was shared before (same content); its todos and events are already in your account: try \`/teamsync todos\`.`);
    }
  } catch (err) {
    if (err instanceof AppError && (err.status === 415 || err.code === 'chat_unsupported')) {
      await say(door, share, `*${name}* is not a chat export I can read, so I left it alone.`);
    } else if (err instanceof AppError || err instanceof DownloadError) {
      await say(door, share, `⚠️ I could not take in *${name}*: ${err.message}`);
    } else {
      door.ctx.logger.error({ err, file: file.id }, 'taking in a Slack file failed');
      await say(door, share, `⚠️ I could not take in *${name}* because of an error on our side; share it again in a moment.`);
    }
  }
}

/** Handles the files of one share; files another event already brought are skipped. */
export async function handleFileShare(door: SlackDoor, share: FileShare): Promise<void> {
  const fresh: SharedFile[] = [];
  for (const file of share.files) {
    if (await claimPlatformEvent(door.ctx, `slack:file:${share.teamId}:${file.id}`)) fresh.push(file);
  }
  if (!fresh.length) return;
  if (share.locate) share = { ...share, ...(await share.locate()) };
  const skipped = fresh.filter((f) => !mayBeChatExport(f));
  if (skipped.length) {
    const names = skipped.map((f) => `*${f.name ?? f.title ?? f.id}*`).join(', ');
    await say(door, share, `${names} ${skipped.length === 1 ? 'is' : 'are'} not a chat export, so I skipped ${skipped.length === 1 ? 'it' : 'them'}. I read: ${SUPPORTED_FORMATS.map((f) => f.format).join(', ')}.`);
  }
  const exports = fresh.filter(mayBeChatExport);
  if (!exports.length) return;
  const userId = await door.commands.accountFor({ platform: 'slack', workspaceId: share.teamId, userId: share.userId });
  for (const file of exports) await takeInFile(door, share, file, userId);
}
