/**
 * @module store/open
 * `openStore(url)`: picks the implementation from the URL and brings the schema up to date.
 * `sqlite:PATH` (or a bare path, or `sqlite::memory:`) opens the embedded default;
 * `postgres://…` (or `postgresql://…`) opens the PostgreSQL store (cluster mode);
 * `discard:` opens a store that forgets events (the gateway's event thread in cluster mode).
 */
import { DISCARD_URL, openDiscard } from './discard.js';
import { StoreError } from './errors.js';
import type { PostgresOptions } from './postgres.js';
import { openSqlite } from './sqlite.js';
import type { Store } from './types.js';

/** Options for the store behind the URL (ignored by stores they do not apply to). */
export interface OpenStoreOptions {
  /** PostgreSQL: days of events kept (whole daily partitions dropped); 0 keeps everything. */
  retentionDays?: number;
  /** PostgreSQL: connection pool size. */
  poolSize?: number;
}

const PG_RE = /^postgres(ql)?:\/\//;

/** The SQLite file path named by a `sqlite:` URL (or a bare path); null for other schemes. */
export function sqlitePath(url: string): string | null {
  if (PG_RE.test(url) || url === DISCARD_URL) return null;
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length) || null;
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length) || null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return null;
  return url || null;
}

export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (url === DISCARD_URL) return openDiscard();
  if (PG_RE.test(url)) {
    const pgOpts: PostgresOptions = {};
    if (opts.retentionDays !== undefined) pgOpts.retentionDays = opts.retentionDays;
    if (opts.poolSize !== undefined) pgOpts.poolSize = opts.poolSize;
    // loaded on demand: single-node processes never load the PostgreSQL driver
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(url, pgOpts);
  }
  const path = sqlitePath(url);
  if (path !== null) return openSqlite(path);
  throw new StoreError(
    'unsupported_url',
    `unsupported database URL: ${url} (use sqlite:PATH or postgres://…)`,
  );
}
