/**
 * @module detect/linkage/timing
 * Timing evidence between two keys: synchronized activity (cosine similarity of their activity
 * bucket rings over the overlapping window; round-robin rotation across keys reads as aligned at
 * bucket resolution) and sign-up bursts (new keys first seen close together).
 */
import type { AccountProfile } from '../profile.js';
import { ramp } from '../signals/util.js';

/**
 * A key's activity read once for a campaign pass: its L2-normalized buckets from the window's first
 * bucket `from` up to its newest bucket, as `activityVector` reads them. The reading stays exact for
 * a later head while the key sends nothing and the window has not passed its oldest non-zero bucket:
 * the buckets that left the window were zeros, so the norm, the active count and every value are
 * the same (see `activityHolds`).
 */
export interface Activity {
  /** Absolute bucket index of `v[0]`. */
  from: number;
  /** The values, in `v[0]` … `v[size − 1]` (the array may be longer: it is reused, see `readActivity`). */
  v: Float64Array;
  size: number;
  active: number;
  /** Oldest bucket with a non-zero count (+∞ when none). */
  oldest: number;
}

/**
 * A key's activity ring aligned on absolute bucket `head`, L2-normalized, read as an `Activity`:
 * a new one, or written into `into` (an earlier reading of the same key that nothing reads any
 * more), whose array is reused when it is long enough.
 */
export function readActivity(p: AccountProfile, head: number, into?: Activity): Activity {
  const len = p.act.length;
  const from = head - len + 1;
  const size = p.actHead >= 0 && p.actHead >= from ? p.actHead - from + 1 : 0;
  const v = into !== undefined && into.v.length >= size ? into.v : new Float64Array(size);
  let norm = 0;
  let active = 0;
  let oldest = Number.POSITIVE_INFINITY;
  // Newest first (buckets past the key's head stay out).
  for (let abs = from + size - 1; abs >= from; abs--) {
    const x = p.act[((abs % len) + len) % len]!;
    v[abs - from] = x;
    norm += x * x;
    if (x > 0) {
      active++;
      oldest = abs;
    }
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < size; i++) v[i]! *= inv;
  }
  if (into === undefined) return { from, v, size, active, oldest };
  into.from = from;
  into.v = v;
  into.size = size;
  into.active = active;
  into.oldest = oldest;
  return into;
}

/** Whether a reading of a key that sent nothing since is still exact at `head`. */
export function activityHolds(a: Activity, head: number, len: number): boolean {
  return head - len + 1 <= a.oldest;
}

/**
 * Synchronized-activity evidence of two readings: the cosine of their aligned vectors (the dot
 * product over the buckets both cover, oldest first; the others would add zeros), ramped, times
 * how many buckets the quieter key was active in.
 */
export function syncOf(a: Activity, b: Activity): number {
  const active = ramp(Math.min(a.active, b.active), 6, 24);
  if (active === 0) return 0;
  const start = Math.max(a.from, b.from);
  const end = Math.min(a.from + a.size, b.from + b.size);
  let dot = 0;
  for (let abs = start; abs < end; abs++) dot += a.v[abs - a.from]! * b.v[abs - b.from]!;
  return ramp(dot, 0.6, 0.9) * active;
}

/** Sign-up burst evidence: both keys appeared after the warm-up, within `burstMs` of each other. */
export function signupBurst(
  a: AccountProfile,
  b: AccountProfile,
  startTs: number,
  warmupMs: number,
  burstMs: number,
): number {
  if (a.firstTs - startTs < warmupMs || b.firstTs - startTs < warmupMs) return 0;
  return Math.abs(a.firstTs - b.firstTs) <= burstMs ? 1 : 0;
}
