/**
 * What every format reader writes into: messages go to the caller's callback one by one, while the
 * conversation summary (participants, first and last instant, count) is kept up to date.
 */
import type { ChatLimits } from './limits.js';
import { epochOfIso, type ZoneClock } from './time/zone.js';
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
  /** Hands a message on; `at` is its instant in epoch ms when the reader has it (else read from `sentAt`). */
  emit(message: ChatMessage, at?: number): void;
  /** Emits unless a message with the same id was emitted before (duplicate ids, Slack broadcasts). */
  emitOnce(message: ChatMessage, at?: number): void;
}

export class MessageCollector implements ReadContext {
  format: ChatFormat;
  name: string | null = null;
  count = 0;
  private firstAt: string | null = null;
  private lastAt: string | null = null;
  /** The instants of `firstAt` and `lastAt`: numbers compare far cheaper than ISO strings. */
  private firstEpoch = Infinity;
  private lastEpoch = -Infinity;
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

  emit(message: ChatMessage, at = epochOfIso(message.sentAt)): void {
    this.count++;
    if (at < this.firstEpoch || this.firstAt === null) {
      this.firstEpoch = at;
      this.firstAt = message.sentAt;
    }
    if (at > this.lastEpoch || this.lastAt === null) {
      this.lastEpoch = at;
      this.lastAt = message.sentAt;
    }
    const author = message.author;
    if (author.id !== SYSTEM_AUTHOR.id && !this.participants.has(author.id)) this.participants.set(author.id, author.name);
    this.onMessage(message);
  }

  emitOnce(message: ChatMessage, at?: number): void {
    // One hash lookup instead of has() then add(): the set grows only for an id not seen before.
    const before = this.seen.size;
    this.seen.add(message.id);
    if (this.seen.size === before) return;
    this.emit(message, at);
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
