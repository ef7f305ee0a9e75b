/**
 * @module store/open
 * `openStore(url)`: picks the implementation from the URL and brings the schema up to date.
 * `sqlite:PATH` (or a bare path, or `sqlite::memory:`) opens the embedded default;
 * `postgres://…` is reserved for the PostgreSQL store (cluster mode).
 */
import { StoreError } from './errors.js';
import { openSqlite } from './sqlite.js';
import type { Store } from './types.js';

/** The SQLite file path named by a `sqlite:` URL (or a bare path); null for other schemes. */
export function sqlitePath(url: string): string | null {
  if (/^postgres(ql)?:\/\//.test(url)) return null;
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length) || null;
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length) || null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return null;
  return url || null;
}

export async function openStore(url: string): Promise<Store> {
  const path = sqlitePath(url);
  if (path !== null) return openSqlite(path);
  if (/^postgres(ql)?:\/\//.test(url))
    throw new StoreError('unsupported_url', 'the PostgreSQL store is not available in this build (issue 6)');
  throw new StoreError(
    'unsupported_url',
    `unsupported database URL: ${url} (use sqlite:PATH or postgres://…)`,
  );
}
