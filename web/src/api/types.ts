/**
 * @module web/api/types
 * View models the dashboard renders. The admin API's wire shapes are adapted into these by
 * `api/normalize.ts`, so a renamed field on the server touches one file here.
 */
import type { Reason, Verdict } from '../../../src/report/findings.js';

export type { Action } from '../../../src/policy/types.js';
export type {
  AccountFinding,
  CampaignFinding,
  Findings,
  Reason,
  Verdict,
} from '../../../src/report/findings.js';

export interface Page<T> {
  items: T[];
  /** Total rows matching the filter, when the server says. */
  total: number | null;
  offset: number;
  nextCursor: string | null;
}

export interface AccountRow {
  key: string;
  /** Short secret prefix (`dg-7Hq2xK`) when known. */
  prefix: string | null;
  org: string;
  orgName: string | null;
  account: string | null;
  requests: number;
  inputTokens: number | null;
  outputTokens: number;
  /** Output ÷ input tokens; null when input is unknown or zero. */
  harvestRatio: number | null;
  score: number | null;
  verdict: Verdict | null;
  campaign: string | null;
  firstFlaggedAt: string | null;
  lastSeenAt: number | null;
  reasons: Reason[];
  /** Action currently in force, when the server says. */
  action: string | null;
}

/** Sort fields of `GET /admin/accounts`. */
export type SortKey =
  | 'score'
  | 'requests'
  | 'output_tokens'
  | 'input_tokens'
  | 'last_seen'
  | 'key'
  | 'verdict'
  | 'harvest_ratio'
  | 'campaign'
  | 'org';

export interface AccountsQuery {
  offset: number;
  limit: number;
  sort: SortKey;
  order: 'asc' | 'desc';
  verdict: Verdict | '';
  org: string;
  q: string;
}

export interface EventView {
  id: string;
  ts: number;
  key: string;
  org: string | null;
  model: string | null;
  endpoint: string | null;
  status: number | null;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number | null;
  limitedBy: string | null;
  domain: string | null;
  skeletonHash: string | null;
  /** Prompt text, only when the gateway stores prompts. */
  promptText: string | null;
}

export interface DecisionView {
  id: string;
  scope: 'key' | 'org';
  subject: string;
  action: string;
  source: string;
  reasons: string[];
  shadow: boolean;
  createdAt: number;
  expiresAt: number | null;
  throttleFactor: number | null;
  campaign: string | null;
}

export interface AuditView {
  at: number;
  who: string;
  what: string;
  why: string;
  previous: string | null;
}

export interface LimitView {
  name: string;
  key: number | null;
  org: number | null;
}

export interface AccountDetail {
  row: AccountRow;
  /** Key id (the account's subject for actions). */
  keyId: string;
  orgId: string;
  revoked: boolean;
  limits: LimitView[];
  usage: Array<{ label: string; value: string }>;
  decisions: DecisionView[];
  audit: AuditView[];
  effective: DecisionView | null;
}

export interface CampaignView {
  id: string;
  keys: string[];
  orgs: string[];
  score: number;
  verdict: Verdict;
  requests: number;
  outputTokens: number;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  firstFlaggedAt: string | null;
  reasons: Reason[];
}

/** One evidence edge between two accounts of a campaign. */
export interface LinkView {
  a: string;
  b: string;
  /** Evidence kinds, e.g. `template`, `system prompt`, `/24`, `fingerprint`, `timing`. */
  kinds: string[];
  weight: number | null;
}

export interface CampaignDetail {
  campaign: CampaignView;
  /** Pairwise links when the engine provides them; empty otherwise. */
  links: LinkView[];
  members: AccountRow[];
}

/** A request summary as pushed on the admin SSE stream. */
export interface LiveRequest {
  ts: number;
  key: string;
  promptTokens: number;
  completionTokens: number;
  status: number | null;
}
