/**
 * @module limits/redis-resilient
 * `ResilientLimitsStore`: what the gateway uses in cluster mode. It forwards to the shared
 * (Redis) store while it answers; when it does not, it either falls back to per-replica local
 * limits (a memory store with every limit divided by the replica count, so N replicas together
 * stay near the configured limit) or fails closed (`reserve` throws `LimitsUnavailableError`,
 * code `limits_unavailable`, which the gateway answers with a 503). Each state change is logged
 * once; `state()` feeds /readyz and /metrics. While degraded it pings the primary every
 * `probeEveryMs` and switches back as soon as it answers.
 *
 * A reservation is finished by the store that made it. A primary reservation whose settle or
 * release cannot reach Redis is dropped: its slot comes back when its lease expires.
 */
import { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { LimitsError } from './errors.js';
import { MemoryLimitsStore } from './memory.js';
import { REDIS_CLIENT_OPTIONS, type RedisLimitsOptions, RedisLimitsStore } from './redis.js';
import { throttled } from './rules.js';
import type {
  LimitScope,
  LimitStatus,
  LimitSubject,
  LimitsStore,
  Reservation,
  ReserveRequest,
  ReserveResult,
} from './types.js';

export type LimitsState = 'ok' | 'degraded-local' | 'failing-closed';
export type DegradedMode = 'local' | 'fail-closed';

export const LIMITS_ERR_UNAVAILABLE = 'limits_unavailable';

/** The shared limits store is unreachable and the policy is to fail closed. */
export class LimitsUnavailableError extends Error {
  readonly code = LIMITS_ERR_UNAVAILABLE;
  readonly status = 503;
  constructor(cause?: unknown) {
    super('rate limits are temporarily unavailable', { cause });
    this.name = 'LimitsUnavailableError';
  }
}

/** Minimal logger (pino's `logger.warn(msg)` / `logger.info(msg)` fit). */
export interface StateLogger {
  warn(msg: string): void;
  info(msg: string): void;
}

export interface ResilientLimitsOptions {
  primary: LimitsStore;
  /** Local store used while degraded (a fresh MemoryLimitsStore). */
  fallback: LimitsStore;
  /** Answers when the primary is reachable again (e.g. `() => redis.ping()`). */
  ping: () => Promise<unknown>;
  mode?: DegradedMode;
  /** Gateway replicas sharing the limits: local limits are divided by this. */
  replicas?: number;
  probeEveryMs?: number;
  logger?: StateLogger;
}

export const RESILIENT_LIMITS_DEFAULTS = {
  mode: 'local' as DegradedMode,
  replicas: 1,
  probeEveryMs: 1000,
};

const consoleLogger: StateLogger = {
  warn: (msg) => console.warn(msg),
  info: (msg) => console.info(msg),
};

export interface ResilientStats {
  transitions: number;
  localReserves: number;
  refusedUnavailable: number;
  primaryErrors: number;
}

/** Scales every limit of the subjects down for one replica of `replicas`. */
export function perReplica(subjects: readonly LimitSubject[], replicas: number): LimitSubject[] {
  if (replicas <= 1) return [...subjects];
  return subjects.map((s) => ({ ...s, rule: throttled(s.rule, 1 / replicas) }));
}

export class ResilientLimitsStore implements LimitsStore {
  private current: LimitsState = 'ok';
  private readonly local = new Set<string>();
  private readonly mode: DegradedMode;
  private readonly replicas: number;
  private readonly probeEveryMs: number;
  private readonly logger: StateLogger;
  private probe: NodeJS.Timeout | null = null;
  private readonly counters: ResilientStats = {
    transitions: 0,
    localReserves: 0,
    refusedUnavailable: 0,
    primaryErrors: 0,
  };

  constructor(private readonly opts: ResilientLimitsOptions) {
    this.mode = opts.mode ?? RESILIENT_LIMITS_DEFAULTS.mode;
    this.replicas = Math.max(1, opts.replicas ?? RESILIENT_LIMITS_DEFAULTS.replicas);
    this.probeEveryMs = opts.probeEveryMs ?? RESILIENT_LIMITS_DEFAULTS.probeEveryMs;
    this.logger = opts.logger ?? consoleLogger;
  }

  state(): LimitsState {
    return this.current;
  }

  /** Declares the primary unreachable (e.g. it could not connect at start-up). */
  markUnavailable(err: unknown): void {
    this.degrade(err);
  }

  stats(): ResilientStats {
    return { ...this.counters };
  }

  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    if (this.current === 'ok') {
      try {
        return await this.opts.primary.reserve(req);
      } catch (err) {
        if (err instanceof LimitsError) throw err;
        this.degrade(err);
      }
    }
    if (this.current === 'failing-closed') {
      this.counters.refusedUnavailable++;
      throw new LimitsUnavailableError();
    }
    this.counters.localReserves++;
    const result = await this.opts.fallback.reserve({
      ...req,
      subjects: perReplica(req.subjects, this.replicas),
    });
    if (!result.ok) return result;
    this.local.add(req.requestId);
    // hand back the caller's subjects; the scaled ones stay inside the fallback
    return { ...result, reservation: { ...result.reservation, subjects: req.subjects } };
  }

  settle(reservation: Reservation, actualTokens: number, now: number): Promise<void> {
    return this.finish(reservation, (s, r) => s.settle(r, actualTokens, now));
  }

  release(reservation: Reservation, now: number): Promise<void> {
    return this.finish(reservation, (s, r) => s.release(r, now));
  }

  async peek(subjects: LimitSubject[], now: number): Promise<LimitStatus> {
    if (this.current === 'ok') {
      try {
        return await this.opts.primary.peek(subjects, now);
      } catch (err) {
        this.degrade(err);
      }
    }
    return this.opts.fallback.peek(perReplica(subjects, this.replicas), now);
  }

  async inFlight(scope: LimitScope, id: string): Promise<number> {
    const local = await this.opts.fallback.inFlight(scope, id);
    if (this.current !== 'ok') return local;
    try {
      return local + (await this.opts.primary.inFlight(scope, id));
    } catch (err) {
      this.degrade(err);
      return local;
    }
  }

  async close(): Promise<void> {
    this.stopProbe();
    await Promise.all([this.opts.primary.close(), this.opts.fallback.close()]);
  }

  private async finish(
    reservation: Reservation,
    apply: (store: LimitsStore, r: Reservation) => Promise<void>,
  ): Promise<void> {
    if (this.local.delete(reservation.requestId)) {
      const scaled = { ...reservation, subjects: perReplica(reservation.subjects, this.replicas) };
      return apply(this.opts.fallback, scaled);
    }
    try {
      await apply(this.opts.primary, reservation);
    } catch (err) {
      this.degrade(err);
    }
  }

  private degrade(err: unknown): void {
    this.counters.primaryErrors++;
    if (this.current !== 'ok') return;
    this.transition(this.mode === 'local' ? 'degraded-local' : 'failing-closed', err);
    this.startProbe();
  }

  private transition(next: LimitsState, err?: unknown): void {
    const prev = this.current;
    this.current = next;
    this.counters.transitions++;
    if (next === 'ok') {
      this.logger.info(`limits: shared store reachable again, state ${prev} → ok`);
    } else {
      const why = err instanceof Error ? err.message : String(err);
      const how =
        next === 'degraded-local' ? `local limits divided by ${this.replicas} replicas` : 'failing closed';
      this.logger.warn(`limits: shared store unreachable (${why}), state ok → ${next}: ${how}`);
    }
  }

  private startProbe(): void {
    if (this.probe) return;
    this.probe = setInterval(() => void this.tryRecover(), this.probeEveryMs);
    this.probe.unref();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }

  private async tryRecover(): Promise<void> {
    try {
      await this.opts.ping();
    } catch {
      return;
    }
    if (this.current === 'ok') return;
    this.stopProbe();
    this.transition('ok');
  }
}

export interface OpenRedisLimitsOptions
  extends Omit<ResilientLimitsOptions, 'primary' | 'fallback' | 'ping'>,
    Omit<RedisLimitsOptions, 'redis'> {
  /** redis:// URL. */
  url: string;
}

/**
 * The cluster-mode limits store in one call: a Redis client that fails fast, the Redis store,
 * and the resilient wrapper with a local fallback. When Redis is down at start-up the store
 * starts degraded (or failing closed) and switches to Redis once it answers.
 */
export async function openRedisLimits(opts: OpenRedisLimitsOptions): Promise<ResilientLimitsStore> {
  const { url, mode, replicas, probeEveryMs, logger, ...redisOpts } = opts;
  const client = new Redis(url, { ...REDIS_CLIENT_OPTIONS, lazyConnect: true });
  client.on('error', () => undefined); // surfaced through the store's state instead
  const primary = new RedisLimitsStore({ ...redisOpts, redis: client });
  const store = new ResilientLimitsStore({
    primary: {
      reserve: (r) => primary.reserve(r),
      settle: (r, t, n) => primary.settle(r, t, n),
      release: (r, n) => primary.release(r, n),
      peek: (s, n) => primary.peek(s, n),
      inFlight: (s, i) => primary.inFlight(s, i),
      close: async () => {
        await primary.close();
        client.disconnect();
      },
    },
    fallback: new MemoryLimitsStore(),
    ping: () => client.ping(),
    mode,
    replicas,
    probeEveryMs,
    logger,
  });
  try {
    await client.connect();
  } catch (err) {
    store.markUnavailable(err);
  }
  return store;
}

const STATES: readonly LimitsState[] = ['ok', 'degraded-local', 'failing-closed'];

/** Registers `distillguard_limits_state{state}` (1 for the current state) and the fallback counters. */
export function registerLimitsMetrics(registry: Registry, store: ResilientLimitsStore): void {
  new Gauge({
    name: 'distillguard_limits_state',
    help: 'Limits store state: 1 for the current one (ok, degraded-local, failing-closed)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const s of STATES) this.set({ state: s }, store.state() === s ? 1 : 0);
    },
  });
  const counter = (name: string, help: string, read: (s: ResilientStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(store.stats()));
      },
    });
  counter(
    'distillguard_limits_local_reserves_total',
    'Reserves served by local limits',
    (s) => s.localReserves,
  );
  counter(
    'distillguard_limits_unavailable_total',
    'Requests refused: limits unavailable',
    (s) => s.refusedUnavailable,
  );
  counter(
    'distillguard_limits_primary_errors_total',
    'Errors from the shared limits store',
    (s) => s.primaryErrors,
  );
}
