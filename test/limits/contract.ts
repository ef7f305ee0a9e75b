/**
 * Shared contract suite for every `LimitsStore` (memory now, Redis later). It tests only through
 * the interface, with an injected `now`, so any implementation must give the same answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  LimitRule,
  LimitSubject,
  LimitsStore,
  Reservation,
  ReserveResult,
} from '../../src/limits/types.js';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
let seq = 0;

export function limitsContract(name: string, makeStore: () => Promise<LimitsStore>): void {
  describe(`LimitsStore contract: ${name}`, () => {
    let store: LimitsStore;
    let run = 0;
    beforeEach(async () => {
      store = await makeStore();
      run++;
    });
    afterEach(async () => {
      await store.close();
    });

    // Unique subject ids per test so a shared backend (Redis) never sees state from another test.
    const key = (rule: LimitRule, id = 'k'): LimitSubject => ({
      scope: 'key',
      id: `${id}-${run}-${name}`,
      rule,
    });
    const org = (rule: LimitRule, id = 'o'): LimitSubject => ({
      scope: 'org',
      id: `${id}-${run}-${name}`,
      rule,
    });
    const reserve = (subjects: LimitSubject[], now: number, estimatedTokens = 0) =>
      store.reserve({ requestId: `r${++seq}-${run}`, subjects, estimatedTokens, now });
    const ok = (r: ReserveResult): Reservation => {
      if (!r.ok) throw new Error(`expected admission, refused by ${r.limitedBy}`);
      return r.reservation;
    };

    it('admits exactly N of 2N parallel reserves for RPM N', async () => {
      const subjects = [key({ rpm: 50 })];
      const results = await Promise.all(Array.from({ length: 100 }, () => reserve(subjects, T0)));
      expect(results.filter((r) => r.ok)).toHaveLength(50);
      const refused = results.filter((r) => !r.ok);
      expect(refused).toHaveLength(50);
      for (const r of refused) if (!r.ok) expect(r.limitedBy).toBe('key.rpm');
    });

    it('replenishes RPM evenly after the burst and reports Retry-After', async () => {
      const subjects = [key({ rpm: 60 })];
      for (let i = 0; i < 60; i++) ok(await reserve(subjects, T0));
      const refused = await reserve(subjects, T0);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.retryAfterMs).toBe(1000);
        expect(refused.status.requests).toEqual({ limit: 60, remaining: 0, resetMs: 60_000 });
      }
      expect((await reserve(subjects, T0 + 999)).ok).toBe(false);
      ok(await reserve(subjects, T0 + 1000));
      expect((await reserve(subjects, T0 + 1000)).ok).toBe(false);
    });

    it('counts an admitted request for RPM even when released', async () => {
      const subjects = [key({ rpm: 1 })];
      await store.release(ok(await reserve(subjects, T0)), T0);
      const again = await reserve(subjects, T0 + 1);
      expect(again.ok).toBe(false);
      if (!again.ok) expect(again.retryAfterMs).toBe(59_999);
    });

    it('reserves, settles and releases TPM tokens', async () => {
      const subjects = [key({ tpm: 1000 })];
      const a = ok(await reserve(subjects, T0, 600));
      expect((await store.peek(subjects, T0)).tokens).toEqual({
        limit: 1000,
        remaining: 400,
        resetMs: 36_000,
      });
      await store.settle(a, 200, T0);
      expect((await store.peek(subjects, T0)).tokens?.remaining).toBe(800);
      const tooBig = await reserve(subjects, T0, 900);
      expect(tooBig.ok).toBe(false);
      if (!tooBig.ok) {
        expect(tooBig.limitedBy).toBe('key.tpm');
        expect(tooBig.retryAfterMs).toBe(6000); // 100 tokens short at 60 ms per token
      }
      const b = ok(await reserve(subjects, T0, 500));
      expect((await store.peek(subjects, T0)).tokens?.remaining).toBe(300);
      await store.release(b, T0);
      expect((await store.peek(subjects, T0)).tokens?.remaining).toBe(800);
    });

    it('charges the extra when actual usage exceeds the estimate', async () => {
      const subjects = [key({ tpm: 1000 })];
      await store.settle(ok(await reserve(subjects, T0, 100)), 700, T0);
      expect((await store.peek(subjects, T0)).tokens?.remaining).toBe(300);
      // settling again is a no-op
      const r = ok(await reserve(subjects, T0, 100));
      await store.settle(r, 100, T0);
      await store.settle(r, 900, T0);
      expect((await store.peek(subjects, T0)).tokens?.remaining).toBe(200);
    });

    it('frees concurrency on settle and on release; double finish is a no-op', async () => {
      const subjects = [key({ concurrency: 2 })];
      const id = subjects[0]!.id;
      const a = ok(await reserve(subjects, T0));
      const b = ok(await reserve(subjects, T0));
      expect(await store.inFlight('key', id)).toBe(2);
      const c = await reserve(subjects, T0);
      expect(c.ok).toBe(false);
      if (!c.ok) {
        expect(c.limitedBy).toBe('key.concurrency');
        expect(c.retryAfterMs).toBeGreaterThan(0);
      }
      await store.settle(a, 10, T0);
      await store.settle(a, 10, T0);
      await store.release(a, T0);
      expect(await store.inFlight('key', id)).toBe(1);
      const d = ok(await reserve(subjects, T0));
      await store.release(b, T0);
      await store.release(b, T0);
      await store.release(d, T0);
      await store.settle(d, 5, T0);
      expect(await store.inFlight('key', id)).toBe(0);
    });

    it('returns every slot after many parallel reserve/release pairs', async () => {
      const subjects = [key({ concurrency: 10 }), org({ concurrency: 10 })];
      const results = await Promise.all(Array.from({ length: 40 }, () => reserve(subjects, T0, 5)));
      expect(results.filter((r) => r.ok)).toHaveLength(10);
      await Promise.all(results.map((r) => (r.ok ? store.release(r.reservation, T0) : undefined)));
      await Promise.all(results.map((r) => (r.ok ? store.release(r.reservation, T0) : undefined)));
      expect(await store.inFlight('key', subjects[0]!.id)).toBe(0);
      expect(await store.inFlight('org', subjects[1]!.id)).toBe(0);
    });

    it('rolls the daily quota over at UTC midnight', async () => {
      const subjects = [key({ tokensPerDay: 1000 })];
      const late = Date.UTC(2026, 10, 29, 23, 59, 0);
      ok(await reserve(subjects, late, 1000));
      const refused = await reserve(subjects, late + 30_000, 1);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.limitedBy).toBe('key.tokens_per_day');
        expect(refused.retryAfterMs).toBe(30_000);
      }
      ok(await reserve(subjects, Date.UTC(2026, 10, 30, 0, 0, 0), 1000));
    });

    it('corrects the daily quota on settle within the day, not across midnight', async () => {
      const subjects = [key({ tokensPerDay: 1000 })];
      const morning = Date.UTC(2026, 10, 29, 8);
      await store.settle(ok(await reserve(subjects, morning, 800)), 100, morning + 1000);
      ok(await reserve(subjects, morning + 2000, 900));
      expect((await reserve(subjects, morning + 3000, 1)).ok).toBe(false);

      const late = Date.UTC(2026, 10, 29, 23, 59, 59);
      const other = [key({ tokensPerDay: 1000 }, 'k2')];
      const r = ok(await reserve(other, late, 1000));
      const nextDay = Date.UTC(2026, 10, 30, 0, 0, 1);
      await store.settle(r, 0, nextDay); // the refund belongs to yesterday: dropped
      ok(await reserve(other, nextDay, 1000));
      expect((await reserve(other, nextDay, 1)).ok).toBe(false);
    });

    it('rolls the monthly quota over on the first of the month (UTC)', async () => {
      const subjects = [org({ tokensPerMonth: 5000 })];
      const end = Date.UTC(2026, 10, 30, 23, 0, 0);
      ok(await reserve(subjects, end, 5000));
      const refused = await reserve(subjects, end, 10);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.limitedBy).toBe('org.tokens_per_month');
        expect(refused.retryAfterMs).toBe(3_600_000);
      }
      ok(await reserve(subjects, Date.UTC(2026, 11, 1), 5000));
    });

    it('is all-or-nothing across key and org', async () => {
      const k = key({ rpm: 10, tpm: 1000, concurrency: 20, tokensPerDay: 10_000 });
      const o = org({ rpm: 1, tpm: 100 });
      ok(await reserve([k, o], T0, 50));
      const refused = await reserve([k, o], T0, 10);
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.limitedBy).toBe('org.rpm');
      const status = await store.peek([k], T0);
      expect(status.requests?.remaining).toBe(9);
      expect(status.tokens?.remaining).toBe(950);
      expect(await store.inFlight('key', k.id)).toBe(1);
      // the key alone still has room for its 9 remaining requests
      for (let i = 0; i < 9; i++) ok(await reserve([k], T0, 1));
    });

    it('reports the tightest window of key and org in the status', async () => {
      const k = key({ rpm: 100, tpm: 10_000 });
      const o = org({ rpm: 20, tpm: 50_000 });
      const r = await reserve([k, o], T0, 1000);
      expect(r.status.requests).toEqual({ limit: 20, remaining: 19, resetMs: 3000 });
      expect(r.status.tokens).toEqual({ limit: 10_000, remaining: 9000, resetMs: 6000 });
    });

    it('names the limit with the longest wait when several refuse', async () => {
      const k = key({ rpm: 1, tokensPerDay: 10 });
      ok(await reserve([k], T0, 10));
      const refused = await reserve([k], T0 + 1000, 5);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.limitedBy).toBe('key.tokens_per_day');
        expect(refused.retryAfterMs).toBe(12 * 3_600_000 - 1000);
      }
    });

    it('never refuses subjects without limits and reports no windows', async () => {
      const subjects = [key({}), org({})];
      for (let i = 0; i < 200; i++) ok(await reserve(subjects, T0, 1_000_000));
      expect(await store.peek(subjects, T0)).toEqual({ requests: null, tokens: null });
    });

    it('admits a request larger than the TPM limit into an idle window only', async () => {
      const subjects = [key({ tpm: 1000 })];
      const big = ok(await reserve(subjects, T0, 3000));
      expect(big.reservedTokens).toBe(3000);
      const next = await reserve(subjects, T0 + 60_000, 1);
      expect(next.ok).toBe(false);
      if (!next.ok) expect(next.retryAfterMs).toBe(60_060); // 120 s of debt, 60 s look-ahead, + 1 token
    });
  });
}
