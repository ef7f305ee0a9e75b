/**
 * @module sim/personas/attack
 * Attack personas: distillation campaigns as the providers who were hit describe them. Each
 * persona is a preset of the campaign parameters (campaign.ts), drawn from the seed, plus a
 * request factory. Nothing in a request names the persona or the campaign.
 */
import { HOUR } from '../../time.js';
import type { KeyPlan } from '../../types.js';
import type { PersonaContext } from '../common.js';
import { agenticHarness, trajectoryFactory } from './agentic.js';
import {
  type Campaign,
  type CampaignParams,
  campaignFor,
  campaignKeys,
  DEFAULT_CAMPAIGN,
  type Factory,
  HARVEST_KINDS,
  harvestFactory,
  pickModel,
  SWEEP_KINDS,
} from './campaign.js';
import { dialogueFactory, dialoguePlan } from './dialogue.js';
import { documentFactory, documentPlan } from './documents.js';
import { instructionFactory, instructionKit, instructionPlan } from './instructions.js';
import { mixedOrg } from './mixed.js';
import { localeHarvestFactory, localePlan } from './multilingual.js';
import { fanoutFactory, logprobRequest, multimodalRequest } from './requests.js';
import { traceFactory, tracePlan } from './traces.js';

export { type CampaignParams, DEFAULT_CAMPAIGN } from './campaign.js';

export const ATTACK_PERSONAS = [
  'single_harvester',
  'hydra',
  'slow_low',
  'cot_coercion',
  'rubric_grading',
  'capability_sweep',
  'logprob_extraction',
  'multimodal_extraction',
  'model_fanout',
  'model_pivot',
  'mixed_org',
  'residential_proxy',
  'agentic_harvest',
  'multilingual_harvest',
  'dialogue_harvest',
  'trace_harvest',
  'instruction_harvest',
  'document_harvest',
] as const;
export type AttackPersona = (typeof ATTACK_PERSONAS)[number];

export interface AttackBuild {
  plans: KeyPlan[];
  campaign: { id: string; persona: AttackPersona };
}

/** Builds one campaign of `persona`, its parameters drawn from the seed (`scale` multiplies key counts). */
export function buildAttack(
  ctx: PersonaContext,
  persona: AttackPersona,
  index: number,
  scale = 1,
  overrides: Partial<CampaignParams> = {},
): AttackBuild {
  const rng = ctx.rng.fork(`${persona}:${index}`);
  const sk = (lo: number, hi: number) => Math.max(1, Math.round(rng.int(lo, hi) * scale));
  const base: CampaignParams = { ...DEFAULT_CAMPAIGN };
  let kinds = HARVEST_KINDS;
  let factory: ((c: Campaign) => (slot: number) => Factory) | null = null;
  switch (persona) {
    case 'single_harvester':
      Object.assign(base, {
        keys: 1,
        perKeyPerDay: rng.int(450, 1000),
        jitter: rng.float(0.2, 1),
        ipNets: 1,
        diversity: rng.int(3, 8),
        maxTokens: rng.pick([4096, 8192, null]),
      });
      break;
    case 'hydra':
      Object.assign(base, {
        keys: sk(15, 40),
        perKeyPerDay: rng.int(40, 120),
        jitter: rng.float(0.3, 1),
        churnDays: rng.pick([null, 2, 3]),
        ipNets: rng.int(1, 4),
        fingerprints: rng.int(1, 3),
        diversity: rng.int(2, 5),
        paraphrase: rng.float(0, 0.6),
        cotShare: rng.pick([0, 0.2]),
      });
      break;
    case 'residential_proxy':
      Object.assign(base, {
        keys: sk(20, 50),
        perKeyPerDay: rng.int(30, 90),
        jitter: 1,
        churnDays: rng.pick([null, 3]),
        ipNets: 0,
        fingerprints: rng.int(4, 10),
        diversity: rng.int(2, 5),
        paraphrase: 0.5,
        diurnal: rng.chance(0.5),
      });
      break;
    case 'slow_low':
      Object.assign(base, {
        keys: sk(40, 90),
        perKeyPerDay: rng.float(3, 10),
        jitter: 1,
        ipNets: rng.pick([0, 3, 6]),
        fingerprints: rng.int(2, 6),
        diversity: rng.int(2, 4),
        diurnal: true,
        maxTokens: rng.pick([null, 4096]),
      });
      break;
    case 'cot_coercion':
      Object.assign(base, {
        keys: sk(3, 12),
        perKeyPerDay: rng.int(60, 180),
        cotShare: rng.float(0.7, 1),
        diversity: rng.int(2, 5),
      });
      break;
    case 'rubric_grading':
      kinds = ['rubric'];
      Object.assign(base, {
        keys: sk(3, 10),
        perKeyPerDay: rng.int(60, 180),
        diversity: 1,
        maxTokens: rng.pick([1024, 2048]),
      });
      break;
    case 'capability_sweep':
      kinds = SWEEP_KINDS;
      Object.assign(base, { keys: sk(5, 15), perKeyPerDay: rng.int(80, 200), diversity: SWEEP_KINDS.length });
      break;
    case 'logprob_extraction':
      Object.assign(base, {
        keys: sk(2, 8),
        perKeyPerDay: rng.int(100, 260),
        maxTokens: rng.pick([1, 5, 16]),
      });
      factory = (c) => () => (g) => logprobRequest(ctx, c, g);
      break;
    case 'multimodal_extraction':
      Object.assign(base, { keys: sk(3, 10), perKeyPerDay: rng.int(80, 200) });
      factory = (c) => () => (g) => multimodalRequest(ctx, c, g);
      break;
    case 'model_fanout':
      Object.assign(base, { keys: sk(3, 10), perKeyPerDay: rng.int(90, 240) });
      factory = (c) => () => fanoutFactory(ctx, c, rng.int(3, 5));
      break;
    case 'model_pivot': {
      const nm = ctx.models.newModel;
      const span = ctx.end - ctx.start;
      const w0 = nm ? (nm.releasedAt - ctx.start + rng.float(1, 20) * HOUR) / span : 0.5;
      Object.assign(base, {
        keys: sk(5, 20),
        perKeyPerDay: rng.int(80, 200),
        window: [Math.min(0.95, w0), 1],
      });
      factory = (c) => () => harvestFactory(ctx, c, () => nm?.name ?? ctx.models.chat[0]!);
      break;
    }
    case 'mixed_org':
      return mixedOrg(ctx, rng);
    case 'agentic_harvest': {
      Object.assign(base, {
        keys: sk(8, 24),
        perKeyPerDay: rng.int(60, 160),
        jitter: rng.float(0.3, 1),
        churnDays: rng.pick([null, 3]),
        ipNets: rng.pick([0, 1, 2, 3]),
        fingerprints: rng.int(1, 4),
        diurnal: rng.chance(0.3),
        maxTokens: rng.pick([null, 4096, 8192]),
      });
      const harness = agenticHarness(rng);
      factory = (c) => () => trajectoryFactory(ctx, c, harness, pickModel(ctx, rng));
      break;
    }
    case 'multilingual_harvest': {
      Object.assign(base, {
        keys: sk(8, 30),
        perKeyPerDay: rng.int(50, 150),
        jitter: rng.float(0.3, 1),
        churnDays: rng.pick([null, 2, 3]),
        ipNets: rng.pick([0, 1, 2, 3]),
        fingerprints: rng.int(1, 4),
        paraphrase: rng.float(0, 0.6),
        cotShare: rng.float(0.3, 1),
        diurnal: rng.chance(0.3),
        maxTokens: rng.pick([null, 4096, 8192]),
      });
      const plan = localePlan(rng);
      factory = (c) => () => localeHarvestFactory(c, plan, pickModel(ctx, rng));
      break;
    }
    case 'dialogue_harvest': {
      const plan = dialoguePlan(rng);
      Object.assign(base, {
        keys: sk(8, 30),
        perKeyPerDay: rng.int(60, 180),
        jitter: rng.float(0.3, 1),
        churnDays: rng.pick([null, 2, 3]),
        ipNets: rng.pick([0, 1, 2, 3]),
        fingerprints: rng.int(1, 4),
        paraphrase: rng.float(0, 0.6),
        cotShare: rng.pick([0, 0.1, 0.3]),
        diurnal: rng.chance(0.3),
        maxTokens: rng.pick([null, 4096, 8192]),
        turns: plan.turns,
      });
      factory = (c) => () => dialogueFactory(ctx, c, plan, pickModel(ctx, rng));
      break;
    }
    case 'trace_harvest': {
      const plan = tracePlan(rng);
      Object.assign(base, {
        keys: sk(5, 20),
        perKeyPerDay: rng.int(60, 180),
        jitter: rng.float(0.3, 1),
        churnDays: rng.pick([null, 3]),
        ipNets: rng.pick([0, 1, 2, 3]),
        fingerprints: rng.int(1, 4),
        paraphrase: rng.float(0, 0.6),
        diurnal: rng.chance(0.3),
        maxTokens: rng.pick([null, 16000, 32000]),
      });
      const m = rng.pick(ctx.models.reasoning);
      factory = (c) => () => traceFactory(ctx, c, plan, () => m);
      break;
    }
    case 'instruction_harvest': {
      const plan = instructionPlan(rng);
      Object.assign(base, {
        keys: sk(6, 24),
        perKeyPerDay: rng.int(60, 180),
        jitter: rng.float(0.3, 1),
        churnDays: rng.pick([null, 2, 3]),
        ipNets: rng.pick([0, 1, 2, 3]),
        fingerprints: rng.int(1, 4),
        paraphrase: rng.float(0, 0.4),
        diurnal: rng.chance(0.3),
        maxTokens: rng.pick([null, 3072, 4096]),
      });
      const kit = instructionKit(ctx, rng, plan);
      factory = (c) => () => instructionFactory(ctx, c, plan, kit, pickModel(ctx, rng));
      break;
    }
    case 'document_harvest': {
      const plan = documentPlan(rng);
      Object.assign(base, {
        keys: sk(6, 24),
        perKeyPerDay: rng.int(50, 150),
        jitter: rng.float(0.3, 1),
        churnDays: rng.pick([null, 2, 3]),
        ipNets: rng.pick([0, 1, 2, 3]),
        fingerprints: rng.int(1, 4),
        paraphrase: rng.float(0, 0.4),
        diurnal: rng.chance(0.3),
        maxTokens: rng.pick([null, 4096, 8192]),
      });
      factory = (c) => () => documentFactory(c, plan, pickModel(ctx, rng));
      break;
    }
  }
  Object.assign(base, overrides);
  const c = campaignFor(rng, persona, base, kinds);
  const make = factory ? factory(c) : () => harvestFactory(ctx, c, pickModel(ctx, rng));
  return { plans: campaignKeys(ctx, rng, c, make), campaign: { id: c.id, persona } };
}
