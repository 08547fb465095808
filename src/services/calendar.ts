/**
 * A user's calendar: dated events (upcoming by default) and the undated "TBD" ones kept apart;
 * edits and deletion. Another user's event is indistinguishable from a missing one (404).
 *
 * Which dated events are listed: those starting at or after the lower bound, or still running then
 * (ends_at at or after it; an all-day event without an end runs for the 24 hours after its start).
 * The lower bound is `from` when given, otherwise now unless `includePast`; `to` keeps events that
 * start before it. Dated events come by starts_at then id; TBD events by created_at then id.
 * One cursor pages both lists: each page holds up to `limit` of each.
 */
import { Op, type WhereOptions } from 'sequelize';
import type { CalendarEvent } from '../models/index.js';
import type { ServiceContext } from './context.js';
import { notFound, validationFailed } from './errors.js';
import { decodeCursor, encodeCursor, evidenceView, iso, isIsoString, isUuidString, type EvidenceView } from './todos.js';
import { getOwnFile } from './uploads.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface EventView {
  id: string;
  file_id: string | null;
  title: string;
  starts_at: string | null;
  ends_at: string | null;
  all_day: boolean;
  extractor: string;
  source: EvidenceView;
  created_at: string;
  updated_at: string;
}

export function eventView(e: CalendarEvent): EventView {
  return {
    id: e.id,
    file_id: e.file_id ?? null,
    title: e.title,
    starts_at: iso(e.starts_at),
    ends_at: iso(e.ends_at),
    all_day: Boolean(e.all_day),
    extractor: e.extractor,
    source: evidenceView(e),
    created_at: iso(e.created_at)!,
    updated_at: iso(e.updated_at)!,
  };
}

export interface CalendarQuery {
  fileId?: string;
  from?: string;
  to?: string;
  includePast: boolean;
  tbd: 'true' | 'false' | 'only';
  limit: number;
  cursor?: string;
}

/** Where each list stands: the last [sort key, id] shown, or true once it is exhausted. */
interface CalendarCursor {
  e?: [string, string] | true;
  t?: [string, string] | true;
}
const isPosition = (v: unknown): boolean => v === true || (Array.isArray(v) && v.length === 2 && isIsoString(v[0]) && isUuidString(v[1]));
const isCalendarCursor = (v: unknown): v is CalendarCursor =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([k, p]) => (k === 'e' || k === 't') && isPosition(p));

const after = (key: 'starts_at' | 'created_at', [at, id]: [string, string]): WhereOptions => ({
  [Op.or]: [{ [key]: { [Op.gt]: new Date(at) } }, { [key]: new Date(at), id: { [Op.gt]: id } }],
});

/** Dated events running at or after `bound`. */
function runningFrom(bound: Date): WhereOptions {
  return {
    [Op.or]: [
      { starts_at: { [Op.gte]: bound } },
      { ends_at: { [Op.gte]: bound } },
      { all_day: true, ends_at: null, starts_at: { [Op.gt]: new Date(bound.getTime() - DAY_MS) } },
    ],
  };
}

async function page(
  ctx: ServiceContext,
  conditions: WhereOptions[],
  key: 'starts_at' | 'created_at',
  position: [string, string] | true | undefined,
  limit: number,
): Promise<{ rows: CalendarEvent[]; next: [string, string] | true }> {
  if (position === true) return { rows: [], next: true };
  const where = position ? [...conditions, after(key, position)] : conditions;
  const rows = await ctx.models.CalendarEvent.findAll({
    where: { [Op.and]: where },
    order: [
      [key, 'ASC'],
      ['id', 'ASC'],
    ],
    limit: limit + 1,
  });
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return { rows: shown, next: rows.length > limit && last ? [iso(last[key])!, last.id] : true };
}

export async function listCalendar(
  ctx: ServiceContext,
  userId: string,
  q: CalendarQuery,
): Promise<{ events: EventView[]; tbd: EventView[]; next_cursor: string | null }> {
  if (q.fileId) await getOwnFile(ctx, userId, q.fileId);
  const cursor: CalendarCursor = q.cursor ? decodeCursor(q.cursor, isCalendarCursor) : {};
  const owned: WhereOptions[] = [{ user_id: userId }];
  if (q.fileId) owned.push({ file_id: q.fileId });

  const wantDated = q.tbd !== 'only';
  const wantTbd = q.tbd !== 'false';
  const dated: WhereOptions[] = [...owned, { starts_at: { [Op.ne]: null } }];
  const bound = q.from ? new Date(q.from) : q.includePast ? null : ctx.now();
  if (bound) dated.push(runningFrom(bound));
  if (q.to) dated.push({ starts_at: { [Op.lt]: new Date(q.to) } });

  const events = wantDated ? await page(ctx, dated, 'starts_at', cursor.e, q.limit) : { rows: [], next: true as const };
  const tbd = wantTbd ? await page(ctx, [...owned, { starts_at: null }], 'created_at', cursor.t, q.limit) : { rows: [], next: true as const };
  const next: CalendarCursor = { e: events.next, t: tbd.next };
  return {
    events: events.rows.map(eventView),
    tbd: tbd.rows.map(eventView),
    next_cursor: next.e === true && next.t === true ? null : encodeCursor(next),
  };
}

export async function getOwnEvent(ctx: ServiceContext, userId: string, id: string): Promise<CalendarEvent> {
  const event = await ctx.models.CalendarEvent.findOne({ where: { id, user_id: userId } });
  if (!event) throw notFound('event');
  return event;
}

export interface EventPatch {
  title?: string;
  starts_at?: string | null;
  ends_at?: string | null;
  all_day?: boolean;
}

const invalid = (field: string, message: string) => validationFailed(`${field}: ${message}`, [{ field, message }]);

/**
 * Applies the changes. Clearing starts_at makes the event TBD and clears its end too; an end must
 * come after the start.
 */
export async function updateEvent(ctx: ServiceContext, userId: string, id: string, patch: EventPatch): Promise<EventView> {
  const event = await getOwnEvent(ctx, userId, id);
  const startsAt = patch.starts_at === undefined ? event.starts_at : patch.starts_at === null ? null : new Date(patch.starts_at);
  let endsAt = patch.ends_at === undefined ? event.ends_at : patch.ends_at === null ? null : new Date(patch.ends_at);
  if (startsAt === null) {
    if (patch.ends_at) throw invalid('ends_at', 'an event without starts_at cannot have an end');
    endsAt = null;
  }
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) throw invalid('ends_at', 'must be after starts_at');
  await event.update({
    title: patch.title ?? event.title,
    starts_at: startsAt,
    ends_at: endsAt,
    all_day: patch.all_day ?? event.all_day,
  });
  return eventView(event);
}

export async function deleteEvent(ctx: ServiceContext, userId: string, id: string): Promise<void> {
  const event = await getOwnEvent(ctx, userId, id);
  await event.destroy();
}
