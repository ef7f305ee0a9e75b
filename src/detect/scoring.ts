/**
 * @module detect/scoring
 * The interpretable model: a logistic over weighted signal scores.
 *
 *   z = −bias + support · Σ wᵢ·gᵢ·sᵢ        score = 1 / (1 + e^(−z))        support = min(1, n / minRequests)
 *
 * gᵢ = floor + (1 − floor)·A for INTENT signals (A = strongest automation signal),
 * gᵢ = floor + (1 − floor)·I for AUTOMATION signals (I = strongest intent signal), 1 for
 * single_turn and harvest_segment (a composite with its own scripted-ness test). `sweep` and
 * `volume` count but never open a gate. GENERIC intent signals (long answers, max_tokens pinned)
 * are further multiplied by genericFloor + (1 − genericFloor)·C, C = strongest CORROBORATING
 * signal, and enter the automation gate's I so discounted (engine 1.10.0). Weights live in one table (`config.scoring.weights`);
 * with the defaults no single signal reaches the bias (4.0), so a key needs several pieces of
 * evidence. Each reason's contribution is wᵢ·gᵢ·sᵢ·support; reasons are sorted by it.
 * docs/detection.md explains the model.
 */
import type { Reason, Verdict } from '../report/findings.js';
import type { DetectConfig } from './config.js';
import type { AccountProfile } from './profile.js';
import { SIGNALS } from './signals/index.js';
import type { SignalContext } from './signals/types.js';

export interface Contribution extends Reason {
  contribution: number;
}

export interface ScoreResult {
  score: number;
  /** The score without the generic discount (genericFloor 1): how far the key looks like a
   * harvester on its own traffic. Linkage (suspects, customer-counted rarity) and the inheritance
   * rule read it; the verdict reads `score`. A test-data job is a linkage suspect, not a verdict. */
  suspicion: number;
  verdict: Verdict;
  /** Top reasons by contribution (signals scoring ≥ 0.1 only). */
  reasons: Reason[];
  /** The intent signals that can corroborate a campaign (INTENT less WEAK) scoring ≥ 0.1. */
  intent: Record<string, number>;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function verdictOf(score: number, t: DetectConfig['thresholds']): Verdict {
  if (score >= t.distillation) return 'distillation';
  if (score >= t.suspicious) return 'suspicious';
  return 'benign';
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The two halves of the evidence. INTENT: what the traffic asks for (long answers for short
 * prompts, reasoning traces, rubrics, logprobs, pinned max_tokens, sweeps, fan-out…).
 * AUTOMATION: how it is sent (machine timing, templates, scale, many coordinated keys).
 * Each half counts in full only alongside the other: a person asking many varied questions by
 * hand is not a harvester, and a big, regular, templated product that wants nothing a distiller
 * wants (RAG, batch, many keys of one app) is not one either. Each half's weights are multiplied
 * by `floor + (1 − floor) · M`, M = the strongest signal of the other half.
 */
export const INTENT: ReadonlySet<string> = new Set([
  'harvest_ratio',
  'sweep',
  'cot_elicitation',
  'grading',
  'logprob_extraction',
  'sampling',
  'multimodal_bulk',
  'model_fanout',
  'new_model_pivot',
]);
export const AUTOMATION: ReadonlySet<string> = new Set([
  'machine_timing',
  'template_reuse',
  'fixed_config',
  'coordination',
  'volume',
]);
/** Signals too common among legitimate heavy users to open the other half's gate on their own
 * (broad topical coverage, high volume): they count, gated, but do not gate. */
export const WEAK: ReadonlySet<string> = new Set(['sweep', 'volume']);

/**
 * Intent signals that legitimate work shows as plainly as harvesting: long answers to short
 * prompts and max_tokens pinned high are what content generators, test-data jobs and report
 * writers ask for too (engine 1.10.0), and rubric grading is what evaluation platforms and eval
 * pipelines (LLM-as-judge) ask for (engine 1.11.0). They count in full only alongside a sign of
 * what a distiller wants beyond them (CORROBORATING); without one they count `genericFloor` of
 * their weight, and open the automation gate only that far.
 */
export const GENERIC: ReadonlySet<string> = new Set(['harvest_ratio', 'sampling', 'grading']);
/** What a distiller wants beyond long texts and grades: breadth across capabilities, reasoning
 * traces, the output layer, images in bulk, several models or a new one, a harvest slice inside a
 * product, around-the-clock machine operation, many linked accounts. */
export const CORROBORATING: ReadonlySet<string> = new Set([
  'sweep',
  'cot_elicitation',
  'logprob_extraction',
  'multimodal_bulk',
  'model_fanout',
  'new_model_pivot',
  'harvest_segment',
  'machine_timing',
  'coordination',
]);

/** Each half's strongest non-weak score and the gate it opens for the other half. */
export interface Gates {
  /** Strongest intent signal, generic ones counted × genericGate. */
  intent: number;
  automation: number;
  /** floor + (1 − floor)·automation, applied to intent signals. */
  intentGate: number;
  /** floor + (1 − floor)·intent, applied to automation signals. */
  automationGate: number;
  /** Strongest corroborating signal (C). */
  corroboration: number;
  /** genericFloor + (1 − genericFloor)·C, applied to generic intent signals on top of intentGate. */
  genericGate: number;
}

/** How far the strongest signal `m` of one half opens the other half's gate: floor + (1 − floor)·m. */
const openGate = (floor: number, m: number) => floor + (1 - floor) * m;

/**
 * The gates opened by scored signals: weak signals are skipped, each half takes its maximum,
 * generic intent signals count × the generic gate opened by the strongest corroborating one.
 */
export function gatesOf(
  scores: Iterable<{ signal: string; score: number }>,
  floor: number,
  genericFloor: number,
): Gates {
  const list = [...scores];
  let corroboration = 0;
  for (const { signal, score } of list)
    if (CORROBORATING.has(signal) && score > corroboration) corroboration = score;
  const genericGate = openGate(genericFloor, corroboration);
  let intent = 0;
  let automation = 0;
  for (const { signal, score } of list) {
    if (WEAK.has(signal)) continue;
    const s = GENERIC.has(signal) ? score * genericGate : score;
    if (INTENT.has(signal) && s > intent) intent = s;
    if (AUTOMATION.has(signal) && score > automation) automation = score;
  }
  return {
    intent,
    automation,
    intentGate: openGate(floor, automation),
    automationGate: openGate(floor, intent),
    corroboration,
    genericGate,
  };
}

/** gᵢ for one signal: the intent gate for intent signals (× the generic gate for generic ones),
 * the automation gate for automation ones, else 1. */
export function gateFor(signal: string, g: Gates): number {
  if (INTENT.has(signal)) return GENERIC.has(signal) ? g.intentGate * g.genericGate : g.intentGate;
  return AUTOMATION.has(signal) ? g.automationGate : 1;
}

/** Per signal index (SIGNALS order): its half of the evidence, and whether it is weak. */
const IS_INTENT = SIGNALS.map((s) => INTENT.has(s.name));
const IS_AUTOMATION = SIGNALS.map((s) => AUTOMATION.has(s.name));
const IS_WEAK = SIGNALS.map((s) => WEAK.has(s.name));
const IS_GENERIC = SIGNALS.map((s) => GENERIC.has(s.name));
const IS_CORROBORATING = SIGNALS.map((s) => CORROBORATING.has(s.name));

/**
 * Scratch of one scoring, reused by every call (scoring is synchronous and never re-entered):
 * each signal's clamped score and contribution by index, and the indices of the reasons found.
 * A scoring allocates only what it returns.
 */
const scores = new Float64Array(SIGNALS.length);
const contributions = new Float64Array(SIGNALS.length);
const found: number[] = [];

/** The intent record of a profile that scores on no corroborating intent signal (never written). */
const NO_INTENT: Record<string, number> = Object.freeze({});

/** Reason order: by contribution, descending, then by signal name (a total order: names differ). */
const before = (i: number, j: number) =>
  contributions[j]! - contributions[i]! || (SIGNALS[i]!.name < SIGNALS[j]!.name ? -1 : 1);

/** Inserts signal `i` into `found`, kept in reason order (at most 16 entries). */
function insertFound(i: number): void {
  let j = found.length - 1;
  found.push(i);
  while (j >= 0 && before(found[j]!, i) > 0) {
    found[j + 1] = found[j]!;
    j--;
  }
  found[j + 1] = i;
}

export function scoreProfile(p: AccountProfile, ctx: SignalContext): ScoreResult {
  const { cfg } = ctx;
  const weights = cfg.scoring.weights as Record<string, number>;
  const support = Math.min(1, p.n / cfg.scoring.minRequests);
  // The gates (gatesOf, over the scratch): the corroboration first, then each half's strongest
  // non-weak score, generic intent signals counted × the generic gate.
  let corroboration = 0;
  for (let i = 0; i < SIGNALS.length; i++) {
    const raw = SIGNALS[i]!.score(p, ctx);
    const score = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
    scores[i] = score;
    if (IS_CORROBORATING[i] && score > corroboration) corroboration = score;
  }
  const genericGate = openGate(genericFloorOf(cfg, ctx.campaign?.orgs), corroboration);
  let intentMax = 0;
  let intentMaxRaw = 0;
  let automationMax = 0;
  for (let i = 0; i < SIGNALS.length; i++) {
    if (IS_WEAK[i]) continue;
    const raw = scores[i]!;
    const score = IS_GENERIC[i] ? raw * genericGate : raw;
    if (IS_INTENT[i] && score > intentMax) intentMax = score;
    if (IS_INTENT[i] && raw > intentMaxRaw) intentMaxRaw = raw;
    if (IS_AUTOMATION[i] && score > automationMax) automationMax = score;
  }
  const floor = cfg.scoring.intentFloor;
  const intentGate = openGate(floor, automationMax);
  const automationGate = openGate(floor, intentMax);
  const automationGateRaw = openGate(floor, intentMaxRaw);
  let z = -cfg.scoring.bias;
  let zRaw = z;
  let intent: Record<string, number> | null = null;
  found.length = 0;
  for (let i = 0; i < SIGNALS.length; i++) {
    const name = SIGNALS[i]!.name;
    const score = scores[i]!;
    const factor = IS_INTENT[i]
      ? IS_GENERIC[i]
        ? intentGate * genericGate
        : intentGate
      : IS_AUTOMATION[i]
        ? automationGate
        : 1;
    const contribution = (weights[name] ?? 0) * score * support * factor;
    z += contribution;
    const rawFactor = IS_INTENT[i] ? intentGate : IS_AUTOMATION[i] ? automationGateRaw : 1;
    zRaw += (weights[name] ?? 0) * score * support * rawFactor;
    if (score < 0.1) continue;
    if (IS_INTENT[i] && !IS_WEAK[i]) {
      intent ??= {};
      intent[name] = round(score);
    }
    if (contribution > 0) {
      contributions[i] = contribution;
      insertFound(i);
    }
  }
  const score = round(sigmoid(z));
  // Details are formatted for the reasons kept only, from the same profile and context.
  const reasons: Reason[] = [];
  for (let k = 0; k < found.length && k < cfg.scoring.maxReasons; k++) {
    const i = found[k]!;
    const s = SIGNALS[i]!;
    const detail = s.detail(p, ctx);
    reasons.push({
      signal: s.name,
      score: round(scores[i]!),
      detail:
        IS_GENERIC[i] && genericGate < 0.995
          ? detail + genericNote(s.name, genericGate, corroboration)
          : detail,
    });
  }
  return {
    score,
    suspicion: round(sigmoid(zRaw)),
    verdict: verdictOf(score, cfg.thresholds),
    reasons,
    intent: intent ?? NO_INTENT,
  };
}

/**
 * The generic floor for a subject: a campaign whose keys lie in two or more orgs is scored without
 * the discount (accounts in several orgs linked by strong evidence are the hiding a distiller
 * does; `coordination` scores how far), a key or a one-org campaign with it.
 */
export function genericFloorOf(cfg: DetectConfig, campaignOrgs?: number): number {
  return campaignOrgs !== undefined && campaignOrgs >= 2 ? 1 : cfg.scoring.genericFloor;
}

/** Who else asks for what a generic signal measures, for its reason's note. */
const LEGITIMATE_USE: Record<string, string> = {
  grading: 'evaluation platforms and eval pipelines grade with the model too',
};

/** The note on a generic reason counted below its weight: by how much, and why. */
function genericNote(signal: string, gate: number, corroboration: number): string {
  const why =
    corroboration < 0.1
      ? 'nothing else a distiller wants shows (no breadth, reasoning asks, round-the-clock timing or linked accounts)'
      : `the strongest other sign of a distiller's wants scores ${corroboration.toFixed(2)}`;
  return ` — counted ×${gate.toFixed(2)}: ${LEGITIMATE_USE[signal] ?? 'legitimate generation asks for this too'}, and ${why}`;
}

/** A campaign's intent signal that counts as shared when a member scores on it too. */
const CAMPAIGN_INTENT = 0.5;

/**
 * How far a member's own traffic shows its campaign's intent: the member's best score on an
 * intent signal (not a weak one) on which the campaign's combined traffic scores ≥ 0.5, and that
 * signal (null when none). A key that asks for long answers to short prompts in a campaign of
 * harvesters scores here; a developer linked to it by shared public prompts, whose own answers
 * are not long, does not.
 */
export function sharedIntent(
  member: Readonly<Record<string, number>> | undefined,
  campaign: Pick<ScoreResult, 'intent'>,
): { signal: string | null; score: number } {
  let best: { signal: string | null; score: number } = { signal: null, score: 0 };
  if (!member) return best;
  for (const name in campaign.intent) {
    if (campaign.intent[name]! < CAMPAIGN_INTENT) continue;
    const own = member[name] ?? 0;
    if (own > best.score || (own === best.score && own > 0 && best.signal !== null && name < best.signal))
      best = { signal: name, score: own };
  }
  return best;
}
