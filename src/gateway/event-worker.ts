/**
 * @module gateway/event-worker
 * The event worker thread (started by `WorkerEventSink`). It builds each request's RequestEvent
 * with the shared feature extractor, queues it on its own EventWriter (own store connection;
 * SQLite in WAL mode takes a second connection fine) and, when the main thread asks for them,
 * sends the events back for the bus as one JSON text per batch (serialized once: the SQLite
 * store reuses the same text for its `data` column).
 * `flush` and `close` answer once everything received before them is written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventWriter } from '../store/event-writer.js';
import { openStore } from '../store/open.js';
import { rememberJson } from '../store/repos/sqlite-events.js';
import { buildEvent } from './event.js';
import type { EventWorkerData, FromWorker, ToWorker } from './sink.js';

const port = parentPort;
if (port === null) throw new Error('event-worker must run in a worker thread');
const data = workerData as EventWorkerData;
const send = (msg: FromWorker) => port.postMessage(msg);

const store = await openStore(data.db);
const writer = new EventWriter(store.events, {
  batchSize: data.batchSize,
  flushMs: data.flushMs,
  onError: (err, n) =>
    send({ type: 'error', message: `event batch of ${n} failed, retrying: ${(err as Error).message}` }),
});

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'records') {
    // Events going back are serialized once: the same JSON is the store's `data` column.
    const json: string[] | null = msg.publish ? [] : null;
    for (const record of msg.records) {
      try {
        const event = buildEvent(record);
        if (json !== null) {
          const text = JSON.stringify(event);
          rememberJson(event, text);
          json.push(text);
        }
        writer.enqueue(event);
      } catch (err) {
        send({
          type: 'error',
          message: `could not build the event of ${record.id}: ${(err as Error).message}`,
        });
      }
    }
    send({ type: 'events', count: msg.records.length, json: json === null ? null : `[${json.join(',')}]` });
    return;
  }
  const id = msg.id;
  const done = msg.type === 'flush' ? writer.flush() : writer.close().then(() => store.close());
  done.then(
    () => send({ type: 'done', id }),
    (err: unknown) => {
      send({ type: 'error', message: `event worker ${msg.type} failed: ${(err as Error).message}` });
      send({ type: 'done', id });
    },
  );
});
