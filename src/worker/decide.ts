/**
 * @module worker/decide
 * Verdict change → decision to record (pure): the policy's action for the verdict
 * (policy/verdict.ts), on the key for an account change and on each key for a campaign change
 * (a campaign spans orgs; its keys are what the gateway can stop). Nothing is recorded when
 * the subject's decision in force already has that action.
 */
import type { NewDecision } from '../policy/decisions.js';
import type { Action, DecisionSubject } from '../policy/types.js';
import { actionFor, type VerdictPolicy } from '../policy/verdict.js';
import type { Reason, Verdict } from '../report/findings.js';

/** The engine's verdict change (detect/state.ts `VerdictChange`), as far as decisions need it. */
export interface ChangeLike {
  kind: 'account' | 'campaign';
  id: string;
  keys: string[];
  org: string | null;
  verdict: Verdict;
  reasons: Reason[];
}

/** The action in force for a subject (the decision cache's `current(...)?.action`). */
export type CurrentAction = (subject: DecisionSubject) => Action | undefined;

/** Factor applied when the policy maps a verdict to `throttle`. */
export const DEFAULT_THROTTLE_FACTOR = 0.5;

export function decisionsFor(
  change: ChangeLike,
  policy: VerdictPolicy,
  current: CurrentAction,
): NewDecision[] {
  const keys = change.kind === 'account' ? [change.id] : change.keys;
  const reasons = change.reasons.slice(0, 5).map((r) => `${r.signal}: ${r.detail}`);
  const out: NewDecision[] = [];
  for (const key of keys) {
    const subject: DecisionSubject = { scope: 'key', id: key };
    const { action, shadow } = actionFor(change.verdict, policy, { key, org: change.org });
    if (current(subject) === action) continue;
    if (action === 'observe' && current(subject) === undefined) continue;
    out.push({
      subject,
      action,
      source: 'engine',
      reasons: reasons.length > 0 ? reasons : [`verdict ${change.verdict}`],
      shadow,
      campaign: change.kind === 'campaign' ? change.id : null,
      ...(action === 'throttle' ? { throttleFactor: DEFAULT_THROTTLE_FACTOR } : {}),
    });
  }
  return out;
}
