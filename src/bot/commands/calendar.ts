/** `calendar [upcoming|tbd]`: this account's upcoming events and/or undated ones, with the feed link. */
import { listCalendar, type EventView } from '../../services/calendar.js';
import { currentFeedToken, rotateFeedToken, type FeedToken } from '../../services/calendar-feed.js';
import type { ServiceContext } from '../../services/context.js';
import { AppError } from '../../services/errors.js';
import type { CommandContext } from './context.js';
import { argumentWords } from './parse.js';
import { privateReply } from './replies.js';
import type { CommandReply, EventLine, ReplyPart } from './types.js';

const SHOWN = 20;

export const eventLine = (e: Pick<EventView, 'id' | 'title' | 'starts_at' | 'all_day'>): EventLine => ({ id: e.id, title: e.title, starts_at: e.starts_at, all_day: e.all_day });

/** The account's feed URL, creating the token the first time (an existing one is kept). */
export async function feedLink(ctx: ServiceContext, userId: string): Promise<FeedToken> {
  try {
    return await currentFeedToken(ctx, userId);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return rotateFeedToken(ctx, userId);
    throw err;
  }
}

export async function calendarCommand(c: CommandContext): Promise<CommandReply> {
  const words = argumentWords(c.request.args).map((w) => w.toLowerCase());
  const bad = words.filter((w) => !['upcoming', 'tbd', 'all'].includes(w));
  if (bad.length) return privateReply({ kind: 'text', text: `I did not understand "${bad.join(' ')}". Usage: \`calendar [upcoming|tbd]\`` });
  const tbd = words.includes('tbd') && !words.includes('upcoming') ? 'only' : words.includes('upcoming') && !words.includes('tbd') ? 'false' : 'true';
  const { events, tbd: undated } = await listCalendar(c.ctx, c.userId, { includePast: false, tbd, limit: SHOWN });
  const timeZone = c.ctx.config.defaultTimeZone;
  const parts: ReplyPart[] = [];
  if (tbd !== 'only') {
    parts.push({ kind: 'heading', text: 'Upcoming events' });
    parts.push(events.length ? { kind: 'events', events: events.map(eventLine), timeZone } : { kind: 'text', text: 'Nothing coming up.' });
  }
  if (tbd !== 'false') {
    parts.push({ kind: 'heading', text: 'Events without a date yet (TBD)' });
    parts.push(undated.length ? { kind: 'events', events: undated.map(eventLine), timeZone } : { kind: 'text', text: 'None.' });
  }
  const feed = await feedLink(c.ctx, c.userId);
  parts.push({ kind: 'link', label: 'Subscribe in your calendar app (private link, keep it to yourself)', url: feed.url });
  return privateReply(...parts);
}
