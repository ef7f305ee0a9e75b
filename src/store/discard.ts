/**
 * @module store/discard
 * `discard:` — a Store whose events repository accepts and forgets every batch. In cluster mode
 * the gateway's event thread still builds each RequestEvent (feature extraction off the request
 * thread) but must not write it: the detection workers write events to PostgreSQL from the
 * JetStream stream, so that one writer owns each event and nothing is written twice or lost
 * while PostgreSQL is down. Every other repository refuses with `unavailable`.
 */
import type { RequestEvent } from '../events/types.js';
import { StoreError } from './errors.js';
import type { EventPage, EventsRepo, KeyUsage, Store } from './types.js';

export const DISCARD_URL = 'discard:';

class DiscardEvents implements EventsRepo {
  async insertBatch(events: readonly RequestEvent[]): Promise<number> {
    return new Set(events.map((e) => e.id)).size;
  }
  async query(): Promise<EventPage> {
    return { events: [], nextCursor: null };
  }
  async count(): Promise<number> {
    return 0;
  }
  async usage(): Promise<KeyUsage | null> {
    return null;
  }
  async usageAll(): Promise<KeyUsage[]> {
    return [];
  }
}

/** A repository stand-in whose every method rejects with `unavailable`. */
function refusing<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) =>
      prop === 'then' // not a thenable
        ? undefined
        : () =>
            Promise.reject(
              new StoreError('unavailable', `${name}.${String(prop)}: the discard store keeps nothing`),
            ),
  });
}

export function openDiscard(): Store {
  return {
    kind: 'sqlite',
    events: new DiscardEvents(),
    tenancy: refusing('tenancy'),
    decisions: refusing('decisions'),
    audit: refusing('audit'),
    findings: refusing('findings'),
    checkpoints: refusing('checkpoints'),
    async ping() {},
    async close() {},
  };
}
