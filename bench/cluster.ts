/**
 * @module bench/cluster
 * `npm run bench:cluster`: a soak test of cluster mode on this machine's Redis, PostgreSQL and
 * NATS JetStream. It starts, each as its own process through the real CLI,
 *   3 gateway replicas   `distillguard serve --config cluster.yaml` (port 0 each)
 *   2 detection workers  `distillguard worker --config cluster.yaml --partition i --partitions 2`
 * in front of the in-process mock upstream, drives the replicas at high rate for a bounded time
 * (BENCH_SECONDS, default 30) with BENCH_CONNECTIONS concurrent clients (default 96, round-robin
 * over the replicas, 12 keys in 6 orgs), kills worker 0 with SIGKILL at one third of the run and
 * restarts it at one half. Afterwards it stops the replicas (they drain their buses) and checks:
 *   events stored == requests answered      (every answer is one event, stored once)
 *   metered tokens == mock upstream usage   (sum of key_usage == the mock's own totals)
 * and prints the figures. Exit code 1 when a check fails. Each run uses its own namespace and
 * PostgreSQL schema, removed at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { connect as natsConnect } from 'nats';
import pg from 'pg';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { openStore } from '../src/store/open.js';
import { TenancyService } from '../src/tenancy/service.js';
import { createMockUpstream } from '../src/upstream/mock/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 96);
const REPLICAS = 3;
const WORKERS = 2;
const PG = process.env.DISTILLGUARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUN = randomUUID().slice(0, 8);
const NS = `bench_${RUN}`;
const SCHEMA = `dgbench_${RUN}`;
const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'index.ts');

interface Proc {
  name: string;
  child: ChildProcess;
  /** First line matching the ready pattern. */
  ready: string;
}

function start(name: string, args: string[], readyRe: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISTILLGUARD_CONFIG: '' },
  });
  const lines = createInterface({ input: child.stdout! });
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString().trim();
    if (text && process.env.BENCH_VERBOSE) console.error(`[${name}] ${text}`);
  });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (process.env.BENCH_VERBOSE) console.error(`[${name}] ${line}`);
      if (readyRe.test(line)) resolve({ name, child, ready: line });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
}

function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.kill(signal);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dg-bench-cluster-'));
  const mock = await createMockUpstream({ models: ['mock-1'] });
  const dbUrl = `${PG}${PG.includes('?') ? '&' : '?'}schema=${SCHEMA}`;
  const base = {
    host: '127.0.0.1',
    port: 0,
    db: dbUrl,
    redis: 'redis://127.0.0.1:6379',
    nats: 'nats://127.0.0.1:4222',
    admin_token: 'bench-admin-token-0123456789abcdef',
    upstreams: [{ name: 'mock', base_url: mock.url, models: ['mock-1'] }],
  };
  const cfg = (i: number, role: 'serve' | 'worker') => {
    const file = join(dir, `${role}-${i}.yaml`);
    const cluster = {
      namespace: NS,
      replicas: REPLICAS,
      event_slots: 16,
      spool_dir: join(dir, `spool-${i}`),
      worker: { partition: role === 'worker' ? i : 0, partitions: WORKERS, checkpoint_every: 2000 },
    };
    writeFileSync(file, stringify({ ...base, data_dir: join(dir, `data-${role}-${i}`), cluster }));
    return file;
  };

  // Org and keys, through the same store the cluster uses (also creates the schema).
  const store = await openStore(dbUrl);
  const tenancy = new TenancyService(store, { defaultLimits: {} });
  const secrets: string[] = [];
  for (let o = 0; o < 6; o++) {
    await tenancy.createOrg(`bench-org-${o}`);
    for (let k = 0; k < 2; k++) {
      const { secret } = await tenancy.createKey({
        org: `bench-org-${o}`,
        limits: { rpm: 10_000_000, tpm: 1_000_000_000 },
      });
      secrets.push(secret);
    }
  }

  const procs: Proc[] = [];
  const cleanup = async () => {
    await Promise.all(procs.map((p) => stop(p, 'SIGKILL')));
    await store.close().catch(() => undefined);
    await mock.close();
    await dropRun();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const replicas = await Promise.all(
      Array.from({ length: REPLICAS }, (_, i) =>
        start(`gateway-${i}`, ['serve', '--config', cfg(i, 'serve')], /listening on (http\S+)\/v1/),
      ),
    );
    procs.push(...replicas);
    const startWorker = (i: number) =>
      start(`worker-${i}`, ['worker', '--config', cfg(i, 'worker')], /^distillguard worker/);
    const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorker(i)));
    procs.push(...workers);
    const urls = replicas.map((r) => /listening on (http\S+)\/v1/.exec(r.ready)![1]!);
    console.log(`cluster: ${REPLICAS} gateways (${urls.join(', ')}), ${WORKERS} workers, namespace ${NS}`);
    console.log(`load: ${CONNECTIONS} concurrent clients for ${SECONDS} s on ${cpus().length} CPUs\n`);

    const pools = urls.map((u) => new Pool(u, { connections: Math.ceil(CONNECTIONS / REPLICAS) }));
    const body = JSON.stringify({
      model: 'mock-1',
      messages: [{ role: 'user', content: 'Summarise the causes of the French revolution in two lines.' }],
      max_tokens: 48,
    });
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const perReplica = urls.map(() => 0);
    let answered = 0;
    let failed = 0;
    const until = Date.now() + SECONDS * 1000;
    const client = async (c: number) => {
      for (let n = c; Date.now() < until; n += CONNECTIONS) {
        const r = n % REPLICAS;
        const t0 = performance.now();
        try {
          const res = await pools[r]!.request({
            path: '/v1/chat/completions',
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${secrets[n % secrets.length]}`,
            },
            body,
          });
          await res.body.arrayBuffer();
          latencies.push(performance.now() - t0);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          perReplica[r]!++;
          answered++;
        } catch {
          failed++;
        }
      }
    };
    // worker 0 crashes at 1/3 of the run and comes back at 1/2
    const chaos = (async () => {
      await sleep((SECONDS * 1000) / 3);
      await stop(workers[0]!, 'SIGKILL');
      const killedAt = answered;
      await sleep((SECONDS * 1000) / 6);
      const t0 = performance.now();
      workers[0] = await startWorker(0);
      procs.push(workers[0]);
      return { killedAt, restartMs: performance.now() - t0 };
    })();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => client(c)));
    const elapsed = (performance.now() - t0) / 1000;
    const { killedAt, restartMs } = await chaos;
    for (const p of pools) await p.close();

    // Replicas drain their buses on SIGTERM; then the workers catch up.
    const drain0 = performance.now();
    await Promise.all(replicas.map((r) => stop(r)));
    let stored = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      stored = await store.events.count();
      if (stored >= answered) break;
      await sleep(200);
    }
    const catchUpS = (performance.now() - drain0) / 1000;
    await sleep(1000); // anything beyond `answered` would show up now
    stored = await store.events.count();
    const usage = await store.events.usageAll();
    const metered = usage.reduce(
      (a, u) => ({ p: a.p + u.promptTokens, c: a.c + u.completionTokens, r: a.r + u.requests }),
      { p: 0, c: 0, r: 0 },
    );
    await Promise.all(workers.map((w) => stop(w)));

    latencies.sort((a, b) => a - b);
    const ok = statuses.get(200) ?? 0;
    const rows: Array<[string, string]> = [
      ['duration', `${elapsed.toFixed(1)} s`],
      [
        'requests answered',
        `${answered} (${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}; transport errors ${failed})`,
      ],
      [
        'throughput',
        `${Math.round(answered / elapsed)} req/s total; per replica ${perReplica.map((n) => Math.round(n / elapsed)).join(' / ')}`,
      ],
      [
        'latency (client)',
        `p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`,
      ],
      [
        'worker 0',
        `SIGKILL after ${killedAt} answers, back after ${(restartMs / 1000).toFixed(1)} s of start-up`,
      ],
      ['catch-up after load', `${catchUpS.toFixed(1)} s until every event was stored`],
      ['events stored', `${stored} (key_usage requests ${metered.r})`],
      ['metered tokens', `${metered.p} prompt + ${metered.c} completion`],
      [
        'mock upstream usage',
        `${mock.stats.promptTokens} prompt + ${mock.stats.completionTokens} completion (${mock.stats.requests} requests)`,
      ],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(22)} ${v}`);
    const checks: Array<[string, boolean]> = [
      ['events stored == requests answered', stored === answered && metered.r === answered],
      [
        'metered tokens == upstream usage',
        metered.p === mock.stats.promptTokens && metered.c === mock.stats.completionTokens,
      ],
      ['every 200 reached the upstream', ok === mock.stats.requests],
    ];
    console.log('');
    for (const [k, pass] of checks) console.log(`${pass ? 'PASS' : 'FAIL'}  ${k}`);
    if (checks.some(([, pass]) => !pass)) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

async function dropRun(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`).catch(() => undefined);
  await admin.end();
  const nc = await natsConnect({ servers: 'nats://127.0.0.1:4222' });
  await (await nc.jetstreamManager()).streams.delete(`${NS.toUpperCase()}_EVENTS`).catch(() => undefined);
  await nc.close();
  const redis = new Redis('redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${NS}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
