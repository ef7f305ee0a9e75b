/**
 * @module detect/state
 * The engine's mutable state per key and per campaign (everything a checkpoint holds besides
 * the profiles' sketches), and the change events it emits for the live policy.
 */
import type { Reason, Verdict } from '../report/findings.js';
import type { AccountProfile } from './profile.js';

export interface OwnScore {
  score: number;
  /** The score without the generic discount (scoring.ts `ScoreResult.suspicion`), read by
   * linkage and inheritance. Absent in checkpoints of engines before 1.10.0 until the key is
   * next scored (`suspicionOf` reads `score` then). */
  suspicion?: number;
  verdict: Verdict;
  reasons: Reason[];
  /** The key's own scores on the intent signals that can corroborate a campaign (scoring.ts
   * `INTENT` less `WEAK`), those ≥ 0.1 only; read by the inheritance rule. Absent in
   * checkpoints of engines before 1.3.0 until the key is next scored. */
  intent?: Record<string, number>;
}

/** How far a key looks like a harvester on its own traffic, for linkage and inheritance. */
export const suspicionOf = (own: OwnScore): number => own.suspicion ?? own.score;

export interface Inheritance {
  campaign: string;
  score: number;
  reason: Reason;
}

export interface KeyState {
  /** Arrival order of the key (its id in the LSH index and the link graph). */
  index: number;
  p: AccountProfile;
  own: OwnScore;
  score: number;
  verdict: Verdict;
  reasons: Reason[];
  firstFlagAt: number | null;
  firstDistAt: number | null;
  reqAtFlag: number | null;
  lastEvalN: number;
  lastEvalTs: number;
  /** Flagged campaign the key belongs to, if any. */
  campaign: string | null;
  inherit: Inheritance | null;
  /** Reached the suspect score once (it triggers a prompt linkage pass, once). */
  suspect: boolean;
}

export interface CampaignState {
  id: string;
  keys: string[];
  orgs: string[];
  score: number;
  verdict: Verdict;
  reasons: Reason[];
  requests: number;
  outTok: number;
  firstSeen: number;
  lastSeen: number;
  firstFlagAt: number | null;
  firstDistAt: number | null;
}

/** A verdict change, for the live policy (decision cache, audit trail, dashboard stream). */
export interface VerdictChange {
  kind: 'account' | 'campaign';
  id: string;
  keys: string[];
  org: string | null;
  verdict: Verdict;
  score: number;
  reasons: Reason[];
  /** Event time of the evaluation that changed the verdict. */
  at: number;
}
