/**
 * Detection workers on JetStream + PostgreSQL: events written once, engine checkpoints with
 * stream positions, a killed worker resumed without double counting, partitions by org, and the
 * pure pieces (resume positions, verdict → decision).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { NatsEventBus } from '../../src/events/nats-bus.js';
import { slotOf } from '../../src/events/nats-partitions.js';
import { advance, startPositions, usableCheckpoint } from '../../src/worker/checkpoint.js';
import { decisionsFor } from '../../src/worker/decide.js';
import { type RunningWorker, startWorker } from '../../src/worker/runner.js';
import { requireService } from '../helpers/services.js';
import { makeEvent } from '../store/helpers.js';
import { clusterConfig, dropRun, NATS_URL, runNames, until } from './helpers.js';

const quiet = { warn: () => undefined, info: () => undefined };

describe('worker checkpoint positions (pure)', () => {
  it('resumes each slot right after its checkpointed sequence, from the start otherwise', () => {
    const ckpt = {
      version: 1 as const,
      slots: 4,
      positions: { 0: 10, 2: 7 },
      events: 17,
      engine: {},
      takenAt: 1,
    };
    expect(startPositions([0, 2], ckpt)).toEqual({ 0: 11, 2: 8 });
    expect(startPositions([0, 1], null)).toEqual({ 0: 1, 1: 1 });
    expect(advance({ 0: 5 }, { 0: 3, 1: 9 })).toEqual({ 0: 5, 1: 9 });
    expect(usableCheckpoint(ckpt, 4)).toBe(true);
    expect(usableCheckpoint(ckpt, 8)).toBe(false);
    expect(usableCheckpoint({ version: 0 }, 4)).toBe(false);
  });

  it('maps a verdict change to one decision per key, skipping actions already in force', () => {
    const change = {
      kind: 'campaign' as const,
      id: 'c_1',
      keys: ['k1', 'k2'],
      org: null,
      verdict: 'distillation' as const,
      reasons: [{ signal: 'harvest_ratio', score: 0.9, detail: 'ratio 40' }],
    };
    const out = decisionsFor(change, { mode: 'enforce' }, (s) => (s.id === 'k2' ? 'block' : undefined));
    expect(out).toEqual([
      {
        subject: { scope: 'key', id: 'k1' },
        action: 'block',
        source: 'engine',
        reasons: ['harvest_ratio: ratio 40'],
        shadow: false,
        campaign: 'c_1',
      },
    ]);
    const benign = decisionsFor(
      { ...change, kind: 'account', id: 'k3', verdict: 'benign' },
      {},
      () => undefined,
    );
    expect(benign).toEqual([]);
    const throttled = decisionsFor(change, { map: { distillation: 'throttle' } }, () => undefined);
    expect(throttled[0]).toMatchObject({ action: 'throttle', throttleFactor: 0.5, shadow: true });
  });
});

const up = (await requireService('postgres', 5432)) && (await requireService('nats', 4222));

describe.runIf(up)('detection workers on JetStream and PostgreSQL', () => {
  const names = runNames();
  let pub: NatsEventBus;
  const dir = mkdtempSync(join(tmpdir(), 'dg-worker-'));
  const config = (partition = 0, partitions = 1, every = 50): Config => {
    const c = clusterConfig(dir, 'http://127.0.0.1:1/v1', names, { replicas: 1 });
    return {
      ...c,
      redis: undefined,
      cluster: { ...c.cluster, worker: { partition, partitions, checkpoint_every: every } },
    } as Config;
  };
  const start = (partition = 0, partitions = 1, every = 50) =>
    startWorker(config(partition, partitions, every), {
      ...names,
      logger: quiet,
      maxWaitMs: 20,
      batchSize: 25,
    });
  const ts0 = Date.UTC(2026, 10, 29, 8);
  let n = 0;
  const publish = (count: number, orgs = 3) => {
    for (let i = 0; i < count; i++, n++)
      pub.publish(makeEvent({ key: `k_${n % orgs}`, org: `org_${n % orgs}`, ts: ts0 + n * 1000 }));
    return pub.flush();
  };

  beforeAll(async () => {
    pub = await NatsEventBus.connect({
      servers: NATS_URL,
      stream: names.stream,
      subjectPrefix: names.subjectPrefix,
      slots: 4,
      onError: () => undefined,
    });
  });
  afterAll(async () => {
    await pub?.close();
    await dropRun(names);
  });

  it('stores every event once, checkpoints, and a killed worker resumes without double counting', async () => {
    const a = await start();
    await publish(110);
    await until(() => a.stats().processed === 110);
    expect(await a.store.events.count()).toBe(110);
    expect(a.stats().checkpoints).toBeGreaterThanOrEqual(1); // every ≥ 50 events, at batch ends
    expect(a.engine.stats().events).toBe(110);
    await a.checkpoint();
    await publish(40); // fewer than checkpoint_every: not in any checkpoint
    await until(() => a.stats().processed === 150);
    const saved = await a.store.checkpoints.load<{ events: number }>(a.id);
    await a.kill(); // a crash: no final checkpoint

    await publish(50);
    const b = await start();
    try {
      expect(b.stats().resumedFrom).not.toBeNull();
      expect(b.stats().resumedEvents).toBe(saved?.data.events);
      expect(saved?.data.events).toBe(110);
      await until(() => b.engine.stats().events === 200);
      // replayed past the checkpoint exactly once: 200 events, not more
      await new Promise((r) => setTimeout(r, 300));
      expect(b.engine.stats().events).toBe(200);
      expect(b.stats().engineEvents).toBe(200);
      expect(await b.store.events.count()).toBe(200);
      expect((await b.store.events.usage('k_0'))?.requests).toBe(67);
    } finally {
      await b.stop();
    }
    // a clean stop checkpoints everything: the next start has nothing to replay
    const c = await start();
    try {
      expect(c.engine.stats().events).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(c.stats().processed).toBe(0);
    } finally {
      await c.stop();
    }
  });

  it('splits the stream by org between two workers, each org to exactly one', async () => {
    const base = n;
    const workers: RunningWorker[] = [await start(0, 2, 1000), await start(1, 2, 1000)];
    try {
      await publish(60, 6);
      const seen = (w: RunningWorker) => w.engine.stats().events;
      // both engines were restored from nothing (a new partition count): they replay the whole stream
      await until(() => seen(workers[0]!) + seen(workers[1]!) === n);
      const orgsOf = (w: RunningWorker) => new Set(w.slots);
      expect([...orgsOf(workers[0]!)].some((s) => orgsOf(workers[1]!).has(s))).toBe(false);
      for (let i = 0; i < 6; i++) {
        const slot = slotOf(`org_${(base + i) % 6}`, 4);
        expect(workers.filter((w) => w.slots.includes(slot))).toHaveLength(1);
      }
    } finally {
      for (const w of workers) await w.stop();
    }
  });
});
