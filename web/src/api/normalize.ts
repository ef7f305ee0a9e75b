/**
 * @module web/api/normalize
 * Pure adapters from the admin API's JSON (snake_case or camelCase, envelope or bare array)
 * to the dashboard's view models. Tolerant by design: a missing field becomes null, never a crash.
 */
import { when } from '../lib/format.js';
import type {
  AccountDetail,
  AccountRow,
  AuditView,
  CampaignDetail,
  CampaignView,
  DecisionView,
  EventView,
  LimitView,
  LinkView,
  LiveRequest,
  Page,
  Reason,
  Verdict,
} from './types.js';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Obj, names: readonly string[]): unknown {
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  return undefined;
}

/** The first of `names` whose value `read` accepts (a field of the wrong type is skipped). */
function first<T>(o: Obj, names: readonly string[], read: (v: unknown) => T | null): T | null {
  for (const n of names) {
    const v = read(o[n]);
    if (v !== null) return v;
  }
  return null;
}

const asNum = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};

const asStr = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

/** Epoch ms from a number (ms) or an ISO string. */
const asTime = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
};

export function num(o: Obj, ...names: string[]): number | null {
  return first(o, names, asNum);
}

export function str(o: Obj, ...names: string[]): string | null {
  return first(o, names, asStr);
}

export function time(o: Obj, ...names: string[]): number | null {
  return first(o, names, asTime);
}

function iso(o: Obj, ...names: string[]): string | null {
  const t = time(o, ...names);
  return t === null ? null : new Date(t).toISOString();
}

function obj(o: Obj, ...names: string[]): Obj | null {
  return first(o, names, (v) => (isObj(v) ? v : null));
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The array inside an envelope (`{accounts: […]}`, `{items: […]}`, `{data: […]}`) or the array itself. */
export function itemsOf(body: unknown, ...names: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  if (!isObj(body)) return [];
  for (const n of [...names, 'items', 'data', 'results'])
    if (Array.isArray(body[n])) return body[n] as unknown[];
  return [];
}

const VERDICTS: readonly Verdict[] = ['benign', 'suspicious', 'distillation'];

export function verdictOf(v: unknown): Verdict | null {
  return typeof v === 'string' && (VERDICTS as readonly string[]).includes(v) ? (v as Verdict) : null;
}

export function reasonsOf(v: unknown): Reason[] {
  return list(v).flatMap((r) => {
    if (typeof r === 'string') return [{ signal: r, score: 0, detail: r }];
    if (!isObj(r)) return [];
    return [
      {
        signal: str(r, 'signal', 'name') ?? '?',
        score: num(r, 'score') ?? 0,
        detail: str(r, 'detail') ?? '',
      },
    ];
  });
}

function keyIdOf(o: Obj): string {
  const k = o.key;
  if (isObj(k)) return str(k, 'id', 'key') ?? '?';
  return str(o, 'key', 'key_id', 'keyId', 'id') ?? '?';
}

export function accountRowOf(raw: unknown): AccountRow {
  const o = isObj(raw) ? raw : {};
  const finding = obj(o, 'finding') ?? {};
  const usage = obj(o, 'usage', 'aggregates') ?? {};
  const pick = (...names: string[]) => num(o, ...names) ?? num(finding, ...names) ?? num(usage, ...names);
  const input = pick('input_tokens', 'prompt_tokens', 'inputTokens', 'promptTokens');
  const output = pick('output_tokens', 'completion_tokens', 'outputTokens', 'completionTokens') ?? 0;
  const ratio = pick('harvest_ratio', 'harvestRatio') ?? (input ? output / input : null);
  const keyObj = obj(o, 'api_key', 'key') ?? {};
  const decision = obj(o, 'decision', 'effective');
  return {
    key: keyIdOf(o),
    prefix: str(o, 'prefix') ?? str(keyObj, 'prefix'),
    org: str(o, 'org', 'org_id', 'orgId') ?? str(finding, 'org') ?? str(keyObj, 'orgId', 'org_id') ?? '?',
    orgName: str(o, 'org_name') ?? str(obj(o, 'org') ?? {}, 'name'),
    account: str(o, 'account', 'account_id', 'accountId') ?? str(finding, 'account'),
    requests: pick('requests', 'request_count') ?? 0,
    inputTokens: input,
    outputTokens: output,
    harvestRatio: ratio,
    score: pick('score'),
    verdict: verdictOf(field(o, ['verdict']) ?? finding.verdict),
    campaign: str(o, 'campaign', 'campaign_id') ?? str(finding, 'campaign'),
    firstFlaggedAt: iso(o, 'first_flagged_at', 'firstFlaggedAt') ?? iso(finding, 'first_flagged_at'),
    lastSeenAt:
      time(o, 'last_seen', 'last_ts', 'last_seen_at', 'lastTs') ??
      time(usage, 'last_seen', 'last_ts', 'lastTs'),
    reasons: reasonsOf(field(o, ['reasons']) ?? finding.reasons),
    action: str(o, 'action') ?? (decision ? str(decision, 'action') : null),
  };
}

export function pageOf<T>(
  body: unknown,
  map: (raw: unknown) => T,
  offset: number,
  ...names: string[]
): Page<T> {
  const o = isObj(body) ? body : {};
  return {
    items: itemsOf(body, ...names).map(map),
    total: num(o, 'total', 'count', 'total_count'),
    offset: num(o, 'offset') ?? offset,
    nextCursor: str(o, 'next_cursor', 'nextCursor', 'cursor'),
  };
}

/** An event row: a RequestEvent, or a store row whose `data` column holds one (object or JSON text). */
export function eventOf(raw: unknown): EventView {
  const row = isObj(raw) ? raw : {};
  let data: Obj = row;
  if (isObj(row.data)) data = row.data;
  else if (typeof row.data === 'string') {
    try {
      const parsed: unknown = JSON.parse(row.data);
      if (isObj(parsed)) data = parsed;
    } catch {
      /* keep the row */
    }
  }
  const prompt = obj(data, 'prompt') ?? {};
  const usage = obj(data, 'usage') ?? {};
  return {
    id: str(data, 'id') ?? str(row, 'id') ?? '',
    ts: time(data, 'ts') ?? time(row, 'ts') ?? 0,
    key: str(data, 'keyId', 'key_id', 'key') ?? str(row, 'key_id', 'key') ?? '?',
    org: str(data, 'orgId', 'org_id', 'org') ?? str(row, 'org_id'),
    model: str(data, 'model') ?? str(row, 'model'),
    endpoint: str(data, 'endpoint') ?? str(row, 'endpoint'),
    status: num(data, 'status') ?? num(row, 'status'),
    promptTokens:
      num(usage, 'promptTokens', 'prompt_tokens') ?? num(row, 'prompt_tokens', 'promptTokens') ?? 0,
    completionTokens:
      num(usage, 'completionTokens', 'completion_tokens') ??
      num(row, 'completion_tokens', 'completionTokens') ??
      0,
    latencyMs: num(data, 'latencyMs', 'latency_ms') ?? num(row, 'latency_ms'),
    limitedBy: str(data, 'limitedBy', 'limited_by') ?? str(row, 'limited_by'),
    domain: str(prompt, 'domain'),
    skeletonHash: str(prompt, 'skeletonHash', 'skeleton_hash'),
    promptText: str(prompt, 'text'),
  };
}

export function decisionOf(raw: unknown): DecisionView {
  const o = isObj(raw) ? raw : {};
  const subject = obj(o, 'subject') ?? {};
  const scope = str(subject, 'scope') ?? str(o, 'scope');
  return {
    id: str(o, 'id') ?? '',
    scope: scope === 'org' ? 'org' : 'key',
    subject: str(subject, 'id') ?? str(o, 'subject', 'subject_id', 'key') ?? '?',
    action: str(o, 'action') ?? '?',
    source: str(o, 'source') ?? '?',
    reasons: list(o.reasons).map((r) =>
      typeof r === 'string' ? r : isObj(r) ? (str(r, 'detail') ?? '') : '',
    ),
    shadow: o.shadow === true || o.enforced === false,
    createdAt: time(o, 'createdAt', 'created_at', 'decided_at', 'ts') ?? 0,
    expiresAt: time(o, 'expiresAt', 'expires_at'),
    throttleFactor: num(o, 'throttleFactor', 'throttle_factor'),
    campaign: str(o, 'campaign'),
  };
}

export function auditOf(raw: unknown): AuditView {
  const o = isObj(raw) ? raw : {};
  const what = str(o, 'what', 'action', 'event') ?? '?';
  return {
    at: time(o, 'at', 'when', 'ts', 'createdAt', 'created_at') ?? 0,
    who: str(o, 'who', 'actor', 'source') ?? '?',
    what,
    why: str(o, 'why', 'reason') ?? (Array.isArray(o.reasons) ? list(o.reasons).join('; ') : ''),
    previous: str(o, 'previous', 'previous_action', 'previousAction', 'from'),
  };
}

const LIMIT_NAMES: ReadonlyArray<[string, string[]]> = [
  ['Requests per minute', ['rpm']],
  ['Tokens per minute', ['tpm']],
  ['Concurrent requests', ['concurrency']],
  ['Tokens per day', ['tokensPerDay', 'tokens_per_day']],
  ['Tokens per month', ['tokensPerMonth', 'tokens_per_month']],
];

export function limitsOf(keyLimits: Obj, orgLimits: Obj): LimitView[] {
  return LIMIT_NAMES.map(([name, fields]) => ({
    name,
    key: num(keyLimits, ...fields),
    org: num(orgLimits, ...fields),
  }));
}

function usageOf(o: Obj): Array<{ label: string; value: string }> {
  const usage = obj(o, 'usage', 'aggregates') ?? {};
  const out: Array<{ label: string; value: string }> = [];
  for (const [k, v] of Object.entries(usage)) {
    if (typeof v === 'number') {
      const isTime = /(^|_)(ts|at)$|first|last/i.test(k) && v > 1e11;
      out.push({
        label: k.replace(/_/g, ' '),
        value: isTime ? when(v) : v.toLocaleString('en'),
      });
    } else if (typeof v === 'string') out.push({ label: k.replace(/_/g, ' '), value: v });
  }
  return out;
}

export function accountDetailOf(body: unknown): AccountDetail {
  const o = isObj(body) ? body : {};
  const row = accountRowOf(body);
  const keyObj = obj(o, 'api_key', 'key') ?? {};
  const orgObj = obj(o, 'org') ?? {};
  const limits = obj(o, 'limits') ?? {};
  const keyLimits = obj(limits, 'key') ?? obj(keyObj, 'limits') ?? (obj(limits, 'org') ? {} : limits);
  const orgLimits = obj(limits, 'org') ?? obj(orgObj, 'limits') ?? {};
  const effective = obj(o, 'effective', 'decision', 'effective_decision');
  const orgId = str(orgObj, 'id') ?? row.org;
  return {
    row,
    keyId: row.key,
    orgId,
    revoked:
      time(keyObj, 'revokedAt', 'revoked_at') !== null || o.revoked === true || keyObj.revoked === true,
    limits: limitsOf(keyLimits, orgLimits),
    usage: usageOf(o),
    decisions: itemsOf(o.decisions, 'decisions')
      .map(decisionOf)
      .sort((a, b) => b.createdAt - a.createdAt),
    audit: itemsOf(o.audit, 'audit', 'entries')
      .map(auditOf)
      .sort((a, b) => b.at - a.at),
    effective: effective ? decisionOf(effective) : null,
  };
}

export function campaignOf(raw: unknown): CampaignView {
  const o0 = isObj(raw) ? raw : {};
  const o = obj(o0, 'campaign') ?? o0;
  const keys = list(o.keys).map((k) => (typeof k === 'string' ? k : isObj(k) ? keyIdOf(k) : '?'));
  return {
    id: str(o, 'id') ?? '?',
    keys,
    orgs: list(o.orgs).filter((x): x is string => typeof x === 'string'),
    score: num(o, 'score') ?? 0,
    verdict: verdictOf(o.verdict) ?? 'benign',
    requests: num(o, 'requests') ?? 0,
    outputTokens: num(o, 'output_tokens', 'outputTokens') ?? 0,
    firstSeenAt: iso(o, 'first_seen_at', 'firstSeenAt'),
    lastSeenAt: iso(o, 'last_seen_at', 'lastSeenAt'),
    firstFlaggedAt: iso(o, 'first_flagged_at', 'firstFlaggedAt'),
    reasons: reasonsOf(o.reasons),
  };
}

/** Readable name of an evidence kind (`link.shared_subnet` → `/24`). */
export function evidenceLabel(kind: string): string {
  const k = kind.replace(/^link[._]/, '').toLowerCase();
  if (/subnet|\/24|\/64|(^|_)ip($|_)/.test(k)) return '/24';
  if (/system/.test(k)) return 'system prompt';
  if (/near_dup|minhash/.test(k)) return 'near-duplicate prompts';
  if (/template|frame|skeleton/.test(k)) return 'template';
  if (/fingerprint|client|user_agent|sdk/.test(k)) return 'fingerprint';
  if (/timing|sync|round_robin|activity/.test(k)) return 'timing';
  if (/signup|sign_up/.test(k)) return 'sign-up burst';
  if (/meta|payment/.test(k)) return 'shared metadata';
  return k.replace(/_/g, ' ');
}

function linkOf(raw: unknown): LinkView | null {
  if (!isObj(raw)) return null;
  const a = str(raw, 'a', 'source', 'from', 'src');
  const b = str(raw, 'b', 'target', 'to', 'dst');
  if (!a || !b) return null;
  const ev = field(raw, ['evidence', 'kinds', 'types', 'kind', 'type', 'label', 'reasons']);
  const kinds = (Array.isArray(ev) ? ev : [ev]).flatMap((e) => {
    if (typeof e === 'string') return [evidenceLabel(e)];
    if (isObj(e)) return [evidenceLabel(str(e, 'kind', 'type', 'signal') ?? '?')];
    return [];
  });
  return { a, b, kinds: [...new Set(kinds)], weight: num(raw, 'weight', 'score') };
}

export function campaignDetailOf(body: unknown): CampaignDetail {
  const o = isObj(body) ? body : {};
  const inner = obj(o, 'campaign') ?? o;
  const rawLinks = field(o, ['links', 'edges']) ?? field(inner, ['links', 'edges']);
  const members = field(o, ['members', 'accounts']);
  return {
    campaign: campaignOf(body),
    links: list(rawLinks).flatMap((l) => linkOf(l) ?? []),
    members: list(members).map(accountRowOf),
  };
}

/** Campaign-level linking evidence (reasons whose signal names a link), for when no pairwise links exist. */
export function linkReasons(reasons: readonly Reason[]): Reason[] {
  return reasons.filter((r) => /^link[._]/.test(r.signal) || /shar|link|same|sync/i.test(r.signal));
}

export function liveRequestOf(raw: unknown): LiveRequest | null {
  if (!isObj(raw)) return null;
  const e = eventOf(raw);
  if (!e.ts) return null;
  return {
    ts: e.ts,
    key: e.key,
    promptTokens: e.promptTokens || (num(raw, 'input_tokens') ?? 0),
    completionTokens: e.completionTokens || (num(raw, 'output_tokens', 'tokens') ?? 0),
    status: e.status,
  };
}
