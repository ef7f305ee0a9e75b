/**
 * @module sim/personas/attack/mixed
 * Harvest traffic mixed into a legitimate chat-app org's own keys at 5–50% of their requests.
 */
import type { Rng } from '../../rng.js';
import { machineSchedule, mergeSchedules } from '../../time.js';
import type { KeyPlan } from '../../types.js';
import { chatApp } from '../benign/index.js';
import type { PersonaContext } from '../common.js';
import { campaignFor, DEFAULT_CAMPAIGN, HARVEST_KINDS, harvestFactory, pickModel } from './campaign.js';
import type { AttackBuild } from './index.js';

export function mixedOrg(ctx: PersonaContext, rng: Rng): AttackBuild {
  const hostCtx: PersonaContext = { ...ctx, rng: rng.fork('host') };
  const host = chatApp(hostCtx, 1);
  const share = rng.float(0.05, 0.5);
  const c = campaignFor(
    rng,
    'mixed_org',
    { ...DEFAULT_CAMPAIGN, diversity: rng.int(2, 5), keys: 1 },
    HARVEST_KINDS,
  );
  const harvest = harvestFactory(ctx, c, pickModel(ctx, rng));
  const plans = host.map((p, k) => {
    const n = p.schedule.ts.length;
    const extra = Math.max(5, Math.round((n * share) / (1 - share)));
    const machine = machineSchedule(rng.fork(`m${k}`), ctx.start, ctx.end, {
      count: extra,
      jitter: rng.float(0.3, 1),
    });
    const { schedule, part } = mergeSchedules([p.schedule, machine]);
    const benignMake = p.make;
    const benignIdx: number[] = [];
    let b = 0;
    for (const x of part) benignIdx.push(x === 0 ? b++ : -1);
    const plan: KeyPlan = {
      ...p,
      label: { persona: 'mixed_org', attack: true, campaign: c.id, org: p.org },
      schedule,
      make: (i, g, at) => (part[i] === 0 ? benignMake(benignIdx[i]!, g, at) : harvest(g, at)),
    };
    return plan;
  });
  return { plans, campaign: { id: c.id, persona: 'mixed_org' } };
}
