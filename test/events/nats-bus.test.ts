/**
 * NatsEventBus against a real NATS JetStream: round trip, partitioning by org, redelivery of
 * unacknowledged messages, de-duplication, and an outage (connection cut by a TCP proxy) during
 * which events are spooled to disk and then arrive in order, exactly once; and decisions
 * bridged across replicas over core NATS.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type NatsBusOptions,
  NatsEventBus,
  openNatsBus,
  registerBusMetrics,
} from '../../src/events/nats-bus.js';
import type { Consumption } from '../../src/events/nats-consumer.js';
import { slotOf } from '../../src/events/nats-partitions.js';
import { bridgeTopic } from '../../src/events/nats-topic.js';
import type { RequestEvent } from '../../src/events/types.js';
import { DecisionCache } from '../../src/policy/decisions.js';
import type { Decision } from '../../src/policy/types.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { requireService } from '../helpers/services.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { makeEvent, tempDir } from '../store/helpers.js';

const natsUp = await requireService('nats', 4222);
const RUN = randomUUID().slice(0, 8);
const NATS_URL = 'nats://127.0.0.1:4222';

describe.runIf(natsUp)('NatsEventBus (JetStream)', () => {
  let admin: NatsConnection;
  let proxy: TcpProxy;
  let spoolDir: string;
  let n = 0;
  const open: Array<{ close(): Promise<void> }> = [];
  const streams: string[] = [];

  /** A fresh stream and subject space per test, so tests never see each other's events. */
  const fresh = () => {
    n++;
    const stream = `DGT_${RUN}_${n}`;
    streams.push(stream);
    return { stream, subjectPrefix: `dgt.${RUN}.${n}`, slots: 4 } satisfies Partial<NatsBusOptions>;
  };
  const bus = async (opts: Partial<NatsBusOptions> & { stream: string }): Promise<NatsEventBus> => {
    const b = await NatsEventBus.connect({
      servers: NATS_URL,
      onError: () => undefined,
      connection: { ignoreClusterUpdates: true, reconnectTimeWait: 100 },
      ...opts,
    });
    open.push(b);
    return b;
  };
  const collect = async (b: NatsEventBus, opts: Parameters<NatsEventBus['consume']>[1] = {}) => {
    const seen: RequestEvent[] = [];
    const c: Consumption = await b.consume(async (e) => {
      seen.push(e);
    }, opts);
    return { seen, c };
  };

  beforeAll(async () => {
    admin = await connect({ servers: NATS_URL });
    proxy = await startTcpProxy({ targetPort: 4222 });
  });
  afterEach(async () => {
    proxy.restore();
    await Promise.all(open.splice(0).map((b) => b.close().catch(() => undefined)));
    if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    const jsm = await admin.jetstreamManager();
    for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
    await admin.close();
    await proxy.close();
  });

  it('round-trips events to a durable consumer, in order per org', async () => {
    const cfg = fresh();
    const pub = await bus(cfg);
    const events = Array.from({ length: 60 }, (_, i) => makeEvent({ org: `org-${i % 3}` }));
    for (const e of events) pub.publish(e);
    await pub.flush();
    expect(pub.stats().published).toBe(60);
    const worker = await bus(cfg);
    const { seen } = await collect(worker, { durable: 'w' });
    await vi.waitFor(() => expect(seen).toHaveLength(60), { timeout: 10_000 });
    for (const org of ['org-0', 'org-1', 'org-2']) {
      expect(seen.filter((e) => e.orgId === org).map((e) => e.id)).toEqual(
        events.filter((e) => e.orgId === org).map((e) => e.id),
      );
    }
  });

  it('partitions orgs across workers: disjoint, complete, one worker per org', async () => {
    const cfg = fresh();
    const pub = await bus(cfg);
    const events = Array.from({ length: 80 }, (_, i) => makeEvent({ org: `tenant-${i % 8}` }));
    for (const e of events) pub.publish(e);
    await pub.flush();
    const w0 = await collect(await bus(cfg), { durable: 'p', partition: { index: 0, count: 2 } });
    const w1 = await collect(await bus(cfg), { durable: 'p', partition: { index: 1, count: 2 } });
    expect(w0.c.slots).toEqual([0, 2]);
    expect(w1.c.slots).toEqual([1, 3]);
    await vi.waitFor(() => expect(w0.seen.length + w1.seen.length).toBe(80), { timeout: 10_000 });
    const orgs0 = new Set(w0.seen.map((e) => e.orgId));
    const orgs1 = new Set(w1.seen.map((e) => e.orgId));
    for (const o of orgs0) expect(orgs1.has(o)).toBe(false);
    for (const o of orgs0) expect(slotOf(o, 4) % 2).toBe(0);
    expect(new Set([...w0.seen, ...w1.seen].map((e) => e.id)).size).toBe(80);
  });

  it('redelivers a message whose handler failed, and one left unacknowledged by a crashed worker', async () => {
    const cfg = fresh();
    const pub = await bus(cfg);
    const [a, b] = [makeEvent({ org: 'o' }), makeEvent({ org: 'o' })];
    pub.publish(a!);
    await pub.flush();

    const w = await bus(cfg);
    let attempts = 0;
    const done: string[] = [];
    const c = await w.consume(
      async (e) => {
        if (++attempts === 1) throw new Error('transient');
        done.push(e.id);
      },
      { durable: 'r', nakDelayMs: 50 },
    );
    await vi.waitFor(() => expect(done).toEqual([a!.id]), { timeout: 10_000 });
    expect(c.stats()).toMatchObject({ processed: 1, failed: 1 });
    await c.stop();

    // a worker takes the next message and dies before acknowledging it
    let taken = '';
    const stuck = await (await bus(cfg)).consume(
      (e) => {
        taken = e.id;
        return new Promise<void>(() => undefined);
      },
      { durable: 'r', ackWaitMs: 1000 },
    );
    pub.publish(b!);
    await pub.flush();
    await vi.waitFor(() => expect(taken).toBe(b!.id), { timeout: 10_000 });
    await stuck.stop();
    const { seen } = await collect(await bus(cfg), { durable: 'r', ackWaitMs: 1000 });
    await vi.waitFor(() => expect(seen.map((e) => e.id)).toEqual([b!.id]), { timeout: 10_000 });
  });

  it('de-duplicates by event id in the stream and in the consumer', async () => {
    const cfg = fresh();
    const pub = await bus(cfg);
    const e = makeEvent({ org: 'dup' });
    pub.publish(e);
    pub.publish(e);
    await pub.flush();
    expect(pub.stats()).toMatchObject({ published: 1, duplicates: 1 });
    // the same event sent again without a msgID (as after the duplicate window) reaches the stream…
    const js = admin.jetstream();
    await js.publish(pub.subjectOf('dup'), new TextEncoder().encode(JSON.stringify(e)));
    // …and the consumer's recent-id set skips it
    const worker = await bus(cfg);
    const { seen, c } = await collect(worker, { durable: 'd' });
    await vi.waitFor(() => expect(c.stats().skippedDuplicates).toBe(1), { timeout: 10_000 });
    expect(seen.map((x) => x.id)).toEqual([e.id]);
  });

  it('spools during an outage and delivers everything in order, exactly once, after it', async () => {
    const cfg = fresh();
    spoolDir = await mkdtemp(join(tmpdir(), 'dg-nats-spool-'));
    const pub = await openNatsBus({
      ...cfg,
      servers: proxy.url('nats'),
      spool: { dir: spoolDir, fsyncEveryMs: 0 },
      publishTimeoutMs: 500,
      retryEveryMs: 100,
      onError: () => undefined,
      connection: { ignoreClusterUpdates: true, reconnectTimeWait: 100 },
    });
    open.push(pub);
    const worker = await bus(cfg);
    const { seen } = await collect(worker, { durable: 'o' });
    const orgs = ['acme', 'globex'];
    const events = Array.from({ length: 90 }, (_, i) => makeEvent({ org: orgs[i % 2]! }));

    for (const e of events.slice(0, 30)) pub.publish(e);
    await pub.flush();
    proxy.cut();
    await vi.waitFor(() => expect(pub.stats().connected).toBe(false), { timeout: 5000 });
    for (const e of events.slice(30, 60)) pub.publish(e);
    await pub.flush();
    expect(pub.stats().spool?.entries).toBe(30);
    expect(pub.stats().spooled).toBeGreaterThanOrEqual(30);

    proxy.restore();
    for (const e of events.slice(60)) pub.publish(e);
    await pub.drained(20_000);
    expect(pub.stats().spool?.entries).toBe(0);
    const info = await (await admin.jetstreamManager()).streams.info(cfg.stream);
    expect(info.state.messages).toBe(90); // JetStream de-duplicated any replayed copy
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(90), { timeout: 10_000 });
    expect(seen.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    for (const org of orgs) {
      expect(seen.filter((e) => e.orgId === org).map((e) => e.id)).toEqual(
        events.filter((e) => e.orgId === org).map((e) => e.id),
      );
    }
  });
});

describe.runIf(natsUp)('NatsEventBus with a full spool', () => {
  it('raises the alarm (flag, counters, errors) instead of dropping silently', async () => {
    const proxy = await startTcpProxy({ targetPort: 4222 });
    const dir = tempDir('dg-full-spool-');
    const errors: string[] = [];
    const pub = await openNatsBus({
      servers: proxy.url('nats'),
      stream: `DGT_FULL_${RUN}`,
      subjectPrefix: `dgt.full.${RUN}`,
      spool: { dir, maxBytes: 20_000, fsyncEveryMs: 0 },
      maxBuffered: 20,
      retryEveryMs: 50,
      onError: (err, what) => errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`),
      connection: { ignoreClusterUpdates: true, reconnectTimeWait: 100 },
    });
    try {
      proxy.cut();
      await vi.waitFor(() => expect(pub.stats().connected).toBe(false), { timeout: 5000 });
      const events = Array.from({ length: 60 }, () => makeEvent({ org: 'full' }));
      for (const e of events) {
        pub.publish(e);
        await pub.flush();
      }
      const st = pub.stats();
      expect(st.spool?.full).toBe(true);
      expect(st.spool?.fullRefusals).toBeGreaterThan(0);
      // every event is accounted for: on disk, in memory, or counted lost with an error each
      expect((st.spool?.entries ?? 0) + st.buffered + st.lost).toBe(60);
      expect(errors.some((e) => e.includes('spool append refused'))).toBe(true);
      expect(errors.filter((e) => e.includes('lost'))).toHaveLength(st.lost);
      const registry = new Registry();
      registerBusMetrics(registry, pub);
      const text = await registry.metrics();
      expect(text).toContain('distillguard_spool_full 1');
      expect(text).toContain('distillguard_bus_connected 0');
    } finally {
      proxy.restore();
      await pub.close();
      await proxy.close();
      const nc = await connect({ servers: NATS_URL });
      await (await nc.jetstreamManager()).streams.delete(`DGT_FULL_${RUN}`).catch(() => undefined);
      await nc.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(natsUp)('bridgeTopic: decisions reach every replica', () => {
  const dir = tempDir('dg-bridge-');
  const file = join(dir, 'shared.sqlite');
  const closers: Array<() => Promise<unknown>> = [];
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await startTcpProxy({ targetPort: 4222 });
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A gateway replica's decision path: its store connection, cache, topic and NATS bridge. */
  const replica = async (servers = NATS_URL) => {
    const store = await openSqlite(file);
    const nc = await connect({ servers, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    const cache = new DecisionCache(store.decisions, store.audit);
    const announced: Decision[] = [];
    cache.updates.subscribe((d) => announced.push(d));
    const bridge = bridgeTopic(nc, cache.updates, `dgt.${RUN}.decisions`, {
      idOf: (d) => d.id,
      onRemote: (d) => cache.apply(d),
      onReconnect: () => void cache.load(),
    });
    await nc.flush();
    await cache.load();
    closers.push(
      () => bridge.close(),
      () => nc.close(),
      () => store.close(),
    );
    return { cache, announced, nc };
  };
  const block = (id: string) => ({
    subject: { scope: 'key' as const, id },
    action: 'block' as const,
    source: 'admin:ops',
    reasons: ['test'],
  });

  it('applies a decision on every replica, once, and lets a late replica catch up from the store', async () => {
    const a = await replica();
    const b = await replica();
    const recorded = await a.cache.record(block('k-bridge'));
    const started = Date.now();
    await vi.waitFor(() => expect(b.cache.effective('k-bridge', 'o', Date.now())?.id).toBe(recorded.id), {
      timeout: 5000,
      interval: 5,
    });
    console.log(`[decisions] reached the other replica in ${Date.now() - started} ms`);
    expect(b.announced.map((d) => d.id)).toEqual([recorded.id]);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.announced.map((d) => d.id)).toEqual([recorded.id]); // no echo back
    const late = await replica();
    expect(late.cache.effective('k-bridge', 'o', Date.now())?.id).toBe(recorded.id);
  });

  it('catches up after a disconnect by reloading from the store', async () => {
    const a = await replica();
    const cut = await replica(proxy.url('nats'));
    proxy.cut();
    const missed = await a.cache.record(block('k-missed'));
    expect(cut.cache.effective('k-missed', 'o', Date.now())).toBeNull();
    proxy.restore();
    await vi.waitFor(() => expect(cut.cache.effective('k-missed', 'o', Date.now())?.id).toBe(missed.id), {
      timeout: 10_000,
    });
  });
});
