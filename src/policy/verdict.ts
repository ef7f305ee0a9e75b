/**
 * @module policy/verdict
 * Verdict → action, pure. Shadow mode is the default: the action is decided and recorded but
 * not enforced. Allowlisted orgs and keys always get `allow`, whatever the verdict.
 * Default map: benign → observe, suspicious → flag, distillation → block (throttle and verify
 * are available through `map`).
 */
import type { Verdict } from '../report/findings.js';
import type { Action, DecisionSubject } from './types.js';

export type PolicyMode = 'shadow' | 'enforce';

export interface VerdictPolicy {
  mode?: PolicyMode;
  map?: Partial<Record<Verdict, Action>>;
  allowlist?: { orgs?: readonly string[]; keys?: readonly string[] };
}

export const DEFAULT_ACTION_MAP: Readonly<Record<Verdict, Action>> = {
  benign: 'observe',
  suspicious: 'flag',
  distillation: 'block',
};

export const DEFAULT_POLICY_MODE: PolicyMode = 'shadow';

/** What the decision is about: a key (with its org) or a whole org. */
export interface PolicySubject {
  key?: string | null;
  org?: string | null;
}

export interface PolicyOutcome {
  action: Action;
  /** True when the action is recorded but not enforced. */
  shadow: boolean;
}

/** A key with its org, or a decision subject (`{ scope: 'key' | 'org', id }`). */
export type SubjectLike = PolicySubject | DecisionSubject;

const normalize = (s: SubjectLike): PolicySubject =>
  'scope' in s ? (s.scope === 'key' ? { key: s.id } : { org: s.id }) : s;

export function isAllowlisted(policy: VerdictPolicy, subjectLike: SubjectLike): boolean {
  const a = policy.allowlist;
  if (!a) return false;
  const subject = normalize(subjectLike);
  return (
    (subject.key != null && (a.keys ?? []).includes(subject.key)) ||
    (subject.org != null && (a.orgs ?? []).includes(subject.org))
  );
}

export function actionFor(verdict: Verdict, policy: VerdictPolicy, subject: SubjectLike): PolicyOutcome {
  const shadow = (policy.mode ?? DEFAULT_POLICY_MODE) === 'shadow';
  if (isAllowlisted(policy, subject)) return { action: 'allow', shadow };
  const action = policy.map?.[verdict] ?? DEFAULT_ACTION_MAP[verdict];
  return { action, shadow };
}

/** True when the gateway must act on the outcome (refuse or slow the request). */
export function enforces(o: PolicyOutcome): boolean {
  return !o.shadow && (o.action === 'block' || o.action === 'verify' || o.action === 'throttle');
}
