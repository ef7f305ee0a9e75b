/**
 * @module tenancy/resolver
 * `KeyResolver`: bearer secret → `KeyContext`, hashing the secret and caching by hash in a
 * bounded LRU (30 s for found keys, briefly for unknown ones). `invalidate` drops a key at
 * once, so a revoked key is refused by this process on its next request. A read that raced an
 * invalidation is not cached. Concurrent lookups of the same secret share one store read.
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
  private readonly cache = new Map<string, Entry>();
  private readonly hashByKey = new Map<string, string>();
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

  /** The key's context (check `revoked`), or null when the secret matches no key. */
  authenticate(secret: string): Promise<KeyContext | null> {
    const hash = hashSecret(secret);
    const hit = this.cache.get(hash);
    if (hit && hit.expiresAt > this.now()) {
      // Refresh LRU position.
      this.cache.delete(hash);
      this.cache.set(hash, hit);
      this.hits += 1;
      return Promise.resolve(hit.ctx);
    }
    if (hit) this.drop(hash);
    this.misses += 1;
    const pending = this.inflight.get(hash);
    if (pending) return pending;
    const started = this.epoch;
    const lookup = this.repo
      .contextByHash(hash)
      .then((ctx) => {
        if (this.epoch === started) this.put(hash, ctx);
        return ctx;
      })
      .finally(() => this.inflight.delete(hash));
    this.inflight.set(hash, lookup);
    return lookup;
  }

  invalidate(keyId: string): void {
    this.epoch += 1;
    const hash = this.hashByKey.get(keyId);
    if (hash !== undefined) this.drop(hash);
    this.inflight.clear();
  }

  invalidateOrg(orgId: string): void {
    this.epoch += 1;
    for (const [hash, entry] of this.cache) if (entry.ctx?.orgId === orgId) this.drop(hash);
    this.inflight.clear();
  }

  clear(): void {
    this.epoch += 1;
    this.cache.clear();
    this.hashByKey.clear();
    this.inflight.clear();
  }

  stats(): KeyResolverStats {
    return { hits: this.hits, misses: this.misses, size: this.cache.size };
  }

  private put(hash: string, ctx: KeyContext | null): void {
    const ttl = ctx ? this.o.ttlMs : this.o.negativeTtlMs;
    this.cache.set(hash, { ctx, expiresAt: this.now() + ttl });
    if (ctx) this.hashByKey.set(ctx.keyId, hash);
    while (this.cache.size > this.o.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
  }

  private drop(hash: string): void {
    const entry = this.cache.get(hash);
    this.cache.delete(hash);
    if (entry?.ctx) this.hashByKey.delete(entry.ctx.keyId);
  }
}
