/**
 * @module events/nats-bus
 * `NatsEventBus`: the cluster-mode `EventBus` on NATS JetStream.
 *
 * Publishing (gateways) never blocks or throws: `publish` queues the event in memory and a
 * single pump sends it to the stream (`DG_EVENTS`) as JSON with `msgID = event.id`, so JetStream
 * drops duplicates inside the stream's duplicate window. While NATS is unreachable — or while
 * anything older is still spooled — events go to the disk spool (`spool.ts`) instead, and the
 * pump replays the spool in order when NATS is back, before anything newer. Order is kept
 * because there is one pump, and a replayed event that had in fact reached the stream is
 * dropped by the msgID de-duplication (and, past the window, by the consumer's id set).
 *
 * Subjects are `<prefix>.<slot>.<orgId>` (partitioning by org: nats-partitions.ts). Workers
 * consume through `consume` / `consumeBatches` (durable pull consumers: nats-consumer.ts).
 * `subscribe` fans out, synchronously, the events this process publishes (as InProcessBus),
 * so local subscribers (event writer, admin stream) keep working in cluster mode.
 */
import {
  type ConnectionOptions,
  connect,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  nanos,
  RetentionPolicy,
  StorageType,
} from 'nats';
import { Gauge, type Registry } from 'prom-client';
import { withDefaults } from '../config/defaults.js';
import { type EventBus, type Handler, Topic, type Unsubscribe } from './bus.js';
import {
  type BatchMeta,
  type BatchOptions,
  type ConsumeOptions,
  type Consumption,
  consumeBatches,
} from './nats-consumer.js';
import { subjectFor } from './nats-partitions.js';

export type { BatchMeta, BatchOptions, ConsumeOptions, Consumption } from './nats-consumer.js';

import { DiskSpool, type SpoolOptions, type SpoolStats } from './spool.js';
import type { RequestEvent } from './types.js';

export interface NatsBusOptions {
  /** nats://host:port (or several, comma-separated). */
  servers: string;
  stream?: string;
  /** Subject prefix: events go to `<prefix>.<slot>.<orgId>`. */
  subjectPrefix?: string;
  /** Org hash slots (fixed for the life of the stream). */
  slots?: number;
  /** Disk spool for outages; without one, events wait in memory only. */
  spool?: DiskSpool<RequestEvent> | null;
  /** Close the spool with the bus (set by `openNatsBus`, which opened it). */
  ownsSpool?: boolean;
  /** Events waiting in memory before new ones are counted as lost (and reported). */
  maxBuffered?: number;
  publishTimeoutMs?: number;
  /** Events per pipelined publish batch. */
  batchSize?: number;
  /** How long JetStream remembers msgIDs for de-duplication. */
  duplicateWindowMs?: number;
  /** Stream retention (max age of stored events). */
  maxAgeMs?: number;
  /** Retry cadence of the pump while events wait (spool not empty). */
  retryEveryMs?: number;
  /** Extra nats.js connection options (tests pass ignoreClusterUpdates, reconnect timings). */
  connection?: Partial<ConnectionOptions>;
  onError?: (err: unknown, what: string) => void;
}

export const NATS_BUS_DEFAULTS = {
  stream: 'DG_EVENTS',
  subjectPrefix: 'dg.events',
  slots: 16,
  maxBuffered: 100_000,
  publishTimeoutMs: 2000,
  batchSize: 256,
  duplicateWindowMs: 10 * 60_000,
  maxAgeMs: 7 * 24 * 3600_000,
  retryEveryMs: 500,
};

export interface NatsBusStats {
  connected: boolean;
  buffered: number;
  published: number;
  duplicates: number;
  spooled: number;
  replayed: number;
  lost: number;
  spool: SpoolStats | null;
}

/**
 * The bus as a replica sees it: `ok` (events reach the stream), `spooling` (NATS unreachable or
 * the spool still replaying: events wait on disk), `spool-full` (the spool refuses new events:
 * an alert; they wait in memory up to `maxBuffered`, then are counted as lost).
 */
export type BusState = 'ok' | 'spooling' | 'spool-full';

export class NatsEventBus implements EventBus {
  private readonly o: typeof NATS_BUS_DEFAULTS;
  private readonly local = new Topic<RequestEvent>('events');
  private readonly spool: DiskSpool<RequestEvent> | null;
  private readonly ownsSpool: boolean;
  private readonly encoder = new TextEncoder();
  private readonly onError: (err: unknown, what: string) => void;
  private buffer: RequestEvent[] = [];
  private connected = true;
  private pumping: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private replayFailing = false;
  private readonly counters = { published: 0, duplicates: 0, spooled: 0, replayed: 0, lost: 0 };
  private readonly consumptions = new Set<Consumption>();

  private constructor(
    readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    opts: NatsBusOptions,
  ) {
    this.o = withDefaults(NATS_BUS_DEFAULTS, opts);
    this.spool = opts.spool ?? null;
    this.ownsSpool = opts.ownsSpool ?? false;
    this.onError =
      opts.onError ??
      ((err, what) => console.error(`nats bus: ${what}: ${err instanceof Error ? err.message : err}`));
  }

  /** Connects, makes sure the stream exists, and starts watching the connection. */
  static async connect(opts: NatsBusOptions): Promise<NatsEventBus> {
    const nc = await connect({
      servers: opts.servers.split(',').map((s) => s.trim()),
      name: 'distillguard',
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      ...opts.connection,
    });
    const jsm = await nc.jetstreamManager();
    const bus = new NatsEventBus(nc, nc.jetstream(), jsm, opts);
    await bus.ensureStream();
    void bus.watch();
    bus.kick();
    return bus;
  }

  /** Subject of an event: `<prefix>.<slot>.<orgId>`. */
  subjectOf(orgId: string): string {
    return subjectFor(this.o.subjectPrefix, this.o.slots, orgId);
  }

  publish(event: RequestEvent): void {
    if (this.closed) return;
    this.local.publish(event);
    if (this.buffer.length >= this.o.maxBuffered) {
      this.counters.lost++;
      this.onError(new Error(`buffer full (${this.o.maxBuffered}); event ${event.id} lost`), 'publish');
      return;
    }
    this.buffer.push(event);
    this.kick();
  }

  subscribe(handler: Handler<RequestEvent>): Unsubscribe {
    return this.local.subscribe(handler);
  }

  stats(): NatsBusStats {
    return {
      connected: this.connected,
      buffered: this.buffer.length,
      ...this.counters,
      spool: this.spool?.stats() ?? null,
    };
  }

  state(): BusState {
    if (this.spool?.stats().full) return 'spool-full';
    if (!this.connected || !(this.spool?.isEmpty() ?? true)) return 'spooling';
    return 'ok';
  }

  /** Resolves once every event published so far has reached the stream or the spool. */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.pumping) {
      const before = this.buffer.length;
      this.kick();
      await this.pumping;
      if (before > 0 && this.buffer.length >= before) return; // no progress: spool full or no spool
    }
  }

  /** Resolves once nothing waits anywhere (memory or spool); rejects after `timeoutMs`. */
  async drained(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await this.flush();
      if (this.buffer.length === 0 && (this.spool?.isEmpty() ?? true)) return;
      if (Date.now() > until) throw new Error('nats bus: events still waiting');
      await new Promise((r) => setTimeout(r, 50));
      this.kick();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => undefined);
    this.closed = true;
    if (this.buffer.length > 0) {
      this.counters.lost += this.buffer.length;
      this.onError(new Error(`${this.buffer.length} event(s) still in memory at close`), 'close');
      this.buffer = [];
    }
    if (this.retryTimer) clearInterval(this.retryTimer);
    await Promise.all([...this.consumptions].map((c) => c.stop()));
    this.local.close();
    await this.nc.drain().catch(() => this.nc.close());
    if (this.ownsSpool) await this.spool?.close();
  }

  /**
   * Consumes the events of this worker's partition (see nats-consumer.ts), one event at a time.
   */
  consume(handler: (event: RequestEvent) => Promise<void>, opts: ConsumeOptions = {}): Promise<Consumption> {
    return this.consumeBatches((events) => handler(events[0]!), { ...opts, batchSize: 1 });
  }

  /** Consumes the events of this worker's partition in batches (see nats-consumer.ts). */
  async consumeBatches(
    handler: (events: RequestEvent[], meta: BatchMeta) => Promise<void>,
    opts: ConsumeOptions & BatchOptions = {},
  ): Promise<Consumption> {
    const c = await consumeBatches(
      {
        js: this.js,
        jsm: this.jsm,
        stream: this.o.stream,
        subjectPrefix: this.o.subjectPrefix,
        slots: this.o.slots,
        onError: this.onError,
      },
      handler,
      opts,
    );
    const tracked: Consumption = {
      slots: c.slots,
      stats: () => c.stats(),
      settled: () => c.settled(),
      stop: async () => {
        this.consumptions.delete(tracked);
        await c.stop();
      },
    };
    this.consumptions.add(tracked);
    return tracked;
  }

  private async ensureStream(): Promise<void> {
    const config = {
      name: this.o.stream,
      subjects: [`${this.o.subjectPrefix}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: nanos(this.o.duplicateWindowMs),
      max_age: nanos(this.o.maxAgeMs),
    };
    try {
      await this.jsm.streams.info(this.o.stream);
      await this.jsm.streams.update(this.o.stream, config);
    } catch {
      await this.jsm.streams.add(config);
    }
  }

  /** Follows the connection: NATS down → spool; back → replay. */
  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') this.connected = false;
      if (s.type === 'reconnect') {
        this.connected = true;
        this.kick();
      }
    }
  }

  private kick(): void {
    if (this.pumping || this.closed) return;
    let failed = false;
    this.pumping = this.pump()
      .catch((err) => {
        failed = true;
        this.onError(err, 'pump');
      })
      .finally(() => {
        this.pumping = null;
        if (!failed && this.buffer.length > 0) this.kick();
        else this.scheduleRetry();
      });
  }

  /** While anything waits (spool, or memory after a failure), retry on a timer. */
  private scheduleRetry(): void {
    const waiting = this.buffer.length > 0 || !(this.spool?.isEmpty() ?? true);
    if (waiting && !this.retryTimer && !this.closed) {
      this.retryTimer = setInterval(() => this.kick(), this.o.retryEveryMs);
      this.retryTimer.unref();
    } else if (!waiting && this.retryTimer) {
      clearInterval(this.retryTimer);
      this.retryTimer = null;
    }
  }

  /** One pass: replay the spool (if NATS is up), then send or spool what is in memory. */
  private async pump(): Promise<void> {
    if (this.spool && !this.spool.isEmpty() && this.connected) {
      await this.spool
        .drain(async (events) => {
          await this.send(events);
          this.counters.replayed += events.length;
        }, this.o.batchSize)
        .then(() => {
          this.replayFailing = false;
        })
        .catch((err) => {
          if (!this.replayFailing) this.onError(err, 'spool replay paused, will retry');
          this.replayFailing = true;
        });
    }
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.o.batchSize);
      const mustSpool = !this.connected || (this.spool !== null && !this.spool.isEmpty());
      if (mustSpool && this.spool) {
        await this.toSpool(batch);
        continue;
      }
      try {
        await this.send(batch);
      } catch (err) {
        if (!this.spool) {
          this.buffer.unshift(...batch);
          throw err;
        }
        await this.toSpool(batch);
      }
    }
  }

  /** Pipelined publishes of a batch, in order; rejects if any is not acknowledged. */
  private async send(events: RequestEvent[]): Promise<void> {
    const acks = await Promise.all(
      events.map((e) =>
        this.js.publish(this.subjectOf(e.orgId), this.encoder.encode(JSON.stringify(e)), {
          msgID: e.id,
          timeout: this.o.publishTimeoutMs,
        }),
      ),
    );
    for (const ack of acks) {
      if (ack.duplicate) this.counters.duplicates++;
      else this.counters.published++;
    }
  }

  private async toSpool(batch: RequestEvent[]): Promise<void> {
    const spool = this.spool;
    if (!spool) return;
    for (let i = 0; i < batch.length; i++) {
      try {
        await spool.append(batch[i]!);
        this.counters.spooled++;
      } catch (err) {
        // spool full: keep the rest in memory (bounded) and report; never drop silently
        this.buffer.unshift(...batch.slice(i));
        this.onError(err, 'spool append refused');
        throw err;
      }
    }
  }
}

/**
 * The gateway's cluster bus in one call: the disk spool in `spool.dir` plus the JetStream bus.
 * NATS must answer at start-up (the connection then survives outages by spooling).
 */
export async function openNatsBus(
  opts: Omit<NatsBusOptions, 'spool' | 'ownsSpool'> & { spool: SpoolOptions },
): Promise<NatsEventBus> {
  const spool = await DiskSpool.open<RequestEvent>(opts.spool);
  try {
    return await NatsEventBus.connect({ ...opts, spool, ownsSpool: true });
  } catch (err) {
    await spool.close();
    throw err;
  }
}

/** Registers the bus's figures (`distillguard_bus_*`, spool included) on a Prometheus registry. */
export function registerBusMetrics(registry: Registry, bus: NatsEventBus): void {
  const gauge = (name: string, help: string, read: (s: NatsBusStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(bus.stats()));
      },
    });
  const states: readonly BusState[] = ['ok', 'spooling', 'spool-full'];
  new Gauge({
    name: 'distillguard_bus_state',
    help: 'Event bus state: 1 for the current one (ok, spooling, spool-full)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const s of states) this.set({ state: s }, bus.state() === s ? 1 : 0);
    },
  });
  gauge('distillguard_bus_connected', 'NATS connection up (1) or down (0)', (s) => (s.connected ? 1 : 0));
  gauge('distillguard_bus_published_total', 'Events stored in the stream', (s) => s.published);
  gauge('distillguard_bus_duplicates_total', 'Publishes de-duplicated by JetStream', (s) => s.duplicates);
  gauge('distillguard_bus_spooled_total', 'Events written to the disk spool', (s) => s.spooled);
  gauge('distillguard_bus_replayed_total', 'Spooled events replayed to the stream', (s) => s.replayed);
  gauge('distillguard_bus_lost_total', 'Events lost (spool full and memory full)', (s) => s.lost);
  gauge('distillguard_bus_buffered', 'Events waiting in memory', (s) => s.buffered);
  gauge('distillguard_spool_entries', 'Events waiting in the disk spool', (s) => s.spool?.entries ?? 0);
  gauge('distillguard_spool_bytes', 'Bytes waiting in the disk spool', (s) => s.spool?.bytes ?? 0);
  gauge('distillguard_spool_full', 'Disk spool full (1): new events are refused', (s) =>
    s.spool?.full ? 1 : 0,
  );
}
