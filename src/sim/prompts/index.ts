/**
 * @module sim/prompts
 * The prompt source personas draw from: the built-in generators, optionally mixed with real
 * prompt sets loaded by `--prompts DIR` (math, code and general pools).
 */
import type { Rng } from '../rng.js';
import { generate, type PromptKind } from './generators.js';
import type { RealPrompts } from './real.js';

export { cotWrap, generate, PROMPT_KINDS, type PromptKind, rubricWrap } from './generators.js';
export { loadRealPrompts, type RealPrompts } from './real.js';

const REAL_POOL: Partial<Record<PromptKind, keyof Omit<RealPrompts, 'files'>>> = {
  math: 'math',
  code: 'code',
  qa: 'general',
  writing: 'general',
  smalltalk: 'general',
  puzzle: 'general',
  classify: 'general',
};

export class PromptSource {
  constructor(readonly real: RealPrompts | null = null) {}

  /** A prompt of `kind`: a real one with probability `realShare` when a pool fits, else generated. */
  get(kind: PromptKind, rng: Rng, realShare = 0.5): string {
    const pool = this.real && REAL_POOL[kind] ? this.real[REAL_POOL[kind]] : null;
    if (pool && pool.length > 0 && rng.chance(realShare)) return rng.pick(pool);
    return generate(kind, rng);
  }

  /** A real general-purpose instruction when loaded (distillation-style seed tasks), else generated. */
  instruction(rng: Rng, fallback: PromptKind): string {
    const pool = this.real?.general;
    return pool && pool.length > 0 && rng.chance(0.7) ? rng.pick(pool) : generate(fallback, rng);
  }
}
