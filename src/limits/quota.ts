/**
 * @module limits/quota
 * Daily and monthly token quotas over fixed UTC calendar windows (`2026-11-29`, `2026-11`).
 * A counter belongs to one window; when the window id changes the count starts again at zero.
 * Pure functions over a small `{ window, used }` state.
 */

export type QuotaPeriod = 'day' | 'month';

export interface QuotaState {
  /** Window id: `YYYY-MM-DD` for days, `YYYY-MM` for months (UTC). */
  window: string;
  used: number;
}

const DAY_MS = 86_400_000;

interface DayWindows {
  dayIndex: number;
  day: string;
  month: string;
  dayEnd: number;
  monthEnd: number;
}

/** The windows of the last day asked for: ids are computed once per UTC day, not per call. */
let memo: DayWindows | null = null;

function windowsOf(now: number): DayWindows {
  const dayIndex = Math.floor(now / DAY_MS);
  if (memo?.dayIndex === dayIndex) return memo;
  const d = new Date(dayIndex * DAY_MS);
  const iso = d.toISOString();
  memo = {
    dayIndex,
    day: iso.slice(0, 10),
    month: iso.slice(0, 7),
    dayEnd: (dayIndex + 1) * DAY_MS,
    monthEnd: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
  return memo;
}

/** The UTC window id containing `now`. */
export function windowId(period: QuotaPeriod, now: number): string {
  const w = windowsOf(now);
  return period === 'day' ? w.day : w.month;
}

/** Epoch ms at which the window containing `now` ends (next UTC midnight or first of next month). */
export function windowEnd(period: QuotaPeriod, now: number): number {
  const w = windowsOf(now);
  return period === 'day' ? w.dayEnd : w.monthEnd;
}

/** Tokens used in the current window (0 when the stored state is from an earlier window). */
export function quotaUsed(state: QuotaState | undefined, period: QuotaPeriod, now: number): number {
  return state && state.window === windowId(period, now) ? state.used : 0;
}

export type QuotaDecision = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Checks a reservation of `cost` tokens. A cost above the whole quota is checked as the quota, so
 * a single large request is admitted into an untouched window instead of never.
 */
export function quotaAllow(
  state: QuotaState | undefined,
  cost: number,
  limit: number,
  period: QuotaPeriod,
  now: number,
): QuotaDecision {
  const used = quotaUsed(state, period, now);
  if (used + Math.min(cost, limit) <= limit) return { ok: true };
  return { ok: false, retryAfterMs: windowEnd(period, now) - now };
}

/** Adds `delta` (negative to refund) to the current window, never below zero. */
export function quotaCharge(
  state: QuotaState | undefined,
  delta: number,
  period: QuotaPeriod,
  now: number,
): QuotaState {
  const window = windowId(period, now);
  const used = quotaUsed(state, period, now);
  return { window, used: Math.max(0, used + delta) };
}

/**
 * Applies a settle/release correction for a reservation made at `at`. Corrections to a window
 * that has already rolled over are dropped: the old window no longer limits anything, and the
 * new one never saw the reservation.
 */
export function quotaCorrect(
  state: QuotaState | undefined,
  delta: number,
  period: QuotaPeriod,
  at: number,
  now: number,
): QuotaState | undefined {
  if (windowId(period, at) !== windowId(period, now)) return state;
  return quotaCharge(state, delta, period, now);
}
