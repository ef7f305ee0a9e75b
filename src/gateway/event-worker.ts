/**
 * @module gateway/event-worker
 * The event worker thread (started by `WorkerEventSink`). It reads the records of a tick (one
 * JSON text and one transferred byte buffer), builds each request's RequestEvent with the shared
 * feature extractor, queues it on its own EventWriter (own store connection; SQLite in WAL mode
 * takes a second connection fine) and, when the main thread asks for them, sends the events
 * back for the bus as one JSON text per batch.
 * `flush` and `close` answer once everything received before them is written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventWriter } from '../store/event-writer.js';
import { openStore } from '../store/open.js';
import { buildEvent } from './event.js';
import { type EventWorkerData, type FromWorker, type ToWorker, unpackRecords } from './sink.js';

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
    const json: string[] | null = msg.publish ? [] : null;
    const records = unpackRecords(msg);
    for (const record of records) {
      try {
        const event = buildEvent(record);
        if (json !== null) {
          json.push(JSON.stringify(event));
        }
        writer.enqueue(event);
      } catch (err) {
        send({
          type: 'error',
          message: `could not build the event of ${record.id}: ${(err as Error).message}`,
        });
      }
    }
    // Nothing goes back unless asked: a message would wake the request thread for nothing.
    if (json !== null) send({ type: 'events', json: `[${json.join(',')}]` });
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
