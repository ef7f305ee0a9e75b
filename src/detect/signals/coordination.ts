/**
 * @module detect/signals/coordination
 * Coordination (campaigns only): many keys joined by strong, rare linking evidence.
 *
 * > "one reseller ran 20,000+ accounts at once … banned accounts are replaced at once"
 * > (issue 3)
 *
 * Score = ramp(keys, 2, 10) × min(1, mean strength of the links holding the campaign / 0.7).
 * Always 0 for a single key.
 */
import type { Signal } from './types.js';
import { ramp } from './util.js';

export const coordination: Signal = {
  name: 'coordination',
  score(_p, ctx) {
    const c = ctx.campaign;
    return !c || c.keys < 2 ? 0 : ramp(c.keys, 2, 10) * Math.min(1, c.meanEdge / 0.7);
  },
  detail(_p, ctx) {
    const c = ctx.campaign;
    if (!c || c.keys < 2) return 'single key';
    return `${c.keys} keys linked (mean link strength ${c.meanEdge.toFixed(2)}): ${c.evidence}`;
  },
};
