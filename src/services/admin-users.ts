/** Administration of accounts: list and search, disable/enable, change role, delete (cascades). */
import { Op } from 'sequelize';
import type { ServiceContext } from './context.js';
import { recordAudit } from './audit.js';
import { badRequest, notFound } from './errors.js';
import { publicUser } from './users.js';

export interface Actor {
  id: string;
  username: string;
  ip?: string | null;
}

export async function listUsers(ctx: ServiceContext, q: { search?: string; role?: string; disabled?: boolean; limit: number; offset: number }) {
  const where: Record<string | symbol, unknown> = {};
  if (q.search) {
    const like = `%${q.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    where[Op.or] = [{ username_key: { [Op.like]: like } }, { email: { [Op.like]: like } }];
  }
  if (q.role) where.role = q.role;
  if (q.disabled !== undefined) where.disabled = q.disabled;
  const { rows, count } = await ctx.models.User.findAndCountAll({ where, order: [['created_at', 'ASC'], ['id', 'ASC']], limit: q.limit, offset: q.offset });
  return { items: rows.map(publicUser), total: count, limit: q.limit, offset: q.offset };
}

async function findUser(ctx: ServiceContext, id: string) {
  const user = await ctx.models.User.findByPk(id);
  if (!user) throw notFound('user');
  return user;
}

export async function setUserDisabled(ctx: ServiceContext, actor: Actor, id: string, disabled: boolean) {
  const user = await findUser(ctx, id);
  if (user.id === actor.id && disabled) throw badRequest('you cannot disable your own account');
  await ctx.sequelize.transaction(async (transaction) => {
    await user.update({ disabled }, { transaction });
    if (disabled) {
      await ctx.models.Session.update(
        { revoked_at: ctx.now(), revoked_reason: 'disabled' },
        { where: { user_id: user.id, revoked_at: { [Op.is]: null } }, transaction },
      );
    }
    await recordAudit(ctx, { actorId: actor.id, actorUsername: actor.username, action: disabled ? 'user.disable' : 'user.enable', target: `user:${user.id}`, ip: actor.ip }, transaction);
  });
  return publicUser(user);
}

export async function setUserRole(ctx: ServiceContext, actor: Actor, id: string, role: 'user' | 'admin') {
  const user = await findUser(ctx, id);
  if (user.id === actor.id && role !== 'admin') throw badRequest('you cannot remove your own administrator role');
  const previous = user.role;
  await ctx.sequelize.transaction(async (transaction) => {
    await user.update({ role }, { transaction });
    await recordAudit(ctx, { actorId: actor.id, actorUsername: actor.username, action: 'user.role_change', target: `user:${user.id}`, ip: actor.ip, details: { from: previous, to: role } }, transaction);
  });
  return publicUser(user);
}

export async function deleteUser(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  const user = await findUser(ctx, id);
  if (user.id === actor.id) throw badRequest('you cannot delete your own account here');
  await ctx.sequelize.transaction(async (transaction) => {
    await user.destroy({ transaction });
    await recordAudit(ctx, { actorId: actor.id, actorUsername: actor.username, action: 'user.delete', target: `user:${id}`, ip: actor.ip, details: { username: user.username } }, transaction);
  });
}
