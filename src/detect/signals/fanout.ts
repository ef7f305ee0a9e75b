/**
 * @module detect/signals/fanout
 * Multi-model fan-out: the same prompt sent to several models within a short window.
 *
 * > "the same prompt fanned out to several models" (issue 3)
 *
 * Counted over a ring of the key's recent distinct single-turn prompts (near-exact identity from
 * the MinHash signature): the share of prompts that reached at least two models.
 */
import type { AccountProfile } from '../profile.js';
import { topkSorted } from '../sketches/topk.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp } from './util.js';

export function modelFanout(p: AccountProfile, _ctx: SignalContext): SignalResult {
  const share = p.fanPrompts / Math.max(1, p.ringInserts);
  return {
    score: ramp(share, 0.15, 0.5) * ramp(p.ringInserts, 20, 60),
    get detail() {
      const models = topkSorted(p.models).filter((m) => m.c >= 0.05 * p.n);
      return `${pct(share)} of ${num(p.ringInserts)} distinct prompts sent to ≥ 2 models (${models.map((m) => m.id).join(', ')})`;
    },
  };
}
