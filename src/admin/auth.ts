/**
 * @module admin/auth
 * Admin authentication: `Authorization: Bearer <admin token>`, compared in constant time over
 * SHA-256 digests so neither the token's content nor its length leaks through timing. Customer
 * keys never match. Browsers use a dashboard session cookie instead (`sessionAuth` in
 * src/dashboard): the admin token itself is never accepted from a cookie.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time equality of two tokens (digests have equal length whatever the inputs). */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected)) && expected.length > 0;
}

/** The Bearer token a request presents, or null. */
export function presentedToken(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string') return null;
  const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
  return m?.[1]?.trim() ?? null;
}
