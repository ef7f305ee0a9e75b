/**
 * @module admin/serialize
 * JSON shapes of the admin API (snake_case, times as epoch milliseconds). Secrets and key
 * hashes are never serialized.
 */

import type { RequestEvent } from '../events/types.js';
import type { LimitRule } from '../limits/types.js';
import type { Decision } from '../policy/types.js';
import type { KeyUsage } from '../store/types.js';
import type { Account, ApiKey, Org } from '../tenancy/types.js';

export interface LimitsJson {
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  tokens_per_day?: number;
  tokens_per_month?: number;
}

export function limitsJson(r: LimitRule): LimitsJson {
  const out: LimitsJson = {};
  if (r.rpm !== undefined) out.rpm = r.rpm;
  if (r.tpm !== undefined) out.tpm = r.tpm;
  if (r.concurrency !== undefined) out.concurrency = r.concurrency;
  if (r.tokensPerDay !== undefined) out.tokens_per_day = r.tokensPerDay;
  if (r.tokensPerMonth !== undefined) out.tokens_per_month = r.tokensPerMonth;
  return out;
}

export const orgJson = (o: Org) => ({
  object: 'organization' as const,
  id: o.id,
  name: o.name,
  limits: limitsJson(o.limits),
  meta: o.meta,
  created_at: o.createdAt,
});

export const accountJson = (a: Account) => ({
  object: 'account' as const,
  id: a.id,
  org_id: a.orgId,
  name: a.name,
  meta: a.meta,
  created_at: a.createdAt,
});

export const keyJson = (k: ApiKey) => ({
  object: 'api_key' as const,
  id: k.id,
  org_id: k.orgId,
  account_id: k.accountId,
  prefix: k.prefix,
  labels: k.labels,
  limits: limitsJson(k.limits),
  created_at: k.createdAt,
  revoked_at: k.revokedAt,
  revoked: k.revokedAt !== null,
});

export const usageJson = (u: KeyUsage | null) => ({
  requests: u?.requests ?? 0,
  input_tokens: u?.promptTokens ?? 0,
  output_tokens: u?.completionTokens ?? 0,
  errors: u?.errors ?? 0,
  limited: u?.limited ?? 0,
  first_seen: u?.firstTs ?? null,
  last_seen: u?.lastTs ?? null,
});

export const decisionJson = (d: Decision) => ({
  object: 'decision' as const,
  id: d.id,
  scope: d.subject.scope,
  subject: d.subject.id,
  action: d.action,
  throttle_factor: d.throttleFactor ?? null,
  source: d.source,
  reasons: d.reasons,
  shadow: d.shadow,
  created_at: d.createdAt,
  expires_at: d.expiresAt ?? null,
  campaign: d.campaign ?? null,
});

/** The compact event summary sent on the SSE stream and printed by `events tail`. */
export const eventSummary = (e: RequestEvent) => ({
  id: e.id,
  ts: e.ts,
  key: e.keyId,
  org: e.orgId,
  endpoint: e.endpoint,
  model: e.model,
  status: e.status,
  input_tokens: e.usage.promptTokens,
  output_tokens: e.usage.completionTokens,
  estimated: e.usage.estimated,
  latency_ms: e.latencyMs,
  limited_by: e.limitedBy,
  error_code: e.errorCode,
  ip: e.ip,
});
export type EventSummary = ReturnType<typeof eventSummary>;
