/**
 * What every format reader writes into: messages go to the caller's callback one by one, while the
 * conversation summary (participants, first and last instant, count) is kept up to date.
 */
import type { ChatLimits } from './limits.js';
import type { ZoneClock } from './time/zone.js';
import type { ChatFormat, ChatMessage } from './types.js';

/** Author of lines that no person wrote (WhatsApp system lines, transcript notes). */
export const SYSTEM_AUTHOR: Readonly<{ id: string; name: string }> = Object.freeze({ id: 'system', name: 'System' });

/** Conversation metadata without the messages (what `streamChat` resolves to). */
export interface ChatSummary {
  format: ChatFormat;
  name: string | null;
  participants: Array<{ id: string; name: string }>;
  firstAt: string | null;
  lastAt: string | null;
  count: number;
}

export interface ReadContext {
  readonly limits: ChatLimits;
  readonly clock: ZoneClock;
  /** Reference instant (epoch ms) for formats whose times are relative (WebVTT) or missing. */
  readonly startAt: number;
  readonly fileName: string | null;
  format: ChatFormat;
  name: string | null;
  /** Messages emitted so far. */
  readonly count: number;
  emit(message: ChatMessage): void;
  /** Emits unless a message with the same id was emitted before (duplicate ids, Slack broadcasts). */
  emitOnce(message: ChatMessage): void;
}

export class MessageCollector implements ReadContext {
  format: ChatFormat;
  name: string | null = null;
  count = 0;
  private firstAt: string | null = null;
  private lastAt: string | null = null;
  private readonly participants = new Map<string, string>();
  private readonly seen = new Set<string>();

  constructor(
    readonly limits: ChatLimits,
    readonly clock: ZoneClock,
    readonly startAt: number,
    readonly fileName: string | null,
    format: ChatFormat,
    private readonly onMessage: (message: ChatMessage) => void,
  ) {
    this.format = format;
  }

  emit(message: ChatMessage): void {
    this.count++;
    const at = message.sentAt;
    if (this.firstAt === null || at < this.firstAt) this.firstAt = at;
    if (this.lastAt === null || at > this.lastAt) this.lastAt = at;
    const author = message.author;
    if (author.id !== SYSTEM_AUTHOR.id && !this.participants.has(author.id)) this.participants.set(author.id, author.name);
    this.onMessage(message);
  }

  emitOnce(message: ChatMessage): void {
    if (this.seen.has(message.id)) return;
    this.seen.add(message.id);
    this.emit(message);
  }

  summary(): ChatSummary {
    return {
      format: this.format,
      name: this.name,
      participants: [...this.participants].map(([id, name]) => ({ id, name })),
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      count: this.count,
    };
  }
}
