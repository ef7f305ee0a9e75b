/**
 * @module report/score-explain
 * How a score was reached, rebuilt from a finding's reasons and the engine's documented model
 * (docs/detection.md, `detect/scoring.ts`):
 *
 *   z = −bias + support · Σ wᵢ·gᵢ·sᵢ     score = 1 / (1 + e^(−z))     support = min(1, n / minRequests)
 *
 * gᵢ gates each half of the evidence by the other: intent signals by floor + (1 − floor)·A (A the
 * strongest automation signal), automation signals by floor + (1 − floor)·I (I the strongest
 * intent signal), other signals 1. The gates come from the engine's own `gatesOf`/`gateFor`;
 * gates use only the listed reasons, so they too are lower bounds.
 *
 * Only the listed reasons are known, so the rebuilt z is a lower bound: signals that scored
 * below 0.1, or fell outside the top reasons, also contributed. The explanation says so and
 * shows the remainder. Pure.
 */
import { type DetectConfig, DetectConfigSchema, resolveConfig } from '../detect/config.js';
import { gateFor, gatesOf, genericFloorOf, sigmoid } from '../detect/scoring.js';
import type { Reason, Verdict } from './findings.js';

export type TermKind = 'signal' | 'link' | 'campaign' | 'unknown';

export interface ScoreTerm {
  signal: string;
  score: number;
  kind: TermKind;
  /** wᵢ from the engine's weight table; null for links, the campaign reason and unknown names. */
  weight: number | null;
  /** gᵢ: the intent gate for intent signals, the automation gate for automation signals, else 1. */
  gate: number;
  /** support · wᵢ · gᵢ · sᵢ, or null when the reason is not a weighted term. */
  contribution: number | null;
}

export interface ScoreExplanation {
  /** Where the weights came from: the findings' engine config, or the engine's defaults. */
  configSource: 'findings' | 'defaults';
  bias: number;
  requests: number;
  minRequests: number;
  support: number;
  intentFloor: number;
  genericFloor: number;
  /** C: the strongest corroborating signal among the listed reasons. */
  corroboration: number;
  /** genericFloor + (1 − genericFloor)·C, applied to generic intent signals on top of the intent gate. */
  genericGate: number;
  /** A: the strongest automation signal among the listed reasons (weak signals excluded). */
  automation: number;
  /** I: the strongest intent signal among the listed reasons (weak signals excluded; generic ones × the generic gate). */
  intent: number;
  /** floor + (1 − floor)·A, applied to intent signals. */
  intentGate: number;
  /** floor + (1 − floor)·I, applied to automation signals. */
  automationGate: number;
  terms: ScoreTerm[];
  /** −bias + Σ of the listed weighted terms. */
  zListed: number;
  scoreListed: number;
  reported: number;
  /** logit(reported score); scores are rounded to 3 decimals, so 0 and 1 are read as 0.0005 and 0.9995. */
  zReported: number;
  /** zReported − zListed: what signals not listed contributed (≥ 0 up to rounding). */
  remainder: number;
  thresholds: { suspicious: number; distillation: number };
  verdict: Verdict;
  /** The key took its campaign's score (its first reason is `campaign`). */
  inherited: boolean;
  /** Weighted signals that are not among the listed reasons. */
  absent: string[];
}

/** logit of a score rounded to 3 decimals: 1.000 means at least 0.9995, so its z is at least 7.6. */
const logit = (p: number) => {
  const q = Math.min(0.9995, Math.max(0.0005, p));
  return Math.log(q / (1 - q));
};

/** The engine config carried by the findings, or the defaults when it is missing or not a config. */
export function engineConfigOf(config: unknown): { config: DetectConfig; source: 'findings' | 'defaults' } {
  if (config !== undefined && config !== null) {
    const parsed = DetectConfigSchema.safeParse(config);
    if (parsed.success) return { config: parsed.data, source: 'findings' };
  }
  return { config: resolveConfig(), source: 'defaults' };
}

function kindOf(signal: string, weights: Record<string, number>): TermKind {
  if (signal.startsWith('link.')) return 'link';
  if (signal === 'campaign') return 'campaign';
  return signal in weights ? 'signal' : 'unknown';
}

export interface ExplainInput {
  reasons: readonly Reason[];
  requests: number;
  score: number;
  verdict: Verdict;
  engineConfig: unknown;
  /** Distinct orgs of a campaign subject (none for a key): a campaign of two or more orgs is
   * scored without the generic discount (`genericFloorOf`). */
  orgs?: number;
}

export function explainScore(input: ExplainInput): ScoreExplanation {
  const { config, source } = engineConfigOf(input.engineConfig);
  const weights = config.scoring.weights as Record<string, number>;
  const { bias, minRequests, intentFloor } = config.scoring;
  const genericFloor = genericFloorOf(config, input.orgs);
  const support = Math.min(1, input.requests / minRequests);
  const gates = gatesOf(input.reasons, intentFloor, genericFloor);
  const { automation, intent, intentGate, automationGate, corroboration, genericGate } = gates;
  const terms: ScoreTerm[] = input.reasons.map((r) => {
    const kind = kindOf(r.signal, weights);
    const gate = gateFor(r.signal, gates);
    const weight = kind === 'signal' ? (weights[r.signal] ?? 0) : null;
    const contribution = weight === null ? null : support * weight * gate * r.score;
    return { signal: r.signal, score: r.score, kind, weight, gate, contribution };
  });
  const zListed = terms.reduce((z, t) => z + (t.contribution ?? 0), -bias);
  const zReported = logit(input.score);
  const listed = new Set(input.reasons.map((r) => r.signal));
  return {
    configSource: source,
    bias,
    requests: input.requests,
    minRequests,
    support,
    intentFloor,
    genericFloor,
    corroboration,
    genericGate,
    automation,
    intent,
    intentGate,
    automationGate,
    terms,
    zListed,
    scoreListed: sigmoid(zListed),
    reported: input.score,
    zReported,
    remainder: zReported - zListed,
    thresholds: { ...config.thresholds },
    verdict: input.verdict,
    inherited: input.reasons[0]?.signal === 'campaign',
    absent: Object.keys(weights).filter((s) => !listed.has(s)),
  };
}
