/**
 * @module report/evidence-input
 * Everything the evidence report is built from (`EvidenceInput`), gathered by `load.ts` from a
 * store and findings, or built by hand in tests. Plain data: no functions, no I/O handles.
 */
import type { AuditEntry } from '../policy/audit.js';
import type { Decision } from '../policy/types.js';
import type { AccountFinding, CampaignFinding } from './findings.js';

export type EvidenceSubject =
  | { kind: 'campaign'; campaign: CampaignFinding; members: AccountFinding[] }
  | { kind: 'account'; account: AccountFinding; campaign: CampaignFinding | null };

/** Running totals the store holds for one key (every stored event, not a sample). */
export interface KeyFacts {
  key: string;
  org: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  errors: number;
  limited: number;
  /** Event time (epoch ms) of the first and last stored request. */
  firstTs: number;
  lastTs: number;
}

export interface ActivityBucket {
  /** Bucket start, epoch ms (UTC hour or day). */
  start: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  errors: number;
}

export interface ActivitySeries {
  unit: 'hour' | 'day';
  buckets: ActivityBucket[];
}

/** Counted values, most frequent first: `[value, count]`. */
export type Tally = Array<[string, number]>;

export interface TrafficProfile {
  models: Tally;
  endpoints: Tally;
  /** /24 (IPv4) or /64 (IPv6) networks. */
  subnets: Tally;
  distinctIps: number;
  distinctFingerprints: number;
  userAgents: Tally;
  /** Requests whose prompt elicited chain-of-thought / asked for grading / carried images / asked for logprobs. */
  cot: number;
  grading: number;
  withImages: number;
  logprobs: number;
  /** Median max_tokens asked for (null when none was given). */
  medianMaxTokens: number | null;
  singleTurn: number;
}

export interface PromptSample {
  skeletonHash: string;
  frameHash: string;
  /** Requests in the scanned events with this skeleton, and how many distinct keys sent it. */
  count: number;
  keys: number;
  domain: string;
  cot: boolean;
  grading: boolean;
  /** The template skeleton (slots such as numbers, names, quotes and code replaced), when prompt text was stored. */
  skeleton: string | null;
  /** The raw last user message: only when stored AND explicitly requested. */
  raw: string | null;
}

/** How much of the stored traffic the activity, traffic profile and samples were computed from. */
export interface EventCoverage {
  /** Stored events of the subject's keys (from the store's running totals). */
  stored: number;
  /** Events actually read for the chart, traffic profile and samples. */
  scanned: number;
  /** Event-time range of the scanned events (null when none). */
  firstScannedTs: number | null;
  lastScannedTs: number | null;
  /** Read budget per report; `scanned < stored` means the newest events were read first. */
  maxEvents: number;
}

export interface EvidenceInput {
  subject: EvidenceSubject;
  /** `generated_at` of the findings the report is built on (the engine's latest event time). */
  findingsGeneratedAt: string;
  /** Where the findings came from, e.g. `findings.json`, `store (latest snapshot)`, `live engine`. */
  findingsSource: string;
  engine: { version: string; config: unknown } | null;
  /** Stored totals per key of the subject (empty when the store holds no events for them). */
  keys: KeyFacts[];
  activity: ActivitySeries | null;
  traffic: TrafficProfile | null;
  samples: PromptSample[];
  /** True when at least one scanned event carried prompt text (`store_prompts` was on). */
  promptsStored: boolean;
  coverage: EventCoverage;
  decisions: Decision[];
  audit: AuditEntry[];
  /** ISO wall-clock time the report was made. */
  createdAt: string;
}

export interface EvidenceOptions {
  /** Show raw prompts of the samples (only present when stored and loaded with includePrompts). */
  includePrompts?: boolean;
  /** Member keys listed in the campaign table (the rest are counted). */
  maxMembers?: number;
}

export const EVIDENCE_DEFAULTS = { includePrompts: false, maxMembers: 200 } as const;
