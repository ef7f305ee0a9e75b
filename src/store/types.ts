/**
 * @module store/types
 * The storage contract: a `Store` of small repositories. SQLite (default) and PostgreSQL
 * (cluster mode) implement it and pass the same test suite (test/store/contract.ts).
 */
import type { RequestEvent } from '../events/types.js';
import type { LimitRule } from '../limits/types.js';
import type { AuditEntry } from '../policy/audit.js';
import type { Decision, DecisionSubject } from '../policy/types.js';
import type { Findings } from '../report/findings.js';
import type { Account, ApiKey, KeyContext, Org } from '../tenancy/types.js';

export interface OrgPatch {
  name?: string;
  limits?: LimitRule;
  meta?: Record<string, string>;
}

export interface KeyPatch {
  labels?: Record<string, string>;
  limits?: LimitRule;
  revokedAt?: number | null;
}

export interface KeyFilter {
  orgId?: string;
  accountId?: string;
  /** Include revoked keys (default true). */
  includeRevoked?: boolean;
  /** Only keys written (created or changed) at or after this wall-clock time. */
  updatedSince?: number;
  limit?: number;
  offset?: number;
}

export interface TenancyRepo {
  insertOrg(org: Org): Promise<void>;
  getOrg(id: string): Promise<Org | null>;
  getOrgByName(name: string): Promise<Org | null>;
  listOrgs(): Promise<Org[]>;
  updateOrg(id: string, patch: OrgPatch): Promise<Org | null>;
  insertAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | null>;
  getAccountByName(orgId: string, name: string): Promise<Account | null>;
  listAccounts(orgId?: string): Promise<Account[]>;
  insertKey(key: ApiKey): Promise<void>;
  getKey(id: string): Promise<ApiKey | null>;
  listKeys(filter?: KeyFilter): Promise<ApiKey[]>;
  countKeys(filter?: Pick<KeyFilter, 'orgId' | 'includeRevoked'>): Promise<number>;
  updateKey(id: string, patch: KeyPatch): Promise<ApiKey | null>;
  /** Key + org joined in one read: what authentication needs. */
  contextByHash(hash: string): Promise<KeyContext | null>;
}

export interface EventQuery {
  keyId?: string;
  orgId?: string;
  /** Inclusive lower bound on `ts` (epoch ms). */
  since?: number;
  /** Exclusive upper bound on `ts`. */
  until?: number;
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
  /** `desc` (newest first, default) or `asc`. */
  order?: 'asc' | 'desc';
}

export interface EventPage {
  events: RequestEvent[];
  /** Cursor for the next page, null when this page is the last. */
  nextCursor: string | null;
}

/** Running totals for one key over every stored event. */
export interface KeyUsage {
  keyId: string;
  orgId: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  errors: number;
  limited: number;
  firstTs: number;
  lastTs: number;
}

export interface EventsRepo {
  /** Inserts in one transaction; events already stored (same id) are skipped. Returns the number inserted. */
  insertBatch(events: readonly RequestEvent[]): Promise<number>;
  query(q: EventQuery): Promise<EventPage>;
  count(filter?: Pick<EventQuery, 'keyId' | 'orgId' | 'since' | 'until'>): Promise<number>;
  usage(keyId: string): Promise<KeyUsage | null>;
  /** Totals for every key that has events (the admin accounts table). */
  usageAll(filter?: { orgId?: string; updatedSince?: number }): Promise<KeyUsage[]>;
}

export interface DecisionsRepo {
  insert(decision: Decision): Promise<void>;
  list(filter?: { subject?: DecisionSubject; limit?: number; before?: number }): Promise<Decision[]>;
  /** Decisions not expired at `now`, oldest first (the cache keeps the latest per subject). */
  active(now: number): Promise<Decision[]>;
}

export interface AuditRepo {
  append(entry: AuditEntry): Promise<void>;
  listBySubject(subject: DecisionSubject, limit: number): Promise<AuditEntry[]>;
  list(limit: number): Promise<AuditEntry[]>;
}

export interface FindingsRepo {
  save(findings: Findings): Promise<void>;
  latest(): Promise<Findings | null>;
}

/** Named JSON snapshots written in place (detection workers' engine state and stream positions). */
export interface CheckpointsRepo {
  save(id: string, data: unknown): Promise<void>;
  /** `save` of data already serialized as JSON (by a worker thread, off the caller's event loop). */
  saveJson(id: string, json: string): Promise<void>;
  load<T = unknown>(id: string): Promise<{ data: T; updatedAt: number } | null>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly tenancy: TenancyRepo;
  readonly events: EventsRepo;
  readonly decisions: DecisionsRepo;
  readonly audit: AuditRepo;
  readonly findings: FindingsRepo;
  readonly checkpoints: CheckpointsRepo;
  /** Resolves when the database answers a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
