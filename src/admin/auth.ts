/**
 * @module admin/auth
 * Admin authentication: `Authorization: Bearer <admin token>` (or the `dg_admin_token` cookie,
 * for browsers' EventSource), compared in constant time over SHA-256 digests so neither the
 * token's content nor its length leaks through timing. Customer keys never match.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const ADMIN_COOKIE = 'dg_admin_token';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time equality of two tokens (digests have equal length whatever the inputs). */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected)) && expected.length > 0;
}

/** The token a request presents, or null. */
export function presentedToken(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return m?.[1]?.trim() ?? null;
  }
  const cookie = req.headers.cookie;
  if (typeof cookie === 'string') {
    for (const part of cookie.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === ADMIN_COOKIE) return decodeURIComponent(rest.join('='));
    }
  }
  return null;
}
