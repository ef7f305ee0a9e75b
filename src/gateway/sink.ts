/**
 * @module gateway/sink
 * Where finished requests go. An `EventSink` takes an `EventRecord` and, off the request path,
 * turns it into a RequestEvent and publishes it on the bus.
 * - `InlineEventSink`: builds the event on the request thread, after the reply (tests, tools).
 * - `WorkerEventSink`: a worker thread builds the events (feature extraction) AND writes them to
 *   the store with its own EventWriter and store connection, then hands each event back to be
 *   published on the bus (detection, admin stream). The request thread only serializes a small
 *   record and copies its bytes per request, so neither feature extraction nor SQLite batches stall answers. If the
 *   worker dies, the sink falls back to inline building and the main event writer stores them.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RequestEvent } from '../events/types.js';
import { buildEvent, type EventRecord } from './event.js';
import type { EventPublisher } from './types.js';

export interface EventSink {
  record(record: EventRecord): void;
}

/** Builds events on this thread (the gateway calls sinks after the reply, in a setImmediate). */
export class InlineEventSink implements EventSink {
  constructor(
    private readonly bus: EventPublisher,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  record(record: EventRecord): void {
    try {
      this.bus.publish(buildEvent(record));
    } catch (err) {
      this.onError(err);
    }
  }
}

/** What the worker needs to open its own store and writer. */
export interface EventWorkerData {
  db: string;
  batchSize: number;
  flushMs: number;
}

/** Messages from the request thread to the worker. */
export type ToWorker =
  | {
      type: 'records';
      /**
       * The records of one tick as one JSON array, their `raw` and `result` nulled: a string
       * crosses to the worker as one copy, cheaper to make and to read than a structured clone
       * of each record.
       */
      json: string;
      /** The records' request and answer bytes, back to back (transferred, not copied). */
      bytes: ArrayBuffer;
      /** Per record: `raw` length then `result` length in `bytes`, in order (-1: null). */
      spans: number[];
      /** Send the built events back (someone besides the store consumes the bus). */
      publish: boolean;
    }
  | { type: 'flush' | 'close'; id: number };
/** Messages from the worker back. */
export type FromWorker =
  /** The built events of one `records` message, as one JSON array (sent only when asked for). */
  { type: 'events'; json: string } | { type: 'done'; id: number } | { type: 'error'; message: string };

export interface WorkerSinkOptions extends EventWorkerData {
  /** Publishes an event the worker already stored (the caller keeps it from being stored twice). */
  publishStored: (event: RequestEvent) => void;
  /** Publishes an event built inline after a worker failure (to be stored by the main writer). */
  publish: (event: RequestEvent) => void;
  /**
   * Whether stored events must still be published (the bus has consumers besides the store);
   * asked once per batch. Default: always. When false, the worker stores the events and sends
   * nothing back, which saves serializing every event twice.
   */
  needed?: () => boolean;
  onError?: (message: string) => void;
  /**
   * Records are posted to the worker together, at most this long after the first of them
   * (default 10 ms): each message costs a cross-thread wake-up on both sides, tens of µs on a
   * busy machine, so one message per event-loop tick was a large share of the request thread's
   * time. `flush()` and `close()` post at once.
   */
  postEveryMs?: number;
  /** ... or as soon as this many records wait (default 512). */
  postAt?: number;
}

export const WORKER_SINK_DEFAULTS = { postEveryMs: 10, postAt: 512 };

export class WorkerEventSink implements EventSink {
  private readonly worker: Worker;
  private readonly fallback: InlineEventSink;
  private readonly waiting = new Map<number, () => void>();
  private nextId = 1;
  private dead = false;
  /** Records not posted yet: they go together, at most `postEveryMs` after the first of them. */
  private batch: EventRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly postEveryMs: number;
  private readonly postAt: number;

  constructor(private readonly opts: WorkerSinkOptions) {
    this.postEveryMs = opts.postEveryMs ?? WORKER_SINK_DEFAULTS.postEveryMs;
    this.postAt = opts.postAt ?? WORKER_SINK_DEFAULTS.postAt;
    this.fallback = new InlineEventSink({ publish: opts.publish });
    this.worker = startWorker({ db: opts.db, batchSize: opts.batchSize, flushMs: opts.flushMs });
    this.worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    this.worker.on('error', (err) => this.die(`event worker failed: ${err.message}`));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.die(`event worker exited with code ${code}`);
      else this.dead = true;
      for (const resolve of this.waiting.values()) resolve();
      this.waiting.clear();
    });
  }

  record(record: EventRecord): void {
    if (this.dead) {
      this.fallback.record(record);
      return;
    }
    this.batch.push(record);
    if (this.batch.length >= this.postAt) this.post();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.post(), this.postEveryMs);
      this.timer.unref();
    }
  }

  private post(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.batch.length === 0) return;
    const records = this.batch;
    this.batch = [];
    if (this.dead) {
      for (const r of records) this.fallback.record(r);
      return;
    }
    const publish = this.opts.needed?.() ?? true;
    const { bytes, spans } = packBytes(records);
    const json = JSON.stringify(records);
    this.worker.postMessage({ type: 'records', json, bytes, spans, publish } satisfies ToWorker, [bytes]);
  }

  /** Resolves once every record sent so far is stored and published. */
  flush(): Promise<void> {
    return this.call('flush');
  }

  /** Drains the worker (its writer flushes, its store closes) and stops it. */
  async close(): Promise<void> {
    await this.call('close');
    this.dead = true;
    await this.worker.terminate();
  }

  private call(type: 'flush' | 'close'): Promise<void> {
    this.post();
    if (this.dead) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ type, id } satisfies ToWorker);
    });
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type === 'events') {
      for (const event of JSON.parse(msg.json) as RequestEvent[]) this.opts.publishStored(event);
    } else if (msg.type === 'done') {
      this.waiting.get(msg.id)?.();
      this.waiting.delete(msg.id);
    } else this.opts.onError?.(msg.message);
  }

  private die(message: string): void {
    if (this.dead) return;
    this.dead = true;
    this.opts.onError?.(`${message}; building events inline from now on`);
  }
}

/**
 * Copies the byte arrays of the records (request bodies, answers) into one new buffer, to be
 * moved to the worker, not copied: one copy and one allocation per batch (a small Buffer's
 * structured clone would copy its whole shared 8 KiB pool). The records (the sink's own
 * objects) lose their bytes; `spans` gives each one's lengths, for `unpackRecords`.
 */
function packBytes(records: EventRecord[]): { bytes: ArrayBuffer; spans: number[] } {
  let total = 0;
  for (const r of records) total += (r.raw?.byteLength ?? 0) + (r.result?.byteLength ?? 0);
  const packed = new Uint8Array(total);
  const spans: number[] = new Array(records.length * 2);
  let at = 0;
  const place = (bytes: Uint8Array | null): number => {
    if (bytes === null) return -1;
    packed.set(bytes, at);
    at += bytes.byteLength;
    return bytes.byteLength;
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    spans[2 * i] = place(r.raw);
    spans[2 * i + 1] = place(r.result);
    r.raw = null;
    r.result = null;
  }
  return { bytes: packed.buffer, spans };
}

/** The worker's side of `packBytes`: the records of a `records` message, bytes restored as views. */
export function unpackRecords(msg: { json: string; bytes: ArrayBuffer; spans: number[] }): EventRecord[] {
  const records = JSON.parse(msg.json) as EventRecord[];
  let at = 0;
  const view = (length: number): Uint8Array | null => {
    if (length < 0) return null;
    const bytes = new Uint8Array(msg.bytes, at, length);
    at += length;
    return bytes;
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    r.raw = view(msg.spans[2 * i]!);
    r.result = view(msg.spans[2 * i + 1]!);
  }
  return records;
}

/**
 * Starts `event-worker.js` next to this module. Under tsx/vitest the sources are TypeScript:
 * the worker then registers tsx's loader before importing `event-worker.ts`.
 */
function startWorker(data: EventWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./event-worker.js', here), { workerData: data });
  const entry = new URL('./event-worker.ts', here).href;
  const api = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}
