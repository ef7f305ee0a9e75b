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
  /**
   * Restart these slots' durables at the given stream sequence (slot → first sequence to
   * deliver), forgetting what they had acknowledged: a worker restored from a checkpoint replays
   * exactly what came after it. Slots not listed resume where their durable stopped.
   */
  startAt?: Readonly<Record<number, number>>;
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

/** Where a batch sits in the stream: per slot, the highest stream sequence it covers. */
export interface BatchMeta {
  positions: Record<number, number>;
}

export interface Consumption {
  /** Slots this worker consumes. */
  readonly slots: number[];
  stats(): { processed: number; skippedDuplicates: number; failed: number };
  /** Resolves once the handler call in progress (if any) has finished. */
  settled(): Promise<void>;
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
  handler: (events: RequestEvent[], meta: BatchMeta) => Promise<void>,
  opts: ConsumeOptions & BatchOptions = {},
): Promise<Consumption> {
  const o = { ...CONSUME_DEFAULTS, ...BATCH_DEFAULTS, ...opts };
  const part = opts.partition ?? { index: 0, count: 1 };
  const slots = slotsOfPartition(ctx.slots, part.index, part.count);
  const recent = new RecentIds(o.recentIds);
  const counts = { processed: 0, skippedDuplicates: 0, failed: 0 };
  const pending: Array<{ m: JsMsg; slot: number }> = [];
  let timer: NodeJS.Timeout | null = null;
  let serial: Promise<void> = Promise.resolve();

  const process = async (msgs: Array<{ m: JsMsg; slot: number }>): Promise<void> => {
    const fresh: Array<{ m: JsMsg; e: RequestEvent }> = [];
    const inBatch = new Set<string>();
    const positions: Record<number, number> = {};
    for (const { m, slot } of msgs) {
      positions[slot] = Math.max(positions[slot] ?? 0, m.seq);
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
      await handler(
        fresh.map((x) => x.e),
        { positions },
      );
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
  const onMessage = async (m: JsMsg, slot: number): Promise<void> => {
    pending.push({ m, slot });
    if (pending.length >= o.batchSize) await flush();
    else timer ??= setTimeout(() => void flush(), o.maxWaitMs);
  };

  const iterators: ConsumerMessages[] = [];
  for (const slot of slots) {
    const durable = `${o.durable}-s${slot}`;
    const filter = slotFilter(ctx.subjectPrefix, slot);
    const start = opts.startAt?.[slot];
    if (start !== undefined) await restartConsumer(ctx, durable, filter, o.ackWaitMs, start);
    else await ensureConsumer(ctx, durable, filter, o.ackWaitMs);
    const consumer = await ctx.js.consumers.get(ctx.stream, durable);
    const messages = await consumer.consume({ max_messages: Math.max(256, o.batchSize) });
    iterators.push(messages);
    void (async () => {
      for await (const m of messages) await onMessage(m, slot);
    })().catch((err) => ctx.onError(err, `consumer ${durable}`));
  }
  const consumption: Consumption = {
    slots,
    stats: () => ({ ...counts }),
    settled: () => serial,
    stop: async () => {
      if (timer) clearTimeout(timer);
      // stop pulling; a handler still running is not awaited (its messages stay unacknowledged
      // and are redelivered after ack_wait, like a crash)
      for (const it of iterators) it.stop();
    },
  };
  return consumption;
}

/** Re-creates a slot's durable so that it delivers from stream sequence `startSeq` on. */
async function restartConsumer(
  ctx: ConsumerContext,
  durable: string,
  filter: string,
  ackWaitMs: number,
  startSeq: number,
): Promise<void> {
  await ctx.jsm.consumers.delete(ctx.stream, durable).catch(() => undefined);
  await ctx.jsm.consumers.add(ctx.stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, startSeq),
    filter_subject: filter,
    ack_wait: nanos(ackWaitMs),
    max_ack_pending: 1000,
  });
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
