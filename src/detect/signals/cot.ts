/**
 * @module detect/signals/cot
 * Chain-of-thought and reasoning-trace elicitation (`prompt.cot`).
 *
 * > "Chain-of-thought and reasoning-trace coercion: 'imagine and articulate the internal
 * > reasoning behind a completed response, step by step'." (issue 3)
 *
 * Eval harnesses also say "let's think step by step", so this is one piece of evidence, scored
 * on its share (15% of requests starts to count, 60% is full) and on the traces actually being
 * harvested: answers of 150 → 400 output tokens on average (a benchmark answer is short).
 */
import type { AccountProfile } from '../profile.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp } from './util.js';

export function cotElicitation(p: AccountProfile, _ctx: SignalContext): SignalResult {
  const share = p.cot / Math.max(1, p.n);
  const reasoning = p.reasoningTok / Math.max(1, p.outTok);
  const outPer = p.outTok / Math.max(1, p.n);
  return {
    score: ramp(share, 0.15, 0.6) * ramp(outPer, 150, 400),
    get detail() {
      return `${pct(share)} of ${num(p.n)} requests elicit chain-of-thought or reasoning traces, ${num(outPer)} output tokens/request${reasoning > 0 ? ` (${pct(reasoning)} of output is reasoning tokens)` : ''}`;
    },
  };
}
