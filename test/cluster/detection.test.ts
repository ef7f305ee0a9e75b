/**
 * Detection in cluster mode, end to end: a harvester's events go through the JetStream stream
 * to a worker, whose engine flags the key; the decision it records reaches a gateway replica's
 * cache over the decision bridge and the replica refuses the key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsEventBus } from '../../src/events/nats-bus.js';
import type { RequestEvent } from '../../src/events/types.js';
import { type RunningWorker, startWorker } from '../../src/worker/runner.js';
import { harvester } from '../detect/fixtures.js';
import { requireService } from '../helpers/services.js';
import { chat, NATS_URL, startCluster, type TestCluster, until } from './helpers.js';

const up =
  (await requireService('redis', 6379)) &&
  (await requireService('postgres', 5432)) &&
  (await requireService('nats', 4222));

describe.runIf(up)('detection workers decide for every replica', () => {
  let c: TestCluster;
  let worker: RunningWorker;
  let pub: NatsEventBus;
  const quiet = { warn: () => undefined, info: () => undefined };

  beforeAll(async () => {
    c = await startCluster({ replicas: 2, config: { policy: { mode: 'enforce' } } });
    worker = await startWorker(c.workerConfig(), { ...c.names, logger: quiet, maxWaitMs: 20 });
    pub = await NatsEventBus.connect({
      servers: NATS_URL,
      stream: c.names.stream,
      subjectPrefix: c.names.subjectPrefix,
      slots: 4,
      onError: () => undefined,
    });
  }, 30_000);
  afterAll(async () => {
    await pub?.close();
    await worker?.stop();
    await c?.close();
  }, 30_000);

  it('a harvester flagged by the worker is blocked on every replica', async () => {
    await c.apps[0]!.tenancy.createOrg('harvest-org');
    const { key, secret } = await c.apps[0]!.tenancy.createKey({ org: 'harvest-org' });
    expect((await chat(c.apps[1]!.url, secret)).status).toBe(200);
    // the fixture's traffic, re-labelled as this key's (its own org and account)
    const events: RequestEvent[] = harvester('harv', 1, 1200).map((e) => ({
      ...e,
      keyId: key.id,
      orgId: key.orgId,
      accountId: key.accountId,
    }));
    for (const e of events) pub.publish(e);
    await pub.flush();
    await until(() => worker.stats().processed >= events.length, 20_000);
    await until(
      () => c.apps.every((a) => a.decisions.effective(key.id, key.orgId, Date.now())?.source === 'engine'),
      5_000,
    );
    const d = c.apps[1]!.decisions.effective(key.id, key.orgId, Date.now())!;
    expect(d).toMatchObject({ action: 'block', shadow: false, subject: { scope: 'key', id: key.id } });
    expect(d.reasons.length).toBeGreaterThan(0);
    expect((await chat(c.apps[1]!.url, secret)).status).toBe(403);
    // and it is in the shared store for replicas started later
    expect((await c.apps[0]!.store.decisions.list({ subject: { scope: 'key', id: key.id } }))[0]?.id).toBe(
      d.id,
    );
  });
});
