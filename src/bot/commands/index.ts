/**
 * The platform-neutral command set. A door builds it once with `createCommandSet(ctx)` and, per
 * platform event:
 *   run(request)                -> { reply, followUp? }   a command typed by someone
 *   markTodoDone(actor, todoId) -> reply                   the "done" button under a todo
 *   calendarFeed(actor)         -> reply                   the "calendar feed" button (private link)
 *   accountFor(actor)           -> TeamSync user id        (created on first use)
 *   fileSummary(summary)        -> reply                   a processed file, for its thread
 * Replies are plain data (`CommandReply`); the door renders them. Nothing here knows a platform.
 */
import type { ServiceContext } from '../../services/context.js';
import type { HistoryImportQueue } from '../../services/history-import.js';
import { createChatService, type ChatService } from '../../services/answers.js';
import { AppError } from '../../services/errors.js';
import { accountForIdentity } from '../../services/linking.js';
import type { FileSummary } from '../../services/process-file.js';
import { updateTodo } from '../../services/todos.js';
import { askCommand } from './ask.js';
import { calendarCommand, feedLink } from './calendar.js';
import { identityOf, type CommandContext } from './context.js';
import { forgetCommand } from './forget.js';
import { helpReply } from './help.js';
import { importCommand } from './import.js';
import { linkCommand } from './link.js';
import { errorReply, privateReply, privateText } from './replies.js';
import { statusCommand } from './status.js';
import { fileSummaryReply } from './summary.js';
import { todoLine, todosCommand } from './todos.js';
import type { CommandReply, CommandRequest, CommandResult, PlatformActor } from './types.js';

export * from './types.js';
export { parseCommandText, argumentWords, COMMAND_NAMES } from './parse.js';
export { partsText, formatWhen, todoText, eventText } from './text.js';
export { helpReply } from './help.js';
export { fileSummaryReply } from './summary.js';
export { DEFAULT_IMPORT_DAYS, MAX_IMPORT_DAYS, importQueuedReply } from './import.js';
export { privateText } from './replies.js';

export interface CommandSet {
  run(request: CommandRequest & { unknown?: string }): Promise<CommandResult>;
  markTodoDone(actor: PlatformActor, todoId: string): Promise<{ done: boolean; reply: CommandReply }>;
  calendarFeed(actor: PlatformActor): Promise<CommandReply>;
  accountFor(actor: PlatformActor): Promise<string>;
  fileSummary(summary: FileSummary): CommandReply;
}

export interface CommandSetOptions {
  /** The Q&A service; by default one built from the context (Gemini when configured). */
  chat?: ChatService;
  /** How commands are typed on this platform, for help texts (`/teamsync`). */
  prefix?: string;
  /** The job queue's history imports, for `status` (a function when the queue is built later). */
  imports?: Partial<HistoryImportQueue> | (() => Partial<HistoryImportQueue> | undefined);
}

export function createCommandSet(ctx: ServiceContext, options: CommandSetOptions = {}): CommandSet {
  const chat = options.chat ?? createChatService(ctx);
  const prefix = options.prefix ?? '/teamsync';
  const { imports: given } = options;
  const imports = typeof given === 'function' ? given : () => given;

  async function guarded<T>(what: string, fn: () => Promise<T>, onError: (reply: CommandReply) => T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof AppError)) ctx.logger.error({ err, command: what }, 'bot command failed');
      return onError(errorReply(err));
    }
  }

  async function account(actor: PlatformActor) {
    return accountForIdentity(ctx, identityOf(actor));
  }

  return {
    async run(request) {
      if (request.name === 'help') return { reply: helpReply(prefix, request.unknown) };
      return guarded(
        request.name,
        async (): Promise<CommandResult> => {
          const { userId, autoCreated } = await account(request.actor);
          const c: CommandContext = { ctx, chat, imports, request, userId, autoCreated };
          switch (request.name) {
            case 'link':
              return { reply: await linkCommand(c) };
            case 'todos':
              return { reply: await todosCommand(c) };
            case 'calendar':
              return { reply: await calendarCommand(c) };
            case 'ask':
              return { reply: await askCommand(c) };
            case 'import':
              return importCommand(c);
            case 'status':
              return { reply: await statusCommand(c) };
            case 'forget':
              return { reply: await forgetCommand(c) };
            default:
              return { reply: helpReply(prefix, String(request.name)) };
          }
        },
        (reply) => ({ reply }),
      );
    },

    async markTodoDone(actor, todoId) {
      return guarded(
        'todo-done',
        async () => {
          const { userId } = await account(actor);
          try {
            const todo = await updateTodo(ctx, userId, todoId, { status: 'done' });
            return { done: true, reply: privateReply({ kind: 'text', text: '✅ Marked done:' }, { kind: 'todos', todos: [todoLine(todo)], actions: false }) };
          } catch (err) {
            if (err instanceof AppError && err.status === 404) {
              return { done: false, reply: privateText('That todo is not in your TeamSync account (it belongs to whoever shared the file), or it was deleted.') };
            }
            throw err;
          }
        },
        (reply) => ({ done: false, reply }),
      );
    },

    async calendarFeed(actor) {
      return guarded(
        'calendar-feed',
        async () => {
          const { userId } = await account(actor);
          const feed = await feedLink(ctx, userId);
          return privateReply({ kind: 'link', label: 'Your calendar feed (private link: subscribe to it in your calendar app)', url: feed.url });
        },
        (reply) => reply,
      );
    },

    async accountFor(actor) {
      return (await account(actor)).userId;
    },

    fileSummary(summary) {
      return fileSummaryReply(summary, ctx.config.defaultTimeZone);
    },
  };
}
