/**
 * @module dashboard/sessions
 * Server-side dashboard sessions: random ids mapped to an expiry, held in memory. The browser
 * only ever holds the id (in an HttpOnly cookie); the admin token never leaves the sign-in request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionStoreOptions {
  /** Lifetime of a session from its creation (ms). */
  ttlMs?: number;
  /** Most sessions held at once; the oldest is dropped beyond it. */
  maxSessions?: number;
  /** Clock (injected for tests). */
  now?: () => number;
}

export const SESSION_STORE_DEFAULTS = {
  ttlMs: 12 * 60 * 60 * 1000,
  maxSessions: 10_000,
  now: Date.now,
} satisfies Required<SessionStoreOptions>;

export interface Session {
  id: string;
  createdAt: number;
  expiresAt: number;
}

/** In-memory session map with expiry. Ids are 32 random bytes, base64url. */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #opts: Required<SessionStoreOptions>;

  constructor(options: SessionStoreOptions = {}) {
    this.#opts = { ...SESSION_STORE_DEFAULTS, ...options };
  }

  create(): Session {
    this.sweep();
    while (this.#sessions.size >= this.#opts.maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const now = this.#opts.now();
    const session = {
      id: randomBytes(32).toString('base64url'),
      createdAt: now,
      expiresAt: now + this.#opts.ttlMs,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** True when `id` names a live session; an expired one is removed. */
  verify(id: string | undefined | null): boolean {
    if (!id) return false;
    const session = this.#sessions.get(id);
    if (!session) return false;
    if (session.expiresAt <= this.#opts.now()) {
      this.#sessions.delete(id);
      return false;
    }
    return true;
  }

  get(id: string): Session | null {
    return this.verify(id) ? (this.#sessions.get(id) ?? null) : null;
  }

  revoke(id: string | undefined | null): void {
    if (id) this.#sessions.delete(id);
  }

  /** Drops every expired session. */
  sweep(): void {
    const now = this.#opts.now();
    for (const [id, s] of this.#sessions) if (s.expiresAt <= now) this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }
}

/** Constant-time comparison of two secrets (compares their SHA-256 digests). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}
