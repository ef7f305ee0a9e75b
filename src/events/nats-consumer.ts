/**
 * @module events/nats-consumer
 * The worker side of the JetStream bus: durable pull consumers, one per slot of the worker's
 * partition (`<durable>-s<slot>`, see nats-partitions.ts). A message is acknowledged after the
 * handler resolves and nak'ed (redelivered after `nakDelayMs`) when it throws; event ids already
 * processed are skipped (bounded recent-id set), so redelivery never double counts. Handler
 * calls are serialised across slots: the engine sees one batch at a time.
 */
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  nanos,
} from 'nats';
import { RecentIds, slotFilter, slotsOfPartition } from './nats-partitions.js';
import type { RequestEvent } from './types.js';

/** What a consumer needs from the bus. */
export interface ConsumerContext {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  subjectPrefix: string;
  slots: number;
  onError: (err: unknown, what: string) => void;
}

export interface ConsumeOptions {
  /** Durable name prefix; each slot's durable is `<durable>-s<slot>`. */
  durable?: string;
  /** This worker's partition: slots s with s mod count = index. */
  partition?: { index: number; count: number };
  /** Redelivery delay after an unacknowledged (or failed) message. */
  ackWaitMs?: number;
  /** Event ids remembered for idempotence. */
  recentIds?: number;
  /** Delay before a failed message is redelivered. */
  nakDelayMs?: number;
}

export const CONSUME_DEFAULTS = {
  durable: 'dg-worker',
  ackWaitMs: 30_000,
  recentIds: 100_000,
  nakDelayMs: 1000,
};

export interface BatchOptions {
  /** Events handed to the handler at once. */
  batchSize?: number;
  /** A partial batch is handed over after this long. */
  maxWaitMs?: number;
}

export const BATCH_DEFAULTS = { batchSize: 500, maxWaitMs: 100 };

export interface Consumption {
  /** Slots this worker consumes. */
  readonly slots: number[];
  stats(): { processed: number; skippedDuplicates: number; failed: number };
  stop(): Promise<void>;
}

/**
 * Consumes the events of a partition in batches of up to `batchSize` events (or what arrived
 * within `maxWaitMs`): the batch is acknowledged when `handler` resolves and redelivered when it
 * throws. A store writer uses it: while the database is down nothing is acknowledged, JetStream
 * keeps the events, and they are written when it is back (inserts are idempotent by event id).
 */
export async function consumeBatches(
  ctx: ConsumerContext,
  handler: (events: RequestEvent[]) => Promise<void>,
  opts: ConsumeOptions & BatchOptions = {},
): Promise<Consumption> {
  const o = { ...CONSUME_DEFAULTS, ...BATCH_DEFAULTS, ...opts };
  const part = opts.partition ?? { index: 0, count: 1 };
  const slots = slotsOfPartition(ctx.slots, part.index, part.count);
  const recent = new RecentIds(o.recentIds);
  const counts = { processed: 0, skippedDuplicates: 0, failed: 0 };
  const pending: JsMsg[] = [];
  let timer: NodeJS.Timeout | null = null;
  let serial: Promise<void> = Promise.resolve();

  const process = async (msgs: JsMsg[]): Promise<void> => {
    const fresh: Array<{ m: JsMsg; e: RequestEvent }> = [];
    const inBatch = new Set<string>();
    for (const m of msgs) {
      const e = m.json<RequestEvent>();
      if (recent.has(e.id) || inBatch.has(e.id)) {
        counts.skippedDuplicates++;
        m.ack();
      } else {
        inBatch.add(e.id);
        fresh.push({ m, e });
      }
    }
    if (fresh.length === 0) return;
    try {
      await handler(fresh.map((x) => x.e));
    } catch (err) {
      counts.failed += fresh.length;
      for (const x of fresh) x.m.nak(o.nakDelayMs);
      ctx.onError(err, `handler failed on ${fresh.length} event(s); redelivery in ${o.nakDelayMs} ms`);
      return;
    }
    for (const x of fresh) {
      recent.add(x.e.id);
      counts.processed++;
      x.m.ack();
    }
  };
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const msgs = pending.splice(0);
    if (msgs.length > 0) serial = serial.then(() => process(msgs));
    return serial;
  };
  const onMessage = async (m: JsMsg): Promise<void> => {
    pending.push(m);
    if (pending.length >= o.batchSize) await flush();
    else timer ??= setTimeout(() => void flush(), o.maxWaitMs);
  };

  const iterators: ConsumerMessages[] = [];
  for (const slot of slots) {
    const durable = `${o.durable}-s${slot}`;
    await ensureConsumer(ctx, durable, slotFilter(ctx.subjectPrefix, slot), o.ackWaitMs);
    const consumer = await ctx.js.consumers.get(ctx.stream, durable);
    const messages = await consumer.consume({ max_messages: Math.max(256, o.batchSize) });
    iterators.push(messages);
    void (async () => {
      for await (const m of messages) await onMessage(m);
    })().catch((err) => ctx.onError(err, `consumer ${durable}`));
  }
  const consumption: Consumption = {
    slots,
    stats: () => ({ ...counts }),
    stop: async () => {
      if (timer) clearTimeout(timer);
      // stop pulling; a handler still running is not awaited (its messages stay unacknowledged
      // and are redelivered after ack_wait, like a crash)
      for (const it of iterators) it.stop();
    },
  };
  return consumption;
}

async function ensureConsumer(
  ctx: ConsumerContext,
  durable: string,
  filter: string,
  ackWaitMs: number,
): Promise<void> {
  let exists = false;
  try {
    const info = await ctx.jsm.consumers.info(ctx.stream, durable);
    exists = true;
    if (info.config.ack_wait !== nanos(ackWaitMs)) {
      await ctx.jsm.consumers.update(ctx.stream, durable, { ack_wait: nanos(ackWaitMs) });
    }
  } catch (err) {
    if (exists) throw err;
    await ctx.jsm.consumers.add(ctx.stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ack_wait: nanos(ackWaitMs),
      max_ack_pending: 1000,
    });
  }
}
