/**
 * @module worker/runner
 * `startWorker(config)`: one detection worker of a cluster (`distillguard worker`).
 *
 * It consumes its partition of the JetStream event stream (slots s with s mod partitions =
 * partition: every org's events reach exactly one worker, in order) through durable pull
 * consumers and, for each batch, in this order:
 *   1. writes the events to the store (PostgreSQL), idempotent by event id — retried with
 *      backoff while the store is down, holding the batch and its acknowledgements, so JetStream
 *      keeps everything after it and nothing is lost or reordered;
 *   2. ingests them into the detection engine (pure, in-process);
 *   3. acknowledges them (the consumer does, once this handler resolves).
 * Every `checkpoint_every` events, and on `stop()`, it saves the engine state with the stream
 * positions it covers (worker/checkpoint.ts), plus the partition's findings snapshot. A restarted
 * worker restores both and restarts its durables right after the saved positions: no event is
 * counted twice and none is skipped. Verdict changes become decisions (worker/decide.ts),
 * recorded in the store and announced to every gateway replica over the decision bridge.
 * With several partitions, per-key evidence digests feed the cross-partition linker
 * (worker/linkage.ts, worker/link-service.ts).
 */
import type { ConnectionOptions } from 'nats';
import type { Config } from '../config/schema.js';
import { type DeepPartial, type DetectConfig, Engine, ingestOrSkip } from '../detect/engine.js';
import type { VerdictChange } from '../detect/state.js';
import { type BatchMeta, type Consumption, NatsEventBus } from '../events/nats-bus.js';
import { slotsOfPartition } from '../events/nats-partitions.js';
import { bridgeTopic, type TopicBridge } from '../events/nats-topic.js';
import type { RequestEvent } from '../events/types.js';
import type { StateLogger } from '../limits/redis-resilient.js';
import { DecisionCache } from '../policy/decisions.js';
import { policyFromConfig } from '../policy/live.js';
import type { VerdictPolicy } from '../policy/verdict.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import {
  advance,
  CHECKPOINT_VERSION,
  checkpointId,
  findingsId,
  startPositions,
  usableCheckpoint,
  type WorkerCheckpoint,
} from './checkpoint.js';
import { decisionsFor } from './decide.js';
import { type LinkService, startLinkService } from './link-service.js';
import { DigestCollector, type LinkerOptions } from './linkage.js';
import { type ClusterNames, clusterNames, definedOnly } from './replica.js';

export interface WorkerOptions extends ClusterNames {
  logger?: StateLogger;
  /** Events per handler batch. */
  batchSize?: number;
  /** A partial batch is handled after this long (ms). */
  maxWaitMs?: number;
  /** Store retry backoff: first and longest delay (ms). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Redelivery delay of an unacknowledged message (ms). */
  ackWaitMs?: number;
  /** Wall clock (checkpoint times, decisions). */
  now?: () => number;
  /** Extra nats.js connection options (tests: reconnect timings). */
  natsConnection?: Partial<ConnectionOptions>;
  /** Cross-partition linkage round cadence (ms); only with more than one partition. */
  linkageEveryMs?: number;
  linker?: LinkerOptions;
}

export const WORKER_DEFAULTS = {
  batchSize: 500,
  maxWaitMs: 100,
  retryMinMs: 100,
  retryMaxMs: 2_000,
  ackWaitMs: 30_000,
  durable: 'dg-worker',
};

export interface WorkerStats {
  /** Events written and ingested by this process. */
  processed: number;
  /** Events the engine holds (checkpoint included). */
  engineEvents: number;
  checkpoints: number;
  storeRetries: number;
  decisions: number;
  /** Events the engine failed on (skipped and logged; they are stored all the same). */
  engineErrors: number;
  /** Slot → highest stream sequence ingested. */
  positions: Record<number, number>;
  /** Stream position the worker resumed from (null: started empty). */
  resumedFrom: Record<number, number> | null;
  /** Events the engine held when restored from the checkpoint. */
  resumedEvents: number;
}

export interface RunningWorker {
  readonly id: string;
  readonly slots: number[];
  readonly engine: Engine;
  readonly store: Store;
  stats(): WorkerStats;
  /** Saves the engine state and positions now. */
  checkpoint(): Promise<void>;
  /** Stops consuming, waits for the batch in progress, checkpoints, closes. */
  stop(): Promise<void>;
  /** Stops without a checkpoint, as a crash would (tests, benchmark). */
  kill(): Promise<void>;
  /** Cross-partition linkage (null with one partition): `round()` runs one now. */
  readonly links: LinkService | null;
}

const consoleLogger: StateLogger = { warn: (m) => console.warn(m), info: (m) => console.info(m) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startWorker(config: Config, opts: WorkerOptions = {}): Promise<RunningWorker> {
  if (!config.nats) throw new Error('distillguard worker needs `nats` in the config (cluster mode)');
  const o = { ...WORKER_DEFAULTS, ...opts };
  const names = { ...clusterNames(config.cluster.namespace), ...definedOnly(opts) };
  const logger = opts.logger ?? consoleLogger;
  const now = opts.now ?? Date.now;
  const { partition, partitions, checkpoint_every: every } = config.cluster.worker;
  const slotsTotal = config.cluster.event_slots;
  const id = checkpointId(partition, partitions);
  const slots = slotsOfPartition(slotsTotal, partition, partitions);

  const store = await openStore(config.db, { retentionDays: config.db_retention_days });
  const saved = await store.checkpoints.load<unknown>(id).catch(async (err) => {
    await store.close();
    throw err;
  });
  const restored = saved && usableCheckpoint(saved.data, slotsTotal) ? saved.data : null;
  const engine = restored
    ? Engine.fromJSON(restored.engine)
    : new Engine(config.detection as DeepPartial<DetectConfig>);
  let positions: Record<number, number> = { ...(restored?.positions ?? {}) };
  let engineEvents = restored?.events ?? 0;
  const counts = { processed: 0, checkpoints: 0, storeRetries: 0, decisions: 0, engineErrors: 0 };

  const bus = await NatsEventBus.connect({
    servers: config.nats,
    stream: names.stream,
    subjectPrefix: names.subjectPrefix,
    slots: slotsTotal,
    onError: (err, what) => logger.warn(`worker ${id}: ${what}: ${(err as Error).message ?? err}`),
    ...(opts.natsConnection ? { connection: opts.natsConnection } : {}),
  });
  const decisions = new DecisionCache(store.decisions, store.audit, {
    mode: config.policy.mode === 'enforce' ? 'enforce' : 'shadow',
    now,
  });
  const bridge: TopicBridge = bridgeTopic(bus.nc, decisions.updates, names.decisionsSubject, {
    idOf: (d) => d.id,
    onRemote: (d) => decisions.apply(d),
  });
  await decisions.load();

  // Verdict changes → decisions, recorded one at a time off the ingest path.
  const policy: VerdictPolicy = policyFromConfig(config.policy);
  let recording: Promise<void> = Promise.resolve();
  const onChange = (change: VerdictChange) => {
    recording = recording.then(async () => {
      const current = (s: { scope: 'key' | 'org'; id: string }) => decisions.current(s, now())?.action;
      for (const d of decisionsFor(change, policy, current)) {
        await decisions.record(d).catch((err) => logger.warn(`worker ${id}: decision failed: ${err}`));
        counts.decisions++;
      }
    });
  };
  engine.onChange(onChange);

  let stopping = false;
  let sinceCheckpoint = 0;
  const checkpoint = async (): Promise<void> => {
    const data: WorkerCheckpoint = {
      version: CHECKPOINT_VERSION,
      slots: slotsTotal,
      positions,
      events: engineEvents,
      engine: engine.toJSON(),
      takenAt: now(),
    };
    await store.checkpoints.save(id, data);
    await store.checkpoints.save(findingsId(partition, partitions), engine.findings());
    counts.checkpoints++;
    sinceCheckpoint = 0;
  };
  /** Writes a batch, retrying with backoff while the store is down (never while stopping). */
  const write = async (events: RequestEvent[]): Promise<void> => {
    let delay = o.retryMinMs;
    for (;;) {
      try {
        await store.events.insertBatch(events);
        return;
      } catch (err) {
        if (stopping) throw err;
        if (counts.storeRetries++ === 0 || delay === o.retryMaxMs)
          logger.warn(`worker ${id}: store write failed, retrying: ${(err as Error).message}`);
        await sleep(delay);
        delay = Math.min(o.retryMaxMs, delay * 2);
      }
    }
  };
  const collector = new DigestCollector(partition);
  const handle = async (events: RequestEvent[], meta: BatchMeta): Promise<void> => {
    await write(events);
    for (const e of events) {
      // An event the engine fails on is skipped, not retried: a redelivery would fail the same way
      // and hold up its slot for ever.
      const error = ingestOrSkip(engine, e);
      if (error !== null && (counts.engineErrors++ === 0 || counts.engineErrors % 1000 === 0))
        logger.warn(`worker ${id}: the engine failed on an event (${counts.engineErrors} so far): ${error}`);
      collector.add(e);
    }
    engineEvents += events.length;
    counts.processed += events.length;
    positions = advance(positions, meta.positions);
    sinceCheckpoint += events.length;
    if (sinceCheckpoint >= every) await checkpoint();
  };

  const links: LinkService | null =
    partitions > 1
      ? startLinkService({
          nc: bus.nc,
          subject: names.linkageSubject,
          collector,
          partitions,
          store,
          decisions,
          policy,
          logger,
          now,
          ...(opts.linkageEveryMs !== undefined ? { everyMs: opts.linkageEveryMs } : {}),
          ...(opts.linker ? { linker: opts.linker } : {}),
        })
      : null;
  const resumedFrom = restored ? { ...restored.positions } : null;
  const consumption: Consumption = await bus.consumeBatches(handle, {
    durable: o.durable,
    partition: { index: partition, count: partitions },
    startAt: startPositions(slots, restored),
    batchSize: o.batchSize,
    maxWaitMs: o.maxWaitMs,
    ackWaitMs: o.ackWaitMs,
  });
  logger.info(
    `worker ${id}: slots ${slots.join(',')}; ${restored ? `resumed at ${JSON.stringify(restored.positions)}` : 'started empty'}`,
  );

  let closed = false;
  const shutdown = async (save: boolean): Promise<void> => {
    if (closed) return;
    closed = true;
    stopping = true;
    await consumption.stop();
    await consumption.settled().catch(() => undefined);
    await recording;
    await links?.close();
    if (save) await checkpoint().catch((err) => logger.warn(`worker ${id}: final checkpoint failed: ${err}`));
    await bridge.close();
    await bus.close();
    await store.close();
  };

  return {
    id,
    slots,
    engine,
    store,
    stats: () => ({
      ...counts,
      engineEvents,
      positions: { ...positions },
      resumedFrom,
      resumedEvents: restored?.events ?? 0,
    }),
    checkpoint: async () => {
      await consumption.settled();
      await checkpoint();
    },
    links,
    stop: () => shutdown(true),
    kill: () => shutdown(false),
  };
}
