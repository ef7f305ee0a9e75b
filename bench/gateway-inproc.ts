/**
 * @module bench/gateway-inproc
 * `tsx bench/gateway-inproc.ts`: the gateway's own CPU per request, in one process, measured
 * with `process.cpuUsage()` (CPU time, so a loaded machine hardly moves it). An undici client in
 * the same process sends the requests (32 at a time, over loopback) to two apps with the same
 * stub upstream (a canned chat answer, as the mock gives): a bare Fastify
 * route that forwards and relays (the floor), and the gateway plugin with auth (tenancy's key
 * cache), the decision check, validation, memory limits (reserve + settle on key and org),
 * metering and the event record handed to a sink (the sink only counts). The difference is what
 * the gateway adds on its request thread. Env: BENCH_ITERATIONS (default 20000), BENCH_PROFILE=1
 * (run only the gateway, for `node --cpu-prof`).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { Pool } from 'undici';
import type { EventRecord } from '../src/gateway/event.js';
import { gatewayPlugin } from '../src/gateway/plugin.js';
import type { UpstreamCall, UpstreamTarget } from '../src/gateway/types.js';
import { MemoryLimitsStore } from '../src/limits/memory.js';
import type { TenancyRepo } from '../src/store/types.js';
import { KeyResolver } from '../src/tenancy/resolver.js';
import type { KeyContext } from '../src/tenancy/types.js';
import { CHAT } from './lib/processes.js';

const N = Number(process.env.BENCH_ITERATIONS ?? 20000);

/** The benchmark's chat request (the same body as every gateway bench). */
const BODY = CHAT;
const ANSWER = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'mock-1',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Positive. The reviewer enjoyed the soup. '.repeat(3) },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 31, completion_tokens: 32, total_tokens: 63 },
  }),
);

type Answer = Awaited<ReturnType<UpstreamTarget['request']>>;

/** A stub upstream answering every call with the canned chat answer. */
function answer(): Answer {
  const body = Readable.from([ANSWER]) as Readable & { bytes(): Promise<Uint8Array> };
  body.bytes = async () => {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' },
    body,
  } as unknown as Answer;
}

const target: UpstreamTarget = { name: 'stub', request: async (_call: UpstreamCall) => answer() };

async function bareApp(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_r, raw, done) => done(null, raw));
  app.post('/v1/chat/completions', async (request, reply) => {
    const res = await target.request({
      path: '/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: request.body as Buffer,
    });
    const bytes = await (res.body as unknown as { bytes(): Promise<Uint8Array> }).bytes();
    return reply.code(res.statusCode).header('content-type', 'application/json').send(Buffer.from(bytes));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

const SECRET = 'dg-bench-secret-0123456789abcdefghijklmnop';
const KEY: KeyContext = {
  keyId: 'k1',
  accountId: 'a1',
  orgId: 'o1',
  prefix: 'dg-bench',
  revoked: false,
  keyLimits: { rpm: 100_000_000, tpm: 1_000_000_000_000, concurrency: 10_000 },
  orgLimits: { rpm: 100_000_000, tpm: 1_000_000_000_000 },
  labels: {},
};

async function gatewayApp(records: { n: number }): Promise<FastifyInstance> {
  const hash = createHash('sha256').update(SECRET).digest('hex');
  const app = Fastify({ logger: false, childLoggerFactory: (logger) => logger });
  await app.register(gatewayPlugin, {
    // tenancy's KeyResolver over a stub repository: every request after the first is a cache hit.
    resolver: new KeyResolver({
      contextByHash: async (h: string) => (h === hash ? KEY : null),
    } as unknown as TenancyRepo),
    decisions: { effective: () => null },
    limits: new MemoryLimitsStore(),
    upstreams: { route: () => target, models: async () => [] },
    bus: { publish: () => {} },
    sink: {
      record: (_r: EventRecord) => {
        records.n++;
      },
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

/** CPU µs per request (this process: client + server) for `n` requests, 32 in flight. */
async function run(app: FastifyInstance, headers: Record<string, string>, n: number): Promise<number> {
  const url = app.listeningOrigin;
  const pool = new Pool(url, { connections: 32 });
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const res = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers, body: BODY });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text}`);
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: 32 }, worker));
  const used = process.cpuUsage(before);
  await pool.close();
  return (used.user + used.system) / n;
}

const records = { n: 0 };
const gw = await gatewayApp(records);
const gwHeaders = { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` };
if (process.env.BENCH_PROFILE === '1') {
  await run(gw, gwHeaders, N);
} else {
  const bare = await bareApp();
  const json = { 'content-type': 'application/json' };
  await run(bare, json, 2000);
  await run(gw, gwHeaders, 2000);
  const rows: Array<[string, number[]]> = [
    ['bare Fastify relay', []],
    ['gateway plugin', []],
  ];
  for (let round = 0; round < 3; round++) {
    rows[0]![1].push(await run(bare, json, N));
    rows[1]![1].push(await run(gw, gwHeaders, N));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  console.log('| app (loopback client in-process, stub upstream) | CPU µs per request (median of 3) |');
  console.log('|---|---:|');
  for (const [name, xs] of rows) console.log(`| ${name} | ${median(xs).toFixed(1)} |`);
  console.log(`| gateway's own work | ${(median(rows[1]![1]) - median(rows[0]![1])).toFixed(1)} |`);
  await bare.close();
}
await new Promise((r) => setTimeout(r, 50));
console.error(`records: ${records.n}`);
await gw.close();
