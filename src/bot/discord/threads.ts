/**
 * Threads for a file's results, over REST alone (so a worker process without a gateway connection
 * can post too). A thread started from a message takes that message's id, so the id of a file's
 * thread is known before the thread exists: the first to need it creates it.
 */
import { DiscordAPIError, Routes, ThreadAutoArchiveDuration, type REST } from 'discord.js';

/** Discord error codes this module reacts to. */
export const DiscordCode = {
  UnknownChannel: 10003,
  UnknownMessage: 10008,
  ThreadAlreadyCreated: 160004,
} as const;

export const THREAD_ARCHIVE_MINUTES = ThreadAutoArchiveDuration.OneDay;

export function isDiscordError(err: unknown, code: number): boolean {
  return err instanceof DiscordAPIError && err.code === code;
}

/** A thread name: one line, 1-100 characters. */
export function threadName(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim() || 'TeamSync';
  return oneLine.length <= 100 ? oneLine : `${oneLine.slice(0, 99)}…`;
}

/** Starts a public thread from a message; one that exists already is fine. Returns the thread id. */
export async function ensureMessageThread(rest: REST, channelId: string, messageId: string, name: string): Promise<string> {
  try {
    await rest.post(Routes.threads(channelId, messageId), {
      body: { name: threadName(name), auto_archive_duration: THREAD_ARCHIVE_MINUTES },
    });
  } catch (err) {
    if (!isDiscordError(err, DiscordCode.ThreadAlreadyCreated)) throw err;
  }
  return messageId;
}

export interface ThreadPlace {
  channelId: string;
  /** The thread (for a message thread: the message id). */
  threadId?: string | null;
  /** The message to start the thread from if it does not exist yet. */
  messageId?: string | null;
}

/**
 * Posts a message in the place's thread, starting the thread from its message when needed; without
 * a thread or message it posts in the channel. Returns the id of the channel posted in.
 */
export async function postInThread(rest: REST, place: ThreadPlace, body: object, name: string): Promise<{ channelId: string; messageId: string }> {
  const post = async (channelId: string) => {
    const message = (await rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
    return { channelId, messageId: message.id };
  };
  const target = place.threadId ?? place.messageId;
  if (!target) return post(place.channelId);
  try {
    return await post(target);
  } catch (err) {
    if (!isDiscordError(err, DiscordCode.UnknownChannel) || !place.messageId) throw err;
  }
  const threadId = await ensureMessageThread(rest, place.channelId, place.messageId, name);
  return post(threadId);
}
