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
 */
import type { Signal } from './types.js';
import { ramp } from './util.js';

export const coordination: Signal = {
  name: 'coordination',
  score(_p, ctx) {
    const c = ctx.campaign;
    return !c || c.orgs < 2 ? 0 : ramp(c.orgs, 2, 10) * Math.min(1, c.meanEdge / 0.7);
  },
  detail(_p, ctx) {
    const c = ctx.campaign;
    if (!c || c.keys < 2) return 'single key';
    const orgs = c.orgs === c.keys ? '' : ` in ${c.orgs} org${c.orgs === 1 ? '' : 's'}`;
    return `${c.keys} keys${orgs} linked (mean link strength ${c.meanEdge.toFixed(2)}): ${c.evidence}`;
  },
};
