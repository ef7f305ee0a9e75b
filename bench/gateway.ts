/**
 * @module bench/gateway
 * `npm run bench:gateway`: the gateway's overhead, side by side in one run, against the mock
 * upstream started as its own process. Three targets, each its own process, same layout:
 *   mock         the mock upstream called directly
 *   passthrough  a bare undici pass-through (bench/passthrough.ts)
 *   gateway      distillguard with auth, limits, metering and event writing (SQLite) on
 *   fastify      (reference) the pass-through on Fastify, nothing else (bench/fastify-relay.ts):
 *                the floor of a Fastify-based gateway
 * Figures: throughput at 32 connections (autocannon), p50/p99 latency at concurrency 1 and
 * streaming time-to-first-token (a sequential loop over one keep-alive connection timed with
 * hrtime, since autocannon's histogram has 1 ms resolution). Env: BENCH_SECONDS (length of one
 * throughput run, default 5), BENCH_ROUNDS (interleaved throughput runs per target, median kept,
 * default 3), BENCH_SAMPLES (sequential samples per target, default 3000), BENCH_EVENT_WORKER=0
 * (gateway builds and stores events on its request thread), BENCH_TSX=1 (run the gateway from
 * the TypeScript sources through tsx instead of the compiled build `distillguard` ships; see
 * `bench/gateway-build.ts`).
 */
import type { ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Client } from 'undici';
import { compiledDist } from './gateway-build.js';
import { CHAT, startProcess } from './lib/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3000);
const WARMUP = Math.min(500, Math.ceil(SAMPLES / 5));
const CONNECTIONS = 32;

const STREAM = JSON.stringify({ ...JSON.parse(CHAT), stream: true });

interface Target {
  name: 'mock' | 'passthrough' | 'gateway' | 'fastify';
  /** Base URL including /v1. */
  base: string;
  headers: Record<string, string>;
  child: ChildProcess;
}

async function startTargets(): Promise<Target[]> {
  const mock = await startProcess('bench/mock-server.ts', {});
  const mockBase = mock.words[0]!;
  const pass = await startProcess('bench/passthrough.ts', { UPSTREAM: mockBase });
  const dist = compiledDist();
  const gw = await startProcess('bench/gateway-server.ts', {
    UPSTREAM: mockBase,
    ...(dist ? { BENCH_DIST: dist } : {}),
  });
  const relay = await startProcess('bench/fastify-relay.ts', { UPSTREAM: mockBase });
  const json = { 'content-type': 'application/json' };
  return [
    { name: 'mock', base: mockBase, headers: json, child: mock.child },
    { name: 'passthrough', base: `${pass.words[0]}/v1`, headers: json, child: pass.child },
    {
      name: 'gateway',
      base: `${gw.words[0]}/v1`,
      headers: { ...json, authorization: `Bearer ${gw.words[1]}` },
      child: gw.child,
    },
    { name: 'fastify', base: `${relay.words[0]}/v1`, headers: json, child: relay.child },
  ];
}

async function throughput(t: Target): Promise<{ rps: number; errors: number }> {
  const result = await autocannon({
    url: `${t.base}/chat/completions`,
    method: 'POST',
    headers: t.headers,
    body: CHAT,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return { rps: result.requests.average, errors: result.non2xx + result.errors };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** One request on `client`; returns ms to the end of the body (or to its first byte). */
async function timeOne(
  client: Client,
  t: Target,
  path: string,
  body: string,
  untilFirstByte: boolean,
): Promise<number> {
  const start = performance.now();
  const res = await client.request({ path, method: 'POST', headers: t.headers, body });
  let first = 0;
  for await (const _chunk of res.body) {
    if (first === 0) first = performance.now();
  }
  if (res.statusCode !== 200) throw new Error(`${t.name}: HTTP ${res.statusCode}`);
  return (untilFirstByte ? first : performance.now()) - start;
}

/**
 * Sequential requests at concurrency 1, one keep-alive connection per target, interleaved
 * round-robin (mock, pass-through, gateway, mock, …) so that noise from the machine hits every
 * target alike. Returns each target's sorted per-request times in ms.
 */
async function sequential(targets: Target[], body: string, untilFirstByte: boolean): Promise<number[][]> {
  const clients = targets.map((t) => new Client(new URL(t.base).origin, { pipelining: 1 }));
  const paths = targets.map((t) => `${new URL(t.base).pathname}/chat/completions`);
  const times: number[][] = targets.map(() => []);
  try {
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      for (let j = 0; j < targets.length; j++) {
        const ms = await timeOne(clients[j]!, targets[j]!, paths[j]!, body, untilFirstByte);
        if (i >= WARMUP) times[j]!.push(ms);
      }
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  return times.map((t) => t.sort((a, b) => a - b));
}

interface Row {
  name: string;
  rps: number;
  errors: number;
  p50: number;
  p99: number;
  ttft50: number;
  ttft99: number;
}

const f = (n: number, d = 3) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

function report(rows: Row[]): void {
  const by = Object.fromEntries(rows.map((r) => [r.name, r])) as Record<Target['name'], Row>;
  const { mock, passthrough: pass, gateway: gw, fastify } = by;
  console.log(
    `\nmachine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  console.log(
    `throughput: ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${SECONDS}s runs; latency/TTFT: ${SAMPLES} sequential requests per target, interleaved (after ${WARMUP} warm-up)\n`,
  );
  console.log('| target | req/s @32 | errors | p50 ms @1 | p99 ms @1 | TTFT p50 ms | TTFT p99 ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${f(r.rps, 0)} | ${r.errors} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.ttft50)} | ${f(r.ttft99)} |`,
    );
  console.log(
    '\n| gateway vs | throughput ratio | added p50 ms | added p99 ms | added TTFT p50 ms | added TTFT p99 ms |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const base of [pass, mock])
    console.log(
      `| ${base.name} | ${f(gw.rps / base.rps, 2)} | ${f(gw.p50 - base.p50)} | ${f(gw.p99 - base.p99)} | ${f(gw.ttft50 - base.ttft50)} | ${f(gw.ttft99 - base.ttft99)} |`,
    );
  console.log(
    `\nreference: the bare Fastify relay reaches ${f(fastify.rps / pass.rps, 2)} of the pass-through's throughput ` +
      `(added p99 @1 ${f(fastify.p99 - pass.p99)} ms); the gateway reaches ${f(gw.rps / fastify.rps, 2)} of the Fastify relay's`,
  );
  const tputOk = gw.rps / pass.rps >= 0.8;
  const p99Ok = gw.p99 - pass.p99 <= 1;
  console.log(
    `\ntargets: throughput ≥ 80% of pass-through: ${tputOk ? 'MET' : 'MISSED'} (${f((100 * gw.rps) / pass.rps, 1)}%); ` +
      `p99 added latency @1 ≤ 1 ms: ${p99Ok ? 'MET' : 'MISSED'} (${f(gw.p99 - pass.p99)} ms vs pass-through)`,
  );
}

async function main(): Promise<void> {
  const targets = await startTargets();
  try {
    // Throughput in ROUNDS short runs per target, interleaved, median kept: drift in the
    // machine's load then hits every target alike.
    const runs: Array<Array<{ rps: number; errors: number }>> = targets.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let j = 0; j < targets.length; j++) {
        process.stderr.write(`throughput round ${round + 1}/${ROUNDS}: ${targets[j]!.name}…\n`);
        runs[j]!.push(await throughput(targets[j]!));
      }
    }
    const tputs = runs.map((r) => ({
      rps: percentile(
        r.map((x) => x.rps).sort((a, b) => a - b),
        50,
      ),
      errors: r.reduce((n, x) => n + x.errors, 0),
    }));
    process.stderr.write('latency at concurrency 1 (interleaved)…\n');
    const lat = await sequential(targets, CHAT, false);
    process.stderr.write('streaming time to first token (interleaved)…\n');
    const ttft = await sequential(targets, STREAM, true);
    const rows: Row[] = targets.map((t, i) => ({
      name: t.name,
      rps: tputs[i]!.rps,
      errors: tputs[i]!.errors,
      p50: percentile(lat[i]!, 50),
      p99: percentile(lat[i]!, 99),
      ttft50: percentile(ttft[i]!, 50),
      ttft99: percentile(ttft[i]!, 99),
    }));
    report(rows);
  } finally {
    for (const t of targets) t.child.kill('SIGTERM');
    await Promise.all(
      targets.map((t) => new Promise((r) => (t.child.exitCode !== null ? r(null) : t.child.once('exit', r)))),
    );
  }
}

await main();
