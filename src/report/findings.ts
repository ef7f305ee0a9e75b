/**
 * @module report/findings
 * The findings format (version 1): the output of `distillguard analyze` and of
 * `GET /admin/findings`. Documented in ARCHITECTURE.md; keep stable.
 */
import type { Present } from './coverage.js';

export type Verdict = 'benign' | 'suspicious' | 'distillation';

/** Verdicts in order of severity, for sorting and for "at least" comparisons. */
export const VERDICT_RANK: Readonly<Record<Verdict, number>> = { benign: 0, suspicious: 1, distillation: 2 };

export interface Reason {
  /** Signal or linkage name, e.g. `harvest_ratio`, `template_reuse`, `link.shared_subnet`. */
  signal: string;
  /** Strength in [0,1]. */
  score: number;
  /** Human-readable explanation with the numbers behind it. */
  detail: string;
}

export interface AccountFinding {
  key: string;
  org: string;
  account?: string;
  requests: number;
  output_tokens: number;
  input_tokens?: number;
  score: number;
  verdict: Verdict;
  /** ISO time at which the key first reached `suspicious` or worse; null if never. */
  first_flagged_at: string | null;
  /** ISO time at which the key first reached `distillation`; null if never. */
  first_distillation_at?: string | null;
  /** Requests the key had made when first flagged (for time-to-detection). */
  requests_at_first_flag?: number | null;
  campaign: string | null;
  reasons: Reason[];
}

export interface CampaignFinding {
  id: string;
  keys: string[];
  orgs?: string[];
  score: number;
  verdict: Verdict;
  requests: number;
  output_tokens: number;
  first_seen_at?: string;
  last_seen_at?: string;
  first_flagged_at?: string | null;
  reasons: Reason[];
}

export interface Findings {
  version: 1;
  generated_at: string;
  input: {
    lines: number;
    bad_lines: number;
    bad_line_samples?: Array<{ line: number; error: string }>;
    /** Valid lines carrying each kind of evidence (`analyze` only; report/coverage.ts). */
    present?: Present;
    /** Valid lines skipped because a recent line had the same id (a line sent twice). */
    duplicates?: number;
    /** Why reading the input stopped early (a truncated gzip, an I/O error): the findings cover
     * the lines read before it. Absent when the whole input was read. */
    read_error?: string;
  };
  engine?: { version: string; config: unknown };
  accounts: AccountFinding[];
  campaigns: CampaignFinding[];
}
