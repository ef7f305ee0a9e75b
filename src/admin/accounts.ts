/**
 * @module admin/accounts
 * The accounts table of the admin API: one row per key (registered keys, keys seen only in
 * events, keys seen only in findings), merging store totals with the latest findings.
 * Store totals are read in full once, then incrementally (rows written since the last read,
 * by `updated_at`) at most every `ttlMs`; findings are merged when they change; each
 * filter+sort view is computed once per version and paged from memory. At 100,000 keys a
 * query after the first costs a small incremental read plus, when something changed, one sort.
 */
import { type AccountFinding, type Findings, VERDICT_RANK, type Verdict } from '../report/findings.js';
import type { Store } from '../store/types.js';

export interface AccountRow {
  key: string;
  prefix: string | null;
  org: string;
  org_name: string | null;
  account: string | null;
  registered: boolean;
  revoked: boolean;
  labels: Record<string, string>;
  created_at: number | null;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  errors: number;
  limited: number;
  first_seen: number | null;
  last_seen: number | null;
  score: number | null;
  verdict: Verdict | null;
  campaign: string | null;
  first_flagged_at: string | null;
}

export const SORT_FIELDS = [
  'requests',
  'input_tokens',
  'output_tokens',
  'score',
  'last_seen',
  'first_seen',
  'created_at',
  'errors',
  'limited',
  'key',
  'verdict',
  'harvest_ratio',
  'campaign',
  'org',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface AccountsQuery {
  sort: SortField;
  order: 'asc' | 'desc';
  org?: string;
  verdict?: Verdict | 'none';
  /** Case-insensitive substring of key id, prefix, org id or name, label values, campaign. */
  q?: string;
  campaign?: string;
  limit: number;
  offset: number;
}

export interface AccountsPage {
  total: number;
  rows: AccountRow[];
}

export interface AccountsTableOptions {
  /** How long store totals are reused before an incremental re-read (default 1 s). */
  ttlMs?: number;
  /** Overlap of incremental re-reads, covering writes committed late by other processes (default 2 s). */
  overlapMs?: number;
  now?: () => number;
}

/** Filter+sort results kept per base/findings version, so paging through one view sorts once. */
const VIEW_CACHE_SIZE = 16;

export class AccountsTable {
  private readonly rowsByKey = new Map<string, AccountRow>();
  private readonly orgNames = new Map<string, string>();
  /** Bumped whenever a base row changes. */
  private version = 0;
  private readAt: number | null = null;
  private checkedAt = 0;
  private reading: Promise<void> | null = null;
  private merged: { version: number; findings: Findings | null; rows: AccountRow[] } | null = null;
  private views = new Map<string, AccountRow[]>();
  private readonly ttlMs: number;
  private readonly overlapMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    opts: AccountsTableOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 1_000;
    this.overlapMs = opts.overlapMs ?? 2_000;
    this.now = opts.now ?? Date.now;
  }

  async query(q: AccountsQuery, findings: Findings | null): Promise<AccountsPage> {
    const rows = await this.rows(findings);
    const viewKey = JSON.stringify([q.sort, q.order, q.org, q.verdict, q.campaign, q.q]);
    let view = this.views.get(viewKey);
    if (!view) {
      view = filterSort(rows, q);
      if (this.views.size >= VIEW_CACHE_SIZE) this.views.clear();
      this.views.set(viewKey, view);
    }
    return { total: view.length, rows: view.slice(q.offset, q.offset + q.limit) };
  }

  /** Makes the next query re-read the store (after a change made through the API). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  /** Every row, findings merged. Store totals are read in full once, then incrementally. */
  async rows(findings: Findings | null): Promise<AccountRow[]> {
    if (this.now() - this.checkedAt >= this.ttlMs) await this.refresh();
    const m = this.merged;
    if (m && m.version === this.version && m.findings === findings) return m.rows;
    const rows = this.mergeFindings(findings);
    this.merged = { version: this.version, findings, rows };
    this.views = new Map();
    return rows;
  }

  private refresh(): Promise<void> {
    if (!this.reading)
      this.reading = this.read().finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  private async read(): Promise<void> {
    const started = this.now();
    const since = this.readAt === null ? undefined : this.readAt - this.overlapMs;
    const filter = since === undefined ? {} : { updatedSince: since };
    const [keys, usage, orgs] = await Promise.all([
      this.store.tenancy.listKeys(filter),
      this.store.events.usageAll(filter),
      this.store.tenancy.listOrgs(),
    ]);
    for (const o of orgs) {
      if (this.orgNames.get(o.id) !== o.name) this.version += 1;
      this.orgNames.set(o.id, o.name);
    }
    for (const k of keys)
      this.replace(k.id, k.orgId, {
        prefix: k.prefix,
        account: k.accountId,
        registered: true,
        revoked: k.revokedAt !== null,
        labels: k.labels,
        created_at: k.createdAt,
      });
    for (const u of usage)
      this.replace(u.keyId, u.orgId, {
        requests: u.requests,
        input_tokens: u.promptTokens,
        output_tokens: u.completionTokens,
        errors: u.errors,
        limited: u.limited,
        first_seen: u.firstTs,
        last_seen: u.lastTs,
      });
    this.readAt = started;
    this.checkedAt = this.now();
  }

  /** Rows handed out are never mutated: a change replaces the row object. */
  private replace(key: string, org: string, patch: Partial<AccountRow>): void {
    const prev = this.rowsByKey.get(key) ?? blankRow(key, org, null);
    const next = { ...prev, ...patch, org, org_name: this.orgNames.get(org) ?? null };
    if (sameRow(prev, next) && this.rowsByKey.has(key)) return;
    this.rowsByKey.set(key, next);
    this.version += 1;
  }

  /** Base rows with the findings applied; rows without a finding are shared. */
  private mergeFindings(findings: Findings | null): AccountRow[] {
    const byKey = new Map<string, AccountFinding>();
    for (const f of findings?.accounts ?? []) byKey.set(f.key, f);
    const out: AccountRow[] = [];
    for (const r of this.rowsByKey.values()) {
      const named =
        r.org_name === (this.orgNames.get(r.org) ?? null)
          ? r
          : { ...r, org_name: this.orgNames.get(r.org) ?? null };
      const f = byKey.get(r.key);
      out.push(f ? withFinding(named, f) : named);
    }
    for (const f of byKey.values())
      if (!this.rowsByKey.has(f.key))
        out.push(withFinding(blankRow(f.key, f.org, this.orgNames.get(f.org) ?? null), f));
    return out;
  }
}

function sameRow(a: AccountRow, b: AccountRow): boolean {
  for (const k of Object.keys(b) as Array<keyof AccountRow>)
    if (k !== 'labels' && a[k] !== b[k]) return false;
  return JSON.stringify(a.labels) === JSON.stringify(b.labels);
}

/** An account row with no registry entry, no traffic and no finding. */
export function blankRow(key: string, org: string, orgName: string | null): AccountRow {
  return {
    key,
    prefix: null,
    org,
    org_name: orgName,
    account: null,
    registered: false,
    revoked: false,
    labels: {},
    created_at: null,
    requests: 0,
    input_tokens: 0,
    output_tokens: 0,
    errors: 0,
    limited: 0,
    first_seen: null,
    last_seen: null,
    score: null,
    verdict: null,
    campaign: null,
    first_flagged_at: null,
  };
}

function withFinding(r: AccountRow, f: AccountFinding): AccountRow {
  return {
    ...r,
    score: f.score,
    verdict: f.verdict,
    campaign: f.campaign,
    first_flagged_at: f.first_flagged_at,
    // Logs analyzed offline may know more traffic than the store holds.
    requests: Math.max(r.requests, f.requests),
    output_tokens: Math.max(r.output_tokens, f.output_tokens),
    input_tokens: Math.max(r.input_tokens, f.input_tokens ?? 0),
  };
}

/** Pure: filter, sort (nulls last, ties by key) and page. */
export function pageRows(rows: readonly AccountRow[], q: AccountsQuery): AccountsPage {
  const view = filterSort(rows, q);
  return { total: view.length, rows: view.slice(q.offset, q.offset + q.limit) };
}

/** Pure: the rows matching `q`'s filters, sorted by `q.sort` (nulls last, ties by key). */
export function filterSort(
  rows: readonly AccountRow[],
  q: Omit<AccountsQuery, 'limit' | 'offset'>,
): AccountRow[] {
  const needle = q.q?.toLowerCase();
  const filtered = rows.filter((r) => {
    if (q.org !== undefined && r.org !== q.org && r.org_name !== q.org) return false;
    if (q.verdict !== undefined && (q.verdict === 'none' ? r.verdict !== null : r.verdict !== q.verdict))
      return false;
    if (q.campaign !== undefined && r.campaign !== q.campaign) return false;
    if (needle && !matches(r, needle)) return false;
    return true;
  });
  const dir = q.order === 'asc' ? 1 : -1;
  const f = q.sort;
  filtered.sort((a, b) => {
    const x = sortValue(a, f);
    const y = sortValue(b, f);
    if (x === y) return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * dir;
  });
  return filtered;
}

/** Verdicts sort by severity, not alphabetically. */

/** Output ÷ input tokens; null when the key has no input tokens yet. */
export function harvestRatio(r: Pick<AccountRow, 'input_tokens' | 'output_tokens'>): number | null {
  return r.input_tokens > 0 ? r.output_tokens / r.input_tokens : null;
}

function sortValue(r: AccountRow, f: SortField): string | number | null {
  if (f === 'verdict') return r.verdict === null ? null : VERDICT_RANK[r.verdict];
  if (f === 'harvest_ratio') return harvestRatio(r);
  const v = r[f];
  return typeof v === 'boolean' ? Number(v) : v;
}

function matches(r: AccountRow, needle: string): boolean {
  const hay = [r.key, r.prefix, r.org, r.org_name, r.campaign, ...Object.values(r.labels)];
  return hay.some((s) => s?.toLowerCase().includes(needle));
}
