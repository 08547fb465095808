/**
 * Password reset: request -> single-use, expiring token -> confirm. The request never reveals
 * whether an account exists. The token reaches the person through a pluggable delivery channel.
 */
import { Op } from 'sequelize';
import type { ServiceContext } from './context.js';
import type { User } from '../models/index.js';
import { recordAudit } from './audit.js';
import { validationFailed } from './errors.js';
import { checkPasswordRules, hashPassword } from './passwords.js';
import { randomSecret, sha256 } from './tokens.js';
import { normalizeEmail, usernameKey } from './users.js';
import type { ClientInfo } from './auth.js';

/** Where reset tokens go: a bot DM, an e-mail, or (by default) nowhere but an operator's CLI. */
export interface ResetTokenDelivery {
  readonly name: string;
  deliver(user: { id: string; username: string; email: string }, token: string, expiresAt: Date): Promise<boolean>;
}

/** Delivery used until a channel is configured: logs that a reset was asked for, never the token. */
export function operatorOnlyDelivery(ctx: ServiceContext): ResetTokenDelivery {
  return {
    name: 'operator',
    async deliver(user) {
      ctx.logger.info({ user_id: user.id }, 'password reset requested; an operator can issue a token with `teamsync user reset-token`');
      return false;
    },
  };
}

/** Creates a new single-use reset token for the user, replacing any unused one. */
export async function issueResetToken(ctx: ServiceContext, user: User): Promise<{ token: string; expiresAt: Date }> {
  const token = randomSecret();
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.passwordResetMinutes * 60_000);
  await ctx.sequelize.transaction(async (transaction) => {
    await ctx.models.PasswordResetToken.destroy({ where: { user_id: user.id, used_at: { [Op.is]: null } }, transaction });
    await ctx.models.PasswordResetToken.create({ user_id: user.id, token_hash: sha256(token), expires_at: expiresAt }, { transaction });
  });
  return { token, expiresAt };
}

export async function requestPasswordReset(
  ctx: ServiceContext,
  delivery: ResetTokenDelivery,
  identifier: string,
  client: ClientInfo,
): Promise<void> {
  const user = await ctx.models.User.findOne({
    where: { [Op.or]: [{ email: normalizeEmail(identifier) }, { username_key: usernameKey(identifier) }] },
  });
  await recordAudit(ctx, {
    actorId: user?.id ?? null,
    action: 'auth.password_reset_requested',
    target: user ? `user:${user.id}` : null,
    ip: client.ip,
  });
  if (!user || user.disabled) return;
  const { token, expiresAt } = await issueResetToken(ctx, user);
  try {
    await delivery.deliver(user, token, expiresAt);
  } catch (err) {
    ctx.logger.error({ err, user_id: user.id, channel: delivery.name }, 'reset token delivery failed');
  }
}

export async function confirmPasswordReset(
  ctx: ServiceContext,
  input: { token: string; new_password: string },
  client: ClientInfo,
): Promise<void> {
  const invalid = () => validationFailed('reset token is invalid or expired', [{ field: 'token', message: 'invalid or expired' }]);
  const row = await ctx.models.PasswordResetToken.findOne({ where: { token_hash: sha256(input.token) } });
  if (!row || row.used_at || row.expires_at <= ctx.now()) throw invalid();
  const user = await ctx.models.User.findByPk(row.user_id);
  if (!user || user.disabled) throw invalid();
  checkPasswordRules(input.new_password, user, 'new_password');
  const hash = await hashPassword(input.new_password, ctx.config.bcryptRounds);
  await ctx.sequelize.transaction(async (transaction) => {
    const [used] = await ctx.models.PasswordResetToken.update(
      { used_at: ctx.now() },
      { where: { id: row.id, used_at: { [Op.is]: null } }, transaction },
    );
    if (used !== 1) throw invalid();
    await user.update({ password_hash: hash }, { transaction });
    // A reset ends every session: whoever knew the old password is out.
    await ctx.models.Session.update(
      { revoked_at: ctx.now(), revoked_reason: 'password_reset' },
      { where: { user_id: user.id, revoked_at: { [Op.is]: null } }, transaction },
    );
    await recordAudit(ctx, { actorId: user.id, actorUsername: user.username, action: 'user.password_reset', target: `user:${user.id}`, ip: client.ip }, transaction);
  });
}
