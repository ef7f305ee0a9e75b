/**
 * @module store/sqlite
 * The embedded default: one SQLite file through better-sqlite3 in WAL mode
 * (`journal_mode=WAL`, `synchronous=NORMAL`, a busy timeout so concurrent CLI and server
 * processes wait instead of failing).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { migrate } from './migrations.js';
import { SqlCheckpointsRepo } from './repos/checkpoints.js';
import { SqlAuditRepo, SqlDecisionsRepo } from './repos/decisions.js';
import { SqlFindingsRepo } from './repos/findings.js';
import { SqliteEventsRepo } from './repos/sqlite-events.js';
import { SqlTenancyRepo } from './repos/tenancy.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

export interface SqliteOptions {
  /** Milliseconds a writer waits for a lock held by another connection or process. */
  busyTimeoutMs?: number;
}

export const SQLITE_DEFAULTS: Required<SqliteOptions> = { busyTimeoutMs: 5_000 };

export async function openSqlite(path: string, opts: SqliteOptions = {}): Promise<Store> {
  const o = { ...SQLITE_DEFAULTS, ...opts };
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const handle = new BetterSqlite3(path, { timeout: o.busyTimeoutMs });
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma(`busy_timeout = ${o.busyTimeoutMs}`);
  handle.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  try {
    await migrate(db as unknown as Kysely<unknown>);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return {
    kind: 'sqlite',
    tenancy: new SqlTenancyRepo(db),
    events: new SqliteEventsRepo(db, handle),
    decisions: new SqlDecisionsRepo(db),
    audit: new SqlAuditRepo(db),
    findings: new SqlFindingsRepo(db),
    checkpoints: new SqlCheckpointsRepo(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
