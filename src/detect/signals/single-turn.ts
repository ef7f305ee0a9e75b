/**
 * @module detect/signals/single-turn
 * Single-turn share: requests with no prior assistant turn and no tool messages.
 *
 * > "Prompts are narrow, repetitive and high-volume" — harvesting needs fresh one-shot
 * > question/answer pairs, not conversations. (issue 3)
 *
 * Weak alone (batch jobs and eval harnesses are single-turn too); it separates harvesters from
 * chat apps and agents, whose traffic carries history and tool loops. Embeddings are excluded.
 */
import type { AccountProfile } from '../profile.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp } from './util.js';

export function singleTurn(p: AccountProfile, _ctx: SignalContext): SignalResult {
  const n = p.n - p.embeddings;
  if (n <= 0) return { score: 0, detail: 'no chat or completion requests' };
  const share = (p.singleTurn - p.embeddings) / n;
  const score = ramp(share, 0.75, 0.98);
  return {
    score,
    get detail() {
      return `${pct(share)} of ${num(n)} requests are single-turn (${pct(p.multiTurn / n)} multi-turn, ${pct(p.toolReq / n)} with tools)`;
    },
  };
}
