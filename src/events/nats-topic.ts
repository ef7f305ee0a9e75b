/**
 * @module events/nats-topic
 * Joins an in-process `Topic<T>` across processes over core NATS pub/sub: decisions reach every
 * gateway replica this way.
 */
import type { NatsConnection } from 'nats';
import type { Topic } from './bus.js';
import { RecentIds } from './nats-partitions.js';

export interface TopicBridgeOptions<T> {
  /** Stable id of a value (de-duplication and echo suppression). */
  idOf: (value: T) => string;
  /** Called for each value from another process, before it is re-published locally. */
  onRemote?: (value: T) => void;
  /** Called after a reconnect, to catch up on what was missed (e.g. `cache.load()`). */
  onReconnect?: () => void;
  /** Ids remembered for echo suppression. */
  recentIds?: number;
}

export interface TopicBridge {
  close(): Promise<void>;
}

/**
 * Joins an in-process `Topic<T>` across processes over core NATS pub/sub (subject `subject`):
 * values published locally go to every other process, and values from other processes are
 * handed to `onRemote` and re-published on the local topic (admin SSE sees them), never sent
 * back. Decisions use it (`bridgeTopic(nc, cache.updates, 'dg.decisions', { idOf: (d) => d.id,
 * onRemote: (d) => cache.apply(d), onReconnect: () => void cache.load() })`): a decision reaches
 * every replica in milliseconds, and a replica that was down catches up from the store
 * (`load()` at start, and again after each reconnect). Subscribe before the first `load()`.
 */
export function bridgeTopic<T>(
  nc: NatsConnection,
  topic: Topic<T>,
  subject: string,
  opts: TopicBridgeOptions<T>,
): TopicBridge {
  const origin = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const remote = new RecentIds(opts.recentIds ?? 10_000);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const sub = nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) return;
      const envelope = JSON.parse(decoder.decode(msg.data)) as { origin: string; value: T };
      if (envelope.origin === origin) return;
      const id = opts.idOf(envelope.value);
      if (remote.has(id)) return;
      remote.add(id);
      opts.onRemote?.(envelope.value);
      topic.publish(envelope.value);
    },
  });
  const unsubscribe = topic.subscribe((value) => {
    if (remote.has(opts.idOf(value)) || nc.isClosed()) return;
    nc.publish(subject, encoder.encode(JSON.stringify({ origin, value })));
  });
  let watching = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (!watching) break;
      if (s.type === 'reconnect') opts.onReconnect?.();
    }
  })();
  return {
    async close() {
      watching = false;
      unsubscribe();
      sub.unsubscribe();
    },
  };
}
