/**
 * @module limits/redis
 * `RedisLimitsStore`: the cluster-mode `LimitsStore`. Every gateway replica talks to the same
 * Redis; each reserve/settle/release is one atomic Lua script over all of a request's keys
 * (see `redis-scripts.ts`), so N replicas admit exactly what one process would.
 *
 * - Keys: `<prefix>:{org:<orgId>}:<scope>:<id>:<rpm|tpm|conc|day:YYYYMMDD|month:YYYYMM>`. The
 *   hash tag is the org of the request, shared by its key and org subjects, so one script call
 *   touches one Redis Cluster slot. The gateway must pass the org subject (an empty rule is
 *   fine) so a key's state always lands under its org's tag.
 * - Scripts run by EVALSHA; on `NOSCRIPT` (script cache flushed, failover) the store re-sends
 *   the source with EVAL, which caches it again.
 * - Time is the caller's `now`, everywhere (lease expiries included).
 * - Concurrency slots are leases (sorted set requestId → expiry). Expired leases are purged on
 *   every reserve, so the slots of a crashed replica come back after `leaseMs`. A live holder
 *   renews its leases every `renewEveryMs` so long streams keep their slot.
 */

import { createHash } from 'node:crypto';
import { type Cluster, Redis, type RedisOptions } from 'ioredis';
import { withDefaults } from '../config/defaults.js';
import { LIMITS_ERR_DUPLICATE_RESERVATION, LimitsError } from './errors.js';
import { FINISH_LUA, PEEK_LUA, RENEW_LUA, RESERVE_LUA } from './redis-scripts.js';
import type {
  LimitName,
  LimitScope,
  LimitStatus,
  LimitSubject,
  LimitsStore,
  Reservation,
  ReserveRequest,
  ReserveResult,
  WindowState,
} from './types.js';

export interface RedisLimitsOptions {
  /** A connected client (shared or dedicated), or a redis:// URL to connect to. */
  redis: Redis | Cluster | string;
  /** Key prefix; tests use a unique one per run. */
  prefix?: string;
  /** Concurrency lease length: a crashed holder's slot returns after this long. */
  leaseMs?: number;
  /** How often live leases are renewed (0 disables; tests with injected time disable it). */
  renewEveryMs?: number;
  /** A slot is renewed for at most this long after its reserve (a forgotten settle cannot pin it). */
  maxHoldMs?: number;
  /** How long a reservation stays settleable (its idempotency marker's lifetime). */
  reservationTtlMs?: number;
  /** Retry-After hint when refused by concurrency. */
  concurrencyRetryMs?: number;
  /** Clock for lease renewal (reserve/settle use the caller's `now`). */
  clock?: () => number;
}

export const REDIS_LIMITS_DEFAULTS = {
  prefix: 'dg',
  leaseMs: 60_000,
  renewEveryMs: 15_000,
  maxHoldMs: 3600_000,
  reservationTtlMs: 24 * 3600_000,
  concurrencyRetryMs: 1000,
} as const;

/** ioredis options for a limits client: fail fast instead of queueing while disconnected. */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1000,
  connectTimeout: 1000,
  retryStrategy: (times) => Math.min(100 * times, 1000),
};

interface ScriptSubject {
  scope: LimitScope;
  rpm: number | null;
  tpm: number | null;
  conc: number | null;
  day: number | null;
  month: number | null;
}

interface ScriptWindowReply {
  requests: WindowState | null;
  tokens: WindowState | null;
}

type ReserveReply =
  | { dup: true; ok?: undefined }
  | ({ ok: true; dup?: undefined } & ScriptWindowReply)
  | ({ ok: false; dup?: undefined; limitedBy: LimitName; retryAfterMs: number } & ScriptWindowReply);

class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

const SCRIPTS = {
  reserve: new LuaScript(RESERVE_LUA),
  finish: new LuaScript(FINISH_LUA),
  peek: new LuaScript(PEEK_LUA),
  renew: new LuaScript(RENEW_LUA),
};

/** UTC day and month ids and the end of each period (epoch ms). */
export function periods(now: number): { day: string; month: string; dayEnd: number; monthEnd: number } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return {
    day: `${y}${pad(m + 1)}${pad(d.getUTCDate())}`,
    month: `${y}${pad(m + 1)}`,
    dayEnd: Date.UTC(y, m, d.getUTCDate() + 1),
    monthEnd: Date.UTC(y, m + 1, 1),
  };
}

/**
 * The hash tag of a request: its org (shared by its key and org subjects). `orgOfKey` resolves
 * the org of a key-only request; a key never seen with its org is tagged by itself.
 */
export function hashTag(subjects: readonly LimitSubject[], orgOfKey: string | null = null): string {
  const org = subjects.find((s) => s.scope === 'org');
  if (org) return `{org:${org.id}}`;
  if (orgOfKey !== null) return `{org:${orgOfKey}}`;
  const first = subjects[0];
  return first ? `{${first.scope}:${first.id}}` : '{none}';
}

function toScriptSubject(s: LimitSubject): ScriptSubject {
  const r = s.rule;
  const n = (v: number | undefined): number | null => (v === undefined || v === null ? null : v);
  return {
    scope: s.scope,
    rpm: n(r.rpm),
    tpm: n(r.tpm),
    conc: n(r.concurrency),
    day: n(r.tokensPerDay),
    month: n(r.tokensPerMonth),
  };
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.includes('NOSCRIPT');
}

export class RedisLimitsStore implements LimitsStore {
  readonly redis: Redis | Cluster;
  private readonly ownsClient: boolean;
  private readonly opts: Required<Omit<RedisLimitsOptions, 'redis'>>;
  /** Slots this process holds, for lease renewal: requestId → conc keys and reserve time. */
  private readonly held = new Map<string, { keys: string[]; at: number }>();
  /** keyId → orgId, learned on reserve (for `inFlight('key', …)`). */
  private readonly keyOrg = new Map<string, string>();
  private readonly timer: NodeJS.Timeout | null;
  private lastNow = 0;

  constructor(options: RedisLimitsOptions) {
    this.ownsClient = typeof options.redis === 'string';
    this.redis =
      typeof options.redis === 'string' ? new Redis(options.redis, REDIS_CLIENT_OPTIONS) : options.redis;
    // connection errors surface on the calls (and in ResilientLimitsStore), not as unhandled events
    if (this.ownsClient) this.redis.on('error', () => undefined);
    this.opts = withDefaults<Required<Omit<RedisLimitsOptions, 'redis'>>>(
      { ...REDIS_LIMITS_DEFAULTS, clock: Date.now },
      options,
    );
    this.timer =
      this.opts.renewEveryMs > 0 ? setInterval(() => void this.renewLeases(), this.opts.renewEveryMs) : null;
    this.timer?.unref();
  }

  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    this.seen(req.now);
    const tag = await this.tagOf(req.subjects);
    const p = periods(req.now);
    const cost = Math.max(0, req.estimatedTokens);
    const keys = [this.markerKey(tag, req.requestId), ...this.subjectKeys(tag, req.subjects, req.now)];
    await this.rememberKeyOrgs(req.subjects);
    const reply = await this.run<ReserveReply>(SCRIPTS.reserve, keys, {
      now: req.now,
      cost,
      id: req.requestId,
      lease: this.opts.leaseMs,
      markerTtl: this.opts.reservationTtlMs,
      concRetry: this.opts.concurrencyRetryMs,
      dayEnd: p.dayEnd,
      monthEnd: p.monthEnd,
      s: req.subjects.map(toScriptSubject),
    });
    if (reply.dup) {
      throw new LimitsError(LIMITS_ERR_DUPLICATE_RESERVATION, `reservation ${req.requestId} is already held`);
    }
    const status: LimitStatus = { requests: reply.requests, tokens: reply.tokens };
    if (!reply.ok) return { ok: false, limitedBy: reply.limitedBy, retryAfterMs: reply.retryAfterMs, status };
    const concKeys = this.concKeys(tag, req.subjects);
    if (concKeys.length > 0) this.held.set(req.requestId, { keys: concKeys, at: req.now });
    return {
      ok: true,
      status,
      reservation: { requestId: req.requestId, subjects: req.subjects, reservedTokens: cost, at: req.now },
    };
  }

  settle(reservation: Reservation, actualTokens: number, now: number): Promise<void> {
    return this.finish(reservation, Math.max(0, actualTokens) - reservation.reservedTokens, now);
  }

  release(reservation: Reservation, now: number): Promise<void> {
    return this.finish(reservation, -reservation.reservedTokens, now);
  }

  async peek(subjects: LimitSubject[], now: number): Promise<LimitStatus> {
    this.seen(now);
    const tag = await this.tagOf(subjects);
    const keys = [this.markerKey(tag, '-'), ...this.subjectKeys(tag, subjects, now)];
    const reply = await this.run<ScriptWindowReply>(SCRIPTS.peek, keys, {
      now,
      s: subjects.map(toScriptSubject),
    });
    return { requests: reply.requests, tokens: reply.tokens };
  }

  async inFlight(scope: LimitScope, id: string): Promise<number> {
    const org = scope === 'org' ? id : await this.orgOfKey(id);
    const tag = org === null ? `{key:${id}}` : `{org:${org}}`;
    const now = this.lastNow || this.opts.clock();
    return this.redis.zcount(this.key(tag, scope, id, 'conc'), `(${now}`, '+inf');
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.held.clear();
    if (this.ownsClient) await this.redis.quit().catch(() => undefined);
  }

  /** SHA1 of a script (for tests and SCRIPT EXISTS checks). */
  scriptSha(name: keyof typeof SCRIPTS): string {
    return SCRIPTS[name].sha;
  }

  /** Extend the leases of every slot this process holds (crash → renewals stop → leases lapse). */
  async renewLeases(now = this.opts.clock()): Promise<void> {
    const until = now + this.opts.leaseMs;
    const jobs: Array<Promise<unknown>> = [];
    for (const [id, { keys, at }] of this.held) {
      if (now - at > this.opts.maxHoldMs) {
        this.held.delete(id); // let the lease lapse
        continue;
      }
      jobs.push(this.run<string>(SCRIPTS.renew, keys, { id, until }).catch(() => undefined));
    }
    await Promise.all(jobs);
  }

  private async finish(reservation: Reservation, delta: number, now: number): Promise<void> {
    this.seen(now);
    this.held.delete(reservation.requestId);
    const tag = await this.tagOf(reservation.subjects);
    const keys = [
      this.markerKey(tag, reservation.requestId),
      ...this.subjectKeys(tag, reservation.subjects, reservation.at),
    ];
    const at = periods(reservation.at);
    const cur = periods(now);
    await this.run<string>(SCRIPTS.finish, keys, {
      now,
      delta,
      sameDay: at.day === cur.day,
      sameMonth: at.month === cur.month,
      dayEnd: cur.dayEnd,
      monthEnd: cur.monthEnd,
      id: reservation.requestId,
      s: reservation.subjects.map(toScriptSubject),
    });
  }

  /** EVALSHA, falling back to EVAL (which re-caches the script) on NOSCRIPT. */
  private async run<T>(script: LuaScript, keys: string[], args: object): Promise<T> {
    const argv = JSON.stringify(args);
    let raw: unknown;
    try {
      raw = await this.redis.evalsha(script.sha, keys.length, ...keys, argv);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      raw = await this.redis.eval(script.source, keys.length, ...keys, argv);
    }
    return JSON.parse(String(raw)) as T;
  }

  private seen(now: number): void {
    if (now > this.lastNow) this.lastNow = now;
  }

  private key(tag: string, scope: LimitScope, id: string, suffix: string): string {
    return `${this.opts.prefix}:${tag}:${scope}:${id}:${suffix}`;
  }

  private markerKey(tag: string, requestId: string): string {
    return `${this.opts.prefix}:${tag}:res:${requestId}`;
  }

  private subjectKeys(tag: string, subjects: readonly LimitSubject[], at: number): string[] {
    const p = periods(at);
    const suffixes = ['rpm', 'tpm', 'conc', `day:${p.day}`, `month:${p.month}`];
    return subjects.flatMap((s) => suffixes.map((suffix) => this.key(tag, s.scope, s.id, suffix)));
  }

  private concKeys(tag: string, subjects: readonly LimitSubject[]): string[] {
    return subjects
      .filter((s) => s.rule.concurrency !== undefined && s.rule.concurrency !== null)
      .map((s) => this.key(tag, s.scope, s.id, 'conc'));
  }

  private indexKey(keyId: string): string {
    return `${this.opts.prefix}:keyorg:${keyId}`;
  }

  private async rememberKeyOrgs(subjects: readonly LimitSubject[]): Promise<void> {
    const org = subjects.find((s) => s.scope === 'org');
    if (!org) return;
    const writes: Array<Promise<unknown>> = [];
    for (const s of subjects) {
      if (s.scope !== 'key' || this.keyOrg.get(s.id) === org.id) continue;
      this.keyOrg.set(s.id, org.id);
      writes.push(this.redis.set(this.indexKey(s.id), org.id, 'PX', this.opts.reservationTtlMs * 30));
    }
    await Promise.all(writes);
  }

  private async tagOf(subjects: readonly LimitSubject[]): Promise<string> {
    if (subjects.some((s) => s.scope === 'org')) return hashTag(subjects);
    const key = subjects.find((s) => s.scope === 'key');
    return hashTag(subjects, key ? await this.orgOfKey(key.id) : null);
  }

  private async orgOfKey(keyId: string): Promise<string | null> {
    const cached = this.keyOrg.get(keyId);
    if (cached !== undefined) return cached;
    const org = await this.redis.get(this.indexKey(keyId));
    if (org !== null) this.keyOrg.set(keyId, org);
    return org;
  }
}
