/** Password hashing (bcrypt) and the rules a new password must meet. */
import bcrypt from 'bcrypt';
import { validationFailed } from './errors.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 72; // bcrypt reads at most 72 bytes

const COMMON = new Set([
  'password', 'password1', 'password123', '1234567890', '123456789', '12345678', 'qwertyuiop', 'iloveyou',
  'letmein123', 'welcome123', 'administrator', 'qwerty12345', 'passw0rd!', 'changeme123', 'trustno1234',
]);

/** Throws a validation error naming the field when the password is weak. */
export function checkPasswordRules(password: string, context: { username?: string; email?: string }, field = 'password'): void {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} bytes`);
  if (COMMON.has(password.toLowerCase())) problems.push('is too common');
  if (/^(.)\1+$/.test(password)) problems.push('must not be one repeated character');
  const lower = password.toLowerCase();
  if (context.username && context.username.length >= 3 && lower.includes(context.username.toLowerCase())) {
    problems.push('must not contain the username');
  }
  const local = context.email?.split('@')[0];
  if (local && local.length >= 3 && lower.includes(local.toLowerCase())) problems.push('must not contain the email address');
  if (problems.length) {
    throw validationFailed(`${field} ${problems.join('; ')}`, [{ field, message: problems.join('; ') }]);
  }
}

export function hashPassword(password: string, rounds: number): Promise<string> {
  return bcrypt.hash(password, rounds);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

const dummyHashes = new Map<number, Promise<string>>();
/**
 * A hash to compare against when the account does not exist, so that login takes the same time
 * whether or not the user exists.
 */
export function dummyHash(rounds: number): Promise<string> {
  let h = dummyHashes.get(rounds);
  if (!h) {
    h = bcrypt.hash('teamsync-no-such-account', rounds);
    dummyHashes.set(rounds, h);
  }
  return h;
}
