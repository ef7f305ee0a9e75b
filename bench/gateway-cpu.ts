/**
 * @module bench/gateway-cpu
 * `npm run bench:gateway-cpu` (or `tsx bench/gateway-cpu.ts`): CPU cost per request of each
 * benchmark target, the figure least sensitive to a loaded machine. Starts the mock, the bare
 * pass-through and the gateway (each its own process, as in `bench/gateway.ts`), loads each with
 * autocannon at 32 connections, and reads the target's user + system time from
 * `/proc/<pid>/stat` (all threads, so the gateway's figure includes its event worker). Env:
 * BENCH_SECONDS (default 8), BENCH_ROUNDS (default 2, interleaved; the median is kept),
 * BENCH_TARGETS (comma list of mock, passthrough, fastify, gateway, gateway-tsx, baseline; default
 * `passthrough,gateway`; `fastify` is a bare Fastify relay, bench/fastify-relay.ts, which sizes
 * the framework's own share), BENCH_TSX=1 (run the gateway from the sources through tsx), BENCH_THREADS=1
 * (print CPU per thread), BENCH_BASELINE_DIST=<dir> (the `baseline` target: another compiled
 * build of the gateway, e.g. of an earlier commit, for an A/B in the same run),
 * BENCH_GATEWAY_NODE_OPTIONS (node options for the `gateway` target only):
 *
 *   git archive <commit> src tsconfig.json tsconfig.build.json | tar -x -C bench/out/base
 *   (cd bench/out/base && npx tsc -p tsconfig.build.json --outDir ../base-dist) && rm -r bench/out/base
 *   BENCH_BASELINE_DIST=bench/out/base-dist BENCH_TARGETS=baseline,gateway npx tsx bench/gateway-cpu.ts
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { compiledDist } from './gateway-build.js';
import { CHAT, startProcess } from './lib/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TARGETS = (process.env.BENCH_TARGETS ?? 'passthrough,gateway').split(',');
const CLK_TCK = 100;
/** Extra node options for the `gateway` target only (e.g. V8 GC flags, A/B against `baseline`). */
const GATEWAY_NODE_OPTIONS = process.env.BENCH_GATEWAY_NODE_OPTIONS;

/** user + system CPU of a process (all its threads), in microseconds. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

/** user + system CPU of each thread of a process (µs), by thread id. */
function threadMicros(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(
        `${tid === String(pid) ? 'main' : name}#${tid}`,
        ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK,
      );
    } catch {
      // the thread ended
    }
  }
  return out;
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  child: ChildProcess;
}

async function measure(
  t: Target,
  upstreamPid: number,
): Promise<{ rps: number; cpu: number; mockCpu: number }> {
  const before = cpuMicros(t.child.pid!);
  const threadsBefore = threadMicros(t.child.pid!);
  const mockBefore = cpuMicros(upstreamPid);
  const r = await autocannon({
    url: t.url,
    method: 'POST',
    headers: t.headers,
    body: CHAT,
    connections: 32,
    duration: SECONDS,
  });
  const n = r.requests.total;
  if (process.env.BENCH_THREADS === '1') {
    const parts: string[] = [];
    for (const [k, v] of threadMicros(t.child.pid!)) {
      const d = (v - (threadsBefore.get(k) ?? 0)) / n;
      if (d >= 0.5) parts.push(`${k}=${d.toFixed(1)}`);
    }
    console.error(`${t.name} threads (µs/request): ${parts.join(' ')}`);
  }
  if (r.non2xx + r.errors > 0) console.error(`${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return {
    rps: r.requests.average,
    cpu: (cpuMicros(t.child.pid!) - before) / n,
    mockCpu: (cpuMicros(upstreamPid) - mockBefore) / n,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const dist = compiledDist();
  const mock = await startProcess('bench/mock-server.ts', {});
  const base = mock.words[0]!;
  const targets: Target[] = [];
  const json = { 'content-type': 'application/json' };
  if (TARGETS.includes('mock'))
    targets.push({ name: 'mock', url: `${base}/chat/completions`, headers: json, child: mock.child });
  // The two reference relays: same start, same request.
  for (const [name, script] of [
    ['passthrough', 'bench/passthrough.ts'],
    ['fastify', 'bench/fastify-relay.ts'],
  ] as const) {
    if (!TARGETS.includes(name)) continue;
    const p = await startProcess(script, { UPSTREAM: base });
    targets.push({ name, url: `${p.words[0]}/v1/chat/completions`, headers: json, child: p.child });
  }
  if (TARGETS.includes('gateway')) {
    const g = await startProcess('bench/gateway-server.ts', {
      UPSTREAM: base,
      ...(dist ? { BENCH_DIST: dist } : {}),
      ...(GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: GATEWAY_NODE_OPTIONS } : {}),
    }).catch((err: unknown) => {
      for (const t of [mock, ...targets]) t.child.kill('SIGTERM');
      throw err;
    });
    targets.push({
      name: 'gateway',
      url: `${g.words[0]}/v1/chat/completions`,
      headers: { ...json, authorization: `Bearer ${g.words[1]}` },
      child: g.child,
    });
  }
  const baselineDist = process.env.BENCH_BASELINE_DIST;
  if (TARGETS.includes('baseline') && baselineDist) {
    const g = await startProcess('bench/gateway-server.ts', {
      UPSTREAM: base,
      BENCH_DIST: resolve(baselineDist),
    });
    targets.push({
      name: 'baseline',
      url: `${g.words[0]}/v1/chat/completions`,
      headers: { ...json, authorization: `Bearer ${g.words[1]}` },
      child: g.child,
    });
  }
  if (TARGETS.includes('gateway-tsx')) {
    const g = await startProcess('bench/gateway-server.ts', { UPSTREAM: base });
    targets.push({
      name: 'gateway-tsx',
      url: `${g.words[0]}/v1/chat/completions`,
      headers: { ...json, authorization: `Bearer ${g.words[1]}` },
      child: g.child,
    });
  }
  const runs = targets.map(() => [] as Array<{ rps: number; cpu: number; mockCpu: number }>);
  try {
    // A short warm-up per target (JIT), then interleaved measured rounds.
    for (const t of targets)
      await autocannon({
        url: t.url,
        method: 'POST',
        headers: t.headers,
        body: CHAT,
        connections: 32,
        duration: 4,
      });
    for (let round = 0; round < ROUNDS; round++)
      for (let i = 0; i < targets.length; i++) runs[i]!.push(await measure(targets[i]!, mock.child.pid!));
    console.log(`| target | req/s @32 | CPU µs/request (target) | CPU µs/request (mock) |`);
    console.log('|---|---:|---:|---:|');
    for (let i = 0; i < targets.length; i++) {
      const r = runs[i]!;
      console.log(
        `| ${targets[i]!.name} | ${median(r.map((x) => x.rps)).toFixed(0)} | ${median(r.map((x) => x.cpu)).toFixed(1)} (${r.map((x) => x.cpu.toFixed(0)).join(', ')}) | ${median(r.map((x) => x.mockCpu)).toFixed(1)} |`,
      );
    }
  } finally {
    const children = [mock.child, ...targets.filter((t) => t.child !== mock.child).map((t) => t.child)];
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
  }
}

await main();
