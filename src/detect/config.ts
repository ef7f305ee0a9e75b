/**
 * @module detect/config
 * The engine's configuration: one zod schema with every default in it. Signal weights and
 * linkage weights live in ONE table each (`scoring.weights`, `linkage.weights`) so the model stays
 * interpretable: docs/detection.md explains how they combine.
 */
import { z } from 'zod';
import { STOCK_SYSTEM_PROMPTS } from './linkage/stock.js';

/** Recursive partial, for `new Engine(config)` overrides. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Weight of each signal in the logistic score (see scoring.ts). Keys are signal names. */
export const DEFAULT_SIGNAL_WEIGHTS = {
  volume: 0.8,
  harvest_ratio: 2.0,
  harvest_segment: 4.2,
  single_turn: 0.8,
  sweep: 1.2,
  template_reuse: 1.0,
  cot_elicitation: 1.6,
  grading: 1.6,
  logprob_extraction: 2.6,
  sampling: 1.4,
  machine_timing: 1.2,
  fixed_config: 1.6,
  multimodal_bulk: 1.6,
  model_fanout: 1.8,
  new_model_pivot: 1.0,
  coordination: 2.6,
} as const;

/** Strength of each kind of linking evidence between two accounts, before rarity weighting. */
export const DEFAULT_LINK_WEIGHTS = {
  template: 0.5,
  near_duplicate: 0.5,
  system_prompt: 0.3,
  subnet: 0.4,
  fingerprint: 0.25,
  synchronized: 0.25,
  signup_burst: 0.15,
  similar_behaviour: 0.3,
  meta: 0.6,
  same_org: 0.25,
  request_shape: 0.45,
  tool_set: 0.3,
} as const;

const weights = <T extends Record<string, number>>(d: T) =>
  z.object(
    Object.fromEntries(Object.entries(d).map(([k, v]) => [k, z.number().min(0).default(v)])) as {
      [K in keyof T]: z.ZodDefault<z.ZodNumber>;
    },
  );

export const DetectConfigSchema = z.object({
  thresholds: z
    .object({
      /** Score at or above which a key/campaign is `suspicious`. */
      suspicious: z.number().min(0).max(1).default(0.5),
      /** Score at or above which a key/campaign is `distillation`. */
      distillation: z.number().min(0).max(1).default(0.8),
    })
    .prefault({}),
  cadence: z
    .object({
      /** Re-score an account after this many new requests (at most; earlier while young). */
      accountEveryRequests: z.number().int().min(1).default(32),
      /** …or after this much event time with new requests. */
      accountEveryMs: z
        .number()
        .min(0)
        .default(30 * MIN),
      /** Linkage + campaigns are rebuilt at most this often in event time, when a key first
       * reached `suspectScore` since the last rebuild (suspects get linked fast)… */
      campaignEveryMs: z
        .number()
        .min(0)
        .default(15 * MIN),
      suspectScore: z.number().min(0).max(1).default(0.2),
      /** …or once this many events per tracked key arrived since the last rebuild… */
      campaignEventsPerAccount: z.number().min(0).default(8),
      /** …and at least this often in event time when anything arrived. */
      campaignMaxEveryMs: z
        .number()
        .min(0)
        .default(3 * HOUR),
      /** Past this many tracked keys, the suspect-triggered pass waits `campaignEveryMs` × keys ÷
       * this (capped at `campaignMaxEveryMs`): a pass costs time in proportion to the keys, and a
       * churning crowd of thousands makes new suspects all the time (engine 1.12.0). */
      campaignEveryKeys: z.number().int().min(1).default(1000),
    })
    .prefault({}),
  windows: z
    .object({
      /** Half-life of the fast decayed rate (recent activity). */
      fastHalfLifeMs: z.number().positive().default(HOUR),
      /** Half-life of the slow decayed rate (the account's own history). */
      slowHalfLifeMs: z
        .number()
        .positive()
        .default(3 * DAY),
      /** Width of one activity bucket for timing alignment between accounts. */
      activityBucketMs: z
        .number()
        .positive()
        .default(10 * MIN),
      /** Number of activity buckets kept per account (a ring). */
      activityBuckets: z.number().int().min(8).max(2048).default(144),
      /** A model first seen this long after the first event counts as newly released. */
      newModelWarmupMs: z
        .number()
        .min(0)
        .default(6 * HOUR),
      /** An event whose id is among the last this-many ids is a duplicate and is skipped (a
       * retried batch, a redelivery; sketches/recent-ids.ts). 0 turns the check off. */
      recentIds: z
        .number()
        .int()
        .min(0)
        .default(1 << 18),
    })
    .prefault({}),
  scoring: z
    .object({
      /** Logistic intercept: the score of an account with no evidence is sigmoid(-bias). */
      bias: z.number().default(4.0),
      /** Intent signals count this fraction of their weight without any automation evidence. */
      intentFloor: z.number().min(0).max(1).default(0.5),
      /** Generic intent signals (long answers, max_tokens pinned) count this fraction of their
       * weight without corroborating evidence (scoring.ts GENERIC, CORROBORATING; 1 = off). */
      genericFloor: z.number().min(0).max(1).default(0.5),
      /** Evidence is scaled by min(1, requests / minRequests): few requests prove little. */
      minRequests: z.number().min(1).default(24),
      /** Reasons listed per account or campaign. */
      maxReasons: z.number().int().min(1).default(6),
      weights: weights(DEFAULT_SIGNAL_WEIGHTS).prefault({}),
    })
    .prefault({}),
  signals: z
    .object({
      /** max_tokens at or above this is "pinned high". */
      highMaxTokens: z.number().positive().default(4000),
      /** top_logprobs at or above this is extraction-grade. */
      highTopLogprobs: z.number().positive().default(10),
      /** logit_bias maps with at least this many entries are extraction-grade. */
      largeLogitBias: z.number().positive().default(20),
      /** Population reference of output tokens per account-day when the population is too small. */
      referenceOutTokensPerDay: z.number().positive().default(200_000),
      /** Population statistics need at least this many accounts. */
      minPopulation: z.number().int().min(1).default(20),
    })
    .prefault({}),
  linkage: z
    .object({
      /** Edge strength (noisy-OR of evidence) at or above which two accounts are linked. */
      strongEdge: z.number().min(0).max(1).default(0.6),
      /** A hash shared by at least max(commonOrgs, commonShare × orgs) orgs is common: no evidence. */
      commonOrgs: z.number().int().min(2).default(60),
      commonShare: z.number().min(0).max(1).default(0.05),
      /** Posting lists (accounts per hash) are capped at this length, a bound for pathological
       * inputs: past 64 members a list costs linear time (graph.ts). 256 before engine 1.12.0: a
       * crowd of more accounts sharing an item was cut there and its customers went uncounted. */
      postingCap: z.number().int().min(2).default(32_768),
      /** A frame/skeleton/system/subnet counts for an account when it covers this share of its requests. */
      minShare: z.number().min(0).max(1).default(0.05),
      /** Sign-up burst: first seen within this much of each other (and after the warm-up). */
      signupBurstMs: z
        .number()
        .min(0)
        .default(2 * HOUR),
      /** Strong components of at least this many keys are split into Louvain communities. */
      splitFrom: z.number().int().min(2).default(12),
      /** Campaigns need at least this many keys. */
      minCampaignKeys: z.number().int().min(2).default(2),
      /** A member inherits its campaign's verdict when its own score reaches this floor; below
       * it, only through a link of at least `inheritEdge` that carries behavioural evidence
       * (`inherits` in engine.ts, docs/detection.md). */
      inheritScoreFloor: z.number().min(0).max(1).default(0.3),
      /** …see `inheritScoreFloor`. */
      inheritEdge: z.number().min(0).max(1).default(0.7),
      /** …or through a strong behavioural link when its own traffic shows the campaign's intent:
       * its own score on an intent signal the campaign scores ≥ 0.5 on reaches this (0.45 since
       * engine 1.4.0: hydra keys linked without IP evidence score 0.47–0.69 on it, the benign
       * keys linked to flagged campaigns ≤ 0.31; docs/benchmark.md). */
      inheritIntent: z.number().min(0).max(1).default(0.45),
      /** Between two products (a key with its own system prompt and a key that does not mostly
       * send it, linkage/identity.ts), content evidence (template, near-duplicate prompts, similar behaviour) is multiplied by
       * this (engine 1.5.0; 1 turns it off). */
      distinctProducts: z.number().min(0).max(1).default(0.25),
      /** System prompts common everywhere (SDK and framework defaults): no linking evidence and
       * no product's own prompt, however few orgs send them here (linkage/stock.ts, engine 1.6.0). */
      stockSystemPrompts: z.array(z.string()).default([...STOCK_SYSTEM_PROMPTS]),
      weights: weights(DEFAULT_LINK_WEIGHTS).prefault({}),
    })
    .prefault({}),
});

export type DetectConfig = z.infer<typeof DetectConfigSchema>;
export type SignalName = keyof typeof DEFAULT_SIGNAL_WEIGHTS;
export type LinkKind = keyof typeof DEFAULT_LINK_WEIGHTS;

/** Full config from partial overrides (throws a zod error on invalid values). */
export function resolveConfig(partial: DeepPartial<DetectConfig> = {}): DetectConfig {
  return DetectConfigSchema.parse(partial);
}
