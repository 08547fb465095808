/**
 * Platform identities and their accounts.
 *
 * Someone who uses a bot without having linked gets an account of their own at once (username like
 * `slack-T1-U1`, a random password nobody knows, so no login until linked or reset). Linking
 * connects the identity to a real account with a one-time code, either way round:
 *   - the bot shows a code privately; the logged-in user redeems it with POST /api/v1/auth/link;
 *   - the user gets a code from POST /api/v1/auth/link-code and types `link CODE` to the bot.
 * When the identity was on an auto-created account, that account's files, todos, events and
 * questions move to the real account and the auto account is deleted, all in one transaction.
 */
import { randomInt } from 'node:crypto';
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { PlatformIdentity, User } from '../models/index.js';
import { recordAudit } from './audit.js';
import type { ServiceContext } from './context.js';
import { AppError, conflict } from './errors.js';
import { hashPassword } from './passwords.js';
import { randomSecret, sha256 } from './tokens.js';
import { usernameKey } from './users.js';

export interface PlatformIdentityRef {
  platform: 'slack' | 'discord';
  /** Slack team id / Discord guild id ('' for Discord DMs). */
  workspaceId: string;
  /** Slack user id / Discord user id. */
  userId: string;
  displayName?: string;
}

/** How long a link code stays valid. */
export const LINK_CODE_MINUTES = 15;
/** Unambiguous letters and digits (no 0/O, 1/I): 32 symbols, 5 bits each; 10 of them = 50 bits. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;
const AUTO_EMAIL_DOMAIN = 'auto.teamsync.invalid';

export interface LinkCodeOut {
  /** Shown to the person as XXXXX-XXXXX; spaces, dashes and case do not matter when typed back. */
  code: string;
  expires_at: string;
}

export interface LinkOutcome {
  user_id: string;
  identity: { platform: string; workspace_id: string; platform_user_id: string; display_name: string | null };
  /** What moved over from the identity's auto-created account (zeros when there was none). */
  merged: { files: number; todos: number; events: number };
  /** false when the identity was already linked to this account. */
  changed: boolean;
}

export const invalidLinkCode = () => new AppError(400, 'invalid_link_code', 'this link code is unknown, used or expired; ask for a new one');

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The canonical form a code is stored under (hashed): letters and digits only, upper case. */
export function normalizeLinkCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

const identityWhere = (ref: PlatformIdentityRef) => ({ platform: ref.platform, workspace_id: ref.workspaceId, platform_user_id: ref.userId });

function autoUsername(ref: PlatformIdentityRef): string {
  const parts = [ref.platform, ref.workspaceId, ref.userId].filter(Boolean).join('-');
  return parts.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
}

export async function findIdentity(ctx: ServiceContext, ref: PlatformIdentityRef, transaction?: Transaction): Promise<PlatformIdentity | null> {
  return ctx.models.PlatformIdentity.findOne({ where: identityWhere(ref), transaction });
}

/**
 * The account acting for this platform identity: the linked one, or a new auto-created account the
 * first time. Two first uses racing end on the same account (the identity's unique index decides).
 */
export async function accountForIdentity(ctx: ServiceContext, ref: PlatformIdentityRef): Promise<{ userId: string; autoCreated: boolean }> {
  const found = await ctx.models.PlatformIdentity.findOne({
    where: identityWhere(ref),
    include: [{ model: ctx.models.User, attributes: ['id', 'auto_created', 'disabled'] }],
  });
  if (found) {
    const user = (found as PlatformIdentity & { User?: User }).User;
    if (user?.disabled) throw new AppError(403, 'account_disabled', 'the TeamSync account linked to you is disabled');
    if (ref.displayName && ref.displayName !== found.display_name) await found.update({ display_name: ref.displayName.slice(0, 256) });
    return { userId: found.user_id, autoCreated: Boolean(user?.auto_created) };
  }
  const passwordHash = await hashPassword(randomSecret(), ctx.config.bcryptRounds);
  const base = autoUsername(ref);
  try {
    return await ctx.sequelize.transaction(async (transaction) => {
      let username = base;
      if (await ctx.models.User.findOne({ where: { username_key: usernameKey(username) }, attributes: ['id'], transaction })) {
        username = `${base.slice(0, 57)}-${randomSecret(4).replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6)}`;
      }
      const user = await ctx.models.User.create(
        {
          username,
          username_key: usernameKey(username),
          email: `${randomSecret(12).replace(/[^A-Za-z0-9]/g, 'x').toLowerCase()}@${AUTO_EMAIL_DOMAIN}`,
          password_hash: passwordHash,
          auto_created: true,
        },
        { transaction },
      );
      await ctx.models.PlatformIdentity.create(
        { ...identityWhere(ref), user_id: user.id, display_name: ref.displayName?.slice(0, 256) ?? null },
        { transaction },
      );
      return { userId: user.id, autoCreated: true };
    });
  } catch (err) {
    if (!(err instanceof UniqueConstraintError)) throw err;
    const winner = await findIdentity(ctx, ref);
    if (!winner) throw err;
    return { userId: winner.user_id, autoCreated: true };
  }
}

async function issueCode(ctx: ServiceContext, fields: { user_id?: string; platform?: string; workspace_id?: string; platform_user_id?: string }): Promise<LinkCodeOut> {
  const now = ctx.now();
  const expires = new Date(now.getTime() + LINK_CODE_MINUTES * 60_000);
  // Old codes are of no use to anyone: sweep them while we are here.
  await ctx.models.LinkCode.destroy({ where: { expires_at: { [Op.lt]: new Date(now.getTime() - 86400_000) } } });
  const code = newCode();
  await ctx.models.LinkCode.create({ code_hash: sha256(normalizeLinkCode(code)), ...fields, expires_at: expires, created_at: now });
  return { code, expires_at: expires.toISOString() };
}

/** A code the bot shows privately to this identity; the logged-in user redeems it with `redeemCodeForAccount`. */
export async function issueCodeForIdentity(ctx: ServiceContext, ref: PlatformIdentityRef): Promise<LinkCodeOut> {
  await accountForIdentity(ctx, ref);
  return issueCode(ctx, { platform: ref.platform, workspace_id: ref.workspaceId, platform_user_id: ref.userId });
}

/** A code for this account; the person types it to a bot (`redeemCodeForIdentity`). */
export async function issueCodeForAccount(ctx: ServiceContext, userId: string): Promise<LinkCodeOut> {
  return issueCode(ctx, { user_id: userId });
}

/** Takes the code (once): the row, or an invalid-code error. Must run inside the linking transaction. */
async function takeCode(ctx: ServiceContext, code: string, kind: 'identity' | 'account', transaction: Transaction) {
  const normalized = normalizeLinkCode(code);
  if (normalized.length !== CODE_LENGTH) throw invalidLinkCode();
  const row = await ctx.models.LinkCode.findOne({ where: { code_hash: sha256(normalized) }, transaction });
  const now = ctx.now();
  if (!row || row.used_at || row.expires_at.getTime() <= now.getTime()) throw invalidLinkCode();
  if (kind === 'account' ? !row.user_id : !row.platform_user_id) throw invalidLinkCode();
  const [taken] = await ctx.models.LinkCode.update({ used_at: now }, { where: { id: row.id, used_at: null }, transaction });
  if (taken !== 1) throw invalidLinkCode();
  return row;
}

/**
 * Connects the identity to the account. An identity on an auto-created account brings that account's
 * data along and the auto account goes; one linked to another real account is refused.
 */
async function linkIdentity(ctx: ServiceContext, ref: PlatformIdentityRef, targetUserId: string, transaction: Transaction): Promise<LinkOutcome> {
  const { models } = ctx;
  const target = await models.User.findOne({ where: { id: targetUserId }, transaction });
  if (!target || target.disabled) throw invalidLinkCode();
  const identity = await findIdentity(ctx, ref, transaction);
  const merged = { files: 0, todos: 0, events: 0 };
  const view = (i: PlatformIdentity): LinkOutcome['identity'] => ({
    platform: i.platform,
    workspace_id: i.workspace_id,
    platform_user_id: i.platform_user_id,
    display_name: i.display_name ?? null,
  });
  if (!identity) {
    const created = await models.PlatformIdentity.create(
      { ...identityWhere(ref), user_id: target.id, display_name: ref.displayName?.slice(0, 256) ?? null },
      { transaction },
    );
    return { user_id: target.id, identity: view(created), merged, changed: true };
  }
  if (identity.user_id === target.id) return { user_id: target.id, identity: view(identity), merged, changed: false };
  const previous = await models.User.findOne({ where: { id: identity.user_id }, transaction });
  if (previous && !previous.auto_created) {
    throw conflict(`this ${ref.platform} account is already linked to another TeamSync account; unlink it there first`);
  }
  if (target.auto_created) throw conflict('link to a TeamSync account you log in to, not to another chat identity');
  const from = { where: { user_id: identity.user_id }, transaction };
  [merged.files] = await models.UploadedFile.update({ user_id: target.id }, from);
  [merged.todos] = await models.TodoItem.update({ user_id: target.id }, from);
  [merged.events] = await models.CalendarEvent.update({ user_id: target.id }, from);
  await models.ChatTurn.update({ user_id: target.id }, from);
  // Every identity that shared the auto account comes along (normally just this one).
  await models.PlatformIdentity.update({ user_id: target.id }, from);
  if (previous) await previous.destroy({ transaction });
  await identity.reload({ transaction });
  return { user_id: target.id, identity: view(identity), merged, changed: true };
}

async function audit(ctx: ServiceContext, outcome: LinkOutcome, via: string, transaction: Transaction): Promise<void> {
  await recordAudit(
    ctx,
    {
      actorId: outcome.user_id,
      action: 'identity.link',
      target: `${outcome.identity.platform}:${outcome.identity.workspace_id}:${outcome.identity.platform_user_id}`,
      details: { via, merged: outcome.merged },
    },
    transaction,
  );
}

/** The logged-in account redeems a code a bot showed: the bot's identity joins this account. */
export async function redeemCodeForAccount(ctx: ServiceContext, userId: string, code: string): Promise<LinkOutcome> {
  return ctx.sequelize.transaction(async (transaction) => {
    const row = await takeCode(ctx, code, 'identity', transaction);
    const ref: PlatformIdentityRef = { platform: row.platform as PlatformIdentityRef['platform'], workspaceId: row.workspace_id ?? '', userId: row.platform_user_id! };
    const outcome = await linkIdentity(ctx, ref, userId, transaction);
    await audit(ctx, outcome, 'api', transaction);
    return outcome;
  });
}

/** A platform identity redeems a code issued to an account: the identity joins that account. */
export async function redeemCodeForIdentity(ctx: ServiceContext, ref: PlatformIdentityRef, code: string): Promise<LinkOutcome & { username: string }> {
  return ctx.sequelize.transaction(async (transaction) => {
    const row = await takeCode(ctx, code, 'account', transaction);
    const outcome = await linkIdentity(ctx, ref, row.user_id!, transaction);
    await audit(ctx, outcome, ref.platform, transaction);
    const user = await ctx.models.User.findOne({ where: { id: outcome.user_id }, attributes: ['username'], transaction });
    return { ...outcome, username: user?.username ?? '' };
  });
}

/** The account's username and whether the bots created it (for "who am I linked to"). */
export async function accountSummary(ctx: ServiceContext, userId: string): Promise<{ username: string; autoCreated: boolean } | null> {
  const user = await ctx.models.User.findOne({ where: { id: userId }, attributes: ['username', 'auto_created'] });
  return user ? { username: user.username, autoCreated: Boolean(user.auto_created) } : null;
}

/** The platform identity linked to an account in a workspace (to address its owner privately). */
export async function identityOfAccount(ctx: ServiceContext, userId: string, platform: string, workspaceId: string): Promise<string | null> {
  const found = await ctx.models.PlatformIdentity.findOne({ where: { user_id: userId, platform, workspace_id: workspaceId }, attributes: ['platform_user_id'] });
  return found?.platform_user_id ?? null;
}
