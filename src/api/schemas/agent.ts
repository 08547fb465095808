/** Request and response shapes of the agent endpoints: todos, calendar, feed and chat. */
import { z } from '../openapi.js';

const isoInstant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-03-31T09:00:00Z' });
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const cursor = z.string().min(1).max(512).optional();
const fileIdFilter = z.string().uuid('must be a file id').optional();

export const Evidence = z
  .object({
    message_id: z.string().nullable(),
    author: z.string().nullable(),
    sent_at: z.string().nullable(),
    excerpt: z.string().nullable(),
  })
  .openapi('Evidence');

// ---- todos ----

export const TodoOut = z
  .object({
    id: z.string().uuid(),
    file_id: z.string().uuid().nullable(),
    text: z.string(),
    assignee: z.string().nullable(),
    priority: z.enum(['LOW', 'MEDIUM', 'HIGH']),
    due_at: z.string().nullable(),
    status: z.enum(['open', 'done']),
    extractor: z.string(),
    source: Evidence,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Todo');

export const TodoIdParams = z.object({ id: z.string().uuid('must be a todo id') });

export const TodoListQuery = z.object({
  file_id: fileIdFilter,
  status: z.enum(['open', 'done']).optional(),
  priority: z.enum(['LOW', 'MEDIUM', 'HIGH']).optional(),
  assignee: z.string().trim().min(1).max(256).optional().openapi({ description: 'exact name, case-insensitive' }),
  due_before: isoInstant.optional().openapi({ description: 'due strictly before this instant' }),
  due_after: isoInstant.optional().openapi({ description: 'due at or after this instant' }),
  limit: limit(200, 50),
  cursor: cursor.openapi({ description: 'next_cursor of the previous page (same filters)' }),
});

export const TodoList = z
  .object({ items: z.array(TodoOut), next_cursor: z.string().nullable() })
  .openapi('TodoList', { description: 'Ordered by due_at (undated last), then created_at, then id.' });

export const TodoPatchIn = z
  .object({
    status: z.enum(['open', 'done']).optional(),
    priority: z.enum(['LOW', 'MEDIUM', 'HIGH']).optional(),
    due_at: isoInstant.nullable().optional(),
    assignee: z.string().trim().min(1, 'must not be empty (use null to clear)').max(256).nullable().optional(),
    text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters').optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'give at least one of status, priority, due_at, assignee, text')
  .openapi('TodoPatch');

// ---- calendar ----

export const EventOut = z
  .object({
    id: z.string().uuid(),
    file_id: z.string().uuid().nullable(),
    title: z.string(),
    starts_at: z.string().nullable(),
    ends_at: z.string().nullable(),
    all_day: z.boolean(),
    extractor: z.string(),
    source: Evidence,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('CalendarEvent');

export const EventIdParams = z.object({ id: z.string().uuid('must be an event id') });

export const CalendarQuery = z.object({
  file_id: fileIdFilter,
  from: isoInstant.optional().openapi({ description: 'events starting (or still running) at or after this instant; replaces "now" as the lower bound' }),
  to: isoInstant.optional().openapi({ description: 'events starting before this instant' }),
  include_past: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  tbd: z.enum(['true', 'false', 'only']).default('true'),
  limit: limit(500, 100),
  cursor: cursor.openapi({ description: 'next_cursor of the previous page (same filters)' }),
});

export const CalendarList = z
  .object({ events: z.array(EventOut), tbd: z.array(EventOut), next_cursor: z.string().nullable() })
  .openapi('Calendar', { description: 'Dated events by starts_at, then id; undated (TBD) events by created_at, then id.' });

export const EventPatchIn = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters').optional(),
    starts_at: isoInstant.nullable().optional(),
    ends_at: isoInstant.nullable().optional(),
    all_day: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'give at least one of title, starts_at, ends_at, all_day')
  .openapi('CalendarEventPatch');

export const FeedQuery = z.object({ token: z.string().max(128).optional() });
export const FeedTokenOut = z.object({ token: z.string(), url: z.string() }).openapi('CalendarFeedToken');

// ---- chat ----

export const ChatIn = z
  .object({
    question: z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters'),
    file_id: z.string().uuid('must be a file id'),
    conversation_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "_" or "-"')
      .optional(),
  })
  .strict()
  .openapi('ChatRequest');

export const ChatLine = z
  .object({
    type: z.enum(['meta', 'delta', 'sources', 'done', 'error']),
    conversation_id: z.string().optional(),
    file_id: z.string().optional(),
    mode: z.enum(['extractive', 'gemini']).optional(),
    text: z.string().optional(),
    messages: z.array(z.object({ id: z.string(), author: z.string(), sent_at: z.string(), text: z.string() })).optional(),
    message: z.string().optional(),
  })
  .openapi('ChatLine', { description: 'One line of the application/x-ndjson answer: meta, delta*, sources, done (or error).' });
