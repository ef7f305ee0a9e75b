/**
 * @module test/cluster/helpers
 * A whole cluster on this machine for integration tests and the cluster benchmark: N real
 * `startApp` gateway replicas on Redis, one PostgreSQL schema and one NATS stream (names unique
 * per run, removed by `close()`), in front of the in-process mock upstream.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { connect as natsConnect } from 'nats';
import pg from 'pg';
import { type App, type AppOptions, startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createMockUpstream, type MockUpstream } from '../../src/upstream/mock/index.js';
import type { ClusterNames } from '../../src/worker/replica.js';

export const PG_URL = process.env.DISTILLGUARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const NATS_URL = 'nats://127.0.0.1:4222';
export const MODELS = ['gpt-4o-mini', 'gpt-4o'];

/** Unique names for one run: PostgreSQL schema, stream, subjects, Redis prefix. */
export function runNames(): Required<ClusterNames> & { schema: string; run: string } {
  const run = randomUUID().slice(0, 8);
  return {
    run,
    schema: `dgc_${run}`,
    stream: `DGC_${run}`,
    subjectPrefix: `dgc.${run}.ev`,
    decisionsSubject: `dgc.${run}.decisions`,
    linkageSubject: `dgc.${run}.linkage`,
    redisPrefix: `dgc:${run}`,
  };
}

export interface ClusterOptions {
  replicas: number;
  /** Service URLs (tests point some at a TCP proxy). */
  urls?: { pg?: string; redis?: string; nats?: string };
  config?: Partial<Omit<Config, 'cluster'>> & { cluster?: Partial<Config['cluster']> };
  app?: AppOptions;
  names?: ReturnType<typeof runNames>;
}

export interface TestCluster {
  names: ReturnType<typeof runNames>;
  mock: MockUpstream;
  apps: App[];
  /** The config of replica i (same for all but the spool directory). */
  configs: Config[];
  /** Config for a detection worker of this cluster. */
  workerConfig(partition?: number, partitions?: number): Config;
  dbUrl: string;
  close(): Promise<void>;
}

export function pgUrlWithSchema(base: string, schema: string): string {
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return u.toString();
}

export function clusterConfig(
  dir: string,
  mockUrl: string,
  names: ReturnType<typeof runNames>,
  o: Pick<ClusterOptions, 'urls' | 'config' | 'replicas'>,
): Config {
  const loaded = loadConfig({
    env: {},
    flags: { data: dir, port: 0, adminToken: 'cluster-admin-token-0123456789' },
  });
  return {
    ...loaded,
    db: pgUrlWithSchema(o.urls?.pg ?? PG_URL, names.schema),
    redis: o.urls?.redis ?? REDIS_URL,
    nats: o.urls?.nats ?? NATS_URL,
    upstreams: [{ name: 'mock', baseUrl: mockUrl, timeoutMs: 10_000, models: MODELS }],
    ...o.config,
    cluster: {
      ...loaded.cluster,
      replicas: o.replicas,
      event_slots: 4,
      spool_dir: join(dir, 'spool'),
      ...o.config?.cluster,
    },
  };
}

export async function startCluster(o: ClusterOptions): Promise<TestCluster> {
  const names = o.names ?? runNames();
  const mock = await createMockUpstream({ models: MODELS });
  const dirs: string[] = [];
  const apps: App[] = [];
  const configs: Config[] = [];
  const quiet = { warn: () => undefined, info: () => undefined };
  for (let i = 0; i < o.replicas; i++) {
    const dir = mkdtempSync(join(tmpdir(), `dg-cluster-${i}-`));
    dirs.push(dir);
    const config = clusterConfig(dir, mock.url, names, o);
    configs.push(config);
    apps.push(
      await startApp(config, {
        logLevel: 'silent',
        shutdownGraceMs: 1000,
        ...o.app,
        cluster: { ...names, logger: quiet, ...o.app?.cluster },
      }),
    );
  }
  const workerDir = mkdtempSync(join(tmpdir(), 'dg-cluster-w-'));
  dirs.push(workerDir);
  return {
    names,
    mock,
    apps,
    configs,
    dbUrl: pgUrlWithSchema(PG_URL, names.schema),
    workerConfig(partition = 0, partitions = 1) {
      const c = clusterConfig(workerDir, mock.url, names, o);
      return { ...c, cluster: { ...c.cluster, worker: { ...c.cluster.worker, partition, partitions } } };
    },
    async close() {
      for (const a of apps) await a.close().catch(() => undefined);
      await mock.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
      await dropRun(names);
    },
  };
}

/** Removes a run's schema, stream and Redis keys. */
export async function dropRun(names: ReturnType<typeof runNames>): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${names.schema}" CASCADE`).catch(() => undefined);
  await admin.end();
  const nc = await natsConnect({ servers: NATS_URL });
  await (await nc.jetstreamManager()).streams.delete(names.stream).catch(() => undefined);
  await nc.close();
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${names.redisPrefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

export const hello = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello.' }],
  max_tokens: 16,
};

export function chat(base: string, secret: string, body: Record<string, unknown> = hello): Promise<Response> {
  return fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(body),
  });
}

/** Waits until `check` holds (polling every 25 ms), or throws after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
