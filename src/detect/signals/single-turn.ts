/**
 * @module detect/signals/single-turn
 * Single-turn share: requests with no prior assistant turn and no tool messages, or whose history
 * is too short to hold the model's earlier answers (a canned exchange: `thinHistory`, profile.ts).
 *
 * > "Prompts are narrow, repetitive and high-volume" — harvesting needs fresh one-shot
 * > question/answer pairs, not conversations. (issue 3)
 *
 * Weak alone (batch jobs and eval harnesses are single-turn too); it separates harvesters from
 * chat apps and agents, whose traffic carries history and tool loops. Embeddings are excluded.
 */
import type { Signal } from './types.js';
import { num, pct, ramp } from './util.js';

export const singleTurn: Signal = {
  name: 'single_turn',
  score(p) {
    const n = p.n - p.embeddings;
    return n <= 0 ? 0 : ramp((p.singleTurn - p.embeddings) / n, 0.75, 0.98);
  },
  detail(p) {
    const n = p.n - p.embeddings;
    if (n <= 0) return 'no chat or completion requests';
    const share = (p.singleTurn - p.embeddings) / n;
    const canned =
      p.thinTurn > 0
        ? `; ${pct(p.thinTurn / n)} follow a canned exchange too short to hold the model's answers`
        : '';
    return `${pct(share)} of ${num(n)} requests are single-turn (${pct(p.multiTurn / n)} multi-turn, ${pct(p.toolReq / n)} with tools${canned})`;
  },
};
