/**
 * @module tenancy/service
 * `TenancyService`: create and change orgs, accounts and keys. Secrets are generated here,
 * returned once, and stored only as a hash. Every change that affects authentication or
 * limits invalidates the resolver cache at once and is written to the audit trail.
 */
import type { LimitRule } from '../limits/types.js';
import { AuditTrail } from '../policy/audit.js';
import { StoreError } from '../store/errors.js';
import { newId } from '../store/ids.js';
import type { KeyFilter, Store } from '../store/types.js';
import { TenancyError } from './errors.js';
import { hashSecret, newSecret, prefixOf } from './secrets.js';
import type { Account, ApiKey, Org } from './types.js';

/** What the service tells when keys change, so cached authentication is dropped. */
export interface KeyInvalidator {
  invalidate(keyId: string): void;
  invalidateOrg(orgId: string): void;
}

export interface TenancyOptions {
  /** Limits given to new orgs and keys created without explicit limits. */
  defaultLimits?: LimitRule;
  resolver?: KeyInvalidator;
  /** Actor recorded in the audit trail when a call gives none. */
  actor?: string;
  now?: () => number;
}

export const DEFAULT_ACCOUNT = 'default';

export interface CreateKeyInput {
  /** Org id or name. */
  org: string;
  /** Account id or name within the org; the org's default account when absent (created if needed). */
  account?: string;
  limits?: LimitRule;
  labels?: Record<string, string>;
  actor?: string;
}

export interface CreatedKey {
  key: ApiKey;
  /** The secret, shown once: it is not stored and cannot be recovered. */
  secret: string;
}

export class TenancyService {
  private readonly audit: AuditTrail;
  private readonly now: () => number;
  private resolver: KeyInvalidator | undefined;

  constructor(
    private readonly store: Store,
    private readonly opts: TenancyOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.audit = new AuditTrail(store.audit, this.now);
    this.resolver = opts.resolver;
  }

  /** Connects the resolver after construction (they reference each other). */
  setResolver(resolver: KeyInvalidator): void {
    this.resolver = resolver;
  }

  async createOrg(
    name: string,
    opts: { limits?: LimitRule; meta?: Record<string, string>; actor?: string } = {},
  ): Promise<Org> {
    const clean = validName(name, 'org name');
    const org: Org = {
      id: newId('org'),
      name: clean,
      limits: { ...(opts.limits ?? this.opts.defaultLimits ?? {}) },
      meta: { ...(opts.meta ?? {}) },
      createdAt: this.now(),
    };
    await mapConflict(() => this.store.tenancy.insertOrg(org));
    await this.createAccount(org.id, DEFAULT_ACCOUNT);
    await this.audit.append({
      actor: opts.actor ?? this.actor(),
      subject: { scope: 'org', id: org.id },
      action: 'org.create',
      previousAction: null,
      reason: `created org ${org.name}`,
      data: { limits: org.limits },
    });
    return org;
  }

  /** The org with this id or name, created (with its default account) when it does not exist. */
  async ensureOrg(idOrName: string, opts: { limits?: LimitRule; actor?: string } = {}): Promise<Org> {
    const found = await this.findOrg(idOrName);
    if (found) return found;
    try {
      return await this.createOrg(idOrName, opts);
    } catch (err) {
      // Another process created it between our read and our insert.
      if (err instanceof TenancyError && err.code === 'conflict') return this.getOrg(idOrName);
      throw err;
    }
  }

  async createAccount(
    orgIdOrName: string,
    name: string,
    meta: Record<string, string> = {},
  ): Promise<Account> {
    const org = await this.getOrg(orgIdOrName);
    const account: Account = {
      id: newId('acc'),
      orgId: org.id,
      name: validName(name, 'account name'),
      createdAt: this.now(),
      meta: { ...meta },
    };
    await mapConflict(() => this.store.tenancy.insertAccount(account));
    return account;
  }

  async createKey(input: CreateKeyInput): Promise<CreatedKey> {
    const org = await this.getOrg(input.org);
    const account = await this.accountFor(org, input.account);
    const secret = newSecret();
    const key: ApiKey = {
      id: newId('key'),
      orgId: org.id,
      accountId: account.id,
      prefix: prefixOf(secret),
      hash: hashSecret(secret),
      labels: { ...(input.labels ?? {}) },
      limits: { ...(input.limits ?? this.opts.defaultLimits ?? {}) },
      createdAt: this.now(),
      revokedAt: null,
    };
    await mapConflict(() => this.store.tenancy.insertKey(key));
    await this.audit.append({
      actor: input.actor ?? this.actor(),
      subject: { scope: 'key', id: key.id },
      action: 'key.create',
      previousAction: null,
      reason: `created key ${key.prefix}… in org ${org.name}`,
      data: { limits: key.limits, labels: key.labels },
    });
    return { key, secret };
  }

  listOrgs(): Promise<Org[]> {
    return this.store.tenancy.listOrgs();
  }

  listAccounts(orgId?: string): Promise<Account[]> {
    return this.store.tenancy.listAccounts(orgId);
  }

  listKeys(filter: KeyFilter = {}): Promise<ApiKey[]> {
    return this.store.tenancy.listKeys(filter);
  }

  /** Org by id or by name, or null. */
  async findOrg(idOrName: string): Promise<Org | null> {
    return (await this.store.tenancy.getOrg(idOrName)) ?? this.store.tenancy.getOrgByName(idOrName);
  }

  /** Org by id or by name; throws `org_not_found`. */
  async getOrg(idOrName: string): Promise<Org> {
    const org = await this.findOrg(idOrName);
    if (!org) throw new TenancyError('org_not_found', `no org with id or name ${idOrName}`);
    return org;
  }

  async getKey(id: string): Promise<ApiKey> {
    const key = await this.store.tenancy.getKey(id);
    if (!key) throw new TenancyError('key_not_found', `no key with id ${id}`);
    return key;
  }

  findKey(id: string): Promise<ApiKey | null> {
    return this.store.tenancy.getKey(id);
  }

  /** Revokes a key (idempotent: revoking twice keeps the first time). */
  async revokeKey(id: string, opts: { actor?: string; reason?: string } = {}): Promise<ApiKey> {
    const key = await this.getKey(id);
    if (key.revokedAt !== null) return key;
    const updated = await this.store.tenancy.updateKey(id, { revokedAt: this.now() });
    this.resolver?.invalidate(id);
    await this.audit.append({
      actor: opts.actor ?? this.actor(),
      subject: { scope: 'key', id },
      action: 'key.revoke',
      previousAction: null,
      reason: opts.reason ?? 'revoked',
    });
    return updated ?? key;
  }

  async setKeyLimits(id: string, limits: LimitRule, actor?: string): Promise<ApiKey> {
    const before = await this.getKey(id);
    const updated = (await this.store.tenancy.updateKey(id, { limits: { ...limits } })) ?? before;
    this.resolver?.invalidate(id);
    await this.audit.append({
      actor: actor ?? this.actor(),
      subject: { scope: 'key', id },
      action: 'key.limits',
      previousAction: null,
      reason: 'limits changed',
      data: { before: before.limits, after: updated.limits },
    });
    return updated;
  }

  async setKeyLabels(id: string, labels: Record<string, string>, actor?: string): Promise<ApiKey> {
    const before = await this.getKey(id);
    const updated = (await this.store.tenancy.updateKey(id, { labels: { ...labels } })) ?? before;
    this.resolver?.invalidate(id);
    await this.audit.append({
      actor: actor ?? this.actor(),
      subject: { scope: 'key', id },
      action: 'key.labels',
      previousAction: null,
      reason: 'labels changed',
      data: { before: before.labels, after: updated.labels },
    });
    return updated;
  }

  async setOrgLimits(idOrName: string, limits: LimitRule, actor?: string): Promise<Org> {
    return this.updateOrg(idOrName, { limits }, actor);
  }

  async updateOrg(
    idOrName: string,
    patch: { name?: string; limits?: LimitRule; meta?: Record<string, string> },
    actor?: string,
  ): Promise<Org> {
    const before = await this.getOrg(idOrName);
    const clean = { ...patch };
    if (clean.name !== undefined) clean.name = validName(clean.name, 'org name');
    const updated = (await mapConflict(() => this.store.tenancy.updateOrg(before.id, clean))) ?? before;
    if (patch.limits !== undefined) this.resolver?.invalidateOrg(before.id);
    await this.audit.append({
      actor: actor ?? this.actor(),
      subject: { scope: 'org', id: before.id },
      action: 'org.update',
      previousAction: null,
      reason: 'org changed',
      data: { before: { name: before.name, limits: before.limits }, patch },
    });
    return updated;
  }

  private async accountFor(org: Org, account: string | undefined): Promise<Account> {
    if (account === undefined) {
      const found = await this.store.tenancy.getAccountByName(org.id, DEFAULT_ACCOUNT);
      return found ?? this.createAccount(org.id, DEFAULT_ACCOUNT);
    }
    const byId = await this.store.tenancy.getAccount(account);
    if (byId && byId.orgId === org.id) return byId;
    const byName = await this.store.tenancy.getAccountByName(org.id, account);
    if (byName) return byName;
    return this.createAccount(org.id, account);
  }

  private actor(): string {
    return this.opts.actor ?? 'system';
  }
}

function validName(name: string, what: string): string {
  const clean = name.trim();
  if (clean.length === 0 || clean.length > 200)
    throw new TenancyError('invalid', `${what} must be 1–200 characters`);
  return clean;
}

async function mapConflict<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof StoreError && err.code === 'conflict') throw new TenancyError('conflict', err.message);
    throw err;
  }
}
