/**
 * @module tenancy/resolver
 * `KeyResolver`: bearer secret → `KeyContext`, cached in a bounded LRU (30 s for found keys,
 * briefly for unknown ones) keyed by the secret as presented, so a cache hit costs no SHA-256:
 * the secret is hashed only to read the store. (Presented strings of 64 characters or more are
 * cached under their hash instead, which is 64 characters long: the two kinds of cache key never
 * meet, and a long junk token cannot make an entry big.) `invalidate` drops a key at once, so a
 * revoked key is refused by this process on its next request. A read that raced an invalidation
 * is not cached. Concurrent lookups of the same secret share one store read. `peek` answers
 * from the cache alone, synchronously (the gateway's hook takes no promise on a hit).
 */
import type { TenancyRepo } from '../store/types.js';
import { hashSecret } from './secrets.js';
import type { KeyInvalidator } from './service.js';
import type { KeyContext } from './types.js';

export interface KeyResolverOptions {
  ttlMs?: number;
  negativeTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export const KEY_RESOLVER_DEFAULTS: Required<Omit<KeyResolverOptions, 'now'>> = {
  ttlMs: 30_000,
  negativeTtlMs: 2_000,
  maxEntries: 100_000,
};

interface Entry {
  ctx: KeyContext | null;
  expiresAt: number;
}

export interface KeyResolverStats {
  hits: number;
  misses: number;
  size: number;
}

export class KeyResolver implements KeyInvalidator {
  /** By cache key (`cacheKeyOf`): the secret itself, or the hash of a long one. */
  private readonly cache = new Map<string, Entry>();
  /** Key id → its cache key, for `invalidate`. */
  private readonly cacheKeyByKey = new Map<string, string>();
  private readonly inflight = new Map<string, Promise<KeyContext | null>>();
  private readonly o: Required<Omit<KeyResolverOptions, 'now'>>;
  private readonly now: () => number;
  private epoch = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly repo: TenancyRepo,
    opts: KeyResolverOptions = {},
  ) {
    this.o = {
      ttlMs: opts.ttlMs ?? KEY_RESOLVER_DEFAULTS.ttlMs,
      negativeTtlMs: opts.negativeTtlMs ?? KEY_RESOLVER_DEFAULTS.negativeTtlMs,
      maxEntries: opts.maxEntries ?? KEY_RESOLVER_DEFAULTS.maxEntries,
    };
    this.now = opts.now ?? Date.now;
  }

  /**
   * The cached answer for a secret: its context (check `revoked`), null for a known unknown
   * secret, or undefined when the cache cannot tell (then call `authenticate`).
   */
  peek(secret: string): KeyContext | null | undefined {
    const id = cacheKeyOf(secret);
    const hit = this.cache.get(id);
    if (hit === undefined || hit.expiresAt <= this.now()) return undefined;
    // Refresh LRU position.
    this.cache.delete(id);
    this.cache.set(id, hit);
    this.hits += 1;
    return hit.ctx;
  }

  /** The key's context (check `revoked`), or null when the secret matches no key. */
  authenticate(secret: string): Promise<KeyContext | null> {
    const cached = this.peek(secret);
    if (cached !== undefined) return Promise.resolve(cached);
    const id = cacheKeyOf(secret);
    if (this.cache.has(id)) this.drop(id); // expired
    this.misses += 1;
    const pending = this.inflight.get(id);
    if (pending) return pending;
    const started = this.epoch;
    const lookup = this.repo
      .contextByHash(hashSecret(secret))
      .then((ctx) => {
        if (this.epoch === started) this.put(id, ctx);
        return ctx;
      })
      .finally(() => this.inflight.delete(id));
    this.inflight.set(id, lookup);
    return lookup;
  }

  invalidate(keyId: string): void {
    this.epoch += 1;
    const id = this.cacheKeyByKey.get(keyId);
    if (id !== undefined) this.drop(id);
    this.inflight.clear();
  }

  invalidateOrg(orgId: string): void {
    this.epoch += 1;
    for (const [id, entry] of this.cache) if (entry.ctx?.orgId === orgId) this.drop(id);
    this.inflight.clear();
  }

  clear(): void {
    this.epoch += 1;
    this.cache.clear();
    this.cacheKeyByKey.clear();
    this.inflight.clear();
  }

  stats(): KeyResolverStats {
    return { hits: this.hits, misses: this.misses, size: this.cache.size };
  }

  private put(id: string, ctx: KeyContext | null): void {
    const ttl = ctx ? this.o.ttlMs : this.o.negativeTtlMs;
    this.cache.set(id, { ctx, expiresAt: this.now() + ttl });
    if (ctx) this.cacheKeyByKey.set(ctx.keyId, id);
    while (this.cache.size > this.o.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
  }

  private drop(id: string): void {
    const entry = this.cache.get(id);
    this.cache.delete(id);
    if (entry?.ctx) this.cacheKeyByKey.delete(entry.ctx.keyId);
  }
}

/** Longest secret cached as presented; longer ones are cached under their (64-character) hash. */
const MAX_RAW_CACHE_KEY = 63;

function cacheKeyOf(secret: string): string {
  return secret.length <= MAX_RAW_CACHE_KEY ? secret : hashSecret(secret);
}
