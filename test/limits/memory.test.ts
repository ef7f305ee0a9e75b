import { describe, expect, it } from 'vitest';
import { LimitsError } from '../../src/limits/errors.js';
import { MemoryLimitsStore } from '../../src/limits/memory.js';
import type { LimitSubject } from '../../src/limits/types.js';
import { limitsContract } from './contract.js';

limitsContract('memory', async () => new MemoryLimitsStore());

describe('MemoryLimitsStore specifics', () => {
  const T0 = Date.UTC(2026, 10, 29, 12);
  const subj = (id: string): LimitSubject[] => [{ scope: 'key', id, rule: { rpm: 10, tpm: 100 } }];

  it('drops idle subjects once their windows are fully replenished', async () => {
    const store = new MemoryLimitsStore({ sweepEvery: 1_000_000 });
    for (let i = 0; i < 100; i++) {
      const r = await store.reserve({
        requestId: `r${i}`,
        subjects: subj(`k${i}`),
        estimatedTokens: 10,
        now: T0,
      });
      if (r.ok) await store.settle(r.reservation, 10, T0);
    }
    expect(store.size()).toBe(100);
    store.sweep(T0 + 5999);
    expect(store.size()).toBe(100);
    store.sweep(T0 + 6000);
    expect(store.size()).toBe(0);
  });

  it('keeps subjects holding a slot or quota usage', async () => {
    const store = new MemoryLimitsStore();
    await store.reserve({ requestId: 'a', subjects: subj('busy'), estimatedTokens: 0, now: T0 });
    await store.reserve({
      requestId: 'b',
      subjects: [{ scope: 'org', id: 'quota', rule: { tokensPerDay: 100 } }],
      estimatedTokens: 5,
      now: T0,
    });
    store.sweep(T0 + 3_600_000);
    expect(store.size()).toBe(2);
    expect(await store.inFlight('key', 'busy')).toBe(1);
  });

  it('sweeps automatically every N operations', async () => {
    const store = new MemoryLimitsStore({ sweepEvery: 10 });
    for (let i = 0; i < 9; i++) {
      const r = await store.reserve({
        requestId: `r${i}`,
        subjects: subj(`k${i}`),
        estimatedTokens: 0,
        now: T0,
      });
      if (r.ok) await store.release(r.reservation, T0);
    }
    // later operations trigger a sweep that drops the 9 replenished subjects
    for (let i = 0; i < 2; i++)
      await store.reserve({ requestId: `x${i}`, subjects: subj('x'), estimatedTokens: 0, now: T0 + 120_000 });
    expect(store.size()).toBeLessThanOrEqual(1);
  });

  it('refuses a second reserve with a held request id', async () => {
    const store = new MemoryLimitsStore();
    await store.reserve({ requestId: 'dup', subjects: subj('k'), estimatedTokens: 0, now: T0 });
    await expect(
      store.reserve({ requestId: 'dup', subjects: subj('k'), estimatedTokens: 0, now: T0 }),
    ).rejects.toBeInstanceOf(LimitsError);
  });
});
