/**
 * Three real gateway replicas (`startApp`) on Redis, sharing PostgreSQL and NATS JetStream:
 * limits are exact across replicas, decisions reach every replica, a replica started later
 * catches up from the store, and /readyz + /metrics name the cluster states.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { requireService } from '../helpers/services.js';
import { chat, startCluster, type TestCluster, until } from './helpers.js';

const up =
  (await requireService('redis', 6379)) &&
  (await requireService('postgres', 5432)) &&
  (await requireService('nats', 4222));

describe.runIf(up)('cluster of 3 gateway replicas', () => {
  let c: TestCluster;
  /** Limits and event times run on this clock; frozen where no refill may happen. */
  let frozen: number | null = null;

  beforeAll(async () => {
    c = await startCluster({ replicas: 3, app: { now: () => frozen ?? Date.now() } });
    await c.apps[0]!.tenancy.createOrg('cluster-org');
  }, 30_000);
  afterAll(async () => {
    await c?.close();
  }, 30_000);

  it('admits exactly 100 of 500 concurrent requests on a key with RPM 100 across all replicas', async () => {
    const { secret } = await c.apps[0]!.tenancy.createKey({ org: 'cluster-org', limits: { rpm: 100 } });
    frozen = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        const res = await chat(c.apps[i % 3]!.url, secret);
        await res.arrayBuffer();
        return { status: res.status, replica: i % 3 };
      }),
    );
    frozen = null;
    const ok = statuses.filter((s) => s.status === 200);
    expect(ok).toHaveLength(100);
    expect(statuses.filter((s) => s.status === 429)).toHaveLength(400);
    // every replica admitted some: the limit really is shared, not split
    for (const r of [0, 1, 2]) expect(ok.some((s) => s.replica === r)).toBe(true);
  });

  it('shows the limits and bus states on /readyz and /metrics', async () => {
    const ready = await fetch(`${c.apps[1]!.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, string>; details: Record<string, unknown> };
    expect(body.checks).toMatchObject({ store: 'ok', limits: 'ok', bus: 'ok' });
    expect(body.details.limits).toBe('ok');
    expect(body.details.bus).toMatchObject({ state: 'ok', connected: true });
    const metrics = await (await fetch(`${c.apps[1]!.url}/metrics`)).text();
    expect(metrics).toContain('distillguard_limits_state{state="ok"} 1');
    expect(metrics).toContain('distillguard_bus_state{state="ok"} 1');
    expect(metrics).toContain('distillguard_spool_full 0');
  });

  it('delivers a decision made on one replica to every other replica within 2 s', async () => {
    const { key, secret } = await c.apps[0]!.tenancy.createKey({ org: 'cluster-org' });
    expect((await chat(c.apps[2]!.url, secret)).status).toBe(200);
    const t0 = Date.now();
    await c.apps[0]!.decisions.record({
      subject: { scope: 'key', id: key.id },
      action: 'block',
      source: 'admin:test',
      reasons: ['cluster test'],
    });
    await until(
      () =>
        [1, 2].every(
          (i) => c.apps[i]!.decisions.effective(key.id, key.orgId, Date.now())?.action === 'block',
        ),
      2_000,
    );
    expect(Date.now() - t0).toBeLessThan(2_000);
    const refused = await chat(c.apps[2]!.url, secret);
    expect(refused.status).toBe(403);
  });

  it('a replica that was down loads the decisions in force from the store on start', async () => {
    const { key } = await c.apps[0]!.tenancy.createKey({ org: 'cluster-org' });
    await c.apps[1]!.decisions.record({
      subject: { scope: 'key', id: key.id },
      action: 'block',
      source: 'admin:test',
      reasons: ['while replica 4 was down'],
    });
    const late = await startApp(c.configs[2]!, {
      logLevel: 'silent',
      listen: false,
      cluster: { ...c.names, logger: { warn: () => undefined, info: () => undefined } },
    });
    try {
      expect(late.decisions.effective(key.id, key.orgId, Date.now())?.action).toBe('block');
    } finally {
      await late.close();
    }
  });
});
