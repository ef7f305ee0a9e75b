import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../src/events/bus.js';
import type { RequestEvent } from '../../src/events/types.js';
import { type EventsRepo, EventWriter, openStore, type Store } from '../../src/store/index.js';
import { makeEvent } from './helpers.js';

let store: Store;
beforeAll(async () => {
  store = await openStore('sqlite::memory:');
});
afterAll(async () => {
  await store.close();
});

/** Wraps a repo: records batch sizes and fails the first `failures` calls. */
function recording(repo: EventsRepo, failures = 0) {
  const batches: number[] = [];
  let left = failures;
  const wrapped: EventsRepo = {
    ...repo,
    insertBatch: async (events: readonly RequestEvent[]) => {
      batches.push(events.length);
      if (left > 0) {
        left -= 1;
        throw new Error('disk on fire');
      }
      return repo.insertBatch(events);
    },
    query: (q) => repo.query(q),
    count: (f) => repo.count(f),
    usage: (k) => repo.usage(k),
    usageAll: (f) => repo.usageAll(f),
  };
  return { wrapped, batches };
}

describe('EventWriter', () => {
  it('writes in batches of batch_size from the bus', async () => {
    const { wrapped, batches } = recording(store.events);
    const bus = new InProcessBus();
    const writer = new EventWriter(wrapped, { batchSize: 10, flushMs: 60_000 }).attach(bus);
    for (let i = 0; i < 25; i++) bus.publish(makeEvent({ key: 'key_batch' }));
    expect(writer.pending).toBeGreaterThan(0);
    await writer.close();
    expect(batches).toEqual([10, 10, 5]);
    expect(await store.events.count({ keyId: 'key_batch' })).toBe(25);
    expect(writer.stats()).toMatchObject({ pending: 0, written: 25, batches: 3, failedBatches: 0 });
  });

  it('flushes on the timer without a full batch', async () => {
    const writer = new EventWriter(store.events, { batchSize: 1000, flushMs: 5 });
    writer.enqueue(makeEvent({ key: 'key_timer' }));
    await new Promise<void>((resolve) => {
      const poll = () => (writer.stats().written === 1 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(await store.events.count({ keyId: 'key_timer' })).toBe(1);
    await writer.close();
  });

  it('retries a failed batch and loses nothing', async () => {
    const { wrapped, batches } = recording(store.events, 3);
    const errors: number[] = [];
    const writer = new EventWriter(wrapped, {
      batchSize: 4,
      flushMs: 1,
      backoffMs: 1,
      onError: (_e, n) => errors.push(n),
    });
    const events = Array.from({ length: 10 }, () => makeEvent({ key: 'key_retry' }));
    for (const e of events) writer.enqueue(e);
    await writer.flush();
    expect(errors).toEqual([4, 4, 4]);
    expect(batches.length).toBeGreaterThanOrEqual(6);
    expect(await store.events.count({ keyId: 'key_retry' })).toBe(10);
    const page = await store.events.query({ keyId: 'key_retry', limit: 100, order: 'asc' });
    expect(new Set(page.events.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)));
    expect(writer.stats()).toMatchObject({ pending: 0, written: 10, failedBatches: 3 });
    await writer.close();
  });

  it('drains on close, then refuses new events and leaves the bus', async () => {
    const bus = new InProcessBus();
    const writer = new EventWriter(store.events, { batchSize: 500, flushMs: 60_000 }).attach(bus);
    for (let i = 0; i < 7; i++) bus.publish(makeEvent({ key: 'key_close' }));
    await writer.close();
    expect(await store.events.count({ keyId: 'key_close' })).toBe(7);
    expect(bus.subscribers).toBe(0);
    expect(writer.enqueue(makeEvent({ key: 'key_close' }))).toBe(false);
  });

  it('counts duplicate ids once', async () => {
    const writer = new EventWriter(store.events, { batchSize: 500, flushMs: 60_000 });
    const e = makeEvent({ key: 'key_dup' });
    writer.enqueue(e);
    writer.enqueue(e);
    await writer.close();
    expect(writer.stats()).toMatchObject({ written: 1, processed: 2 });
    expect((await store.events.usage('key_dup'))?.requests).toBe(1);
  });
});
