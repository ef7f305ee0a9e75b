/**
 * @module admin/context
 * What the admin plugin is given (`AdminOptions`) and small helpers its routes share.
 */
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { Config } from '../config/schema.js';
import type { EventBus, Topic } from '../events/bus.js';
import type { RequestEvent } from '../events/types.js';
import type { DecisionCache } from '../policy/decisions.js';
import type { Findings } from '../report/findings.js';
import type { Store } from '../store/types.js';
import type { KeyResolver } from '../tenancy/resolver.js';
import type { TenancyService } from '../tenancy/service.js';
import type { AccountsTable } from './accounts.js';
import { fromZod } from './errors.js';

/** Where detection results come from (the engine in `serve`, a findings file in `analyze --serve`). */
export interface FindingsSource {
  latest(): Findings | null;
  /** Announces new findings (admin SSE `event: findings`). */
  updates?: Topic<Findings>;
}

export interface AdminOptions {
  config: Config;
  store: Store;
  tenancy: TenancyService;
  resolver: KeyResolver;
  decisions: DecisionCache;
  bus: EventBus;
  metrics: Registry;
  findings?: FindingsSource;
  /** Receives ingested events instead of `bus.publish` (e.g. straight to the engine). */
  ingest?: (events: RequestEvent[]) => void;
  /** Heartbeat interval of `/admin/stream` (default 15 s). */
  heartbeatMs?: number;
}

export interface AdminContext extends AdminOptions {
  accounts: AccountsTable;
}

/** Validates `value` with `schema`; a failure is a 400 naming the bad parameter. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

/** `admin:<who>` from the optional `x-admin-user` header (free text, trimmed, 64 chars max). */
export function actorOf(headers: Record<string, unknown>): string {
  const who = headers['x-admin-user'];
  const name =
    typeof who === 'string'
      ? who
          .trim()
          .slice(0, 64)
          .replace(/[^\w.@-]/g, '_')
      : '';
  return `admin:${name || 'admin'}`;
}
