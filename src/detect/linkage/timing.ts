/**
 * @module detect/linkage/timing
 * Timing evidence between two keys: synchronized activity (cosine similarity of their activity
 * bucket rings over the overlapping window; round-robin rotation across keys reads as aligned at
 * bucket resolution) and sign-up bursts (new keys first seen close together).
 */
import type { AccountProfile } from '../profile.js';
import { ramp } from '../signals/util.js';

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
  const active = ramp(Math.min(a.active, b.active), 6, 24);
  if (active === 0) return 0; // too few active buckets: no evidence, whatever the alignment
  let dot = 0;
  for (let i = 0; i < a.v.length; i++) dot += a.v[i]! * b.v[i]!;
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
