/**
 * @module sim/build
 * Turns a scenario and a seed into key plans and ground-truth labels. Every persona and every
 * campaign gets its own forked Rng stream, so the same seed always builds the same population.
 */
import { CloudPool } from './net.js';
import { ATTACK_PERSONAS, type AttackPersona, buildAttack } from './personas/attack/index.js';
import { BENIGN_BUILDERS, type BenignPersona } from './personas/benign/index.js';
import type { PersonaContext } from './personas/common.js';
import { PromptSource, type RealPrompts } from './prompts/index.js';
import { Rng } from './rng.js';
import type { Scenario } from './scenarios.js';
import { DAY } from './time.js';
import type { KeyPlan, Labels, ModelCatalog } from './types.js';

/** Default start of simulated time: a fixed epoch (Monday 2026-03-02 00:00 UTC). */
export const DEFAULT_START = Date.UTC(2026, 2, 2);

export interface BuildOptions {
  seed: number;
  /** Period length in days (default: the scenario's). */
  days?: number;
  /** Start of the period, epoch ms (default DEFAULT_START). */
  start?: number;
  /** Multiplies the number of benign orgs and attack keys. */
  scale?: number;
  prompts?: RealPrompts | null;
}

export interface Built {
  plans: KeyPlan[];
  labels: Labels;
  start: number;
  end: number;
  rng: Rng;
}

const FRAMEWORK_PROMPTS = [
  'You are a helpful AI assistant built on an open-source agent framework. You have access to tools. Think about which tool to use, call it with valid JSON arguments, observe the result, and repeat until you can answer the user. Respond in the language of the user.',
  'You are an autonomous assistant. Follow the ReAct format: Thought, Action, Action Input, Observation. Use the tools listed below only when necessary and finish with Final Answer.',
  'You are a conversational assistant. Use the retrieved context when it is relevant. If you do not know the answer, say that you do not know. Keep answers concise.',
];

export function modelCatalog(start: number, newModelDay: number | undefined): ModelCatalog {
  return {
    chat: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini'],
    reasoning: ['o3-mini', 'o4-mini'],
    vision: ['gpt-4o', 'gpt-4.1'],
    embedding: ['text-embedding-3-small'],
    newModel: newModelDay === undefined ? null : { name: 'gpt-5', releasedAt: start + newModelDay * DAY },
  };
}

export function buildScenario(scenario: Scenario, o: BuildOptions): Built {
  const rng = new Rng(o.seed).fork(`scenario:${scenario.name}`);
  const start = o.start ?? DEFAULT_START;
  const days = o.days ?? scenario.days;
  const end = start + days * DAY;
  const scale = o.scale ?? 1;
  const models = modelCatalog(
    start,
    scenario.newModelDay !== undefined ? Math.min(scenario.newModelDay, days * 0.6) : undefined,
  );
  const ctx = (label: string): PersonaContext => ({
    rng: rng.fork(label),
    start,
    end,
    prompts: new PromptSource(o.prompts ?? null),
    models,
    cloud: new CloudPool(rng.fork('cloud')),
    frameworkPrompts: FRAMEWORK_PROMPTS,
    keyLimitPerDay: 500,
  });
  const plans: KeyPlan[] = [];
  for (const [persona, orgs] of Object.entries(scenario.benign) as Array<[BenignPersona, number]>) {
    const n = Math.max(1, Math.round(orgs * scale));
    plans.push(...BENIGN_BUILDERS[persona](ctx(`benign:${persona}`), n));
  }
  const campaigns: Labels['campaigns'] = {};
  scenario.attacks.forEach((a, i) => {
    if (!ATTACK_PERSONAS.includes(a.persona as AttackPersona))
      throw new Error(`unknown attack persona ${a.persona}`);
    const built = buildAttack(ctx(`attack:${i}`), a.persona, i, (a.scale ?? 1) * scale, a.overrides);
    plans.push(...built.plans);
    campaigns[built.campaign.id] = { persona: a.persona, keys: built.plans.map((p) => p.key) };
  });
  const keys: Labels['keys'] = {};
  for (const p of plans) keys[p.key] = p.label;
  const kept = plans.filter((p) => p.schedule.ts.length > 0);
  return {
    plans: kept,
    labels: {
      version: 1,
      scenario: scenario.name,
      seed: o.seed,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      keys: Object.fromEntries(kept.map((p) => [p.key, keys[p.key]!])),
      campaigns: Object.fromEntries(
        Object.entries(campaigns).map(([id, c]) => [
          id,
          { ...c, keys: c.keys.filter((k) => kept.some((p) => p.key === k)) },
        ]),
      ),
    },
    start,
    end,
    rng,
  };
}
