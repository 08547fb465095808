/**
 * The iCalendar feed a calendar app subscribes to. Calendar apps cannot send bearer headers, so the
 * feed URL carries a per-user token (users.feed_token, random 32 bytes base64url); rotating it ends
 * every earlier subscription. A missing, wrong or rotated token is 401.
 *
 * The feed holds the user's dated events. Timed events are UTC DATE-TIMEs; all-day events are DATE
 * values, the day taken in the time zone of the chat they came from (that is where the extractor
 * put their midnight). UIDs are `<event id>@teamsync`, stable across refreshes and edits.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';
import { Op } from 'sequelize';
import type { CalendarEvent, User } from '../models/index.js';
import type { ServiceContext } from './context.js';
import { notFound, unauthorized } from './errors.js';
import { randomSecret } from './tokens.js';

export const FEED_PATH = '/api/v1/agent/calendar.ics';

export interface FeedToken {
  token: string;
  url: string;
}

const feedUrl = (ctx: ServiceContext, token: string): string => `${ctx.config.publicUrl}${FEED_PATH}?token=${encodeURIComponent(token)}`;

/** Creates the user's feed token, or replaces it (the old URL stops working at once). */
export async function rotateFeedToken(ctx: ServiceContext, userId: string): Promise<FeedToken> {
  const token = randomSecret();
  const [count] = await ctx.models.User.update({ feed_token: token }, { where: { id: userId } });
  if (count === 0) throw notFound('user');
  return { token, url: feedUrl(ctx, token) };
}

export async function currentFeedToken(ctx: ServiceContext, userId: string): Promise<FeedToken> {
  const user = await ctx.models.User.findOne({ where: { id: userId }, attributes: ['id', 'feed_token'] });
  if (!user?.feed_token) throw notFound('feed token');
  return { token: user.feed_token, url: feedUrl(ctx, user.feed_token) };
}

/** The enabled account this feed token belongs to, or 401. */
export async function userByFeedToken(ctx: ServiceContext, token: string | undefined): Promise<User> {
  if (!token) throw unauthorized('feed token required: subscribe with the URL from POST /api/v1/agent/calendar/feed-token');
  const user = await ctx.models.User.findOne({ where: { feed_token: token, disabled: false } });
  if (!user) throw unauthorized('invalid or revoked feed token');
  return user;
}

/** First day of an all-day event, and the day after its last, in the chat's zone. */
function allDayRange(e: CalendarEvent, zone: string): { start: DateTime; end: DateTime } {
  const start = DateTime.fromJSDate(e.starts_at!, { zone }).startOf('day');
  let end = e.ends_at ? DateTime.fromJSDate(e.ends_at, { zone }) : start.plus({ days: 1 });
  if (!end.hasSame(end.startOf('day'), 'millisecond')) end = end.plus({ days: 1 }).startOf('day');
  if (end <= start) end = start.plus({ days: 1 });
  return { start, end };
}

export async function buildCalendarFeed(ctx: ServiceContext, user: User): Promise<string> {
  const events = await ctx.models.CalendarEvent.findAll({
    where: { user_id: user.id, starts_at: { [Op.ne]: null } },
    order: [
      ['starts_at', 'ASC'],
      ['id', 'ASC'],
    ],
  });
  const fileIds = [...new Set(events.map((e) => e.file_id).filter((id): id is string => Boolean(id)))];
  const files = fileIds.length
    ? await ctx.models.UploadedFile.findAll({ where: { id: fileIds }, attributes: ['id', 'time_zone'] })
    : [];
  const zoneOf = new Map(files.map((f) => [f.id, f.time_zone ?? ctx.config.defaultTimeZone]));

  const calendar = ical({
    name: `TeamSync (${user.username})`,
    prodId: { company: 'TeamSync', product: 'teamsync', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  for (const e of events) {
    const description = [e.source_excerpt && `"${e.source_excerpt}"`, e.source_author && `— ${e.source_author}`].filter(Boolean).join(' ');
    const common = { id: `${e.id}@teamsync`, summary: e.title, description: description || null, stamp: e.updated_at, lastModified: e.updated_at };
    if (e.all_day) {
      const { start, end } = allDayRange(e, (e.file_id && zoneOf.get(e.file_id)) || ctx.config.defaultTimeZone);
      calendar.createEvent({ ...common, allDay: true, start, end });
    } else {
      calendar.createEvent({ ...common, start: e.starts_at!, end: e.ends_at ?? null });
    }
  }
  return calendar.toString();
}
