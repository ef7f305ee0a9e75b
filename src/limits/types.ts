/**
 * @module limits/types
 * The limits contract. The gateway talks only to `LimitsStore`; the in-memory store (default)
 * and the Redis store (cluster mode) implement it and pass the same test suite.
 *
 * Lifecycle of one request: `reserve` (before forwarding; counts the request against RPM,
 * reserves estimated tokens against TPM and the daily/monthly quotas, takes a concurrency
 * slot) → exactly one of `settle` (real usage known: tokens corrected to the actual figure,
 * slot freed) or `release` (failure or client cancel: reserved tokens returned, slot freed).
 * Both are idempotent per reservation id, so a double call never frees twice.
 */

/** Limits for one subject (a key or an org). An absent field means unlimited. */
export interface LimitRule {
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  tokensPerDay?: number;
  tokensPerMonth?: number;
}

export type LimitScope = 'key' | 'org';

export interface LimitSubject {
  scope: LimitScope;
  id: string;
  rule: LimitRule;
}

/** Which limit refused a request, e.g. `key.rpm`, `org.tpm`, `key.concurrency`, `org.tokens_per_day`. */
export type LimitName =
  `${LimitScope}.${'rpm' | 'tpm' | 'concurrency' | 'tokens_per_day' | 'tokens_per_month'}`;

/** One window's state, as sent in x-ratelimit-* headers. */
export interface WindowState {
  limit: number;
  remaining: number;
  /** Milliseconds until the window is fully replenished. */
  resetMs: number;
}

/** The tightest request and token windows across all subjects, for the response headers. */
export interface LimitStatus {
  requests: WindowState | null;
  tokens: WindowState | null;
}

export interface ReserveRequest {
  /** Unique per request; makes settle/release idempotent. */
  requestId: string;
  subjects: LimitSubject[];
  /** Estimated total tokens (prompt + max output) reserved up front. */
  estimatedTokens: number;
  /** Wall-clock milliseconds (injected for tests). */
  now: number;
}

export interface Reservation {
  requestId: string;
  subjects: LimitSubject[];
  reservedTokens: number;
  at: number;
}

export type ReserveResult =
  | { ok: true; reservation: Reservation; status: LimitStatus }
  | { ok: false; limitedBy: LimitName; retryAfterMs: number; status: LimitStatus };

export interface LimitsStore {
  reserve(req: ReserveRequest): Promise<ReserveResult>;
  /** Real usage is known: replace the reserved tokens by `actualTokens` and free the slot. */
  settle(reservation: Reservation, actualTokens: number, now: number): Promise<void>;
  /** Failure or cancel: return the reserved tokens and free the slot (the request still counts for RPM). */
  release(reservation: Reservation, now: number): Promise<void>;
  /** Current status without consuming anything (for headers on refusals and for the admin API). */
  peek(subjects: LimitSubject[], now: number): Promise<LimitStatus>;
  /** Slots currently held by a subject (tests and the admin API). */
  inFlight(scope: LimitScope, id: string): Promise<number>;
  close(): Promise<void>;
}
