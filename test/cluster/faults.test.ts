/**
 * Faults, end to end, by cutting the real services with a TCP proxy inside each test:
 * Redis down → per-replica local limits or fail closed (by config), logged once, on /readyz and
 * /metrics; NATS down → the replica spools events to disk and replays them in order, and a full
 * spool is an alert (state, metric, log), never a silent drop; PostgreSQL down → the worker holds
 * the batch and JetStream keeps the events, each stored exactly once afterwards.
 */
import { connect as natsConnect } from 'nats';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../src/events/types.js';
import type { StateLogger } from '../../src/limits/redis-resilient.js';
import { type RunningWorker, startWorker } from '../../src/worker/runner.js';
import { requireService } from '../helpers/services.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { chat, NATS_URL, PG_URL, pgUrlWithSchema, startCluster, type TestCluster, until } from './helpers.js';

const up =
  (await requireService('redis', 6379)) &&
  (await requireService('postgres', 5432)) &&
  (await requireService('nats', 4222));

/** Every event in a stream, in stream order (an ordered consumer). */
async function streamEvents(stream: string): Promise<RequestEvent[]> {
  const nc = await natsConnect({ servers: NATS_URL });
  try {
    const consumer = await nc.jetstream().consumers.get(stream);
    const out: RequestEvent[] = [];
    const pending = (await consumer.info()).num_pending;
    const msgs = await consumer.fetch({ max_messages: pending, expires: 2000 });
    for await (const m of msgs) {
      out.push(m.json<RequestEvent>());
      if (out.length >= pending) break;
    }
    return out;
  } finally {
    await nc.close();
  }
}

const fast = { reconnectTimeWait: 100, ignoreClusterUpdates: true };

function recorder(): StateLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(`warn ${m}`), info: (m) => lines.push(`info ${m}`) };
}

interface ReadyBody {
  checks: Record<string, string>;
  details: {
    limits?: string;
    bus: {
      state: string;
      buffered: number;
      spooled: number;
      spool: { full: boolean; fullRefusals: number };
    };
  };
}

const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
};

describe.runIf(up)('cluster faults', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined);
  });
  const track = <T extends { close(): Promise<void> }>(x: T): T => {
    cleanup.push(() => x.close());
    return x;
  };
  const cluster = async (
    o: Parameters<typeof startCluster>[0] & { logger?: StateLogger },
  ): Promise<TestCluster> =>
    track(
      await startCluster({
        ...o,
        app: {
          ...o.app,
          cluster: {
            natsConnection: fast,
            probeEveryMs: 100,
            watchEveryMs: 50,
            ...(o.logger ? { logger: o.logger } : {}),
          },
        },
      }),
    );

  it('Redis down: limits fall back to local limits ÷ replicas, logged once, shown, and recover', async () => {
    const redis = track(await startTcpProxy({ targetPort: 6379 }));
    const log = recorder();
    const c = await cluster({
      replicas: 1,
      urls: { redis: redis.url('redis') },
      config: { cluster: { replicas: 4, limits_degraded: 'local' } },
      logger: log,
    });
    const app = c.apps[0]!;
    await app.tenancy.createOrg('o');
    const { secret } = await app.tenancy.createKey({ org: 'o', limits: { rpm: 40 } });
    expect((await chat(app.url, secret)).status).toBe(200);

    redis.cut();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await chat(app.url, secret)).status);
    // RPM 40 over 4 replicas: this replica alone admits 10 while Redis is away
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const r = await readyz(app.url);
    expect(r.status).toBe(200);
    expect(r.body.checks.limits).toBe('degraded');
    expect(r.body.details.limits).toBe('degraded-local');
    expect(await (await fetch(`${app.url}/metrics`)).text()).toContain(
      'distillguard_limits_state{state="degraded-local"} 1',
    );
    expect(log.lines.filter((l) => l.includes('state ok → degraded-local'))).toHaveLength(1);

    redis.restore();
    await until(async () => (await readyz(app.url)).body.details.limits === 'ok', 5_000);
    expect(log.lines.filter((l) => l.includes('→ ok'))).toHaveLength(1);
  });

  it('Redis down with limits_degraded fail-closed: 503 limits_unavailable until it is back', async () => {
    const redis = track(await startTcpProxy({ targetPort: 6379 }));
    const c = await cluster({
      replicas: 1,
      urls: { redis: redis.url('redis') },
      config: { cluster: { limits_degraded: 'fail-closed' } },
      logger: recorder(),
    });
    const app = c.apps[0]!;
    await app.tenancy.createOrg('o');
    const { secret } = await app.tenancy.createKey({ org: 'o', limits: { rpm: 1000 } });
    redis.cut();
    const res = await chat(app.url, secret);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('limits_unavailable');
    expect((await readyz(app.url)).body.details.limits).toBe('failing-closed');
    redis.restore();
    await until(async () => (await chat(app.url, secret)).status === 200, 5_000);
  });

  it('NATS down: the replica spools events to disk and replays them in order; the worker stores each once', async () => {
    const nats = track(await startTcpProxy({ targetPort: 4222 }));
    const log = recorder();
    const c = await cluster({ replicas: 1, urls: { nats: nats.url('nats') }, logger: log });
    const app = c.apps[0]!;
    await app.tenancy.createOrg('o');
    const { key, secret } = await app.tenancy.createKey({ org: 'o' });
    for (let i = 0; i < 5; i++) expect((await chat(app.url, secret)).status).toBe(200);
    await app.flushEvents();

    nats.cut();
    for (let i = 0; i < 25; i++) expect((await chat(app.url, secret)).status).toBe(200);
    await app.flushEvents();
    // (events not yet acknowledged by NATS when it was cut are spooled too)
    await until(async () => {
      const b = (await readyz(app.url)).body.details.bus;
      return b.buffered === 0 && b.spooled >= 25;
    }, 20_000);
    const during = (await readyz(app.url)).body;
    expect(during.checks.bus).toBe('degraded');
    expect(during.details.bus.state).toBe('spooling');

    nats.restore();
    await until(async () => (await readyz(app.url)).body.details.bus.state === 'ok', 10_000);
    expect(log.lines.filter((l) => l.includes('event bus: state ok → spooling'))).toHaveLength(1);

    const worker = await startWorker(c.workerConfig(), { ...c.names, logger: recorder(), maxWaitMs: 20 });
    cleanup.push(() => worker.stop());
    await until(async () => (await worker.store.events.count({ keyId: key.id })) === 30, 10_000);
    expect((await worker.store.events.usage(key.id))?.requests).toBe(30);
    // in order: the stream holds the 30 events in request order (the spool replayed in order)
    const inStream = await streamEvents(c.names.stream);
    const ts = inStream.filter((e) => e.keyId === key.id).map((e) => e.ts);
    expect(ts).toHaveLength(30);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
  });

  it('a full spool is an alert: state spool-full, /readyz not ready, metric and one log line', async () => {
    const nats = track(await startTcpProxy({ targetPort: 4222 }));
    const log = recorder();
    const c = await cluster({
      replicas: 1,
      urls: { nats: nats.url('nats') },
      config: { cluster: { spool_max_bytes: 4096 } },
      logger: log,
    });
    const app = c.apps[0]!;
    await app.tenancy.createOrg('o');
    const { secret } = await app.tenancy.createKey({ org: 'o' });
    nats.cut();
    for (let i = 0; i < 20; i++) expect((await chat(app.url, secret)).status).toBe(200);
    await app.flushEvents();
    await until(async () => (await readyz(app.url)).body.details.bus.state === 'spool-full', 5_000);
    const r = await readyz(app.url);
    expect(r.status).toBe(503);
    expect(r.body.checks.bus).toBe('down');
    expect(r.body.details.bus.spool.full).toBe(true);
    expect(r.body.details.bus.spool.fullRefusals).toBeGreaterThan(0);
    // refused events wait in memory (bounded), counted: nothing vanishes silently
    await until(async () => {
      const b = (await readyz(app.url)).body.details.bus;
      return b.buffered + b.spooled === 20;
    }, 10_000);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toContain('distillguard_spool_full 1');
    await until(() => log.lines.some((l) => l.includes('ALERT')), 2_000);
    expect(log.lines.filter((l) => l.includes('ALERT'))).toHaveLength(1);
    nats.restore();
    await until(async () => (await readyz(app.url)).body.details.bus.state === 'ok', 10_000);
  });

  it('PostgreSQL down on a replica: it stays ready (store degraded) and serves cached keys', async () => {
    const pg = track(await startTcpProxy({ targetPort: 5432 }));
    const u = new URL(PG_URL);
    u.port = String(pg.port);
    const c = await cluster({ replicas: 1, urls: { pg: u.toString() }, logger: recorder() });
    const app = c.apps[0]!;
    await app.tenancy.createOrg('o');
    const { secret } = await app.tenancy.createKey({ org: 'o' });
    expect((await chat(app.url, secret)).status).toBe(200);
    pg.cut();
    const r = await readyz(app.url);
    expect(r.status).toBe(200);
    expect(r.body.checks.store).toBe('degraded');
    expect((await chat(app.url, secret)).status).toBe(200);
    pg.restore();
  });

  it('PostgreSQL down: the worker holds its batch, JetStream keeps the events, each stored once after', async () => {
    const c = await cluster({ replicas: 1, logger: recorder() });
    const app = c.apps[0]!;
    await app.tenancy.createOrg('o');
    const { key, secret } = await app.tenancy.createKey({ org: 'o' });
    const pg: TcpProxy = track(await startTcpProxy({ targetPort: 5432 }));
    const u = new URL(PG_URL);
    u.port = String(pg.port);
    const wc = c.workerConfig();
    let worker: RunningWorker | null = await startWorker(
      { ...wc, db: pgUrlWithSchema(u.toString(), c.names.schema) },
      { ...c.names, logger: recorder(), maxWaitMs: 20, retryMaxMs: 200 },
    );
    cleanup.push(async () => worker?.stop());
    for (let i = 0; i < 10; i++) await chat(app.url, secret);
    await until(async () => (await app.store.events.count({ keyId: key.id })) === 10, 10_000);

    pg.cut();
    for (let i = 0; i < 20; i++) expect((await chat(app.url, secret)).status).toBe(200);
    await app.flushEvents();
    await until(() => (worker?.stats().storeRetries ?? 0) > 0, 10_000);
    expect(await app.store.events.count({ keyId: key.id })).toBe(10);
    // the replica's own store connection is direct here: only the worker's is cut
    pg.restore();
    await until(async () => (await app.store.events.count({ keyId: key.id })) === 30, 15_000);
    expect((await app.store.events.usage(key.id))?.requests).toBe(30);
    await worker.stop();
    worker = null;
  });
});
