/**
 * @module limits/engine
 * The store-independent rules of reserve, settle and release, as pure functions over the state of
 * each subject. A store loads the states, calls these, and saves the result atomically: the
 * memory store does it synchronously, a Redis store does the same in one script.
 *
 * Reserve is all-or-nothing: every limit of every subject is checked first, and only when all
 * pass are the new states committed. A refusal names the limit with the longest wait.
 */
import { type GcraParams, gcraAllow, gcraCharge, gcraRemaining, gcraResetMs, MINUTE_MS } from './gcra.js';
import { type QuotaState, quotaAllow, quotaCharge, quotaCorrect, quotaUsed } from './quota.js';
import type { LimitName, LimitRule, LimitStatus, LimitSubject, WindowState } from './types.js';

/** What one subject (a key or an org) holds between requests. */
export interface SubjectState {
  /** GCRA theoretical arrival time of the requests-per-minute window (0 = idle). */
  rpmTat: number;
  /** GCRA theoretical arrival time of the tokens-per-minute window (0 = idle). */
  tpmTat: number;
  day?: QuotaState;
  month?: QuotaState;
  /** Reservations currently held (concurrency slots). */
  inFlight: number;
}

export const emptyState = (): SubjectState => ({
  rpmTat: 0,
  tpmTat: 0,
  day: undefined,
  month: undefined,
  inFlight: 0,
});

/** A copy with another slot count, every field written out (one object shape, no spread). */
const copyState = (s: SubjectState, inFlight: number): SubjectState => ({
  rpmTat: s.rpmTat,
  tpmTat: s.tpmTat,
  day: s.day,
  month: s.month,
  inFlight,
});

/** Retry-After suggested when a concurrency limit refuses (no window tells us when a slot frees). */
export const CONCURRENCY_RETRY_MS = 1000;

export const subjectKey = (s: Pick<LimitSubject, 'scope' | 'id'>) => `${s.scope}:${s.id}`;

/** Per-minute GCRA parameters, one shared object per limit value (no allocation per call). */
const PER_MINUTE = new Map<number, GcraParams>();
const perMinute = (limit: number): GcraParams => {
  let p = PER_MINUTE.get(limit);
  if (p === undefined) {
    p = { limit, periodMs: MINUTE_MS };
    if (PER_MINUTE.size < 4096) PER_MINUTE.set(limit, p);
  }
  return p;
};
const limited = (rule: LimitRule, k: keyof LimitRule): number | undefined => {
  const v = rule[k];
  return v === undefined || v === null || !Number.isFinite(v) ? undefined : v;
};

export type Plan =
  | { ok: true; next: SubjectState[] }
  | { ok: false; limitedBy: LimitName; retryAfterMs: number };

interface Refusal {
  limitedBy: LimitName;
  retryAfterMs: number;
}

/** The longer of two refusals (the first on a tie). */
const worse = (a: Refusal | null, limitedBy: LimitName, retryAfterMs: number): Refusal =>
  a !== null && a.retryAfterMs >= retryAfterMs ? a : { limitedBy, retryAfterMs };

/** Checks every limit of one subject; returns its next state and the worst refusal so far. */
function planSubject(
  subject: LimitSubject,
  state: SubjectState,
  tokens: number,
  now: number,
  worst: Refusal | null,
): { next: SubjectState; worst: Refusal | null } {
  const { rule, scope } = subject;
  const next = copyState(state, state.inFlight + 1);
  const concurrency = limited(rule, 'concurrency');
  if (concurrency !== undefined && state.inFlight + 1 > concurrency) {
    worst = worse(worst, `${scope}.concurrency`, CONCURRENCY_RETRY_MS);
  }
  const rpm = limited(rule, 'rpm');
  if (rpm !== undefined) {
    const d = gcraAllow(state.rpmTat, 1, now, perMinute(rpm));
    if (d.ok) next.rpmTat = d.tat;
    else worst = worse(worst, `${scope}.rpm`, d.retryAfterMs);
  }
  const tpm = limited(rule, 'tpm');
  if (tpm !== undefined) {
    const d = gcraAllow(state.tpmTat, tokens, now, perMinute(tpm));
    if (d.ok) next.tpmTat = d.tat;
    else worst = worse(worst, `${scope}.tpm`, d.retryAfterMs);
  }
  const perDay = limited(rule, 'tokensPerDay');
  if (perDay !== undefined) {
    const d = quotaAllow(state.day, tokens, perDay, 'day', now);
    if (d.ok) next.day = quotaCharge(state.day, tokens, 'day', now);
    else worst = worse(worst, `${scope}.tokens_per_day`, d.retryAfterMs);
  }
  const perMonth = limited(rule, 'tokensPerMonth');
  if (perMonth !== undefined) {
    const d = quotaAllow(state.month, tokens, perMonth, 'month', now);
    if (d.ok) next.month = quotaCharge(state.month, tokens, 'month', now);
    else worst = worse(worst, `${scope}.tokens_per_month`, d.retryAfterMs);
  }
  return { next, worst };
}

/** Plans a reservation across all subjects (states in the same order as subjects). */
export function planReserve(
  subjects: readonly LimitSubject[],
  states: readonly SubjectState[],
  estimatedTokens: number,
  now: number,
): Plan {
  const tokens = Math.max(0, estimatedTokens);
  const next: SubjectState[] = new Array(subjects.length);
  let worst: Refusal | null = null;
  for (let i = 0; i < subjects.length; i++) {
    const planned = planSubject(subjects[i]!, states[i] ?? emptyState(), tokens, now, worst);
    next[i] = planned.next;
    worst = planned.worst;
  }
  if (worst !== null) return { ok: false, limitedBy: worst.limitedBy, retryAfterMs: worst.retryAfterMs };
  return { ok: true, next };
}

/**
 * Settles or releases one subject's share of a reservation made at `at` for `reserved` tokens:
 * tokens are corrected by `actual - reserved` (release passes actual = 0) and the slot is freed.
 * The request keeps counting for RPM.
 */
export function applyFinish(
  subject: LimitSubject,
  state: SubjectState,
  reserved: number,
  actual: number,
  at: number,
  now: number,
): SubjectState {
  const delta = Math.max(0, actual) - reserved;
  const next = copyState(state, Math.max(0, state.inFlight - 1));
  const tpm = limited(subject.rule, 'tpm');
  if (tpm !== undefined && delta !== 0) next.tpmTat = gcraCharge(state.tpmTat, delta, now, perMinute(tpm));
  if (delta !== 0 && state.day) next.day = quotaCorrect(state.day, delta, 'day', at, now);
  if (delta !== 0 && state.month) next.month = quotaCorrect(state.month, delta, 'month', at, now);
  return next;
}

function tighter(a: WindowState | null, b: WindowState): WindowState {
  if (!a) return b;
  if (b.remaining !== a.remaining) return b.remaining < a.remaining ? b : a;
  return b.resetMs > a.resetMs ? b : a;
}

/** The tightest requests and tokens windows across subjects, for the x-ratelimit-* headers. */
export function statusOf(
  subjects: readonly LimitSubject[],
  states: readonly SubjectState[],
  now: number,
): LimitStatus {
  let requests: WindowState | null = null;
  let tokens: WindowState | null = null;
  for (let i = 0; i < subjects.length; i++) {
    const rule = subjects[i]!.rule;
    const state = states[i] ?? emptyState();
    const rpm = limited(rule, 'rpm');
    if (rpm !== undefined) {
      requests = tighter(requests, {
        limit: rpm,
        remaining: gcraRemaining(state.rpmTat, now, perMinute(rpm)),
        resetMs: gcraResetMs(state.rpmTat, now),
      });
    }
    const tpm = limited(rule, 'tpm');
    if (tpm !== undefined) {
      tokens = tighter(tokens, {
        limit: tpm,
        remaining: gcraRemaining(state.tpmTat, now, perMinute(tpm)),
        resetMs: gcraResetMs(state.tpmTat, now),
      });
    }
  }
  return { requests, tokens };
}

/** True when a state carries nothing worth keeping (windows replenished, no slot, no quota use). */
export function isIdle(state: SubjectState, now: number): boolean {
  return (
    state.inFlight === 0 &&
    state.rpmTat <= now &&
    state.tpmTat <= now &&
    quotaUsed(state.day, 'day', now) === 0 &&
    quotaUsed(state.month, 'month', now) === 0
  );
}
