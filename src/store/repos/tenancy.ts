/**
 * @module store/repos/tenancy
 * Orgs, accounts and API keys over Kysely (portable SQL).
 */
import type { Kysely, Selectable } from 'kysely';
import type { LimitRule } from '../../limits/types.js';
import type { Account, ApiKey, KeyContext, Org } from '../../tenancy/types.js';
import { isUniqueViolation, StoreError } from '../errors.js';
import type { AccountsTable, ApiKeysTable, Database, OrgsTable } from '../schema.js';
import type { KeyFilter, KeyPatch, OrgPatch, TenancyRepo } from '../types.js';
import { fromJson, num, numOrNull, toJson } from './json.js';

const orgOf = (r: Selectable<OrgsTable>): Org => ({
  id: r.id,
  name: r.name,
  limits: fromJson<LimitRule>(r.limits, {}),
  meta: fromJson<Record<string, string>>(r.meta, {}),
  createdAt: num(r.created_at),
});

const accountOf = (r: Selectable<AccountsTable>): Account => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  meta: fromJson<Record<string, string>>(r.meta, {}),
  createdAt: num(r.created_at),
});

const keyOf = (r: Selectable<ApiKeysTable>): ApiKey => ({
  id: r.id,
  orgId: r.org_id,
  accountId: r.account_id,
  prefix: r.prefix,
  hash: r.hash,
  labels: fromJson<Record<string, string>>(r.labels, {}),
  limits: fromJson<LimitRule>(r.limits, {}),
  createdAt: num(r.created_at),
  revokedAt: numOrNull(r.revoked_at),
});

async function insertUnique(what: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (isUniqueViolation(err)) throw new StoreError('conflict', `${what} already exists`);
    throw err;
  }
}

export class SqlTenancyRepo implements TenancyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insertOrg(org: Org): Promise<void> {
    return insertUnique(`org ${org.name}`, () =>
      this.db
        .insertInto('orgs')
        .values({
          id: org.id,
          name: org.name,
          limits: toJson(org.limits),
          meta: toJson(org.meta),
          created_at: org.createdAt,
        })
        .execute(),
    );
  }

  async getOrg(id: string): Promise<Org | null> {
    const r = await this.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? orgOf(r) : null;
  }

  async getOrgByName(name: string): Promise<Org | null> {
    const r = await this.db.selectFrom('orgs').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? orgOf(r) : null;
  }

  async listOrgs(): Promise<Org[]> {
    const rows = await this.db.selectFrom('orgs').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(orgOf);
  }

  async updateOrg(id: string, patch: OrgPatch): Promise<Org | null> {
    const set: Partial<OrgsTable> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.limits !== undefined) set.limits = toJson(patch.limits);
    if (patch.meta !== undefined) set.meta = toJson(patch.meta);
    if (Object.keys(set).length > 0)
      await insertUnique(`org ${patch.name ?? id}`, () =>
        this.db.updateTable('orgs').set(set).where('id', '=', id).execute(),
      );
    return this.getOrg(id);
  }

  insertAccount(a: Account): Promise<void> {
    return insertUnique(`account ${a.name}`, () =>
      this.db
        .insertInto('accounts')
        .values({ id: a.id, org_id: a.orgId, name: a.name, meta: toJson(a.meta), created_at: a.createdAt })
        .execute(),
    );
  }

  async getAccount(id: string): Promise<Account | null> {
    const r = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? accountOf(r) : null;
  }

  async getAccountByName(orgId: string, name: string): Promise<Account | null> {
    const r = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('name', '=', name)
      .executeTakeFirst();
    return r ? accountOf(r) : null;
  }

  async listAccounts(orgId?: string): Promise<Account[]> {
    let q = this.db.selectFrom('accounts').selectAll();
    if (orgId !== undefined) q = q.where('org_id', '=', orgId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(accountOf);
  }

  insertKey(k: ApiKey): Promise<void> {
    return insertUnique(`key ${k.prefix}`, () =>
      this.db
        .insertInto('api_keys')
        .values({
          id: k.id,
          org_id: k.orgId,
          account_id: k.accountId,
          prefix: k.prefix,
          hash: k.hash,
          labels: toJson(k.labels),
          limits: toJson(k.limits),
          created_at: k.createdAt,
          revoked_at: k.revokedAt,
          updated_at: Date.now(),
        })
        .execute(),
    );
  }

  async getKey(id: string): Promise<ApiKey | null> {
    const r = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? keyOf(r) : null;
  }

  async listKeys(filter: KeyFilter = {}): Promise<ApiKey[]> {
    let q = this.db.selectFrom('api_keys').selectAll();
    if (filter.orgId !== undefined) q = q.where('org_id', '=', filter.orgId);
    if (filter.accountId !== undefined) q = q.where('account_id', '=', filter.accountId);
    if (filter.includeRevoked === false) q = q.where('revoked_at', 'is', null);
    if (filter.updatedSince !== undefined) q = q.where('updated_at', '>=', filter.updatedSince);
    q = q.orderBy('created_at').orderBy('id');
    if (filter.limit !== undefined) q = q.limit(filter.limit).offset(filter.offset ?? 0);
    return (await q.execute()).map(keyOf);
  }

  async countKeys(filter: Pick<KeyFilter, 'orgId' | 'includeRevoked'> = {}): Promise<number> {
    let q = this.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n'));
    if (filter.orgId !== undefined) q = q.where('org_id', '=', filter.orgId);
    if (filter.includeRevoked === false) q = q.where('revoked_at', 'is', null);
    return num((await q.executeTakeFirst())?.n);
  }

  async updateKey(id: string, patch: KeyPatch): Promise<ApiKey | null> {
    const set: Partial<ApiKeysTable> = {};
    if (patch.labels !== undefined) set.labels = toJson(patch.labels);
    if (patch.limits !== undefined) set.limits = toJson(patch.limits);
    if (patch.revokedAt !== undefined) set.revoked_at = patch.revokedAt;
    if (Object.keys(set).length > 0)
      await this.db.updateTable('api_keys').set(set).where('id', '=', id).execute();
    return this.getKey(id);
  }

  async contextByHash(hash: string): Promise<KeyContext | null> {
    const r = await this.db
      .selectFrom('api_keys as k')
      .innerJoin('orgs as o', 'o.id', 'k.org_id')
      .select([
        'k.id',
        'k.account_id',
        'k.org_id',
        'k.prefix',
        'k.revoked_at',
        'k.limits',
        'k.labels',
        'o.limits as org_limits',
      ])
      .where('k.hash', '=', hash)
      .executeTakeFirst();
    if (!r) return null;
    return {
      keyId: r.id,
      accountId: r.account_id,
      orgId: r.org_id,
      prefix: r.prefix,
      revoked: r.revoked_at !== null,
      keyLimits: fromJson<LimitRule>(r.limits, {}),
      orgLimits: fromJson<LimitRule>(r.org_limits, {}),
      labels: fromJson<Record<string, string>>(r.labels, {}),
    };
  }
}
