/** Access tokens (JWT, HS256) and opaque secrets stored only as their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const JWT_ALGORITHM = 'HS256' as const;
export const JWT_ISSUER = 'teamsync';

export interface AccessClaims {
  sub: string;
  sid: string;
  role: string;
}

export function signAccessToken(claims: AccessClaims, secret: string, minutes: number): string {
  return jwt.sign({ sid: claims.sid, role: claims.role }, secret, {
    algorithm: JWT_ALGORITHM,
    subject: claims.sub,
    issuer: JWT_ISSUER,
    expiresIn: minutes * 60,
  });
}

/** A random URL-safe secret (refresh token, reset token, feed token, link code). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}
