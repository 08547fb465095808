/** Request and response shapes of the auth and admin endpoints. */
import { z } from '../openapi.js';

export const UserOut = z
  .object({
    id: z.string().uuid(),
    username: z.string(),
    email: z.string(),
    role: z.enum(['user', 'admin']),
    disabled: z.boolean(),
    created_at: z.string(),
  })
  .openapi('User');

export const Username = z
  .string()
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'may contain letters, digits, ".", "_" and "-" and must start with a letter or digit');
const Password = z.string().min(1, 'is required').max(200, 'must be at most 200 characters');

export const RegisterIn = z
  .object({ username: Username, email: z.string().trim().max(254).email('must be an email address'), password: Password })
  .strict()
  .openapi('RegisterRequest');
export const LoginIn = z
  .object({ username: z.string().trim().min(1, 'is required').max(254), password: Password })
  .strict()
  .openapi('LoginRequest');
export const RefreshIn = z.object({ refresh_token: z.string().min(1, 'is required').max(200) }).strict().openapi('RefreshRequest');
export const PasswordChangeIn = z
  .object({ current_password: Password, new_password: Password })
  .strict()
  .openapi('PasswordChangeRequest');
export const ResetRequestIn = z
  .object({ email: z.string().trim().min(1, 'is required').max(254) })
  .strict()
  .openapi('PasswordResetRequest');
export const ResetConfirmIn = z
  .object({ token: z.string().min(1, 'is required').max(200), new_password: Password })
  .strict()
  .openapi('PasswordResetConfirm');

export const TokenOut = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string(),
    user: UserOut,
  })
  .openapi('TokenResponse');

export const Accepted = z.object({ status: z.string(), message: z.string() }).openapi('Accepted');

export const UserIdParams = z.object({ id: z.string().uuid('must be a user id') });
export const UserListQuery = z.object({
  search: z.string().trim().max(100).optional(),
  role: z.enum(['user', 'admin']).optional(),
  disabled: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const UserList = z
  .object({ items: z.array(UserOut), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('UserList');
export const UserPatchIn = z
  .object({ role: z.enum(['user', 'admin']).optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((v) => v.role !== undefined || v.disabled !== undefined, 'give role or disabled')
  .openapi('UserPatch');
export const AuditQuery = z.object({
  action: z.string().max(64).optional(),
  actor_id: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.coerce.number().int().min(1).optional(),
});
export const AuditList = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        actor_id: z.string().nullable(),
        actor_username: z.string().nullable(),
        action: z.string(),
        target: z.string().nullable(),
        ip: z.string().nullable(),
        details: z.unknown().nullable(),
        at: z.string(),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi('AuditList');
