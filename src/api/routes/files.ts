/** /api/v1/agent/upload and /api/v1/agent/files: hand in a chat export, follow and delete files. */
import { readFile, rm } from 'node:fs/promises';
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { koaBody } from 'koa-body';
import type { Middleware } from 'koa';
import type { ChatFormat } from '../../chat/types.js';
import type { ServiceContext } from '../../services/context.js';
import { AppError, badRequest, validationFailed } from '../../services/errors.js';
import { deleteFile, fileView, getOwnFile, ingestUpload, listFiles, type FileProcessingQueue } from '../../services/uploads.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import { defineRoute } from '../route.js';
import { FileIdParams, FileList, FileListQuery, FileOut, UploadAccepted, UploadForm } from '../schemas/files.js';

const PREFIX = '/api/v1/agent';

interface FormidableFile {
  filepath: string;
  originalFilename?: string | null;
  size: number;
}

/** Parses one multipart upload to a temporary file, mapping formidable's errors to clear ones. */
function multipart(maxBytes: number): Middleware {
  const parse = koaBody({
    multipart: true,
    urlencoded: false,
    json: false,
    text: false,
    formidable: { maxFileSize: maxBytes, maxTotalFileSize: maxBytes, maxFiles: 1, maxFields: 10, maxFieldsSize: 64 * 1024, allowEmptyFiles: true, minFileSize: 0 },
  });
  return async (ctx, next) => {
    if (!ctx.is('multipart/form-data')) {
      throw new AppError(415, 'unsupported_media_type', 'upload the export as multipart/form-data with a "file" field');
    }
    try {
      await parse(ctx, async () => undefined);
    } catch (err) {
      const e = err as { httpCode?: number; code?: number; message?: string };
      if (e.httpCode === 413 || /maxFileSize|maxTotalFileSize|exceeded/i.test(e.message ?? '')) {
        throw new AppError(413, 'payload_too_large', `the file is larger than the limit of ${maxBytes} bytes`);
      }
      if (/maxFiles/i.test(e.message ?? '')) throw badRequest('send exactly one file');
      throw badRequest(`could not read the upload: ${e.message ?? 'malformed multipart body'}`);
    }
    await next();
  };
}

export function fileRoutes(services: ServiceContext, registry: OpenAPIRegistry, queue: FileProcessingQueue): Router {
  const router = new Router({ prefix: PREFIX });
  const requireAuth = authenticate(services);
  const tags = ['files'];

  registry.registerPath({
    method: 'post',
    path: `${PREFIX}/upload`,
    summary: 'Upload a chat export; it is validated now and processed in the background',
    tags,
    security: [{ bearer: [] }],
    request: { body: { content: { 'multipart/form-data': { schema: UploadForm } }, required: true } },
    responses: {
      202: { description: 'Stored and queued', content: { 'application/json': { schema: UploadAccepted } } },
      200: { description: 'The same bytes were uploaded before: the existing file', content: { 'application/json': { schema: UploadAccepted } } },
      413: { description: 'Too large' },
      415: { description: 'Not a chat export in a supported format' },
      422: { description: 'A known format, but unreadable' },
    },
  });
  router.post('/upload', requireAuth, multipart(services.config.limits.uploadBytes), async (ctx) => {
    const files = (ctx.request as unknown as { files?: Record<string, FormidableFile | FormidableFile[]> }).files ?? {};
    const fields = ((ctx.request as { body?: Record<string, unknown> }).body ?? {}) as Record<string, string | undefined>;
    const uploaded = files.file;
    const all = Object.values(files).flat();
    try {
      if (!uploaded || Array.isArray(uploaded)) throw validationFailed('file: send exactly one file in the "file" field', [{ field: 'file', message: 'required' }]);
      const tz = fields.tz?.trim() || undefined;
      if (tz && !isTimeZone(tz)) throw validationFailed(`tz: "${tz}" is not an IANA time zone such as Europe/Berlin`, [{ field: 'tz', message: 'unknown time zone' }]);
      if (fields.reprocess !== undefined && !['true', 'false'].includes(fields.reprocess)) {
        throw validationFailed('reprocess: must be true or false', [{ field: 'reprocess', message: 'must be true or false' }]);
      }
      const content = await readFile(uploaded.filepath);
      const result = await ingestUpload(services, queue, {
        userId: authOf(ctx.state).user.id,
        fileName: uploaded.originalFilename || 'upload',
        content,
        format: (fields.format?.trim() || undefined) as ChatFormat | undefined,
        timeZone: tz,
        reprocess: fields.reprocess === 'true',
      });
      ctx.status = result.queued ? 202 : 200;
      ctx.body = {
        status: 'success',
        message: result.created
          ? `${result.file.file_name} (${result.file.format}, ${result.file.message_count} messages) is queued for processing`
          : result.queued
            ? `${result.file.file_name} was uploaded before; it is queued for processing again`
            : `${result.file.file_name} was uploaded before; nothing new to do (send reprocess=true to process it again)`,
        file_id: result.file.id,
        file_name: result.file.file_name,
        task_id: result.jobId,
      };
    } finally {
      await Promise.all(all.map((f) => rm(f.filepath, { force: true })));
    }
  });

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/files', summary: 'Your uploaded files, newest first', tags, auth: true, query: FileListQuery,
    responses: { 200: { description: 'Files', schema: FileList } }, middleware: [requireAuth],
  }, async (ctx, { query }) => {
    ctx.body = await listFiles(services, authOf(ctx.state).user.id, query);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/files/:id', summary: 'One file: status, counts, error, attempts', tags, auth: true, params: FileIdParams,
    responses: { 200: { description: 'The file', schema: FileOut }, 404: { description: 'No such file of yours' } }, middleware: [requireAuth],
  }, async (ctx, { params }) => {
    ctx.body = fileView(await getOwnFile(services, authOf(ctx.state).user.id, params.id));
  });

  defineRoute(router, registry, PREFIX, {
    method: 'delete', path: '/files/:id', summary: 'Delete a file with its messages, todos and events', tags, auth: true, params: FileIdParams,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such file of yours' } }, middleware: [requireAuth],
  }, async (ctx, { params }) => {
    await deleteFile(services, authOf(ctx.state).user.id, params.id);
    ctx.status = 204;
  });

  return router;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
