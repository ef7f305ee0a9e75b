/**
 * @module worker/replica
 * The cluster-mode parts of a gateway replica, assembled from the config: the resilient Redis
 * limits store (`redis`), the JetStream event bus with its disk spool (`nats`), the decision
 * bridge joining every replica's decision cache over core NATS, their `/readyz` components and
 * `/metrics`, and one log line per state change. `startApp` uses it; with neither `redis` nor
 * `nats` set it returns empty parts and the process stays single-node.
 *
 * Who writes events in cluster mode: the detection workers (`distillguard worker`). A replica
 * builds each RequestEvent and publishes it to JetStream (spooling to disk while NATS is down);
 * it never writes events to the store itself. See docs/deployment.md.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectionOptions } from 'nats';
import type { Registry } from 'prom-client';
import type { FindingsSource } from '../admin/context.js';
import type { ComponentState } from '../admin/health.js';
import type { Config } from '../config/schema.js';
import { type BusState, type NatsEventBus, openNatsBus, registerBusMetrics } from '../events/nats-bus.js';
import { bridgeTopic, type TopicBridge } from '../events/nats-topic.js';
import {
  LIMITS_ERR_UNAVAILABLE,
  type LimitsState,
  openRedisLimits,
  type ResilientLimitsStore,
  registerLimitsMetrics,
  type StateLogger,
} from '../limits/redis-resilient.js';
import type { DecisionCache } from '../policy/decisions.js';
import type { Store } from '../store/types.js';
import { StoreFindings } from './findings.js';

/** Names the cluster shares; tests isolate runs by changing them. */
export interface ClusterNames {
  /** JetStream stream of RequestEvents. */
  stream?: string;
  /** Event subjects: `<prefix>.<slot>.<orgId>`. */
  subjectPrefix?: string;
  /** Core NATS subject of the decision bridge. */
  decisionsSubject?: string;
  /** Core NATS subject of the workers' linkage digests. */
  linkageSubject?: string;
  /** Redis key prefix of the limits store. */
  redisPrefix?: string;
}

/** The shared names of `cluster.namespace` (default `dg`: DG_EVENTS, dg.events, dg.decisions, dg.linkage, dg). */
export function clusterNames(namespace = 'dg'): Required<ClusterNames> {
  return {
    stream: `${namespace.toUpperCase()}_EVENTS`,
    subjectPrefix: `${namespace}.events`,
    decisionsSubject: `${namespace}.decisions`,
    linkageSubject: `${namespace}.linkage`,
    redisPrefix: namespace,
  };
}

export const CLUSTER_NAMES: Required<ClusterNames> = clusterNames();

export interface ReplicaOptions extends ClusterNames {
  logger?: StateLogger;
  /** How often the bus state is checked for a change to log (ms). */
  watchEveryMs?: number;
  /** Redis reconnect probe cadence while degraded (ms). */
  probeEveryMs?: number;
  /** Extra nats.js connection options (tests: reconnect timings). */
  natsConnection?: Partial<ConnectionOptions>;
}

export const REPLICA_DEFAULTS = { watchEveryMs: 1000 };

export interface ReplicaParts {
  /** The shared limits store (null without `redis`). */
  limits: ResilientLimitsStore | null;
  /** The JetStream bus (null without `nats`). */
  bus: NatsEventBus | null;
  /** Joins the decision cache to every other replica; call before `cache.load()`. */
  bridgeDecisions(cache: DecisionCache): void;
  registerMetrics(registry: Registry): void;
  /** `/readyz` components. */
  components(): Record<string, ComponentState>;
  /** `/readyz` details: the limits and bus states by name, and the spool figures. */
  details(): Record<string, unknown>;
  /**
   * Fastify `onSend` hook: while failing closed, a gateway answer that failed with a 500
   * because the limits store refused (`LimitsUnavailableError`) becomes OpenAI-shaped
   * `503 limits_unavailable` with `Retry-After: 1`.
   */
  failClosedHook(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown>;
  /** With `nats`: the admin API's findings, merged from the workers' snapshots in the store. */
  findingsSource(store: Store): FindingsSource | null;
  /** Stops the bridge and the watcher (the app closes limits and bus itself). */
  close(): Promise<void>;
}

/** OpenAI's error shape for a refused request while the limits store is unreachable. */
export const LIMITS_UNAVAILABLE_BODY = {
  error: {
    message: 'Rate limits are temporarily unavailable; retry shortly.',
    type: 'server_error',
    param: null,
    code: LIMITS_ERR_UNAVAILABLE,
  },
};

const consoleLogger: StateLogger = {
  warn: (msg) => console.warn(msg),
  info: (msg) => console.info(msg),
};

export const limitsComponent = (s: LimitsState): ComponentState => (s === 'ok' ? 'ok' : 'degraded');
/** A full spool means new events cannot be kept: the replica is not ready to take traffic. */
export const busComponent = (s: BusState): ComponentState =>
  s === 'ok' ? 'ok' : s === 'spooling' ? 'degraded' : 'down';

/** Logs an error once per distinct `what` until `reset()` (a pump retrying every 500 ms stays quiet). */
export function onceLogger(logger: StateLogger): { log(err: unknown, what: string): void; reset(): void } {
  const seen = new Set<string>();
  return {
    log(err, what) {
      if (seen.has(what)) return;
      seen.add(what);
      logger.warn(`nats bus: ${what}: ${err instanceof Error ? err.message : String(err)}`);
    },
    reset: () => seen.clear(),
  };
}

export async function openReplicaParts(config: Config, opts: ReplicaOptions = {}): Promise<ReplicaParts> {
  const names = { ...clusterNames(config.cluster.namespace), ...definedOnly(opts) };
  const logger = opts.logger ?? consoleLogger;
  const limits = config.redis
    ? await openRedisLimits({
        url: config.redis,
        prefix: names.redisPrefix,
        mode: config.cluster.limits_degraded,
        replicas: config.cluster.replicas,
        logger,
        ...(opts.probeEveryMs !== undefined ? { probeEveryMs: opts.probeEveryMs } : {}),
      })
    : null;
  const errors = onceLogger(logger);
  let bus: NatsEventBus | null = null;
  try {
    bus = config.nats
      ? await openNatsBus({
          servers: config.nats,
          stream: names.stream,
          subjectPrefix: names.subjectPrefix,
          slots: config.cluster.event_slots,
          spool: { dir: config.cluster.spool_dir, maxBytes: config.cluster.spool_max_bytes, logger },
          onError: errors.log,
          ...(opts.natsConnection ? { connection: opts.natsConnection } : {}),
        })
      : null;
  } catch (err) {
    await limits?.close();
    throw err;
  }
  const bridges: TopicBridge[] = [];
  let findings: StoreFindings | null = null;
  const watcher = bus ? watchBus(bus, logger, errors.reset, opts.watchEveryMs) : null;
  return {
    limits,
    bus,
    bridgeDecisions(cache) {
      if (!bus) return;
      bridges.push(
        bridgeTopic(bus.nc, cache.updates, names.decisionsSubject, {
          idOf: (d) => d.id,
          onRemote: (d) => cache.apply(d),
          onReconnect: () => void cache.load().catch((err) => logger.warn(`decisions reload failed: ${err}`)),
        }),
      );
    },
    registerMetrics(registry) {
      if (limits) registerLimitsMetrics(registry, limits);
      if (bus) registerBusMetrics(registry, bus);
    },
    components() {
      const out: Record<string, ComponentState> = {};
      if (limits) out.limits = limitsComponent(limits.state());
      if (bus) out.bus = busComponent(bus.state());
      return out;
    },
    details() {
      const out: Record<string, unknown> = {};
      if (limits) out.limits = limits.state();
      if (bus) {
        const s = bus.stats();
        out.bus = {
          state: bus.state(),
          connected: s.connected,
          buffered: s.buffered,
          spooled: s.spooled,
          replayed: s.replayed,
          lost: s.lost,
          spool: s.spool,
        };
      }
      return out;
    },
    findingsSource(store) {
      if (!bus) return null;
      findings ??= new StoreFindings(store, config.cluster.worker.partitions);
      return findings;
    },
    async failClosedHook(request, reply, payload) {
      if (limits?.state() !== 'failing-closed' || reply.statusCode !== 500 || !request.url.startsWith('/v1/'))
        return payload;
      reply.code(503).header('retry-after', '1').header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify(LIMITS_UNAVAILABLE_BODY);
    },
    async close() {
      if (watcher) clearInterval(watcher);
      findings?.close();
      for (const b of bridges) await b.close();
    },
  };
}

/** Logs each change of the bus state once (warn when it leaves `ok`, info when it is back). */
function watchBus(
  bus: NatsEventBus,
  logger: StateLogger,
  onOk: () => void,
  everyMs = REPLICA_DEFAULTS.watchEveryMs,
): NodeJS.Timeout {
  let last: BusState = bus.state();
  const timer = setInterval(() => {
    const now = bus.state();
    if (now === last) return;
    const msg = `event bus: state ${last} → ${now}`;
    if (now === 'ok') {
      logger.info(msg);
      onOk();
    } else logger.warn(`${msg}${now === 'spool-full' ? ' (ALERT: the disk spool refuses new events)' : ''}`);
    last = now;
  }, everyMs);
  timer.unref();
  return timer;
}

export function definedOnly(o: ClusterNames): ClusterNames {
  const out: ClusterNames = {};
  for (const k of Object.keys(CLUSTER_NAMES) as Array<keyof ClusterNames>)
    if (o[k] !== undefined) out[k] = o[k];
  return out;
}
