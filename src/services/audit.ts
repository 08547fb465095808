/** The audit log: who did what to whom, from where. */
import { Op, type Transaction } from 'sequelize';
import type { ServiceContext } from './context.js';

export interface AuditEntry {
  actorId?: string | null;
  actorUsername?: string | null;
  action: string;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(ctx: ServiceContext, entry: AuditEntry, transaction?: Transaction): Promise<void> {
  await ctx.models.AuditLog.create(
    {
      actor_id: entry.actorId ?? null,
      actor_username: entry.actorUsername ?? null,
      action: entry.action,
      target: entry.target ?? null,
      ip: entry.ip ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      at: ctx.now(),
    },
    { transaction },
  );
}

export interface AuditQuery {
  action?: string;
  actorId?: string;
  limit: number;
  beforeId?: number;
}

export async function listAudit(ctx: ServiceContext, q: AuditQuery) {
  const where: Record<string | symbol, unknown> = {};
  if (q.action) where.action = q.action;
  if (q.actorId) where.actor_id = q.actorId;
  if (q.beforeId) where.id = { [Op.lt]: q.beforeId };
  const rows = await ctx.models.AuditLog.findAll({ where, order: [['id', 'DESC']], limit: q.limit + 1 });
  const page = rows.slice(0, q.limit).map((r) => ({
    id: Number(r.id),
    actor_id: r.actor_id,
    actor_username: r.actor_username,
    action: r.action,
    target: r.target,
    ip: r.ip,
    details: r.details ? (JSON.parse(r.details) as unknown) : null,
    at: r.at.toISOString(),
  }));
  return { items: page, next_cursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null };
}
