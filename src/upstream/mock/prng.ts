/**
 * @module upstream/mock/prng
 * Seeded pseudo-random numbers for the mock's deterministic answers: mulberry32, seeded from a
 * hash of the request body, so the same request always gets the same answer.
 */
import { fmix32, hash32, mulberry32 } from '../../events/hash.js';

export type Rng = () => number;

export { mulberry32 };

/** A seed from some text and an extra number (global seed, choice index…). */
export const seedOf = (text: string, extra = 0): number =>
  fmix32(hash32(text) ^ Math.imul(extra + 1, 0x9e3779b1));

/** Integer in [lo, hi]. */
export const intIn = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** Short hex id derived from a seed (for deterministic response ids). */
export const hexId = (seed: number, len = 24): string => {
  const rng = mulberry32(seed);
  let out = '';
  while (out.length < len)
    out += Math.floor(rng() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, len);
};
