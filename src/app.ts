/**
 * @module app
 * The process assembly: one function builds every part from a Config and starts listening.
 * Store → tenancy + key resolver → limits (memory) → upstream registry → event bus → event
 * writer → decision cache → metrics → Fastify with the gateway plugin, the admin plugin and the
 * health routes. `close()` stops in reverse order and drains the event writer before the store
 * closes, so no accepted event is lost on a clean shutdown.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { FindingsSource } from './admin/context.js';
import { healthPlugin } from './admin/health.js';
import { registerControlPlaneMetrics } from './admin/metrics.js';
import { adminPlugin } from './admin/plugin.js';
import type { Config } from './config/schema.js';
import { dashboardPlugin } from './dashboard/index.js';
import { type EventBus, InProcessBus } from './events/bus.js';
import { tokenizer } from './events/tokens.js';
import type { RequestEvent } from './events/types.js';
import { trackConnections } from './gateway/connections.js';
import { GatewayError } from './gateway/errors.js';
import { promGatewayMetrics } from './gateway/metrics.js';
import { gatewayPlugin } from './gateway/plugin.js';
import { type EventSink, InlineEventSink, WorkerEventSink } from './gateway/sink.js';
import { MemoryLimitsStore } from './limits/memory.js';
import type { LimitsStore } from './limits/types.js';
import { DecisionCache } from './policy/decisions.js';
import { DISCARD_URL } from './store/discard.js';
import { EventWriter } from './store/event-writer.js';
import { openStore } from './store/open.js';
import type { Store } from './store/types.js';
import { KeyResolver } from './tenancy/resolver.js';
import { TenancyService } from './tenancy/service.js';
import { UpstreamRegistry } from './upstream/registry.js';
import { openReplicaParts, type ReplicaOptions } from './worker/replica.js';

export interface App {
  /** Base URL the gateway listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  app: FastifyInstance;
  config: Config;
  store: Store;
  tenancy: TenancyService;
  resolver: KeyResolver;
  limits: LimitsStore;
  upstreams: UpstreamRegistry;
  bus: EventBus;
  /** Stores events that reach the bus from elsewhere (admin ingest); gateway events are stored by the event worker. */
  writer: EventWriter;
  /** Resolves once every request finished so far is stored and published. */
  flushEvents(): Promise<void>;
  decisions: DecisionCache;
  metrics: Registry;
  close(): Promise<void>;
}

/** What a hook may hand back: a stop function, and the admin API's findings source / ingest sink. */
export interface AppHookResult {
  stop?: () => Promise<void> | void;
  findings?: FindingsSource;
  ingest?: (events: RequestEvent[]) => void;
}

/**
 * Something started with the app (the detection engine). Hooks run after every part exists and
 * before the admin API is registered and the server listens; they may subscribe to `app.bus`.
 */
export type AppHook = (app: App) => void | AppHookResult | Promise<void | AppHookResult>;

export interface AppOptions {
  /** pino level for the Fastify logger; `warn` by default (benchmarks and production). */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Subscribers started before the app listens (e.g. the detection engine). */
  hooks?: AppHook[];
  /** Limits store; the in-memory store by default. */
  limits?: LimitsStore;
  /** Do not listen (tests use `app.inject`). */
  listen?: boolean;
  /** On close, requests still running get this long to finish before their sockets are cut. */
  shutdownGraceMs?: number;
  /** Wall clock for limits and event times (tests freeze it); Date.now by default. */
  now?: () => number;
  /** Build and store request events in a worker thread (default true); false: on the request thread. */
  eventWorker?: boolean;
  /** Cluster mode (`redis` / `nats` set): shared names and logger (tests isolate runs by names). */
  cluster?: ReplicaOptions;
}

export const APP_DEFAULTS = { logLevel: 'warn', listen: true, shutdownGraceMs: 10_000 } as const;

/** Builds the whole process from a loaded config and starts it. */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const store = await openStore(config.db, { retentionDays: config.db_retention_days });
  const resolver = new KeyResolver(store.tenancy);
  const tenancy = new TenancyService(store, { defaultLimits: config.default_limits, resolver });
  // cluster mode: Redis limits, JetStream bus + spool, decision bridge (worker/replica.ts)
  const cluster = await openReplicaParts(config, opts.cluster);
  const limits = opts.limits ?? cluster.limits ?? new MemoryLimitsStore();
  const upstreams = new UpstreamRegistry(config.upstreams);
  const bus = cluster.bus ?? new InProcessBus();
  const writer = new EventWriter(store.events, {
    batchSize: config.events.batch_size,
    flushMs: config.events.flush_ms,
  });
  const events = eventPipeline(config, bus, writer, opts);
  const decisions = new DecisionCache(store.decisions, store.audit, { mode: policyMode(config) });
  cluster.bridgeDecisions(decisions); // before load: nothing announced meanwhile is missed
  await decisions.load();
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  // Metering counts tokens itself when an upstream omits usage: load the tokenizer now (~0.2 s)
  // rather than on the first such request.
  tokenizer();

  const app = Fastify({
    logger: { level: opts.logLevel ?? APP_DEFAULTS.logLevel },
    bodyLimit: config.body_limit_bytes,
    trustProxy: false,
    // One logger for all requests: a per-request child logger costs an allocation per request,
    // and the gateway logs only warnings and errors, which carry their own context.
    childLoggerFactory: (logger) => logger,
  });
  const connections = trackConnections(app.server);
  app.setNotFoundHandler((request, reply) => {
    const err = new GatewayError('unknown_url', {
      message: `Invalid URL (${request.method} ${request.url}).`,
    });
    return reply.code(err.status).send(err.body());
  });
  // 503 limits_unavailable while the shared limits store fails closed (only with `redis`: an
  // onSend hook costs a promise on every answer).
  if (cluster.limits) app.addHook('onSend', cluster.failClosedHook);
  await app.register(gatewayPlugin, {
    resolver,
    decisions,
    limits,
    upstreams,
    bus,
    metrics: promGatewayMetrics(metrics),
    sink: events.sink,
    ...(opts.now ? { now: opts.now } : {}),
    settings: {
      storePrompts: config.store_prompts,
      trustedProxies: config.trusted_proxies,
      bodyLimitBytes: config.body_limit_bytes,
      maxN: config.max_n,
      maxTokensLimit: config.max_tokens_limit,
    },
  });

  const stops: Array<() => Promise<void> | void> = [];
  let url = '';
  const assembled: App = {
    get url() {
      return url;
    },
    app,
    config,
    store,
    tenancy,
    resolver,
    limits,
    upstreams,
    bus,
    writer,
    flushEvents: async () => {
      await events.flush();
      await writer.flush();
    },
    decisions,
    metrics,
    close: async () => {
      for (const stop of stops.reverse()) await stop();
      await cluster.close();
      const cut = setTimeout(
        () => connections.closeAll(),
        opts.shutdownGraceMs ?? APP_DEFAULTS.shutdownGraceMs,
      );
      const closing = app.close();
      connections.closeIdle();
      await closing;
      clearTimeout(cut);
      await new Promise((resolve) => setImmediate(resolve));
      await events.close();
      await upstreams.close();
      await writer.close();
      await bus.close();
      await limits.close();
      await store.close();
    },
  };
  let findings: FindingsSource | undefined = cluster.findingsSource(store) ?? undefined;
  let ingest: ((events: RequestEvent[]) => void) | undefined;
  for (const hook of opts.hooks ?? []) {
    const result = await hook(assembled);
    if (!result) continue;
    if (result.stop) stops.push(result.stop);
    findings = result.findings ?? findings;
    ingest = result.ingest ?? ingest;
  }
  registerControlPlaneMetrics(metrics, { writer, resolver });
  cluster.registerMetrics(metrics);
  await app.register(healthPlugin, {
    store,
    metrics,
    components: () => cluster.components(),
    details: () => cluster.details(),
    storeDown: cluster.bus ? 'degraded' : 'down', // cluster: events wait in the stream
  });
  await app.register(adminPlugin, {
    prefix: '/admin',
    config,
    store,
    tenancy,
    resolver,
    decisions,
    bus,
    metrics,
    ...(findings ? { findings } : {}),
    ...(ingest ? { ingest } : {}),
  });
  // The dashboard at /dashboard/ (sign-in exchanges the admin token for a session cookie).
  if (config.admin_token) await app.register(dashboardPlugin, { adminToken: config.admin_token });
  if (opts.listen ?? APP_DEFAULTS.listen) url = await app.listen({ host: config.host, port: config.port });
  return assembled;
}

interface EventPipeline {
  sink: EventSink;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Gateway events: built and stored by the event worker, then published on the bus; the main
 * writer stores every other event on the bus (admin ingest) and, if the worker dies, the
 * gateway's too. Without the worker, events are built inline and the main writer stores them.
 * Cluster mode (`nats`): the detection workers store events from the stream, so this process
 * stores none (the event thread builds them into the `discard:` store).
 */
function eventPipeline(config: Config, bus: EventBus, writer: EventWriter, opts: AppOptions): EventPipeline {
  let stored = false;
  const storesEvents = !config.nats;
  if (storesEvents)
    bus.subscribe((event) => {
      if (!stored) writer.enqueue(event);
    });
  if (opts.eventWorker === false) {
    const sink = new InlineEventSink(bus);
    return { sink, flush: () => new Promise((r) => setImmediate(r)), close: async () => {} };
  }
  const sink = new WorkerEventSink({
    db: storesEvents ? config.db : DISCARD_URL,
    batchSize: config.events.batch_size,
    flushMs: config.events.flush_ms,
    publishStored: (event) => {
      stored = true;
      try {
        bus.publish(event);
      } finally {
        stored = false;
      }
    },
    publish: (event) => bus.publish(event),
    // Stored events come back only when the bus has consumers besides the store.
    needed: () => !(bus instanceof InProcessBus) || bus.subscribers > (storesEvents ? 1 : 0),
    onError: (message) => console.error(message),
  });
  return { sink, flush: () => sink.flush(), close: () => sink.close() };
}

/** Policy mode: engine decisions are enforced only in `enforce` mode. */
function policyMode(config: Config): 'shadow' | 'enforce' {
  return config.policy.mode === 'enforce' ? 'enforce' : 'shadow';
}
