/**
 * RedisLimitsStore: the shared limits contract against a real Redis, plus what only a shared
 * store must prove: script cache reload, lease expiry after a crash, and exact admission across
 * several gateway-like clients racing on one key.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitsError } from '../../src/limits/errors.js';
import { RedisLimitsStore } from '../../src/limits/redis.js';
import type { LimitSubject, ReserveResult } from '../../src/limits/types.js';
import { requireService } from '../helpers/services.js';
import { limitsContract } from './contract.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const redisUp = await requireService('redis', 6379);
const RUN = `dgt:${randomUUID().slice(0, 8)}`;
const T0 = Date.UTC(2026, 10, 29, 12);

async function dropPrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

describe.runIf(redisUp)('RedisLimitsStore', () => {
  let shared: Redis;
  let n = 0;
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const c = new Redis(REDIS_URL, { lazyConnect: false });
    clients.push(c);
    return c;
  };

  beforeAll(() => {
    shared = connect();
  });
  afterAll(async () => {
    await dropPrefix(shared, RUN);
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  });

  limitsContract(
    'redis',
    async () => new RedisLimitsStore({ redis: shared, prefix: `${RUN}:c${++n}`, renewEveryMs: 0 }),
  );

  // The stores' clock is the tests' T0, so a store that has not reserved yet (whose `inFlight`
  // reads its clock) sees the same time as the one that has, whatever the wall clock says.
  const store = (prefix: string, client: Redis = shared, leaseMs = 60_000): RedisLimitsStore =>
    new RedisLimitsStore({
      redis: client,
      prefix: `${RUN}:${prefix}`,
      renewEveryMs: 0,
      leaseMs,
      clock: () => T0,
    });
  const subjects = (rule: LimitSubject['rule'], org = 'o1'): LimitSubject[] => [
    { scope: 'key', id: 'k1', rule },
    { scope: 'org', id: org, rule: {} },
  ];

  it('reloads its scripts after SCRIPT FLUSH (EVALSHA → NOSCRIPT → EVAL)', async () => {
    const client = connect();
    const sent: string[] = [];
    const original = client.sendCommand.bind(client);
    client.sendCommand = ((cmd: Parameters<typeof original>[0]) => {
      sent.push(cmd.name);
      return original(cmd);
    }) as typeof client.sendCommand;
    const s = store('noscript', client);
    const subj = subjects({ rpm: 2 });
    expect((await s.reserve({ requestId: 'a', subjects: subj, estimatedTokens: 0, now: T0 })).ok).toBe(true);
    await client.script('FLUSH');
    sent.length = 0;
    expect((await s.reserve({ requestId: 'b', subjects: subj, estimatedTokens: 0, now: T0 })).ok).toBe(true);
    expect(sent[0]).toBe('evalsha');
    // (another test process may re-cache the script between FLUSH and EVALSHA; then no EVAL is needed)
    if (sent.includes('eval')) expect(sent.indexOf('evalsha')).toBeLessThan(sent.indexOf('eval'));
    const third = await s.reserve({ requestId: 'c', subjects: subj, estimatedTokens: 0, now: T0 });
    expect(third.ok).toBe(false);
    const [cached] = (await client.script('EXISTS', s.scriptSha('reserve'))) as number[];
    expect(cached).toBe(1);
    await s.close();
  });

  it('falls back to EVAL whenever EVALSHA answers NOSCRIPT', async () => {
    const client = connect();
    const s = store('noscript2', client);
    let refused = 0;
    const evalsha = client.evalsha.bind(client);
    client.evalsha = (async (...args: Parameters<typeof evalsha>) => {
      if (refused++ < 3) throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      return evalsha(...args);
    }) as typeof client.evalsha;
    const subj = subjects({ rpm: 1 });
    expect((await s.reserve({ requestId: 'x', subjects: subj, estimatedTokens: 0, now: T0 })).ok).toBe(true);
    expect((await s.reserve({ requestId: 'y', subjects: subj, estimatedTokens: 0, now: T0 })).ok).toBe(false);
    expect(refused).toBe(2);
    await s.close();
  });

  it('keeps every key of a request under the org hash tag (one cluster slot)', async () => {
    const s = store('tag');
    const subj: LimitSubject[] = [
      {
        scope: 'key',
        id: 'kk',
        rule: { rpm: 5, tpm: 100, concurrency: 2, tokensPerDay: 10, tokensPerMonth: 10 },
      },
      { scope: 'org', id: 'org-x', rule: { rpm: 5, tpm: 100, concurrency: 2 } },
    ];
    const r = await s.reserve({ requestId: 'r1', subjects: subj, estimatedTokens: 3, now: T0 });
    expect(r.ok).toBe(true);
    const keys = (await shared.keys(`${RUN}:tag:*`)).filter((k) => !k.includes(':keyorg:'));
    expect(keys.length).toBeGreaterThanOrEqual(8);
    for (const k of keys) expect(k).toContain('{org:org-x}');
    await s.close();
  });

  it('refuses a second reserve with a held request id', async () => {
    const s = store('dup');
    await s.reserve({ requestId: 'same', subjects: subjects({ rpm: 10 }), estimatedTokens: 0, now: T0 });
    await expect(
      s.reserve({ requestId: 'same', subjects: subjects({ rpm: 10 }), estimatedTokens: 0, now: T0 }),
    ).rejects.toBeInstanceOf(LimitsError);
    await s.close();
  });

  it('lets another replica settle a reservation, exactly once', async () => {
    const a = store('cross', connect());
    const b = store('cross', connect());
    const subj = subjects({ tpm: 1000, concurrency: 1 });
    const r = await a.reserve({ requestId: 'x', subjects: subj, estimatedTokens: 600, now: T0 });
    if (!r.ok) throw new Error('expected admission');
    expect(await b.inFlight('key', 'k1')).toBe(1);
    await b.settle(r.reservation, 100, T0);
    await a.settle(r.reservation, 900, T0);
    expect(await a.inFlight('key', 'k1')).toBe(0);
    expect((await a.peek(subj, T0)).tokens?.remaining).toBe(900);
    await Promise.all([a.close(), b.close()]);
  });

  it('returns the slots of a crashed holder once their leases expire', async () => {
    const crashed = store('lease', connect(), 5000);
    const survivor = store('lease', connect(), 5000);
    const subj = subjects({ concurrency: 2 });
    for (const id of ['c1', 'c2']) {
      expect((await crashed.reserve({ requestId: id, subjects: subj, estimatedTokens: 0, now: T0 })).ok).toBe(
        true,
      );
    }
    // the holder dies without settling: its connection goes away, nothing is released
    crashed.redis.disconnect();
    const during = await survivor.reserve({
      requestId: 's1',
      subjects: subj,
      estimatedTokens: 0,
      now: T0 + 4999,
    });
    expect(during.ok).toBe(false);
    if (!during.ok) expect(during.limitedBy).toBe('key.concurrency');
    const after = await survivor.reserve({
      requestId: 's2',
      subjects: subj,
      estimatedTokens: 0,
      now: T0 + 5001,
    });
    expect(after.ok).toBe(true);
    expect(await survivor.inFlight('key', 'k1')).toBe(1);
    await survivor.close();
  });

  it('keeps a live holder’s slot by renewing its lease', async () => {
    const holder = store('renew', connect(), 5000);
    const other = store('renew', connect(), 5000);
    const subj = subjects({ concurrency: 1 });
    const r = await holder.reserve({ requestId: 'long', subjects: subj, estimatedTokens: 0, now: T0 });
    expect(r.ok).toBe(true);
    await holder.renewLeases(T0 + 4000);
    expect(
      (await other.reserve({ requestId: 'o1', subjects: subj, estimatedTokens: 0, now: T0 + 8000 })).ok,
    ).toBe(false);
    if (r.ok) await holder.release(r.reservation, T0 + 8500);
    await holder.renewLeases(T0 + 8600); // a finished reservation is not renewed back to life
    expect(
      (await other.reserve({ requestId: 'o2', subjects: subj, estimatedTokens: 0, now: T0 + 8700 })).ok,
    ).toBe(true);
    await Promise.all([holder.close(), other.close()]);
  });

  it('stops renewing a slot whose holder never finished it (maxHoldMs)', async () => {
    const holder = new RedisLimitsStore({
      redis: connect(),
      prefix: `${RUN}:maxhold`,
      renewEveryMs: 0,
      leaseMs: 5000,
      maxHoldMs: 10_000,
    });
    const subj = subjects({ concurrency: 1 });
    expect(
      (await holder.reserve({ requestId: 'forgotten', subjects: subj, estimatedTokens: 0, now: T0 })).ok,
    ).toBe(true);
    await holder.renewLeases(T0 + 4000); // lease → T0 + 9000
    await holder.renewLeases(T0 + 8000); // lease → T0 + 13 000
    await holder.renewLeases(T0 + 12_000); // past maxHoldMs: not renewed
    expect(
      (await holder.reserve({ requestId: 'n1', subjects: subj, estimatedTokens: 0, now: T0 + 12_500 })).ok,
    ).toBe(false);
    expect(
      (await holder.reserve({ requestId: 'n2', subjects: subj, estimatedTokens: 0, now: T0 + 13_001 })).ok,
    ).toBe(true);
    await holder.close();
  });

  it('admits exactly 100 of 500 concurrent reserves from 3 gateway clients at RPM 100', async () => {
    const replicas = [0, 1, 2].map(() => store('proof', connect()));
    const subj = subjects({ rpm: 100 }, 'proof-org');
    const results: ReserveResult[] = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        replicas[i % 3]!.reserve({ requestId: `p${i}`, subjects: subj, estimatedTokens: 0, now: T0 }),
      ),
    );
    const admitted = results.filter((r) => r.ok).length;
    console.log(`[redis proof] 3 clients, 500 concurrent reserves, RPM 100: admitted ${admitted}`);
    expect(admitted).toBe(100);
    for (const r of results) if (!r.ok) expect(r.limitedBy).toBe('key.rpm');
    await Promise.all(replicas.map((r) => r.close()));
  });
});
