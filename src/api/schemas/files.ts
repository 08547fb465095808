/** Shapes of the upload and file endpoints. */
import { z } from '../openapi.js';

export const FileOut = z
  .object({
    id: z.string().uuid(),
    file_name: z.string(),
    format: z.string().nullable(),
    byte_size: z.number().int(),
    sha256: z.string(),
    status: z.enum(['queued', 'processing', 'done', 'failed']),
    message_count: z.number().int().nullable(),
    todo_count: z.number().int().nullable(),
    event_count: z.number().int().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    progress: z.number().int().nullable(),
    task_id: z.string().nullable(),
    time_zone: z.string().nullable(),
    origin: z.object({ platform: z.string(), workspace_id: z.string().nullable(), channel_id: z.string().nullable(), thread_id: z.string().nullable() }).nullable(),
    created_at: z.string(),
    processed_at: z.string().nullable(),
  })
  .openapi('File');

export const UploadAccepted = z
  .object({
    status: z.literal('success'),
    message: z.string(),
    file_id: z.string().uuid(),
    file_name: z.string(),
    task_id: z.string().nullable(),
  })
  .openapi('UploadAccepted');

export const UploadForm = z
  .object({
    file: z.string().openapi({ type: 'string', format: 'binary', description: 'the chat export' }),
    format: z.string().optional().openapi({ description: 'force a format instead of detecting it' }),
    tz: z.string().optional().openapi({ description: 'IANA time zone for exports without one' }),
    reprocess: z.enum(['true', 'false']).optional(),
  })
  .openapi('UploadForm');

export const FileIdParams = z.object({ id: z.string().uuid('must be a file id') });
export const FileListQuery = z.object({
  status: z.enum(['queued', 'processing', 'done', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const FileList = z
  .object({ items: z.array(FileOut), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('FileList');
