/**
 * @module limits/rules
 * Building the subjects a request is limited by, and scaling rules for the `throttle` action.
 */
import type { KeyContext } from '../tenancy/types.js';
import type { LimitRule, LimitSubject } from './types.js';

const RULE_FIELDS = ['rpm', 'tpm', 'concurrency', 'tokensPerDay', 'tokensPerMonth'] as const;

/** Scales every limit of a rule by `factor` (0 < factor), keeping each at least 1. Unlimited stays unlimited. */
export function throttled(rule: LimitRule, factor: number): LimitRule {
  const out: LimitRule = {};
  for (const field of RULE_FIELDS) {
    const v = rule[field];
    if (v !== undefined && v !== null) out[field] = Math.max(1, Math.floor(v * factor));
  }
  return out;
}

/** The key and org subjects of an authenticated request, optionally throttled by a factor. */
export function subjectsFor(ctx: KeyContext, throttleFactor?: number): LimitSubject[] {
  const scale = (rule: LimitRule) => (throttleFactor === undefined ? rule : throttled(rule, throttleFactor));
  return [
    { scope: 'key', id: ctx.keyId, rule: scale(ctx.keyLimits) },
    { scope: 'org', id: ctx.orgId, rule: scale(ctx.orgLimits) },
  ];
}
