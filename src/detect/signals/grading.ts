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
import type { Signal } from './types.js';
import { num, pct, ramp } from './util.js';

const gradingShare = (p: AccountProfile) => p.grading / Math.max(1, p.n);

export const grading: Signal = {
  name: 'grading',
  score: (p) => ramp(gradingShare(p), 0.1, 0.5),
  detail: (p) => `${pct(gradingShare(p))} of ${num(p.n)} requests are rubric/grading prompts`,
};
