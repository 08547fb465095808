/**
 * /api/v1/agent/calendar: the logged-in user's events (upcoming dated ones and the undated TBD
 * list), edits, and the iCalendar feed with its per-user token.
 */
import Router from '@koa/router';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ServiceContext } from '../../services/context.js';
import { deleteEvent, listCalendar, updateEvent } from '../../services/calendar.js';
import { buildCalendarFeed, currentFeedToken, rotateFeedToken, userByFeedToken } from '../../services/calendar-feed.js';
import { authenticate, authOf } from '../middleware/authenticate.js';
import { defineRoute } from '../route.js';
import { z } from '../openapi.js';
import { CalendarList, CalendarQuery, EventIdParams, EventOut, EventPatchIn, FeedQuery, FeedTokenOut } from '../schemas/agent.js';

const PREFIX = '/api/v1/agent';

export function calendarRoutes(services: ServiceContext, registry: OpenAPIRegistry): Router {
  const router = new Router({ prefix: PREFIX });
  const middleware = [authenticate(services)];
  const tags = ['calendar'];
  const missing = { 404: { description: 'No such event (or file) of this account' } };

  // Registered before /calendar/:id-style paths so the literal paths win.
  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/calendar.ics', summary: 'iCalendar feed of the dated events, for calendar apps (token in the URL)', tags, auth: false, query: FeedQuery,
    responses: {
      200: { description: 'The feed', schema: z.string(), contentType: 'text/calendar' },
      401: { description: 'Missing, wrong or rotated feed token' },
    },
  }, async (ctx, { query }) => {
    const user = await userByFeedToken(services, query.token);
    ctx.set('Cache-Control', 'private, max-age=300');
    ctx.type = 'text/calendar; charset=utf-8';
    ctx.body = await buildCalendarFeed(services, user);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'post', path: '/calendar/feed-token', summary: 'Create or rotate the feed token (earlier feed URLs stop working)', tags, auth: true,
    responses: { 200: { description: 'The new token and feed URL', schema: FeedTokenOut } }, middleware,
  }, async (ctx) => {
    ctx.body = await rotateFeedToken(services, authOf(ctx.state).user.id);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/calendar/feed-token', summary: 'The current feed token and URL', tags, auth: true,
    responses: { 200: { description: 'The token and feed URL', schema: FeedTokenOut }, 404: { description: 'No feed token yet' } }, middleware,
  }, async (ctx) => {
    ctx.body = await currentFeedToken(services, authOf(ctx.state).user.id);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'get', path: '/calendar', summary: 'Upcoming dated events (or a range, or past ones too) and the undated TBD events', tags, auth: true, query: CalendarQuery,
    responses: { 200: { description: 'Events', schema: CalendarList }, ...missing }, middleware,
  }, async (ctx, { query }) => {
    ctx.body = await listCalendar(services, authOf(ctx.state).user.id, {
      fileId: query.file_id,
      from: query.from,
      to: query.to,
      includePast: query.include_past,
      tbd: query.tbd,
      limit: query.limit,
      cursor: query.cursor,
    });
  });

  defineRoute(router, registry, PREFIX, {
    method: 'patch', path: '/calendar/:id', summary: 'Change an event (title, start, end, all-day); starts_at null makes it TBD', tags, auth: true, params: EventIdParams, body: EventPatchIn,
    responses: { 200: { description: 'The changed event', schema: EventOut }, ...missing }, middleware,
  }, async (ctx, { params, body }) => {
    ctx.body = await updateEvent(services, authOf(ctx.state).user.id, params.id, body);
  });

  defineRoute(router, registry, PREFIX, {
    method: 'delete', path: '/calendar/:id', summary: 'Delete an event', tags, auth: true, params: EventIdParams,
    responses: { 204: { description: 'Deleted' }, ...missing }, middleware,
  }, async (ctx, { params }) => {
    await deleteEvent(services, authOf(ctx.state).user.id, params.id);
    ctx.status = 204;
  });

  return router;
}
