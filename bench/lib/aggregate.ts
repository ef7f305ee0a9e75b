/**
 * @module bench/lib/aggregate
 * Folds run scores into per-scenario and overall rows: confusion counts summed over seeds
 * (micro-averages), AUC averaged over runs, campaign metrics pooled over all true campaigns.
 */

import { type Confusion, type DetectorScore, type RunScore, sumConfusion } from './score.js';
import { mean, median } from './stats.js';

export interface DetectorAgg {
  suspicious: Confusion;
  distillation: Confusion;
  auc: number;
  benignByPersona: Record<string, [number, number]>;
  attackByPersona: Record<string, [number, number]>;
}

export interface Row {
  name: string;
  runs: number;
  seeds: number[];
  lines: number;
  keys: number;
  attackKeys: number;
  engine: DetectorAgg;
  baselines: Record<string, DetectorAgg>;
  purity: number;
  coverage: number;
  detected: [number, number];
  ttdMedian: number;
  ttdMax: number;
  /** Campaigns flagged before 5% of their requests / all campaigns. */
  ttdUnder5: [number, number];
  linesPerSecond: number;
}

function mergeCounts(into: Record<string, [number, number]>, from: Record<string, [number, number]>): void {
  for (const [k, [a, b]] of Object.entries(from)) {
    const row = into[k] ?? [0, 0];
    into[k] = row;
    row[0] += a;
    row[1] += b;
  }
}

function aggDetector(ds: DetectorScore[]): DetectorAgg {
  const benign: Record<string, [number, number]> = {};
  const attack: Record<string, [number, number]> = {};
  for (const d of ds) {
    mergeCounts(benign, d.benignByPersona);
    mergeCounts(attack, d.attackByPersona);
  }
  return {
    suspicious: sumConfusion(ds.map((d) => d.suspicious)),
    distillation: sumConfusion(ds.map((d) => d.distillation)),
    auc: mean(ds.map((d) => d.auc).filter((x) => !Number.isNaN(x))),
    benignByPersona: benign,
    attackByPersona: attack,
  };
}

export function aggregate(name: string, runs: RunScore[]): Row {
  const baselineNames = Object.keys(runs[0]?.baselines ?? {});
  const ttd = runs.flatMap((r) => r.campaigns.ttd.map((t) => t.share));
  const purity = runs.map((r) => r.campaigns.purity).filter((x) => !Number.isNaN(x));
  const coverage = runs.map((r) => r.campaigns.coverage).filter((x) => !Number.isNaN(x));
  return {
    name,
    runs: runs.length,
    seeds: [...new Set(runs.map((r) => r.seed))],
    lines: runs.reduce((s, r) => s + r.lines, 0),
    keys: runs.reduce((s, r) => s + r.keys, 0),
    attackKeys: runs.reduce((s, r) => s + r.attackKeys, 0),
    engine: aggDetector(runs.map((r) => r.engine)),
    baselines: Object.fromEntries(
      baselineNames.map((b) => [b, aggDetector(runs.map((r) => r.baselines[b]!))]),
    ),
    purity: purity.length > 0 ? mean(purity) : Number.NaN,
    coverage: coverage.length > 0 ? mean(coverage) : Number.NaN,
    detected: [
      runs.reduce((s, r) => s + r.campaigns.detected[0], 0),
      runs.reduce((s, r) => s + r.campaigns.detected[1], 0),
    ],
    ttdMedian: ttd.length > 0 ? median(ttd) : Number.NaN,
    ttdMax: ttd.length > 0 ? Math.max(...ttd) : Number.NaN,
    ttdUnder5: [ttd.filter((x) => x < 0.05).length, ttd.length],
    linesPerSecond: mean(runs.map((r) => r.linesPerSecond)),
  };
}

/** Time to detection of one attack persona's campaigns, pooled over runs. */
export interface TtdRow {
  persona: string;
  campaigns: number;
  /** Campaigns with at least one key flagged. */
  found: number;
  /** Campaigns flagged before 5% of their requests. */
  under5: number;
  /** Median share of a campaign's requests made before its first flag (1 when never flagged). */
  medianShare: number;
  /** Median number of requests a campaign has made at its 5% mark: what the target allows. */
  medianAt5: number;
  /** Median requests per key at the 5% mark (requests at the mark ÷ the campaign's keys). */
  medianPerKeyAt5: number;
  /** Median number of requests made before the first flag, over the campaigns flagged. */
  medianBefore: number;
}

/**
 * Time to detection per attack persona: how many campaigns met the 5% target, and how many
 * requests the target allows against how many the engine needed. A campaign of 200 requests
 * over 8 keys must be caught by its 10th request (~1 per key); one of 6,000 on one key by its 300th.
 */
export function ttdByPersona(runs: RunScore[]): TtdRow[] {
  const byPersona = new Map<string, RunScore['campaigns']['ttd']>();
  for (const r of runs)
    for (const t of r.campaigns.ttd) {
      const list = byPersona.get(t.persona) ?? [];
      byPersona.set(t.persona, list);
      list.push(t);
    }
  return [...byPersona.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([persona, ts]) => {
      const flagged = ts.filter((t) => t.before < t.requests);
      const at5 = ts.map((t) => 0.05 * t.requests);
      return {
        persona,
        campaigns: ts.length,
        found: flagged.length,
        under5: ts.filter((t) => t.share < 0.05).length,
        medianShare: median(ts.map((t) => t.share)),
        medianAt5: median(at5),
        medianPerKeyAt5: median(ts.map((t, i) => at5[i]! / Math.max(1, t.keys))),
        medianBefore: flagged.length > 0 ? median(flagged.map((t) => t.before)) : Number.NaN,
      };
    });
}
