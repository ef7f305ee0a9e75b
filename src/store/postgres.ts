/**
 * @module store/postgres
 * The cluster-mode `Store` on PostgreSQL: the same Kysely schema, migrations and repositories as
 * SQLite (through Kysely's PostgresDialect on `pg`), plus what only a shared server needs.
 *
 * - `events` is partitioned by time: `PARTITION BY RANGE (ts)`, one partition per UTC day
 *   (`events_pYYYYMMDD`, bounds in epoch ms), created `partitionsAhead` days ahead by
 *   `maintain()` and on demand for the days of each inserted batch, plus `events_default` for
 *   anything else (events older than the retention window). The primary key is (id, ts) — a
 *   partitioned table's unique keys must contain the partition key — and since an event's id
 *   always comes with its own ts, inserting it again is still a no-op.
 * - Retention drops whole partitions older than `retentionDays` (DROP TABLE, not DELETE), and
 *   deletes the few rows of `events_default` past the window. Per-key totals (`key_usage`) are
 *   lifetime counters and are kept.
 * - Indexes follow the admin API's reads: events by (key_id, ts, id) and (org_id, ts, id) for
 *   keyset pages, by ts for time windows; the shared migration indexes the other tables.
 * - The PostgreSQL-only migration (`001_pg_events_partitioned`) runs after the shared
 *   `001_initial` and before any later shared migration; it rebuilds `events` as partitioned.
 * - `schema`: every table lives in one schema (created if missing; `?schema=` in the URL or the
 *   option), which tests use to isolate runs.
 */
import { Kysely, type Migration, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { RequestEvent } from '../events/types.js';
import { MIGRATIONS } from './migrations.js';
import { SqlCheckpointsRepo } from './repos/checkpoints.js';
import { SqlAuditRepo, SqlDecisionsRepo } from './repos/decisions.js';
import { SqlEventsRepo } from './repos/events.js';
import { SqlFindingsRepo } from './repos/findings.js';
import { SqlTenancyRepo } from './repos/tenancy.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

export interface PostgresOptions {
  /** Schema holding every table (created if missing). Overrides `?schema=` in the URL. */
  schema?: string;
  /** Days of events kept; older daily partitions are dropped. 0 keeps everything. */
  retentionDays?: number;
  /** Daily partitions created ahead of today. */
  partitionsAhead?: number;
  /** How often `maintain()` runs in the background (0: only when called). */
  maintenanceEveryMs?: number;
  poolSize?: number;
  clock?: () => number;
}

export const POSTGRES_DEFAULTS = {
  schema: 'public',
  retentionDays: 0,
  partitionsAhead: 3,
  maintenanceEveryMs: 3600_000,
  poolSize: 10,
};

export interface PartitionInfo {
  name: string;
  /** Inclusive lower bound (epoch ms); null for the default partition. */
  from: number | null;
  /** Exclusive upper bound (epoch ms); null for the default partition. */
  to: number | null;
}

export interface MaintenanceResult {
  created: string[];
  dropped: string[];
  deletedFromDefault: number;
}

export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  readonly schema: string;
  readonly db: Kysely<Database>;
  /** Creates the partitions ahead and applies retention (also runs on a timer). */
  maintain(now?: number): Promise<MaintenanceResult>;
  partitions(): Promise<PartitionInfo[]>;
}

const DAY_MS = 86_400_000;
const SCHEMA_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export const dayStart = (ts: number): number => Math.floor(ts / DAY_MS) * DAY_MS;

/** `events_pYYYYMMDD` for the UTC day starting at `start`. */
export function partitionName(start: number): string {
  return `events_p${new Date(start).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Parses `FOR VALUES FROM ('a') TO ('b')` (or `DEFAULT`) into bounds. */
export function parseBound(bound: string): { from: number | null; to: number | null } {
  const m = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(bound);
  return m ? { from: Number(m[1]), to: Number(m[2]) } : { from: null, to: null };
}

/** Splits `?schema=` off a postgres:// URL. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string | null } {
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  return { connectionString: u.toString(), schema };
}

/** Rebuilds `events` (created by the shared 001_initial) as a table partitioned by day. */
const pgEventsPartitioned: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`ALTER TABLE events RENAME TO events_unpartitioned`.execute(db);
    await sql`ALTER TABLE events_unpartitioned RENAME CONSTRAINT events_pkey TO events_unpartitioned_pkey`.execute(
      db,
    );
    await sql`CREATE TABLE events (LIKE events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
      PARTITION BY RANGE (ts)`.execute(db);
    await sql`ALTER TABLE events ALTER COLUMN id TYPE text COLLATE "C"`.execute(db);
    await sql`ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, ts)`.execute(db);
    await sql`CREATE TABLE events_default PARTITION OF events DEFAULT`.execute(db);
    await sql`INSERT INTO events SELECT * FROM events_unpartitioned`.execute(db);
    await sql`DROP TABLE events_unpartitioned`.execute(db);
    await sql`CREATE INDEX events_key_ts ON events (key_id, ts, id)`.execute(db);
    await sql`CREATE INDEX events_org_ts ON events (org_id, ts, id)`.execute(db);
    await sql`CREATE INDEX events_ts ON events (ts)`.execute(db);
  },
};

/** The shared migrations plus the PostgreSQL-only ones, in name order. */
export const PG_MIGRATIONS: Record<string, Migration> = {
  ...MIGRATIONS,
  '001_pg_events_partitioned': pgEventsPartitioned,
};

async function migratePg(db: Kysely<Database>, schema: string): Promise<void> {
  const migrator = new Migrator({
    db: db as unknown as Kysely<unknown>,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => PG_MIGRATIONS },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
}

/** Daily partition management over one schema's `events` table. */
class Partitions {
  private readonly known = new Set<number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly retentionDays: number,
  ) {}

  async list(): Promise<PartitionInfo[]> {
    const { rows } = await sql<{ name: string; bound: string }>`
      SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
      WHERE p.relname = 'events' AND n.nspname = current_schema()
      ORDER BY c.relname`.execute(this.db);
    return rows.map((r) => ({ name: r.name, ...parseBound(r.bound) }));
  }

  /** Oldest day still inside the retention window (null: keep everything). */
  cutoff(now: number): number | null {
    return this.retentionDays > 0 ? dayStart(now) - (this.retentionDays - 1) * DAY_MS : null;
  }

  /** Makes sure the daily partitions of `days` exist (skipping days past retention). */
  async ensure(days: Iterable<number>, now: number): Promise<string[]> {
    const cutoff = this.cutoff(now);
    const created: string[] = [];
    for (const day of days) {
      if (this.known.has(day) || (cutoff !== null && day < cutoff)) continue;
      if (await this.create(day)) created.push(partitionName(day));
      this.known.add(day);
    }
    return created;
  }

  /** Drops partitions wholly before the retention window and trims the default partition. */
  async applyRetention(now: number): Promise<{ dropped: string[]; deleted: number }> {
    const cutoff = this.cutoff(now);
    if (cutoff === null) return { dropped: [], deleted: 0 };
    const dropped: string[] = [];
    for (const p of await this.list()) {
      if (p.to === null || p.to > cutoff) continue;
      await sql`DROP TABLE IF EXISTS ${sql.id(p.name)}`.execute(this.db);
      if (p.from !== null) this.known.delete(p.from);
      dropped.push(p.name);
    }
    const res = await sql`DELETE FROM events_default WHERE ts < ${cutoff}`.execute(this.db);
    return { dropped, deleted: Number(res.numAffectedRows ?? 0) };
  }

  /** Creates one day's partition, moving any rows the default partition holds for it. */
  private async create(day: number): Promise<boolean> {
    const name = partitionName(day);
    const to = day + DAY_MS;
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.events_partitions'))`.execute(
        trx,
      );
      const exists = await sql<{ r: string | null }>`SELECT to_regclass(${name}) AS r`.execute(trx);
      if (exists.rows[0]?.r) return false;
      const strays =
        await sql`SELECT 1 FROM events_default WHERE ts >= ${day} AND ts < ${to} LIMIT 1`.execute(trx);
      if (strays.rows.length === 0) {
        await sql`CREATE TABLE ${sql.id(name)} PARTITION OF events FOR VALUES FROM (${sql.lit(day)}) TO (${sql.lit(to)})`.execute(
          trx,
        );
        return true;
      }
      await sql`CREATE TABLE ${sql.id(name)} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`.execute(
        trx,
      );
      await sql`WITH moved AS (DELETE FROM events_default WHERE ts >= ${day} AND ts < ${to} RETURNING *)
        INSERT INTO ${sql.id(name)} SELECT * FROM moved`.execute(trx);
      await sql`ALTER TABLE events ATTACH PARTITION ${sql.id(name)} FOR VALUES FROM (${sql.lit(day)}) TO (${sql.lit(to)})`.execute(
        trx,
      );
      return true;
    });
  }
}

/**
 * The shared events repository on the partitioned table: the conflict target is the (id, ts)
 * primary key, and each batch's days get their partitions before the insert.
 */
class PgEventsRepo extends SqlEventsRepo {
  constructor(
    pdb: Kysely<Database>,
    private readonly parts: Partitions,
    private readonly clock: () => number,
  ) {
    super(pdb, { conflict: ['id', 'ts'] });
  }

  override async insertBatch(events: readonly RequestEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    await this.parts.ensure(new Set(events.map((e) => dayStart(e.ts))), this.clock());
    return super.insertBatch(events);
  }
}

/** Opens (and migrates) the PostgreSQL store named by a `postgres://` URL. */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
  const parsed = parsePostgresUrl(url);
  const schema = opts.schema ?? parsed.schema ?? POSTGRES_DEFAULTS.schema;
  if (!SCHEMA_RE.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  const clock = opts.clock ?? Date.now;
  const pool = new pg.Pool({
    connectionString: parsed.connectionString,
    max: opts.poolSize ?? POSTGRES_DEFAULTS.poolSize,
    options: `-c search_path=${schema}`,
  });
  pool.on('error', () => undefined); // an idle client's failure surfaces on the next query
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const parts = new Partitions(db, opts.retentionDays ?? POSTGRES_DEFAULTS.retentionDays);
  const ahead = opts.partitionsAhead ?? POSTGRES_DEFAULTS.partitionsAhead;
  const maintain = async (now = clock()): Promise<MaintenanceResult> => {
    const days = Array.from({ length: ahead + 2 }, (_, i) => dayStart(now) + (i - 1) * DAY_MS);
    const created = await parts.ensure(days, now);
    const { dropped, deleted } = await parts.applyRetention(now);
    return { created, dropped, deletedFromDefault: deleted };
  };
  try {
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
    await migratePg(db, schema);
    await maintain();
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const every = opts.maintenanceEveryMs ?? POSTGRES_DEFAULTS.maintenanceEveryMs;
  const timer = every > 0 ? setInterval(() => void maintain().catch(() => undefined), every) : null;
  timer?.unref();
  return {
    kind: 'postgres',
    schema,
    db,
    tenancy: new SqlTenancyRepo(db),
    events: new PgEventsRepo(db, parts, clock),
    decisions: new SqlDecisionsRepo(db),
    audit: new SqlAuditRepo(db),
    findings: new SqlFindingsRepo(db),
    checkpoints: new SqlCheckpointsRepo(db),
    maintain,
    partitions: () => parts.list(),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (timer) clearInterval(timer);
      await db.destroy();
    },
  };
}
