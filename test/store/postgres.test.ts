/**
 * The PostgreSQL store: the shared store contract (SQLite runs it in sqlite.test.ts), then what only
 * PostgreSQL does — daily partitions of `events` created ahead and on demand, rows moved out of
 * the default partition, retention by DROP of whole partitions, the admin indexes.
 * Each run uses its own schema, dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { connect as natsConnect } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NatsEventBus } from '../../src/events/nats-bus.js';
import {
  dayStart,
  openPostgres,
  type PostgresStore,
  parseBound,
  parsePostgresUrl,
  partitionName,
} from '../../src/store/postgres.js';
import { requireService } from '../helpers/services.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { storeContract } from './contract.js';
import { makeEvent } from './helpers.js';

const PG_URL = process.env.DISTILLGUARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgUp = await requireService('postgres', 5432);
const natsUp = pgUp && (await requireService('nats', 4222));
const RUN = `dgt_${randomUUID().slice(0, 8)}`;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 29, 12);
const schemas: string[] = [];
let n = 0;
const freshSchema = () => {
  const s = `${RUN}_${++n}`;
  schemas.push(s);
  return s;
};

describe('postgres helpers', () => {
  it('names daily partitions and parses their bounds', () => {
    expect(partitionName(Date.UTC(2026, 0, 5))).toBe('events_p20260105');
    expect(dayStart(Date.UTC(2026, 0, 5, 23, 59))).toBe(Date.UTC(2026, 0, 5));
    expect(parseBound("FOR VALUES FROM ('1000') TO ('2000')")).toEqual({ from: 1000, to: 2000 });
    expect(parseBound('DEFAULT')).toEqual({ from: null, to: null });
    expect(parsePostgresUrl('postgres://u@h:5432/db?schema=x&sslmode=disable')).toEqual({
      connectionString: 'postgres://u@h:5432/db?sslmode=disable',
      schema: 'x',
    });
  });
});

describe.runIf(pgUp)('PostgreSQL store', () => {
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
  });
  afterAll(async () => {
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await admin.end();
  });

  storeContract('postgres', () => openPostgres(PG_URL, { schema: freshSchema(), maintenanceEveryMs: 0 }));

  const open = (opts: Parameters<typeof openPostgres>[1] = {}) =>
    openPostgres(`${PG_URL}?schema=${freshSchema()}`, { maintenanceEveryMs: 0, clock: () => NOW, ...opts });
  const where = async (store: PostgresStore, id: string): Promise<string> => {
    const r = await admin.query(
      `SELECT tableoid::regclass::text AS t FROM "${store.schema}".events WHERE id = $1`,
      [id],
    );
    return String(r.rows[0]?.t ?? '').replace(/^.*\./, '');
  };

  it('partitions events by day, creates partitions ahead, and indexes what the admin API reads', async () => {
    const store = await open({ partitionsAhead: 3 });
    const kind = await admin.query(
      `SELECT p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'events' AND n.nspname = $1`,
      [store.schema],
    );
    expect(kind.rows[0]?.partstrat).toBe('r');
    const names = (await store.partitions()).map((p) => p.name);
    for (let d = -1; d <= 3; d++) expect(names).toContain(partitionName(dayStart(NOW) + d * DAY));
    expect(names).toContain('events_default');
    const idx = await admin.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'events'`,
      [store.schema],
    );
    expect(idx.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['events_pkey', 'events_key_ts', 'events_org_ts', 'events_ts']),
    );
    const today = makeEvent({ ts: NOW });
    await store.events.insertBatch([today]);
    expect(await where(store, today.id)).toBe(partitionName(dayStart(NOW)));
    await store.close();
  });

  it('creates a past day’s partition on demand and moves stray rows out of the default partition', async () => {
    const store = await open();
    const old = NOW - 40 * DAY;
    const stray = makeEvent({ ts: old + 1 });
    // a row written without the store's help lands in the default partition
    await admin.query(
      `INSERT INTO "${store.schema}".events SELECT * FROM json_populate_record(NULL::"${store.schema}".events, $1)`,
      [
        JSON.stringify({
          id: stray.id,
          ts: stray.ts,
          key_id: stray.keyId,
          account_id: stray.accountId,
          org_id: stray.orgId,
          endpoint: stray.endpoint,
          model: stray.model,
          status: stray.status,
          prompt_tokens: 1,
          completion_tokens: 1,
          estimated: 0,
          latency_ms: 1,
          data: JSON.stringify(stray),
        }),
      ],
    );
    expect(await where(store, stray.id)).toBe('events_default');
    const later = makeEvent({ ts: old + 2 });
    expect(await store.events.insertBatch([later])).toBe(1);
    expect(await where(store, later.id)).toBe(partitionName(dayStart(old)));
    expect(await where(store, stray.id)).toBe(partitionName(dayStart(old)));
    expect(await store.events.count({ since: dayStart(old), until: dayStart(old) + DAY })).toBe(2);
    await store.close();
  });

  it('applies retention by dropping whole partitions, not deleting rows', async () => {
    let now = NOW;
    const store = await open({ retentionDays: 3, clock: () => now });
    const events = [0, 1, 2, 3, 4, 5].map((d) => makeEvent({ key: 'key_ret', ts: NOW - d * DAY }));
    await store.events.insertBatch(events);
    // days older than the window were never given a partition: they sit in the default partition
    expect(await where(store, events[5]!.id)).toBe('events_default');
    expect(await where(store, events[2]!.id)).toBe(partitionName(dayStart(NOW - 2 * DAY)));
    now = NOW + DAY;
    const result = await store.maintain(now);
    // window is now [NOW − 1 day, NOW + 1 day]: only the NOW − 2 days partition falls out
    expect(result.dropped).toEqual([partitionName(dayStart(NOW - 2 * DAY))]);
    expect(result.deletedFromDefault).toBe(3);
    const gone = await admin.query('SELECT to_regclass($1) AS r', [
      `"${store.schema}".${partitionName(dayStart(NOW - 2 * DAY))}`,
    ]);
    expect(gone.rows[0]?.r).toBeNull();
    expect(await store.events.count({ keyId: 'key_ret' })).toBe(2);
    // lifetime totals are kept
    expect((await store.events.usage('key_ret'))?.requests).toBe(6);
    await store.close();
  });

  it('reopens an existing schema without re-running migrations', async () => {
    const schema = freshSchema();
    const a = await openPostgres(PG_URL, { schema, maintenanceEveryMs: 0 });
    const e = makeEvent({ key: 'key_reopen' });
    await a.events.insertBatch([e]);
    await a.close();
    const b = await openPostgres(PG_URL, { schema, maintenanceEveryMs: 0 });
    expect(await b.events.count({ keyId: 'key_reopen' })).toBe(1);
    await b.close();
  });
});

describe.runIf(natsUp)('store writer on JetStream through a PostgreSQL outage', () => {
  it('keeps events in the stream while PostgreSQL is cut and stores each exactly once after', async () => {
    const proxy = await startTcpProxy({ targetPort: 5432 });
    const schema = freshSchema();
    const url = new URL(PG_URL);
    url.port = String(proxy.port);
    const store = await openPostgres(url.toString(), { schema, maintenanceEveryMs: 0, poolSize: 2 });
    const cfg = {
      servers: 'nats://127.0.0.1:4222',
      stream: `DGT_PG_${RUN}`,
      subjectPrefix: `dgt.pg.${RUN}`,
      slots: 2,
    };
    const pub = await NatsEventBus.connect({ ...cfg, onError: () => undefined });
    const writer = await NatsEventBus.connect({ ...cfg, onError: () => undefined });
    const c = await writer.consumeBatches(
      (events) => store.events.insertBatch(events).then(() => undefined),
      {
        durable: 'store',
        batchSize: 50,
        maxWaitMs: 20,
        nakDelayMs: 100,
      },
    );
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const first = Array.from({ length: 100 }, (_, i) =>
        makeEvent({ key: 'key_out', org: `o${i % 3}`, ts: NOW + i }),
      );
      for (const e of first) pub.publish(e);
      await vi.waitFor(async () => expect(await store.events.count({ keyId: 'key_out' })).toBe(100), {
        timeout: 10_000,
      });

      proxy.cut();
      const second = Array.from({ length: 100 }, (_, i) =>
        makeEvent({ key: 'key_out', org: `o${i % 3}`, ts: NOW + 1000 + i }),
      );
      for (const e of second) pub.publish(e);
      await pub.flush();
      await vi.waitFor(() => expect(c.stats().failed).toBeGreaterThan(0), { timeout: 10_000 });
      proxy.restore();

      const count = async () =>
        Number(
          (await admin.query(`SELECT count(*) AS n FROM "${schema}".events WHERE key_id = 'key_out'`)).rows[0]
            .n,
        );
      await vi.waitFor(async () => expect(await count()).toBe(200), { timeout: 20_000, interval: 100 });
      expect((await store.events.usage('key_out'))?.requests).toBe(200);
    } finally {
      await c.stop();
      await Promise.all([pub.close(), writer.close()]);
      const nc = await natsConnect({ servers: cfg.servers });
      await (await nc.jetstreamManager()).streams.delete(cfg.stream).catch(() => undefined);
      await nc.close();
      await admin.end();
      await store.close();
      await proxy.close();
    }
  });
});
