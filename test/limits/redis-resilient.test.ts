/**
 * ResilientLimitsStore against a real Redis reached through a TCP proxy that the test cuts and
 * restores: local per-replica limits or fail-closed while Redis is away, one log line per state
 * change, and a clean return to the shared store.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryLimitsStore } from '../../src/limits/memory.js';
import { REDIS_CLIENT_OPTIONS, RedisLimitsStore } from '../../src/limits/redis.js';
import {
  type DegradedMode,
  LimitsUnavailableError,
  openRedisLimits,
  ResilientLimitsStore,
  registerLimitsMetrics,
  type StateLogger,
} from '../../src/limits/redis-resilient.js';
import type { LimitSubject } from '../../src/limits/types.js';
import { requireService } from '../helpers/services.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const redisUp = await requireService('redis', 6379);
const RUN = `dgt:${randomUUID().slice(0, 8)}`;
const T0 = Date.UTC(2026, 10, 29, 12);

describe.runIf(redisUp)('ResilientLimitsStore (Redis cut by a TCP proxy)', () => {
  let proxy: TcpProxy;
  const admin = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });

  beforeAll(async () => {
    proxy = await startTcpProxy({ targetPort: 6379 });
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    const keys = await admin.keys(`${RUN}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
    await proxy.close();
  });

  function setup(mode: DegradedMode, prefix: string) {
    const client = new Redis(proxy.url('redis'), { ...REDIS_CLIENT_OPTIONS, lazyConnect: true });
    client.on('error', () => undefined); // connection errors are expected while the proxy is cut
    const lines: string[] = [];
    const logger: StateLogger = {
      warn: (m) => lines.push(`warn ${m}`),
      info: (m) => lines.push(`info ${m}`),
    };
    const store = new ResilientLimitsStore({
      primary: new RedisLimitsStore({ redis: client, prefix: `${RUN}:${prefix}`, renewEveryMs: 0 }),
      fallback: new MemoryLimitsStore(),
      ping: () => client.ping(),
      mode,
      replicas: 3,
      probeEveryMs: 50,
      logger,
    });
    return { client, store, lines };
  }
  const subjects: LimitSubject[] = [
    { scope: 'key', id: 'k', rule: { rpm: 30, concurrency: 60 } },
    { scope: 'org', id: 'o', rule: {} },
  ];
  let seq = 0;
  const reserve = (store: ResilientLimitsStore, now = T0) =>
    store.reserve({ requestId: `r${++seq}`, subjects, estimatedTokens: 0, now });

  it('falls back to local limits divided by the replica count, logs once, and recovers', async () => {
    const { client, store, lines } = setup('local', 'local');
    await client.connect();
    expect((await reserve(store)).ok).toBe(true);
    expect(store.state()).toBe('ok');

    proxy.cut();
    const during = await Promise.all(Array.from({ length: 20 }, () => reserve(store)));
    expect(store.state()).toBe('degraded-local');
    // RPM 30 over 3 replicas → 10 locally (the first call may have hit Redis and failed over)
    expect(during.filter((r) => r.ok)).toHaveLength(10);
    const localRes = during.find((r) => r.ok);
    expect(lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(lines[0]).toContain('degraded-local');

    proxy.restore();
    await vi.waitFor(() => expect(store.state()).toBe('ok'), { timeout: 10_000, interval: 50 });
    expect(lines.filter((l) => l.startsWith('info'))).toHaveLength(1);

    // a reservation made locally is finished locally; new ones go to Redis again
    if (localRes?.ok) await store.release(localRes.reservation, T0);
    expect(await store.inFlight('key', 'k')).toBe(1 + 9);
    const back = await reserve(store);
    expect(back.ok).toBe(true);
    expect(store.stats().localReserves).toBe(20);
    await store.close();
    client.disconnect();
  });

  it('fails closed with limits_unavailable when configured to', async () => {
    const { client, store, lines } = setup('fail-closed', 'closed');
    await client.connect();
    expect((await reserve(store)).ok).toBe(true);
    proxy.cut();
    await expect(reserve(store)).rejects.toBeInstanceOf(LimitsUnavailableError);
    await expect(reserve(store)).rejects.toMatchObject({ code: 'limits_unavailable' });
    expect(store.state()).toBe('failing-closed');
    expect(lines).toHaveLength(1);
    const registry = new Registry();
    registerLimitsMetrics(registry, store);
    const text = await registry.metrics();
    expect(text).toContain('distillguard_limits_state{state="failing-closed"} 1');
    expect(text).toContain('distillguard_limits_state{state="ok"} 0');
    expect(text).toContain('distillguard_limits_unavailable_total 2');
    proxy.restore();
    await vi.waitFor(() => expect(store.state()).toBe('ok'), { timeout: 10_000, interval: 50 });
    expect((await reserve(store)).ok).toBe(true);
    await store.close();
    client.disconnect();
  });

  it('starts degraded when Redis is down at start-up and switches to it once it answers', async () => {
    proxy.cut();
    const lines: string[] = [];
    const store = await openRedisLimits({
      url: proxy.url('redis'),
      prefix: `${RUN}:boot`,
      renewEveryMs: 0,
      replicas: 2,
      probeEveryMs: 50,
      logger: { warn: (m) => lines.push(m), info: (m) => lines.push(m) },
    });
    expect(store.state()).toBe('degraded-local');
    expect((await reserve(store)).ok).toBe(true);
    proxy.restore();
    await vi.waitFor(() => expect(store.state()).toBe('ok'), { timeout: 10_000, interval: 50 });
    expect((await reserve(store)).ok).toBe(true);
    expect(store.stats().localReserves).toBe(1);
    expect(lines).toHaveLength(2);
    await store.close();
  });
});
