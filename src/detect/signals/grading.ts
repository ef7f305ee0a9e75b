/**
 * @module detect/signals/grading
 * Rubric / grading prompts (`prompt.grading`): the model used as a reward model.
 *
 * > "Rubric-based grading prompts use the model as a reward model." (issue 3)
 *
 * 10% of a key's traffic starts to count, 50% is full. An evaluation platform's judge pipeline
 * sends nothing else, so the share alone does not separate it from reward-model harvesting: since
 * engine 1.11.0 the signal is generic intent (scoring.ts GENERIC) and counts in full only beside
 * corroborating evidence or in a campaign of several orgs.
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
