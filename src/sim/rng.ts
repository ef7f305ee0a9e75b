/**
 * @module sim/rng
 * The simulator's only source of randomness: a seeded sfc32 generator with the distributions the
 * personas need (log-normal, Pareto, Poisson, exponential, weighted picks). `fork(label)` derives
 * an independent stream from a label, so adding a persona or a key never shifts the draws of
 * another one, and a given seed always yields the same traffic, byte for byte.
 */
import { hash32 } from '../events/hash.js';

/** Mixes a string into a 32-bit seed (FNV-1a + murmur3 finalizer). */
export function seedOf(text: string, base = 0x9e3779b9): number {
  return hash32(text, 0x811c9dc5 ^ base);
}

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = this.seed;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** An independent stream derived from this stream's seed and a label (order-independent). */
  fork(label: string | number): Rng {
    return new Rng(seedOf(String(label), this.seed));
  }

  /** sfc32 step: an unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  float(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight; `weights[i]` belongs to `items[i]`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }

  /** `k` distinct items (or all of them when k ≥ length), in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    this.shuffle(copy);
    return copy.slice(0, Math.min(k, copy.length));
  }

  /** Fisher-Yates in place on an array this module's caller created. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  /** Standard normal (Box-Muller, the second value cached). */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return mean + sd * s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Pareto (type I) with scale xm and shape alpha: heavy-tailed volumes. */
  pareto(xm: number, alpha: number): number {
    let u = 0;
    while (u === 0) u = this.next();
    return xm / u ** (1 / alpha);
  }

  exponential(mean: number): number {
    let u = 0;
    while (u === 0) u = this.next();
    return -Math.log(u) * mean;
  }

  /** Poisson count (Knuth for small means, normal approximation above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }

  /** An opaque random-looking id: `prefix` + `len` base-36 characters. */
  id(prefix: string, len = 12): string {
    let s = prefix;
    for (let i = 0; i < len; i++) s += ALPHANUM[this.u32() % 36];
    return s;
  }

  hex(len: number): string {
    let s = '';
    while (s.length < len) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, len);
  }
}
