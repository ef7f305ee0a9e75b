/**
 * @module detect/signals/coordination
 * Coordination (campaigns only): many keys joined by strong, rare linking evidence.
 *
 * > "one reseller ran 20,000+ accounts at once … banned accounts are replaced at once"
 * > (issue 3)
 *
 * Score = ramp(orgs, 2, 10) × min(1, mean strength of the links holding the campaign / 0.7):
 * orgs, not keys (engine 1.5.0). One org's keys are one customer's, however many it made (a
 * platform giving each of its tenants a key); the evasion is many accounts. A campaign inside
 * one org is still scored on its combined traffic, like one key. Always 0 for a single org.
 * Only links that carry more than content alike count (× `organizedShare`, engine 1.6.0): keys
 * joined by near-duplicate prompts and similar behaviour alone ask alike (they may sample the same
 * public prompt sets for the same work); nothing says anyone runs them together.
 */
import type { Signal } from './types.js';
import { pct, ramp } from './util.js';

export const coordination: Signal = {
  name: 'coordination',
  score(_p, ctx) {
    const c = ctx.campaign;
    return !c || c.orgs < 2 ? 0 : ramp(c.orgs, 2, 10) * Math.min(1, c.meanEdge / 0.7) * c.organizedShare;
  },
  detail(_p, ctx) {
    const c = ctx.campaign;
    if (!c || c.keys < 2) return 'single key';
    const orgs = c.orgs === c.keys ? '' : ` in ${c.orgs} org${c.orgs === 1 ? '' : 's'}`;
    const alike =
      c.organizedShare < 1
        ? `; ${pct(1 - c.organizedShare)} of the links show only prompts and behaviour alike`
        : '';
    return `${c.keys} keys${orgs} linked (mean link strength ${c.meanEdge.toFixed(2)}): ${c.evidence}${alike}`;
  },
};
