/**
 * @module policy/types
 * Decisions: what the gateway does with a key or org. Made by the policy from the engine's
 * verdicts, or by a person through the admin API (manual override), and recorded in the audit trail.
 */

export type Action = 'observe' | 'flag' | 'throttle' | 'verify' | 'block' | 'allow';

export type DecisionSubject = { scope: 'key' | 'org'; id: string };

export interface Decision {
  id: string;
  subject: DecisionSubject;
  action: Action;
  /** For `throttle`: factor applied to the subject's limits (0 < f < 1). */
  throttleFactor?: number;
  /** `engine` or `admin:<who>`. */
  source: string;
  reasons: string[];
  /** Decided in shadow mode: recorded but not enforced. */
  shadow: boolean;
  createdAt: number;
  /** Optional expiry (epoch ms). */
  expiresAt?: number | null;
  /** Id of a campaign that triggered it, when any. */
  campaign?: string | null;
}

/** The gateway's view: the decision in force for a key, resolved over key and org decisions. */
export interface DecisionLookup {
  effective(keyId: string, orgId: string, now: number): Decision | null;
}
