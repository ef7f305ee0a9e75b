import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/events/hash.js';
import { openStore, type Store } from '../../src/store/index.js';
import { KeyResolver, TenancyError, TenancyService } from '../../src/tenancy/index.js';
import { tempDir } from '../store/helpers.js';

let store: Store;
let dir: string;
let tenancy: TenancyService;
let resolver: KeyResolver;

beforeAll(async () => {
  dir = tempDir('dg-tenancy-');
  store = await openStore(`sqlite:${join(dir, 'dg.sqlite')}`);
  resolver = new KeyResolver(store.tenancy);
  tenancy = new TenancyService(store, { defaultLimits: { rpm: 60 }, resolver });
});
afterAll(async () => {
  await store.close();
});

describe('TenancyService', () => {
  it('creates an org with a default account, found by id or name; names are unique', async () => {
    const org = await tenancy.createOrg('acme', { meta: { plan: 'pro' } });
    expect(org.limits).toEqual({ rpm: 60 });
    expect((await tenancy.getOrg('acme')).id).toBe(org.id);
    expect((await tenancy.getOrg(org.id)).name).toBe('acme');
    expect((await tenancy.listAccounts(org.id)).map((a) => a.name)).toEqual(['default']);
    await expect(tenancy.createOrg('acme')).rejects.toMatchObject({ code: 'conflict' });
    await expect(tenancy.getOrg('nope')).rejects.toBeInstanceOf(TenancyError);
    await expect(tenancy.createOrg('  ')).rejects.toMatchObject({ code: 'invalid' });
    expect((await tenancy.ensureOrg('acme')).id).toBe(org.id);
    expect((await tenancy.ensureOrg('fresh')).name).toBe('fresh');
  });

  it('creates a key whose secret is shown once and stored only as a hash', async () => {
    const { key, secret } = await tenancy.createKey({
      org: 'acme',
      labels: { env: 'prod' },
      limits: { rpm: 5 },
    });
    expect(secret).toMatch(/^dg-[0-9A-Za-z]{40}$/);
    expect(key.prefix).toBe(secret.slice(0, 10));
    expect(key.hash).toBe(sha256Hex(secret));
    expect(key.limits).toEqual({ rpm: 5 });
    const stored = await tenancy.getKey(key.id);
    expect(JSON.stringify(stored)).not.toContain(secret);
    // The secret never reaches the database files (main file and WAL).
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(secret)).toBe(false);
    // …while its hash does (so the scan above could have found it).
    expect(readdirSync(dir).some((f) => readFileSync(join(dir, f)).includes(key.hash))).toBe(true);
  });

  it('puts keys in named accounts, creating them as needed', async () => {
    const { key } = await tenancy.createKey({ org: 'acme', account: 'team-a' });
    const acc = (await tenancy.listAccounts((await tenancy.getOrg('acme')).id)).find(
      (a) => a.name === 'team-a',
    );
    expect(key.accountId).toBe(acc?.id);
    const { key: again } = await tenancy.createKey({ org: 'acme', account: acc!.id });
    expect(again.accountId).toBe(acc?.id);
    expect(key.limits).toEqual({ rpm: 60 });
    await expect(tenancy.createKey({ org: 'missing' })).rejects.toMatchObject({ code: 'org_not_found' });
  });

  it('lists keys by org, excluding revoked ones on request', async () => {
    const org = await tenancy.createOrg('listing');
    const a = await tenancy.createKey({ org: org.id });
    const b = await tenancy.createKey({ org: org.id });
    await tenancy.revokeKey(a.key.id);
    // Keys created within the same millisecond tie on created_at, so compare as sets.
    const listed = (await tenancy.listKeys({ orgId: org.id })).map((k) => k.id).sort();
    expect(listed).toEqual([a.key.id, b.key.id].sort());
    expect((await tenancy.listKeys({ orgId: org.id, includeRevoked: false })).map((k) => k.id)).toEqual([
      b.key.id,
    ]);
  });

  it('records key and org changes in the audit trail', async () => {
    const { key } = await tenancy.createKey({ org: 'acme' });
    await tenancy.setKeyLimits(key.id, { rpm: 1, tpm: 100 }, 'admin:alice');
    await tenancy.revokeKey(key.id, { actor: 'admin:bob', reason: 'leaked' });
    const trail = await store.audit.listBySubject({ scope: 'key', id: key.id }, 10);
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['key.revoke', 'admin:bob'],
      ['key.limits', 'admin:alice'],
      ['key.create', 'system'],
    ]);
    expect(trail[0]?.reason).toBe('leaked');
  });
});

describe('KeyResolver', () => {
  it('authenticates a secret to its key context with org limits', async () => {
    const org = await tenancy.createOrg('resolve', { limits: { tpm: 1000 } });
    const { key, secret } = await tenancy.createKey({ org: org.id, labels: { a: 'b' } });
    expect(await resolver.authenticate(secret)).toEqual({
      keyId: key.id,
      accountId: key.accountId,
      orgId: org.id,
      prefix: key.prefix,
      revoked: false,
      keyLimits: { rpm: 60 },
      orgLimits: { tpm: 1000 },
      labels: { a: 'b' },
    });
    expect(await resolver.authenticate('dg-not-a-real-key')).toBeNull();
  });

  it('serves repeat lookups from the cache and sees a revocation at once', async () => {
    const { key, secret } = await tenancy.createKey({ org: 'acme' });
    await resolver.authenticate(secret);
    const hits = resolver.stats().hits;
    expect((await resolver.authenticate(secret))?.revoked).toBe(false);
    expect(resolver.stats().hits).toBe(hits + 1);
    await tenancy.revokeKey(key.id);
    expect((await resolver.authenticate(secret))?.revoked).toBe(true);
  });

  it('sees limit changes of a key and of its org at once', async () => {
    const org = await tenancy.createOrg('limits-change');
    const { key, secret } = await tenancy.createKey({ org: org.id });
    await resolver.authenticate(secret);
    await tenancy.setKeyLimits(key.id, { rpm: 7 });
    expect((await resolver.authenticate(secret))?.keyLimits).toEqual({ rpm: 7 });
    await tenancy.setOrgLimits(org.id, { concurrency: 3 });
    expect((await resolver.authenticate(secret))?.orgLimits).toEqual({ concurrency: 3 });
  });

  it('expires entries after the TTL, caches misses briefly and stays bounded', async () => {
    let now = 0;
    const r = new KeyResolver(store.tenancy, {
      ttlMs: 100,
      negativeTtlMs: 10,
      maxEntries: 2,
      now: () => now,
    });
    const keys = await Promise.all([1, 2, 3].map(() => tenancy.createKey({ org: 'acme' })));
    for (const k of keys) await r.authenticate(k.secret);
    expect(r.stats().size).toBe(2);
    const misses = r.stats().misses;
    await r.authenticate(keys[2]!.secret);
    expect(r.stats().misses).toBe(misses);
    now = 200;
    await r.authenticate(keys[2]!.secret);
    expect(r.stats().misses).toBe(misses + 1);
    // Negative caching: an unknown secret is remembered, then looked up again after its short TTL.
    await r.authenticate('dg-unknown');
    const m2 = r.stats().misses;
    await r.authenticate('dg-unknown');
    expect(r.stats().misses).toBe(m2);
    now = 300;
    await r.authenticate('dg-unknown');
    expect(r.stats().misses).toBe(m2 + 1);
  });

  it('shares one store read between concurrent lookups and does not cache a read that raced a revoke', async () => {
    const { key, secret } = await tenancy.createKey({ org: 'acme' });
    const r = new KeyResolver(store.tenancy);
    const [a, b] = await Promise.all([r.authenticate(secret), r.authenticate(secret)]);
    expect(a).toBe(b);
    r.clear();
    const racing = r.authenticate(secret);
    await store.tenancy.updateKey(key.id, { revokedAt: 1 });
    r.invalidate(key.id);
    await racing;
    expect((await r.authenticate(secret))?.revoked).toBe(true);
  });

  it('answers a cached secret synchronously with peek, and forgets it at once on revoke', async () => {
    const { key, secret } = await tenancy.createKey({ org: 'acme' });
    const r = new KeyResolver(store.tenancy);
    expect(r.peek(secret)).toBeUndefined();
    await r.authenticate(secret);
    expect(r.peek(secret)?.keyId).toBe(key.id);
    await r.authenticate('dg-unknown-peek');
    expect(r.peek('dg-unknown-peek')).toBeNull();
    await store.tenancy.updateKey(key.id, { revokedAt: 1 });
    r.invalidate(key.id);
    expect(r.peek(secret)).toBeUndefined();
    expect((await r.authenticate(secret))?.revoked).toBe(true);
  });

  it('caches a long presented token under its hash, never matching a key by accident', async () => {
    const { secret } = await tenancy.createKey({ org: 'acme' });
    const r = new KeyResolver(store.tenancy);
    const long = `${secret}${'x'.repeat(500)}`;
    expect(await r.authenticate(long)).toBeNull();
    expect(r.peek(long)).toBeNull();
    expect(r.stats().size).toBe(1);
    expect((await r.authenticate(secret))?.revoked).toBe(false);
  });
});
