/**
 * @module bench/lib/score
 * Scores one run (a scenario at a seed) against its ground-truth labels: account-level
 * precision/recall/FPR at both verdict levels, FPR per benign persona, ROC-AUC from the
 * scores, campaign purity and coverage, and the share of each true campaign's requests made
 * before any of its keys was first flagged. Labels are read here, after the engine has run.
 */
import { type Findings, VERDICT_RANK } from '../../src/report/findings.js';
import type { Labels } from '../../src/sim/types.js';
import type { BaselineResult } from '../baselines.js';
import { mean, rocAuc, rocCurve } from './stats.js';

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface DetectorScore {
  suspicious: Confusion;
  distillation: Confusion;
  auc: number;
  /** Per benign persona: [flagged ≥ suspicious, total]. */
  benignByPersona: Record<string, [number, number]>;
  /** Per attack persona: [flagged ≥ suspicious, total]. */
  attackByPersona: Record<string, [number, number]>;
  roc: Array<[number, number]>;
  /** Scores by persona (for distribution plots). */
  scoresByPersona: Record<string, number[]>;
}

export interface CampaignScore {
  /** Mean share of the majority true campaign among keys of flagged engine campaigns. */
  purity: number;
  /** Mean share of a true campaign's keys flagged ≥ suspicious. */
  coverage: number;
  /** True campaigns with at least one flagged key / all true campaigns. */
  detected: [number, number];
  /** Per true campaign: share of its requests made before it was first flagged (1 if never), those
   * requests (`before`), all its requests and its keys. */
  ttd: Array<{
    campaign: string;
    persona: string;
    share: number;
    before: number;
    requests: number;
    keys: number;
  }>;
  flaggedEngineCampaigns: number;
}

export interface RunScore {
  scenario: string;
  seed: number;
  lines: number;
  keys: number;
  attackKeys: number;
  engine: DetectorScore;
  campaigns: CampaignScore;
  baselines: Record<string, DetectorScore>;
  seconds: { simulate: number; analyze: number };
  linesPerSecond: number;
}

const emptyConfusion = (): Confusion => ({ tp: 0, fp: 0, fn: 0, tn: 0 });

function add(c: Confusion, predicted: boolean, actual: boolean): void {
  if (predicted && actual) c.tp++;
  else if (predicted) c.fp++;
  else if (actual) c.fn++;
  else c.tn++;
}

interface KeyView {
  score: number;
  suspicious: boolean;
  distillation: boolean;
}

function scoreDetector(labels: Labels, view: (key: string) => KeyView): DetectorScore {
  const s: DetectorScore = {
    suspicious: emptyConfusion(),
    distillation: emptyConfusion(),
    auc: Number.NaN,
    benignByPersona: {},
    attackByPersona: {},
    roc: [],
    scoresByPersona: {},
  };
  const scores: number[] = [];
  const positive: boolean[] = [];
  for (const [key, l] of Object.entries(labels.keys)) {
    const v = view(key);
    add(s.suspicious, v.suspicious, l.attack);
    add(s.distillation, v.distillation, l.attack);
    const bucket = l.attack ? s.attackByPersona : s.benignByPersona;
    const row = bucket[l.persona] ?? [0, 0];
    bucket[l.persona] = row;
    if (v.suspicious) row[0]++;
    row[1]++;
    const list = s.scoresByPersona[l.persona] ?? [];
    s.scoresByPersona[l.persona] = list;
    list.push(v.score);
    scores.push(v.score);
    positive.push(l.attack);
  }
  s.auc = rocAuc(scores, positive);
  s.roc = thin(rocCurve(scores, positive));
  return s;
}

/** Keeps at most ~200 ROC points (enough for a plot). */
function thin(pts: Array<[number, number]>): Array<[number, number]> {
  if (pts.length <= 200) return pts;
  const step = pts.length / 200;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < pts.length; i += step) out.push(pts[Math.floor(i)]!);
  out.push(pts[pts.length - 1]!);
  return out;
}

export function scoreEngine(labels: Labels, f: Findings): DetectorScore {
  const byKey = new Map(f.accounts.map((a) => [a.key, a]));
  return scoreDetector(labels, (key) => {
    const a = byKey.get(key);
    const r = a ? VERDICT_RANK[a.verdict] : 0;
    return { score: a?.score ?? 0, suspicious: r >= 1, distillation: r >= 2 };
  });
}

export function scoreBaseline(labels: Labels, b: BaselineResult): DetectorScore {
  return scoreDetector(labels, (key) => {
    const v = b.keys.get(key);
    return { score: v?.score ?? 0, suspicious: v?.flagged ?? false, distillation: v?.flagged ?? false };
  });
}

/** Request timestamps per true campaign, gathered while the events stream past. */
export type CampaignTimes = Map<string, number[]>;

export function scoreCampaigns(labels: Labels, f: Findings, times: CampaignTimes): CampaignScore {
  const byKey = new Map(f.accounts.map((a) => [a.key, a]));
  const flagged = (k: string) => {
    const a = byKey.get(k);
    return a !== undefined && a.verdict !== 'benign';
  };
  const purities: number[] = [];
  let flaggedEngine = 0;
  for (const c of f.campaigns) {
    if (c.verdict === 'benign' || c.keys.length === 0) continue;
    flaggedEngine++;
    const counts = new Map<string, number>();
    for (const k of c.keys) {
      const truth = labels.keys[k]?.campaign ?? `benign:${k}`;
      counts.set(truth, (counts.get(truth) ?? 0) + 1);
    }
    purities.push(Math.max(...counts.values()) / c.keys.length);
  }
  const coverage: number[] = [];
  const ttd: CampaignScore['ttd'] = [];
  let detected = 0;
  for (const [id, c] of Object.entries(labels.campaigns)) {
    if (c.keys.length === 0) continue;
    const hit = c.keys.filter(flagged).length;
    coverage.push(hit / c.keys.length);
    if (hit > 0) detected++;
    const firsts = c.keys
      .map((k) => byKey.get(k)?.first_flagged_at)
      .filter((x): x is string => typeof x === 'string')
      .map((x) => Date.parse(x));
    const first = firsts.length > 0 ? Math.min(...firsts) : Number.POSITIVE_INFINITY;
    const ts = times.get(id) ?? [];
    const before = ts.filter((t) => t < first).length;
    ttd.push({
      campaign: id,
      persona: c.persona,
      share: ts.length === 0 ? 1 : before / ts.length,
      before,
      requests: ts.length,
      keys: c.keys.length,
    });
  }
  return {
    purity: purities.length > 0 ? mean(purities) : Number.NaN,
    coverage: coverage.length > 0 ? mean(coverage) : Number.NaN,
    detected: [detected, coverage.length],
    ttd,
    flaggedEngineCampaigns: flaggedEngine,
  };
}

export const precision = (c: Confusion) => (c.tp + c.fp === 0 ? Number.NaN : c.tp / (c.tp + c.fp));
export const recall = (c: Confusion) => (c.tp + c.fn === 0 ? Number.NaN : c.tp / (c.tp + c.fn));
export const fpr = (c: Confusion) => (c.fp + c.tn === 0 ? Number.NaN : c.fp / (c.fp + c.tn));
export const f1 = (c: Confusion) => {
  const p = precision(c);
  const r = recall(c);
  return Number.isNaN(p) || Number.isNaN(r) || p + r === 0 ? 0 : (2 * p * r) / (p + r);
};

export function sumConfusion(cs: Confusion[]): Confusion {
  const out = emptyConfusion();
  for (const c of cs) {
    out.tp += c.tp;
    out.fp += c.fp;
    out.fn += c.fn;
    out.tn += c.tn;
  }
  return out;
}
