/**
 * POST /api/v1/agent/chat: a question about one processed file, answered as application/x-ndjson
 * (meta, delta*, sources, done | error). Refusals (bad body 422, unknown file 404, file not
 * processed 409) are ordinary JSON errors sent before the stream starts. A client that goes away
 * stops the answer, including the model request.
 */
import { Readable } from 'node:stream';
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Logger } from '../../logger.js';
import type { ServiceContext } from '../../services/context.js';
import { createChatService, type ChatService } from '../../services/answers.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import { defineRoute } from '../route.js';
import { ChatIn, ChatLine } from '../schemas/agent.js';

const PREFIX = '/api/v1/agent';

export function chatRoutes(services: ServiceContext, registry: OpenAPIRegistry, chat: ChatService = createChatService(services)): Router {
  const router = new Router({ prefix: PREFIX });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/chat', summary: 'Ask about a processed file; the answer streams as NDJSON lines', tags: ['chat'], auth: true, body: ChatIn,
    responses: {
      200: { description: 'NDJSON: meta, delta*, sources, done (or error)', schema: ChatLine, contentType: 'application/x-ndjson' },
      404: { description: 'No such file of this account' },
      409: { description: 'The file is not processed (yet)' },
    },
    middleware: [authenticate(services)],
  }, async (ctx, { body }) => {
    const prepared = await chat.prepare(authOf(ctx.state).user.id, {
      question: body.question,
      fileId: body.file_id,
      conversationId: body.conversation_id,
    });

    // The request's 'close' also fires once its body has been read, so both events check that the
    // connection is really gone before stopping the answer.
    const controller = new AbortController();
    const { req, res } = ctx;
    const stopIfGone = () => {
      if (!res.writableFinished && (res.destroyed || req.socket.destroyed)) controller.abort();
    };
    req.once('close', stopIfGone);
    res.once('close', stopIfGone);
    // Koa reports a response stream cut short as an application error; here it only means the
    // client stopped reading, which this route expects.
    const onerror = ctx.onerror.bind(ctx);
    ctx.onerror = (err) => {
      if (controller.signal.aborted && (err as NodeJS.ErrnoException | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE') {
        (ctx.state.log as Logger | undefined)?.debug('client left before the answer was complete');
        return;
      }
      onerror(err);
    };

    req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = 'application/x-ndjson';
    ctx.set('Cache-Control', 'no-cache, no-transform');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = Readable.from(chat.lines(prepared, controller.signal));
  });

  return router;
}
