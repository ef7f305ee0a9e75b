/**
 * Shared contract suite for every `Store` (SQLite and PostgreSQL): the repository behaviour of
 * `sqlite.test.ts`, through the `Store` interface only, against a fresh, empty store.
 * `storeContract(name, open)` — `open()` returns a new empty store; it is closed in afterAll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Findings } from '../../src/report/findings.js';
import type { Store } from '../../src/store/types.js';
import { makeEvent } from './helpers.js';

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('inserts a batch once, skipping ids already stored, and keeps per-key totals', async () => {
      const a = makeEvent({ key: 'key_tot', ts: 1000 });
      const b = makeEvent({ key: 'key_tot', ts: 3000, status: 500 });
      const c = makeEvent({ key: 'key_tot', ts: 2000 });
      expect(await store.events.insertBatch([a, b])).toBe(2);
      expect(await store.events.insertBatch([a, c, c])).toBe(1);
      expect(await store.events.count({ keyId: 'key_tot' })).toBe(3);
      expect(await store.events.usage('key_tot')).toEqual({
        keyId: 'key_tot',
        orgId: 'org_a',
        requests: 3,
        promptTokens: 30,
        completionTokens: 60,
        errors: 1,
        limited: 0,
        firstTs: 1000,
        lastTs: 3000,
      });
      expect((await store.events.usageAll()).some((u) => u.keyId === 'key_tot')).toBe(true);
    });

    it('round-trips the full RequestEvent', async () => {
      const e = makeEvent({ key: 'key_rt' });
      await store.events.insertBatch([e]);
      const page = await store.events.query({ keyId: 'key_rt', limit: 10 });
      expect(page.events).toEqual([e]);
      expect(page.nextCursor).toBeNull();
    });

    it('pages by cursor in both orders without gaps or repeats, with equal timestamps', async () => {
      const events = Array.from({ length: 25 }, (_, i) =>
        makeEvent({ key: 'key_page', ts: 5000 + Math.floor(i / 3) }),
      );
      await store.events.insertBatch(events);
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.events.query({ keyId: 'key_page', limit: 7, cursor, order });
          seen.push(...page.events.map((e) => e.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(new Set(seen).size).toBe(25);
        const ts = seen.map((id) => events.find((e) => e.id === id)!.ts);
        expect(ts).toEqual([...ts].sort((x, y) => (order === 'asc' ? x - y : y - x)));
      }
      const window = await store.events.query({ keyId: 'key_page', since: 5002, until: 5004, limit: 100 });
      expect(window.events.every((e) => e.ts >= 5002 && e.ts < 5004)).toBe(true);
      expect(window.events).toHaveLength(6);
      expect(await store.events.count({ keyId: 'key_page', since: 5002, until: 5004 })).toBe(6);
    });

    it('filters by org', async () => {
      await store.events.insertBatch([makeEvent({ key: 'key_o1', org: 'org_filter' })]);
      const page = await store.events.query({ orgId: 'org_filter', limit: 10 });
      expect(page.events.map((e) => e.keyId)).toEqual(['key_o1']);
      expect((await store.events.usageAll({ orgId: 'org_filter' })).map((u) => u.keyId)).toEqual(['key_o1']);
    });

    it('stores orgs, accounts and keys and resolves a key context by hash', async () => {
      await store.tenancy.insertOrg({ id: 'o1', name: 'acme', limits: { rpm: 10 }, createdAt: 1, meta: {} });
      await store.tenancy.insertAccount({ id: 'a1', orgId: 'o1', name: 'main', createdAt: 2, meta: {} });
      await store.tenancy.insertKey({
        id: 'k1',
        orgId: 'o1',
        accountId: 'a1',
        prefix: 'dg-abc',
        hash: 'h'.repeat(64),
        labels: { env: 'prod' },
        limits: { tpm: 1000 },
        createdAt: 3,
        revokedAt: null,
      });
      await expect(
        store.tenancy.insertOrg({ id: 'o2', name: 'acme', limits: {}, createdAt: 1, meta: {} }),
      ).rejects.toMatchObject({ code: 'conflict' });
      const ctx = await store.tenancy.contextByHash('h'.repeat(64));
      expect(ctx).toMatchObject({
        keyId: 'k1',
        orgId: 'o1',
        keyLimits: { tpm: 1000 },
        orgLimits: { rpm: 10 },
      });
      expect(await store.tenancy.countKeys({ orgId: 'o1' })).toBe(1);
    });

    it('lists decisions newest first and returns only unexpired ones as active', async () => {
      const base = {
        subject: { scope: 'key' as const, id: 'key_d' },
        source: 'engine',
        reasons: ['r'],
        shadow: false,
      };
      await store.decisions.insert({ ...base, id: 'd1', action: 'flag', createdAt: 10, expiresAt: null });
      await store.decisions.insert({
        ...base,
        id: 'd2',
        action: 'throttle',
        throttleFactor: 0.5,
        createdAt: 20,
        expiresAt: 25,
      });
      const list = await store.decisions.list({ subject: base.subject });
      expect(list.map((d) => d.id)).toEqual(['d2', 'd1']);
      expect(list[0]).toMatchObject({ throttleFactor: 0.5, expiresAt: 25, shadow: false, reasons: ['r'] });
      expect(
        (await store.decisions.active(30)).filter((d) => d.subject.id === 'key_d').map((d) => d.id),
      ).toEqual(['d1']);
    });

    it('appends audit entries and lists them by subject', async () => {
      const subject = { scope: 'org' as const, id: 'org_audit' };
      await store.audit.append({
        id: 'a1',
        ts: 1,
        actor: 'admin:ops',
        subject,
        action: 'block',
        previousAction: null,
        reason: 'x',
      });
      await store.audit.append({
        id: 'a2',
        ts: 2,
        actor: 'admin:ops',
        subject,
        action: 'allow',
        previousAction: 'block',
        reason: 'undo',
        data: { k: 1 },
      });
      const list = await store.audit.listBySubject(subject, 10);
      expect(list.map((e) => e.id)).toEqual(['a2', 'a1']);
      expect(list[0]).toMatchObject({ previousAction: 'block', data: { k: 1 } });
    });

    it('saves findings snapshots and loads the latest', async () => {
      expect(await store.findings.latest()).toBeNull();
      const f = (at: string): Findings => ({
        version: 1,
        generated_at: at,
        input: { lines: 1, bad_lines: 0 },
        accounts: [],
        campaigns: [],
      });
      for (let i = 0; i < 12; i++)
        await store.findings.save(f(new Date(1_700_000_000_000 + i).toISOString()));
      expect((await store.findings.latest())?.generated_at).toBe(new Date(1_700_000_000_011).toISOString());
    });

    it('saves checkpoints in place and loads the latest by name', async () => {
      expect(await store.checkpoints.load('worker-0of1')).toBeNull();
      await store.checkpoints.save('worker-0of1', { positions: { '0': 5 }, engine: { a: [1, 2] } });
      await store.checkpoints.save('worker-0of1', { positions: { '0': 9 }, engine: { a: [3] } });
      await store.checkpoints.save('worker-1of2', { positions: {} });
      const got = await store.checkpoints.load<{ positions: Record<string, number> }>('worker-0of1');
      expect(got?.data).toEqual({ positions: { '0': 9 }, engine: { a: [3] } });
      expect(got?.updatedAt).toBeGreaterThan(0);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
