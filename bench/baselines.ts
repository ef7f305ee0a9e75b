/**
 * @module bench/baselines
 * Baseline detectors the engine is compared with in `npm run bench:detect`. Both see only
 * RequestEvents, like the engine.
 * - volume-only: flags keys whose request count exceeds the population's 99th percentile.
 * - PRADA (Juuti et al., "PRADA: Protecting against DNN Model Stealing Attacks", 2019): per
 *   account, the minimum distance of each new query to the account's earlier queries (here the
 *   Jaccard distance of prompt MinHash signatures); benign query streams give normally
 *   distributed distances, extraction streams do not. Scores 1 − W′ (Shapiro–Francia) of the
 *   distances. PRADA's δ is fitted on benign traffic; here, as for volume-only, the threshold is
 *   the population's 99th percentile of that score, so neither baseline sees labels. Both are
 *   known to fail when traffic is spread round-robin over many accounts.
 */

import { similarity } from '../src/events/minhash.js';
import type { RequestEvent } from '../src/events/types.js';
import { quantile, shapiroFrancia } from './lib/stats.js';

export interface BaselineResult {
  /** Score per key (higher = more suspicious) and whether the baseline flags it. */
  keys: Map<string, { score: number; flagged: boolean; firstFlagTs: number | null }>;
  threshold: string;
}

export interface Baseline {
  readonly name: string;
  ingest(e: RequestEvent): void;
  result(): BaselineResult;
}

/** Flags keys above the population's 99th percentile of request counts. */
export class VolumeBaseline implements Baseline {
  readonly name = 'volume-only';
  private counts = new Map<string, number[]>();
  constructor(private readonly q = 0.99) {}
  ingest(e: RequestEvent): void {
    const ts = this.counts.get(e.keyId) ?? [];
    if (ts.length === 0) this.counts.set(e.keyId, ts);
    ts.push(e.ts);
  }
  result(): BaselineResult {
    const sorted = [...this.counts.values()].map((t) => t.length).sort((a, b) => a - b);
    const p = quantile(sorted, this.q);
    const keys: BaselineResult['keys'] = new Map();
    for (const [k, ts] of this.counts) {
      const flagged = ts.length > p;
      keys.set(k, { score: ts.length, flagged, firstFlagTs: flagged ? (ts[Math.floor(p)] ?? null) : null });
    }
    return { keys, threshold: `requests > p${Math.round(this.q * 100)} = ${p.toFixed(0)}` };
  }
}

export interface PradaOptions {
  /** Flag accounts whose 1 − W′ exceeds this quantile of the population's. */
  q: number;
  /** Minimum distances needed before testing. */
  minSamples: number;
  /** Queries kept per account for the min-distance search. */
  window: number;
  /** Distances kept per account (the most recent). */
  maxDistances: number;
}

export const PRADA_DEFAULTS: PradaOptions = { q: 0.99, minSamples: 20, window: 200, maxDistances: 500 };

interface PradaState {
  growing: number[][];
  distances: number[];
  count: number;
}

export class PradaBaseline implements Baseline {
  readonly name = 'PRADA';
  private state = new Map<string, PradaState>();
  constructor(private readonly o: PradaOptions = PRADA_DEFAULTS) {}

  ingest(e: RequestEvent): void {
    const s = this.state.get(e.keyId) ?? { growing: [], distances: [], count: 0 };
    if (s.count === 0) this.state.set(e.keyId, s);
    s.count++;
    const sig = e.prompt.minhash;
    if (s.growing.length > 0) {
      let best = 1;
      for (const g of s.growing) {
        const d = 1 - similarity(sig, g);
        if (d < best) best = d;
        if (best === 0) break;
      }
      s.distances.push(best);
      if (s.distances.length > this.o.maxDistances) s.distances.shift();
    }
    s.growing.push(sig);
    if (s.growing.length > this.o.window) s.growing.shift();
  }

  result(): BaselineResult {
    const scores = new Map<string, number>();
    for (const [k, s] of this.state) {
      const w = s.distances.length >= this.o.minSamples ? shapiroFrancia(s.distances) : Number.NaN;
      scores.set(k, Number.isNaN(w) ? 0 : 1 - w);
    }
    const p = quantile(
      [...scores.values()].sort((a, b) => a - b),
      this.o.q,
    );
    const keys: BaselineResult['keys'] = new Map();
    for (const [k, score] of scores) keys.set(k, { score, flagged: score > p, firstFlagTs: null });
    return {
      keys,
      threshold: `1 − W′ > p${Math.round(this.o.q * 100)} = ${p.toFixed(3)} (≥ ${this.o.minSamples} distances)`,
    };
  }
}
