/**
 * @module detect/linkage/timing
 * Timing evidence between two keys: synchronized activity (cosine similarity of their activity
 * bucket rings over the overlapping window; round-robin rotation across keys reads as aligned at
 * bucket resolution) and sign-up bursts (new keys first seen close together).
 */
import type { AccountProfile } from '../profile.js';
import { ramp } from '../signals/util.js';

/** Cosine similarity of two activity rings (aligned on absolute bucket index) and active buckets of each. */
export function activityCosine(a: AccountProfile, b: AccountProfile): { cos: number; active: number } {
  const len = a.act.length;
  const head = Math.min(a.actHead, b.actHead);
  if (head < 0) return { cos: 0, active: 0 };
  let dot = 0;
  let na = 0;
  let nb = 0;
  let activeA = 0;
  let activeB = 0;
  for (let back = 0; back < len; back++) {
    const abs = head - back;
    if (a.actHead - abs >= len || b.actHead - abs >= len) break;
    const i = ((abs % len) + len) % len;
    const x = a.act[i]!;
    const y = b.act[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
    if (x > 0) activeA++;
    if (y > 0) activeB++;
  }
  if (na === 0 || nb === 0) return { cos: 0, active: 0 };
  return { cos: dot / Math.sqrt(na * nb), active: Math.min(activeA, activeB) };
}

/** Activity ring aligned on absolute bucket `head` (newest last), L2-normalized, with its active bucket count. */
export function activityVector(p: AccountProfile, head: number): { v: Float64Array; active: number } {
  const len = p.act.length;
  const v = new Float64Array(len);
  let norm = 0;
  let active = 0;
  if (p.actHead >= 0) {
    for (let back = 0; back < len; back++) {
      const abs = head - back;
      if (abs > p.actHead || p.actHead - abs >= len) continue;
      const x = p.act[((abs % len) + len) % len]!;
      v[len - 1 - back] = x;
      norm += x * x;
      if (x > 0) active++;
    }
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < len; i++) v[i]! *= inv;
  }
  return { v, active };
}

/** Synchronized-activity evidence from two aligned activity vectors. */
export function syncFromVectors(
  a: { v: Float64Array; active: number },
  b: { v: Float64Array; active: number },
): number {
  let dot = 0;
  for (let i = 0; i < a.v.length; i++) dot += a.v[i]! * b.v[i]!;
  return ramp(dot, 0.6, 0.9) * ramp(Math.min(a.active, b.active), 6, 24);
}

/** Synchronized-activity evidence in [0,1]. */
export function syncEvidence(a: AccountProfile, b: AccountProfile): number {
  const { cos, active } = activityCosine(a, b);
  return ramp(cos, 0.6, 0.9) * ramp(active, 6, 24);
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
