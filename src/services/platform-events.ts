/**
 * Platform events handled once. Slack retries an event it did not see acknowledged in time (and
 * announces one file share twice: as a message and as file_shared); the first to claim a key
 * handles it, every later claim of the same key is told no. Claims are rows, so they outlive a
 * restart.
 */
import { Op, UniqueConstraintError } from 'sequelize';
import type { ServiceContext } from './context.js';

/** Keys are cut to the column's length (platform ids are far shorter). */
const MAX_KEY = 191;

/** true the first time this key is claimed, false for every later claim. */
export async function claimPlatformEvent(ctx: ServiceContext, key: string): Promise<boolean> {
  try {
    await ctx.models.ProcessedEvent.create({ key: key.slice(0, MAX_KEY), created_at: ctx.now() });
    return true;
  } catch (err) {
    if (err instanceof UniqueConstraintError) return false;
    throw err;
  }
}

/** Forgets claims older than the cut-off (Slack stops retrying after about an hour). */
export async function pruneProcessedEvents(ctx: ServiceContext, before: Date): Promise<number> {
  return ctx.models.ProcessedEvent.destroy({ where: { created_at: { [Op.lt]: before } } });
}
