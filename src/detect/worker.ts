/**
 * @module detect/worker
 * Runs the engine on a worker thread so the live gateway never pays for detection on its event
 * loop. `post` batches events (flushed every 256 events or on the next macrotask) to keep
 * message overhead low; `findings()` evaluates in the worker and resolves with the snapshot.
 * Under tsx/vitest the worker loads this `.ts` file through tsx's loader; compiled, the `.js` file.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread, type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import type { RequestEvent } from '../events/types.js';
import type { Findings } from '../report/findings.js';
import type { DeepPartial, DetectConfig } from './config.js';
import { Engine, ingestOrSkip, type VerdictChange } from './engine.js';

type ToWorker =
  | { type: 'events'; events: RequestEvent[] }
  | { type: 'findings'; id: number }
  | { type: 'checkpointJson'; id: number };
type FromWorker =
  | { type: 'change'; change: VerdictChange }
  | { type: 'findings'; id: number; findings: Findings }
  | { type: 'checkpointJson'; id: number; state: string }
  | { type: 'error'; id?: number; message: string };

export interface DetectionWorker {
  post(event: RequestEvent): void;
  findings(): Promise<Findings>;
  /** The engine state (`Engine.toJSON()`) as JSON, serialized on the worker thread (a large state
   * costs this thread nothing). */
  checkpointJson(): Promise<string>;
  onChange(cb: (c: VerdictChange) => void): () => void;
  close(): Promise<void>;
}

export interface WorkerOptions {
  /** Restore from a checkpoint (Engine.toJSON()) instead of starting empty. */
  checkpoint?: unknown;
  /** Events per message. */
  batch?: number;
  /** Told of errors not tied to a request (events the engine failed on). */
  onError?: (message: string) => void;
}

const BATCH = 256;

/**
 * Starts this module as a worker. Compiled, it loads the `.js` file directly. Under tsx/vitest the
 * `.ts` file needs tsx's loader in the worker: `execArgv: ['--import', 'tsx']` does not register
 * it for a worker's entry module on Node 20 (ERR_UNKNOWN_FILE_EXTENSION), so a tiny bootstrap
 * registers tsx's ESM API first and then imports the entry.
 */
function spawn(data: unknown): Worker {
  const url = new URL(import.meta.url);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: data });
  // The CommonJS entry of tsx/esm/api sits next to its ESM twin (index.cjs → index.mjs).
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}

export function startDetectionWorker(
  config: DeepPartial<DetectConfig> = {},
  opts: WorkerOptions = {},
): DetectionWorker {
  const worker = spawn({ config, checkpoint: opts.checkpoint ?? null });
  const listeners = new Set<(c: VerdictChange) => void>();
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let buffer: RequestEvent[] = [];
  let timer: NodeJS.Immediate | null = null;
  let closed = false;
  const size = opts.batch ?? BATCH;

  const flush = () => {
    if (timer) clearImmediate(timer);
    timer = null;
    if (buffer.length === 0 || closed) return;
    worker.postMessage({ type: 'events', events: buffer } satisfies ToWorker);
    buffer = [];
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'change') for (const l of listeners) l(m.change);
    else if (m.type === 'error') {
      const p = m.id !== undefined ? pending.get(m.id) : undefined;
      if (p && m.id !== undefined) {
        pending.delete(m.id);
        p.reject(new Error(m.message));
      } else if (m.id === undefined) opts.onError?.(m.message);
    } else {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      p.resolve((m.type === 'findings' ? m.findings : m.state) as never);
    }
  });
  worker.on('error', (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  const request = <T>(type: 'findings' | 'checkpointJson') =>
    new Promise<T>((resolve, reject) => {
      if (closed) return reject(new Error('detection worker closed'));
      flush();
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: never) => void, reject });
      worker.postMessage({ type, id } satisfies ToWorker);
    });
  return {
    post(event) {
      if (closed) return;
      buffer.push(event);
      if (buffer.length >= size) flush();
      else if (!timer) timer = setImmediate(flush);
    },
    findings: () => request<Findings>('findings'),
    checkpointJson: () => request<string>('checkpointJson'),
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async close() {
      if (closed) return;
      flush();
      closed = true;
      for (const p of pending.values()) p.reject(new Error('detection worker closed'));
      pending.clear();
      await worker.terminate();
    },
  };
}

/**
 * Ingests a batch event by event: an event the engine fails on is skipped and reported (with how
 * many of the batch failed), and never costs the batch's other events (`ingestOrSkip`).
 */
function ingestEach(engine: Engine, events: readonly RequestEvent[], port: MessagePort): void {
  let failed = 0;
  let first: string | null = null;
  for (const e of events) {
    const error = ingestOrSkip(engine, e);
    if (error !== null && failed++ === 0) first = error;
  }
  if (failed > 0)
    port.postMessage({
      type: 'error',
      message: `${failed} of ${events.length} events failed in the engine and were skipped; the first: ${first}`,
    } satisfies FromWorker);
}

function runWorker(): void {
  const port = parentPort!;
  const data = workerData as { config: DeepPartial<DetectConfig>; checkpoint: unknown };
  const engine = data.checkpoint ? Engine.fromJSON(data.checkpoint) : new Engine(data.config);
  engine.onChange((change) => port.postMessage({ type: 'change', change } satisfies FromWorker));
  port.on('message', (m: ToWorker) => {
    try {
      if (m.type === 'events') ingestEach(engine, m.events, port);
      else if (m.type === 'findings')
        port.postMessage({ type: 'findings', id: m.id, findings: engine.findings() } satisfies FromWorker);
      else
        port.postMessage({
          type: 'checkpointJson',
          id: m.id,
          state: JSON.stringify(engine.toJSON()),
        } satisfies FromWorker);
    } catch (err) {
      port.postMessage({
        type: 'error',
        id: 'id' in m ? m.id : undefined,
        message: (err as Error).message,
      } satisfies FromWorker);
    }
  });
}

if (!isMainThread && (workerData as { config?: unknown } | null)?.config !== undefined && parentPort)
  runWorker();
