/** Public view of an account, and normalization of the keys it is found by. */
import type { User } from '../models/index.js';

export interface PublicUser {
  id: string;
  username: string;
  email: string;
  role: string;
  disabled: boolean;
  created_at: string;
}

export function publicUser(u: User): PublicUser {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    role: u.role,
    disabled: u.disabled,
    created_at: u.created_at.toISOString(),
  };
}

export const usernameKey = (username: string) => username.trim().toLowerCase();
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
