/**
 * Accounts and sessions: register, log in, refresh (rotating refresh tokens, reuse revokes the
 * family), log out (revokes the session so its access token stops working), change password.
 */
import { Op, QueryTypes, UniqueConstraintError } from 'sequelize';
import type { ServiceContext } from './context.js';
import type { Session, User } from '../models/index.js';
import { recordAudit } from './audit.js';
import { conflict, forbidden, unauthorized, validationFailed } from './errors.js';
import { checkPasswordRules, dummyHash, hashPassword, verifyPassword } from './passwords.js';
import { randomSecret, sha256, signAccessToken } from './tokens.js';
import { normalizeEmail, publicUser, usernameKey, type PublicUser } from './users.js';

export interface ClientInfo {
  ip?: string | null;
  userAgent?: string | null;
}

export interface TokenPair {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  user: PublicUser;
}

export async function createUser(
  ctx: ServiceContext,
  input: { username: string; email: string; password: string; role?: 'user' | 'admin' },
): Promise<User> {
  checkPasswordRules(input.password, input);
  const username = input.username.trim();
  const email = normalizeEmail(input.email);
  const existing = await ctx.models.User.findOne({
    where: { [Op.or]: [{ username_key: usernameKey(username) }, { email }] },
  });
  if (existing) {
    const field = existing.username_key === usernameKey(username) ? 'username' : 'email';
    throw conflict(`${field} is already taken`, [{ field, message: 'already taken' }]);
  }
  const password_hash = await hashPassword(input.password, ctx.config.bcryptRounds);
  try {
    return await ctx.models.User.create({
      username,
      username_key: usernameKey(username),
      email,
      password_hash,
      role: input.role ?? 'user',
    });
  } catch (err) {
    // Two registrations racing for the same name: the unique index decides.
    if (err instanceof UniqueConstraintError) throw conflict('username or email is already taken');
    throw err;
  }
}

async function openSession(ctx: ServiceContext, user: User, client: ClientInfo): Promise<TokenPair> {
  const now = ctx.now();
  const expires = new Date(now.getTime() + ctx.config.refreshTokenDays * 86400_000);
  const refresh = randomSecret();
  const session = await ctx.sequelize.transaction(async (transaction) => {
    const s = await ctx.models.Session.create(
      { user_id: user.id, ip: client.ip ?? null, user_agent: client.userAgent?.slice(0, 512) ?? null, expires_at: expires },
      { transaction },
    );
    await ctx.models.RefreshToken.create(
      { session_id: s.id, token_hash: sha256(refresh), expires_at: expires },
      { transaction },
    );
    return s;
  });
  return tokenPair(ctx, user, session, refresh);
}

function tokenPair(ctx: ServiceContext, user: User, session: Session, refresh: string): TokenPair {
  return {
    access_token: signAccessToken({ sub: user.id, sid: session.id, role: user.role }, ctx.config.secretKey, ctx.config.accessTokenMinutes),
    token_type: 'bearer',
    expires_in: ctx.config.accessTokenMinutes * 60,
    refresh_token: refresh,
    user: publicUser(user),
  };
}

export async function register(
  ctx: ServiceContext,
  input: { username: string; email: string; password: string },
  client: ClientInfo,
): Promise<TokenPair> {
  const user = await createUser(ctx, input);
  await recordAudit(ctx, { actorId: user.id, actorUsername: user.username, action: 'user.register', target: `user:${user.id}`, ip: client.ip });
  return openSession(ctx, user, client);
}

export async function login(
  ctx: ServiceContext,
  input: { username: string; password: string },
  client: ClientInfo,
): Promise<TokenPair> {
  const key = input.username.trim();
  const user = await ctx.models.User.findOne({
    where: { [Op.or]: [{ username_key: usernameKey(key) }, { email: normalizeEmail(key) }] },
  });
  // Compare against a dummy hash when there is no such user: same work, same time.
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash(ctx.config.bcryptRounds)));
  if (!user || !ok || user.disabled) {
    await recordAudit(ctx, {
      actorId: user?.id ?? null,
      actorUsername: user?.username ?? key.slice(0, 64),
      action: 'auth.login_failed',
      target: user ? `user:${user.id}` : null,
      ip: client.ip,
      details: { reason: !user ? 'unknown_user' : user.disabled && ok ? 'disabled' : 'bad_password' },
    });
    throw unauthorized('incorrect username or password');
  }
  await recordAudit(ctx, { actorId: user.id, actorUsername: user.username, action: 'auth.login', target: `user:${user.id}`, ip: client.ip });
  return openSession(ctx, user, client);
}

/**
 * Rotates a refresh token. A token that was already rotated is a sign of theft: the whole session
 * (token family) is revoked and the caller must log in again.
 */
export async function refresh(ctx: ServiceContext, refreshToken: string, client: ClientInfo): Promise<TokenPair> {
  const now = ctx.now();
  const fresh = randomSecret();
  const result = await ctx.sequelize.transaction(async (transaction) => {
    const token = await ctx.models.RefreshToken.findOne({ where: { token_hash: sha256(refreshToken) }, transaction });
    if (!token) return { error: 'unknown' as const };
    const session = await ctx.models.Session.findByPk(token.session_id, { transaction });
    if (!session || session.revoked_at) return { error: 'revoked' as const };
    if (token.used_at) {
      await session.update({ revoked_at: now, revoked_reason: 'refresh_token_reuse' }, { transaction });
      return { error: 'reuse' as const, session };
    }
    if (token.expires_at <= now || session.expires_at <= now) return { error: 'expired' as const };
    // Mark used only if nobody else did in the meantime (two concurrent refreshes with one token).
    const [updated] = await ctx.models.RefreshToken.update(
      { used_at: now },
      { where: { id: token.id, used_at: { [Op.is]: null } }, transaction },
    );
    if (updated !== 1) {
      await session.update({ revoked_at: now, revoked_reason: 'refresh_token_reuse' }, { transaction });
      return { error: 'reuse' as const, session };
    }
    await ctx.models.RefreshToken.create({ session_id: session.id, token_hash: sha256(fresh), expires_at: session.expires_at }, { transaction });
    const user = await ctx.models.User.findByPk(session.user_id, { transaction });
    if (!user || user.disabled) return { error: 'revoked' as const };
    return { session, user };
  });
  if ('error' in result) {
    if (result.error === 'reuse' && result.session) {
      await recordAudit(ctx, {
        actorId: result.session.user_id,
        action: 'auth.refresh_reuse',
        target: `session:${result.session.id}`,
        ip: client.ip,
      });
    }
    throw unauthorized(result.error === 'reuse' ? 'refresh token was already used; the session has been revoked' : 'refresh token is invalid or expired');
  }
  return tokenPair(ctx, result.user, result.session, fresh);
}

export async function logout(ctx: ServiceContext, auth: { userId: string; sessionId: string }, client: ClientInfo): Promise<void> {
  await ctx.models.Session.update(
    { revoked_at: ctx.now(), revoked_reason: 'logout' },
    { where: { id: auth.sessionId, user_id: auth.userId, revoked_at: { [Op.is]: null } } },
  );
  await recordAudit(ctx, { actorId: auth.userId, action: 'auth.logout', target: `session:${auth.sessionId}`, ip: client.ip });
}

/**
 * Resolves an access token's claims to a live account: the session must be open and the user
 * enabled. Returns null when the token must be refused.
 */
export async function resolveSession(ctx: ServiceContext, claims: { sub?: string; sid?: string }): Promise<User | null> {
  if (!claims.sub || !claims.sid) return null;
  // Every authenticated request runs this: one indexed raw query (a model query with a join costs
  // ten times more), open session joined to an enabled account.
  const rows = await ctx.sequelize.query<Record<string, unknown>>(
    `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = :sid AND s.user_id = :sub AND s.revoked_at IS NULL AND s.expires_at > :now AND u.disabled = :no`,
    { replacements: { sid: claims.sid, sub: claims.sub, now: ctx.now(), no: false }, type: QueryTypes.SELECT },
  );
  const row = rows[0];
  if (!row) return null;
  // SQLite hands back dates as text and booleans as 0/1; PostgreSQL as Date and boolean.
  return ctx.models.User.build(
    {
      ...row,
      disabled: Boolean(row.disabled),
      created_at: new Date(row.created_at as string | Date),
      updated_at: new Date(row.updated_at as string | Date),
    } as never,
    { isNewRecord: false, raw: true },
  );
}

export async function changePassword(
  ctx: ServiceContext,
  auth: { userId: string; sessionId: string },
  input: { current_password: string; new_password: string },
  client: ClientInfo,
): Promise<void> {
  const user = await ctx.models.User.findByPk(auth.userId);
  if (!user) throw unauthorized();
  if (!(await verifyPassword(input.current_password, user.password_hash))) {
    throw validationFailed('current_password is incorrect', [{ field: 'current_password', message: 'incorrect' }]);
  }
  if (input.current_password === input.new_password) {
    throw validationFailed('new_password must differ from the current one', [{ field: 'new_password', message: 'unchanged' }]);
  }
  checkPasswordRules(input.new_password, user, 'new_password');
  const hash = await hashPassword(input.new_password, ctx.config.bcryptRounds);
  await ctx.sequelize.transaction(async (transaction) => {
    await user.update({ password_hash: hash }, { transaction });
    // Every other session ends; the one that changed the password stays.
    await ctx.models.Session.update(
      { revoked_at: ctx.now(), revoked_reason: 'password_changed' },
      { where: { user_id: user.id, id: { [Op.ne]: auth.sessionId }, revoked_at: { [Op.is]: null } }, transaction },
    );
    await recordAudit(ctx, { actorId: user.id, actorUsername: user.username, action: 'user.password_change', target: `user:${user.id}`, ip: client.ip }, transaction);
  });
}

export function assertAdmin(user: { role: string }): void {
  if (user.role !== 'admin') throw forbidden('administrator role required');
}
