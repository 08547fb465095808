/**
 * Questions about one processed file, answered as NDJSON lines: meta (with the conversation and
 * file), delta*, sources, done, or an error line. Everything that can refuse the question (unknown
 * file, file not processed) is checked in `prepare`, before any line is produced.
 *
 * A conversation belongs to one user and one file: its history is looked up by (user, conversation,
 * file), so the same conversation id from another user starts that user's own conversation. The
 * question and the full answer are stored once the answer is done; an interrupted answer leaves no
 * turn behind.
 */
import { randomUUID } from 'node:crypto';
import type { GoogleGenAI } from '@google/genai';
import { answerQuestion, type AnswerChunk, type AnswerEvent, type AnswerInput, type AnswerTodo, type AnswerTurn } from '../answer/index.js';
import type { ChatMessage } from '../chat/types.js';
import { createGeminiClient } from '../extract/gemini/client.js';
import type { UploadedFile } from '../models/index.js';
import type { ServiceContext } from './context.js';
import { conflict } from './errors.js';
import { getOwnFile } from './uploads.js';

/** Earlier turns given with a question (the model sees at most the last ten). */
const HISTORY_TURNS = 20;

export interface ChatQuestion {
  question: string;
  fileId: string;
  conversationId?: string;
}

/** A question that passed every check, and what is needed to load its context. */
export interface PreparedChat {
  userId: string;
  fileId: string;
  conversationId: string;
  question: string;
  /** Processing time of the file (ms), part of the message cache key. */
  processedAt: number;
  timeZone: string;
}

/**
 * The messages of recently asked-about files, keyed by file and processing time (re-processing a
 * file changes processed_at, so stale entries are never served). Least recently used goes first;
 * bounded by entries and by messages held. Concurrent loads of one file share one query.
 */
export class MessageCache {
  private readonly entries = new Map<string, { messages: Promise<ChatMessage[]>; size: number }>();
  private held = 0;

  constructor(
    private readonly maxFiles = 8,
    private readonly maxMessages = 500_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, load: () => Promise<ChatMessage[]>): Promise<ChatMessage[]> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.messages;
    }
    const entry = { messages: load(), size: 0 };
    this.entries.set(key, entry);
    try {
      const messages = await entry.messages;
      if (this.entries.get(key) === entry) {
        entry.size = messages.length;
        this.held += messages.length;
        this.evict();
      }
      return messages;
    } catch (err) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    }
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= this.maxFiles && this.held <= this.maxMessages)) return;
      this.entries.delete(key);
      this.held -= entry.size;
    }
  }
}

export async function loadChatMessages(ctx: ServiceContext, fileId: string): Promise<ChatMessage[]> {
  const rows = await ctx.models.StoredMessage.findAll({
    where: { file_id: fileId },
    order: [['position', 'ASC']],
    attributes: ['platform_message_id', 'sent_at', 'author_id', 'author_name', 'text', 'thread_parent_id', 'attachments', 'system'],
    raw: true,
  });
  return rows.map((m) => ({
    id: m.platform_message_id,
    sentAt: new Date(m.sent_at).toISOString(),
    author: { id: m.author_id, name: m.author_name },
    text: m.text,
    threadId: m.thread_parent_id ?? null,
    attachments: m.attachments ? (JSON.parse(m.attachments) as string[]) : [],
    system: Boolean(m.system),
  }));
}

function assertAnswerable(file: UploadedFile): void {
  if (file.status === 'done') return;
  if (file.status === 'failed') {
    throw conflict(`file "${file.file_name}" could not be processed${file.error ? ` (${file.error})` : ''}; upload it again to ask about it`, { status: file.status });
  }
  throw conflict(`file "${file.file_name}" is not processed yet (status: ${file.status}); ask again when its status is done`, { status: file.status });
}

export interface ChatService {
  prepare(userId: string, q: ChatQuestion): Promise<PreparedChat>;
  /** The NDJSON lines of the answer. Aborting `signal` stops the answer (and the model request). */
  lines(prepared: PreparedChat, signal: AbortSignal): AsyncGenerator<string>;
}

export function createChatService(ctx: ServiceContext, options: { cache?: MessageCache; gemini?: GoogleGenAI } = {}): ChatService {
  const cache = options.cache ?? new MessageCache();
  const { apiKey, baseUrl, model } = ctx.config.gemini;
  const client = options.gemini ?? (apiKey ? createGeminiClient({ apiKey, baseUrl }) : undefined);

  async function history(userId: string, fileId: string, conversationId: string): Promise<AnswerTurn[]> {
    const turns = await ctx.models.ChatTurn.findAll({
      where: { user_id: userId, file_id: fileId, conversation_id: conversationId },
      order: [['id', 'DESC']],
      limit: HISTORY_TURNS,
      attributes: ['role', 'text'],
    });
    return turns.reverse().map((t) => ({ role: t.role, text: t.text }));
  }

  /** Checks that the question can be answered; loads nothing else yet. */
  async function prepare(userId: string, q: ChatQuestion): Promise<PreparedChat> {
    const file = await getOwnFile(ctx, userId, q.fileId);
    assertAnswerable(file);
    return {
      userId,
      fileId: file.id,
      conversationId: q.conversationId ?? randomUUID(),
      question: q.question,
      processedAt: file.processed_at ? new Date(file.processed_at).getTime() : 0,
      timeZone: file.time_zone ?? ctx.config.defaultTimeZone,
    };
  }

  async function answerInput(p: PreparedChat): Promise<AnswerInput> {
    const where = { user_id: p.userId, file_id: p.fileId };
    const [messages, todos, events, turns] = await Promise.all([
      cache.get(`${p.fileId}@${p.processedAt}`, () => loadChatMessages(ctx, p.fileId)),
      ctx.models.TodoItem.findAll({ where, attributes: ['text', 'assignee', 'due_at', 'status'] }),
      ctx.models.CalendarEvent.findAll({ where, attributes: ['title', 'starts_at', 'ends_at', 'all_day'] }),
      history(p.userId, p.fileId, p.conversationId),
    ]);
    return {
      question: p.question,
      messages,
      todos: todos.map((t): AnswerTodo => ({ text: t.text, assignee: t.assignee, dueAt: t.due_at ? t.due_at.toISOString() : null, done: t.status === 'done' })),
      events: events.map((e): AnswerEvent => ({
        title: e.title,
        startsAt: e.starts_at ? e.starts_at.toISOString() : null,
        endsAt: e.ends_at ? e.ends_at.toISOString() : null,
        allDay: Boolean(e.all_day),
      })),
      history: turns,
      timeZone: p.timeZone,
    };
  }

  async function saveTurns(p: PreparedChat, answer: string): Promise<void> {
    // Through the query interface: the ChatTurn model has no associations, so it does not know its
    // user_id and file_id columns and would leave them out of an insert. One multi-row insert keeps
    // the ids (and so the history order) question first, then answer.
    const base = { user_id: p.userId, file_id: p.fileId, conversation_id: p.conversationId, created_at: ctx.now() };
    await ctx.sequelize.getQueryInterface().bulkInsert('chat_turns', [
      { ...base, role: 'user', text: p.question },
      { ...base, role: 'assistant', text: answer },
    ]);
  }

  /**
   * Without a model the answer is extractive, so the meta line goes out before anything is loaded.
   * With one, it waits for the model's first words: only then is it known whether the model
   * answers or the extractive fallback does.
   */
  async function* lines(p: PreparedChat, signal: AbortSignal): AsyncGenerator<string> {
    const line = (value: object) => `${JSON.stringify(value)}\n`;
    const meta = (mode: 'extractive' | 'gemini', extra: object = {}) =>
      line({ type: 'meta', conversation_id: p.conversationId, file_id: p.fileId, mode, ...extra });
    const gemini = client ? { client, model } : undefined;
    let announced = false;
    let answer = '';
    try {
      if (!gemini) {
        yield meta('extractive');
        announced = true;
      }
      const input = await answerInput(p);
      for await (const chunk of answerQuestion(input, { gemini, signal }) as AsyncGenerator<AnswerChunk>) {
        if (signal.aborted) return;
        if (chunk.type === 'meta') {
          const { type: _type, mode, ...extra } = chunk;
          if (!announced) yield meta(mode, extra);
          announced = true;
          continue;
        }
        if (chunk.type === 'delta') answer += chunk.text;
        if (chunk.type === 'done') await saveTurns(p, answer);
        yield line(chunk);
      }
    } catch (err) {
      if (signal.aborted) return;
      ctx.logger.error({ err, conversation_id: p.conversationId }, 'answer failed');
      if (!announced) yield meta('extractive');
      yield line({ type: 'error', message: 'the answer failed unexpectedly; try again' });
    }
  }

  return { prepare, lines };
}

