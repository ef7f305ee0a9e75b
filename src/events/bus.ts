/**
 * @module events/bus
 * The event bus contract and its in-process default. Publishing never throws and never waits:
 * fan-out is synchronous, and one throwing subscriber affects neither the others nor the
 * publisher (its error goes to `onError`). The NATS JetStream bus (cluster mode) implements
 * the same `EventBus` interface. `Topic<T>` is the same pub/sub for other payloads
 * (decisions, findings updates).
 */
import type { RequestEvent } from './types.js';

export type Handler<T> = (value: T) => void;
export type Unsubscribe = () => void;

export interface EventBus {
  publish(event: RequestEvent): void;
  subscribe(handler: Handler<RequestEvent>): Unsubscribe;
  close(): Promise<void>;
}

export interface TopicOptions {
  /** Called with a subscriber's error; the default writes one line to stderr. */
  onError?: (err: unknown, topic: string) => void;
}

const defaultOnError = (err: unknown, topic: string) => {
  console.error(`[${topic}] subscriber failed: ${err instanceof Error ? err.message : String(err)}`);
};

/** A typed, synchronous, in-process pub/sub channel. */
export class Topic<T> {
  private handlers: ReadonlyArray<{ fn: Handler<T> }> = [];
  private closed = false;
  private readonly onError: (err: unknown, topic: string) => void;

  constructor(
    readonly name: string,
    opts: TopicOptions = {},
  ) {
    this.onError = opts.onError ?? defaultOnError;
  }

  get subscribers(): number {
    return this.handlers.length;
  }

  publish(value: T): void {
    if (this.closed) return;
    // Iterate a snapshot: a handler that unsubscribes (or subscribes) mid-publish changes the next publish only.
    for (const handler of this.handlers) {
      try {
        handler.fn(value);
      } catch (err) {
        try {
          this.onError(err, this.name);
        } catch {
          // An error reporter that throws must not reach the publisher either.
        }
      }
    }
  }

  subscribe(handler: Handler<T>): Unsubscribe {
    if (this.closed) return () => {};
    const entry = { fn: handler };
    this.handlers = [...this.handlers, entry];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== entry);
    };
  }

  close(): void {
    this.closed = true;
    this.handlers = [];
  }
}

/** The default bus: request events fanned out in-process. */
export class InProcessBus implements EventBus {
  private readonly topic: Topic<RequestEvent>;

  constructor(opts: TopicOptions = {}) {
    this.topic = new Topic<RequestEvent>('events', opts);
  }

  get subscribers(): number {
    return this.topic.subscribers;
  }

  publish(event: RequestEvent): void {
    this.topic.publish(event);
  }

  subscribe(handler: Handler<RequestEvent>): Unsubscribe {
    return this.topic.subscribe(handler);
  }

  async close(): Promise<void> {
    this.topic.close();
  }
}
