/**
 * @module detect/signals/grading
 * Rubric / grading prompts (`prompt.grading`): the model used as a reward model.
 *
 * > "Rubric-based grading prompts use the model as a reward model." (issue 3)
 *
 * LLM-as-judge evaluation is legitimate in small doses; at a large share of a key's traffic it
 * is reward-model harvesting. 10% starts to count, 50% is full.
 */
import type { AccountProfile } from '../profile.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp } from './util.js';

export function grading(p: AccountProfile, _ctx: SignalContext): SignalResult {
  const share = p.grading / Math.max(1, p.n);
  return {
    score: ramp(share, 0.1, 0.5),
    get detail() {
      return `${pct(share)} of ${num(p.n)} requests are rubric/grading prompts`;
    },
  };
}
