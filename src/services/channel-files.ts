/**
 * An account's files as seen from a chat channel: the latest processed upload that came from the
 * channel, a file found by name, the channel's recent files; and forgetting an account's data.
 * Always scoped to one account: another account's file is never found.
 */
import { Op } from 'sequelize';
import type { UploadedFile } from '../models/index.js';
import type { ServiceContext } from './context.js';

const newestFirst: Array<[string, string]> = [
  ['created_at', 'DESC'],
  ['id', 'ASC'],
];

/** The newest file of this account shared in this channel whose processing is done. */
export async function latestProcessedInChannel(ctx: ServiceContext, userId: string, platform: string, channelId: string): Promise<UploadedFile | null> {
  return ctx.models.UploadedFile.findOne({
    where: { user_id: userId, origin_platform: platform, origin_channel_id: channelId, status: 'done' },
    order: [['processed_at', 'DESC'], ...newestFirst],
  });
}

/** This account's file with this name (case-insensitive; exact match first, then a prefix); newest wins. */
export async function findOwnFileByName(ctx: ServiceContext, userId: string, name: string): Promise<UploadedFile | null> {
  const wanted = name.trim().toLowerCase();
  if (!wanted) return null;
  const files = await ctx.models.UploadedFile.findAll({ where: { user_id: userId }, order: newestFirst, limit: 500, attributes: { exclude: ['content'] } });
  return files.find((f) => f.file_name.toLowerCase() === wanted) ?? files.find((f) => f.file_name.toLowerCase().startsWith(wanted)) ?? null;
}

/** This account's newest files shared in this channel. */
export async function recentFilesInChannel(ctx: ServiceContext, userId: string, platform: string, channelId: string, limit = 5): Promise<UploadedFile[]> {
  return ctx.models.UploadedFile.findAll({ where: { user_id: userId, origin_platform: platform, origin_channel_id: channelId }, order: newestFirst, limit });
}

export interface AccountDataCounts {
  files: number;
  todos: number;
  events: number;
}

export async function countAccountData(ctx: ServiceContext, userId: string): Promise<AccountDataCounts> {
  const where = { where: { user_id: userId } };
  const [files, todos, events] = await Promise.all([
    ctx.models.UploadedFile.count(where),
    ctx.models.TodoItem.count(where),
    ctx.models.CalendarEvent.count(where),
  ]);
  return { files, todos, events };
}

/** Deletes every file, todo, event and question of the account (the account and its links stay). */
export async function forgetAccountData(ctx: ServiceContext, userId: string): Promise<AccountDataCounts> {
  return ctx.sequelize.transaction(async (transaction) => {
    const where = { where: { user_id: userId }, transaction };
    const todos = await ctx.models.TodoItem.destroy(where);
    const events = await ctx.models.CalendarEvent.destroy(where);
    await ctx.models.ChatTurn.destroy(where);
    const ids = (await ctx.models.UploadedFile.findAll({ ...where, attributes: ['id'] })).map((f) => f.id);
    if (ids.length) {
      await ctx.models.StoredMessage.destroy({ where: { file_id: { [Op.in]: ids } }, transaction });
      await ctx.models.UploadedFile.destroy({ where: { id: { [Op.in]: ids } }, transaction });
    }
    return { files: ids.length, todos, events };
  });
}
