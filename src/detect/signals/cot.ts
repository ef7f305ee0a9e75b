/**
 * @module detect/signals/cot
 * Chain-of-thought and reasoning-trace elicitation: asked in the prompt (`prompt.cot`) or, since
 * engine 1.9.0, of the API (`params.reasoningShown`: a reasoning summary, `include_reasoning`,
 * `enable_thinking`, `thinking`), which returns a reasoning model's trace with no word of it in
 * the prompt.
 *
 * > "Chain-of-thought and reasoning-trace coercion: 'imagine and articulate the internal
 * > reasoning behind a completed response, step by step'." (issue 3)
 *
 * Eval harnesses also say "let's think step by step", so this is one piece of evidence, scored
 * on its share (15% of requests starts to count, 60% is full) and on the traces actually being
 * harvested: answers of 150 → 400 output tokens on average (a benchmark answer is short).
 */
import type { AccountProfile } from '../profile.js';
import type { Signal } from './types.js';
import { num, pct, ramp } from './util.js';

const cotShare = (p: AccountProfile) => p.cot / Math.max(1, p.n);
const outPerRequest = (p: AccountProfile) => p.outTok / Math.max(1, p.n);

export const cotElicitation: Signal = {
  name: 'cot_elicitation',
  score: (p) => ramp(cotShare(p), 0.15, 0.6) * ramp(outPerRequest(p), 150, 400),
  detail(p) {
    const share = cotShare(p);
    const reasoning = p.reasoningTok / Math.max(1, p.outTok);
    const outPer = outPerRequest(p);
    const api =
      p.traceReq > 0
        ? ` (${pct(p.traceReq / Math.max(1, p.n))} ask the API to return the model's reasoning)`
        : '';
    return `${pct(share)} of ${num(p.n)} requests elicit chain-of-thought or reasoning traces${api}, ${num(outPer)} output tokens/request${reasoning > 0 ? ` (${pct(reasoning)} of output is reasoning tokens)` : ''}`;
  },
};
