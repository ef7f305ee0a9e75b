/**
 * @module detect/signals/end-users
 * End-user attribution: how much of a key's traffic names end users who come back. A product
 * serving people passes their ids (`user`) and people return, so the same ids recur; a harvesting
 * client sends none, or a fresh made-up id on every request (attribution that never recurs counts
 * as none). `fixed_config`, `template_reuse` and `harvest_segment` read it.
 */
import type { AccountProfile } from '../profile.js';
import { hllCount } from '../sketches/hll.js';
import { ramp } from './util.js';

/** How far end-user ids recur: ramp(1 − distinct ids ÷ requests with an id, 0.05, 0.3); 0 without ids. */
export function recurrence(p: AccountProfile): number {
  if (p.endUserReq === 0) return 0;
  const distinct = Math.min(p.endUserReq, hllCount(p.hll.endUser));
  return ramp(1 - distinct / p.endUserReq, 0.05, 0.3);
}

/** Share of requests attributed to end users who come back (ids that recur). */
export const attributedShare = (p: AccountProfile, recurring = recurrence(p)) =>
  (p.endUserReq / Math.max(1, p.n)) * recurring;
