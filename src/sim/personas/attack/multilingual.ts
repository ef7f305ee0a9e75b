/**
 * @module sim/personas/attack/multilingual
 * Multilingual reasoning harvest: a campaign that distils the model's reasoning in other
 * languages than English. Its tasks (math, code, explanations, puzzles, writing) are written in
 * one language or swept across several, and most of them ask for the full reasoning in that
 * language ("请一步一步地思考，详细写出你完整的推理过程…"). Everything else is a campaign's usual
 * make-up (campaign.ts): many keys, pinned or absent `max_tokens`, rented or residential IPs.
 *
 * > "Prompts … sweep a capability systematically (… multilingual reasoning)" (issue 3)
 */
import {
  LOCALE_CODES,
  LOCALES,
  type Locale,
  type LocaleTask,
  localeCot,
  localeParaphrase,
  localePrompt,
} from '../../prompts/locales.js';
import type { Rng } from '../../rng.js';
import { type Campaign, type Factory, harvestRequest } from './campaign.js';

/** What the campaign asks, drawn once for all its keys. */
export interface LocalePlan {
  locales: Locale[];
  tasks: LocaleTask[];
  /** Its system prompt: none, the campaign's generic English one, or a generic one in each request's language. */
  system: 'none' | 'campaign' | 'locale';
}

const HARVEST_TASKS: LocaleTask[] = ['math', 'code', 'explain', 'puzzle', 'writing'];

export function localePlan(rng: Rng): LocalePlan {
  const spread = rng.pick([1, 1, 3, 4, 5]);
  return {
    locales: rng.sample([...LOCALE_CODES], spread).map((c) => LOCALES[c]),
    tasks: rng.sample(HARVEST_TASKS, rng.int(2, HARVEST_TASKS.length)),
    system: rng.pick(['none', 'campaign', 'locale'] as const),
  };
}

/** One key's requests: a task in one of the plan's languages, coerced into showing its reasoning at `cotShare`. */
export function localeHarvestFactory(c: Campaign, plan: LocalePlan, model: () => string): Factory {
  return (g) => {
    const l = g.pick(plan.locales);
    let q = localePrompt(g, l, g.pick(plan.tasks));
    if (c.p.paraphrase > 0) q = localeParaphrase(g, l, q, c.p.paraphrase);
    if (g.chance(c.p.cotShare)) q = localeCot(g, l, q);
    const system = plan.system === 'locale' ? l.assistant : plan.system === 'campaign' ? c.system : null;
    return harvestRequest(g, c, { model: model(), system, prompt: q, kind: 'text' });
  };
}
