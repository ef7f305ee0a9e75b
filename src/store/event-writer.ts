/**
 * @module store/event-writer
 * Moves request events from the bus to the store off the request path. Events queue in
 * memory and are written in one transaction per batch, every `flushMs` or as soon as
 * `batchSize` events wait. A failed batch goes back to the head of the queue and is retried
 * with exponential backoff: an accepted event is never dropped, and `close()` drains the
 * queue before it resolves. Inserts are idempotent by event id, so a retry after a partial
 * failure cannot double-count.
 */
import type { EventBus, Unsubscribe } from '../events/bus.js';
import type { RequestEvent } from '../events/types.js';
import type { EventsRepo } from './types.js';

export interface EventWriterOptions {
  batchSize?: number;
  flushMs?: number;
  /** First retry delay after a failed batch; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Called once per failed batch (logging). */
  onError?: (err: unknown, batchSize: number) => void;
}

export const EVENT_WRITER_DEFAULTS: Required<Omit<EventWriterOptions, 'onError'>> = {
  batchSize: 500,
  flushMs: 100,
  backoffMs: 50,
  maxBackoffMs: 5_000,
};

export interface EventWriterStats {
  /** Events accepted and not yet written. */
  pending: number;
  /** Events written (new rows; duplicates by id are not counted). */
  written: number;
  /** Events handed to the store, duplicates included. */
  processed: number;
  batches: number;
  failedBatches: number;
}

export class EventWriter {
  private queue: RequestEvent[] = [];
  private readonly o: Required<Omit<EventWriterOptions, 'onError'>>;
  private readonly onError: (err: unknown, batchSize: number) => void;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private backoff = 0;
  private retryAt = 0;
  private closed = false;
  private unsubscribe: Unsubscribe | null = null;
  private readonly counters = { written: 0, processed: 0, batches: 0, failedBatches: 0 };

  constructor(
    private readonly repo: EventsRepo,
    opts: EventWriterOptions = {},
  ) {
    this.o = { ...EVENT_WRITER_DEFAULTS, ...stripUndefined(opts) };
    this.onError =
      opts.onError ??
      ((err, n) =>
        console.error(`event writer: batch of ${n} failed, will retry: ${(err as Error).message}`));
  }

  /** Subscribes to `bus`; returns `this` for chaining. */
  attach(bus: EventBus): this {
    this.unsubscribe?.();
    this.unsubscribe = bus.subscribe((e) => this.enqueue(e));
    return this;
  }

  /** Accepts one event (synchronous, never throws). After `close()` events are refused and counted nowhere. */
  enqueue(event: RequestEvent): boolean {
    if (this.closed) return false;
    this.queue.push(event);
    if (this.queue.length >= this.o.batchSize) this.kick(0);
    else this.kick(this.o.flushMs);
    return true;
  }

  get pending(): number {
    return this.queue.length;
  }

  stats(): EventWriterStats {
    return { pending: this.queue.length, ...this.counters };
  }

  /** Writes everything queued so far; resolves once the queue is empty (retrying failures). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.running) {
      if (this.running) {
        await this.running;
        continue;
      }
      const wait = this.retryAt - Date.now();
      if (wait > 0) await sleep(wait);
      await this.runOnce();
    }
  }

  /** Stops accepting events, detaches from the bus and drains the queue. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private kick(delayMs: number): void {
    if (this.running) return;
    const due = Math.max(delayMs, this.retryAt - Date.now());
    if (this.timer) {
      if (due > 0) return; // a flush is already scheduled
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().then(() => {
        if (this.queue.length > 0 && !this.closed)
          this.kick(this.queue.length >= this.o.batchSize ? 0 : this.o.flushMs);
      });
    }, due);
    this.timer.unref?.();
  }

  private runOnce(): Promise<void> {
    if (this.running) return this.running;
    if (this.queue.length === 0) return Promise.resolve();
    const batch = this.queue.slice(0, this.o.batchSize);
    this.queue = this.queue.slice(batch.length);
    this.running = this.write(batch).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async write(batch: RequestEvent[]): Promise<void> {
    try {
      const inserted = await this.repo.insertBatch(batch);
      this.counters.written += inserted;
      this.counters.processed += batch.length;
      this.counters.batches += 1;
      this.backoff = 0;
      this.retryAt = 0;
    } catch (err) {
      this.counters.failedBatches += 1;
      this.queue = [...batch, ...this.queue];
      this.backoff = this.backoff === 0 ? this.o.backoffMs : Math.min(this.backoff * 2, this.o.maxBackoffMs);
      this.retryAt = Date.now() + this.backoff;
      try {
        this.onError(err, batch.length);
      } catch {
        // logging must not break the writer
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
