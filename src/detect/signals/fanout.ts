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
import type { Signal } from './types.js';
import { num, pct, ramp } from './util.js';

const fanShare = (p: AccountProfile) => p.fanPrompts / Math.max(1, p.ringInserts);

export const modelFanout: Signal = {
  name: 'model_fanout',
  score: (p) => ramp(fanShare(p), 0.15, 0.5) * ramp(p.ringInserts, 20, 60),
  detail(p) {
    const models = topkSorted(p.models).filter((m) => m.c >= 0.05 * p.n);
    return `${pct(fanShare(p))} of ${num(p.ringInserts)} distinct prompts sent to ≥ 2 models (${models.map((m) => m.id).join(', ')})`;
  },
};
