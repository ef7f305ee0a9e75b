/**
 * @module upstream/mock/prng
 * Seeded pseudo-random numbers for the mock's deterministic answers: mulberry32, seeded from a
 * hash of the request body, so the same request always gets the same answer.
 */
import { fmix32, hash32 } from '../../events/hash.js';

export type Rng = () => number;

/** mulberry32: a small, fast 32-bit generator returning floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
