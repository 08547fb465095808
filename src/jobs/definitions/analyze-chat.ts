/**
 * `analyze-chat`: answers a question about one of the user's files in the background (extractive,
 * or Gemini when a key is configured) and keeps the answer on the job, where GET /api/v1/jobs/:id
 * finds it.
 */
import type { Job } from 'agenda';
import { answerQuestion, type AnswerOptions } from '../../answer/index.js';
import { ChatParseError, parseChat } from '../../chat/index.js';
import type { ChatFormat } from '../../chat/types.js';
import type { ServiceContext } from '../../services/context.js';
import { PermanentFileError } from '../../services/process-file.js';
import type { JobContext } from '../context.js';
import { withTimeLimit } from '../limits.js';
import { ANALYZE_CHAT, type AnalyzeChatData, type AnalyzeChatResult } from '../names.js';

/** The answer to `question` about the file, read from the file itself (processed or not). */
export async function answerAboutFile(
  services: ServiceContext,
  request: { fileId: string; userId: string; question: string },
  signal: AbortSignal,
): Promise<AnalyzeChatResult> {
  const { UploadedFile, TodoItem, CalendarEvent } = services.models;
  const file = await UploadedFile.scope('withContent').findOne({ where: { id: request.fileId, user_id: request.userId } });
  if (!file) throw new PermanentFileError(`file ${request.fileId} no longer exists`);
  const timeZone = file.time_zone ?? services.config.defaultTimeZone;
  let messages;
  try {
    ({ messages } = await parseChat(file.content, {
      format: (file.format as ChatFormat | null) ?? undefined,
      timeZone,
      limits: services.config.limits,
      fileName: file.file_name,
    }));
  } catch (err) {
    if (err instanceof ChatParseError) throw new PermanentFileError(err.message);
    throw err;
  }
  const [todos, events] = await Promise.all([
    TodoItem.findAll({ where: { file_id: file.id }, attributes: ['text', 'assignee', 'due_at', 'status'] }),
    CalendarEvent.findAll({ where: { file_id: file.id }, attributes: ['title', 'starts_at', 'ends_at', 'all_day'] }),
  ]);
  const { apiKey, baseUrl, model } = services.config.gemini;
  const options: AnswerOptions = { signal, gemini: apiKey ? { apiKey, baseUrl, model } : undefined };

  const result: AnalyzeChatResult = { mode: 'extractive', answer: '', sources: [] };
  const chunks = answerQuestion(
    {
      question: request.question,
      messages,
      timeZone,
      todos: todos.map((t) => ({ text: t.text, assignee: t.assignee, dueAt: t.due_at?.toISOString() ?? null, done: t.status === 'done' })),
      events: events.map((e) => ({ title: e.title, startsAt: e.starts_at?.toISOString() ?? null, endsAt: e.ends_at?.toISOString() ?? null, allDay: Boolean(e.all_day) })),
    },
    options,
  );
  for await (const chunk of chunks) {
    switch (chunk.type) {
      case 'meta':
        result.mode = chunk.mode;
        if (chunk.model) result.model = chunk.model;
        if (chunk.fallback) result.fallback = chunk.fallback;
        break;
      case 'delta':
        result.answer += chunk.text;
        break;
      case 'sources':
        result.sources = chunk.messages;
        break;
      case 'error':
        result.error = chunk.message;
        break;
      case 'done':
        break;
    }
  }
  signal.throwIfAborted();
  return result;
}

export function analyzeChatJob(jobs: JobContext) {
  return async (job: Job<AnalyzeChatData>): Promise<void> => {
    const { fileId, userId, question } = job.attrs.data;
    const result = await withTimeLimit(jobs.timeoutMs[ANALYZE_CHAT], jobs.stopping, (signal) =>
      answerAboutFile(jobs.services, { fileId, userId, question }, signal),
    );
    job.attrs.data = { fileId, userId, question, result };
    await job.save();
  };
}
