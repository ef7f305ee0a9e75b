/**
 * @module bench/gateway-parts
 * `tsx bench/gateway-parts.ts`: the cost of the gateway's parts measured alone, in µs per call
 * (performance.now() loops after a warm-up), on the request of `bench/gateway.ts` and a mock
 * answer: the event record's build (feature extraction), its structured clone, the SQLite
 * batch insert per event, limits reserve + settle, usage metering, header building, validation.
 * Env: BENCH_ITERATIONS (default 20000).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractPromptFeatures } from '../src/events/features.js';
import type { RequestEvent } from '../src/events/types.js';
import { buildEvent, type EventRecord } from '../src/gateway/event.js';
import { usageOfAnswer } from '../src/gateway/metering.js';
import { DEFAULT_GATEWAY_SETTINGS } from '../src/gateway/types.js';
import { makeValidator } from '../src/gateway/validate.js';
import { rateLimitHeaders } from '../src/limits/headers.js';
import { MemoryLimitsStore } from '../src/limits/memory.js';
import type { LimitSubject } from '../src/limits/types.js';
import { openStore } from '../src/store/open.js';
import { CHAT } from './lib/processes.js';

const N = Number(process.env.BENCH_ITERATIONS ?? 20000);

/** The benchmark's chat request (the same body as every gateway bench). */
const BODY = CHAT;
const RESULT = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'mock-1',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Positive. The reviewer enjoyed the soup and said so plainly, '.repeat(2),
      },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 31, completion_tokens: 32, total_tokens: 63 },
});

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
let seq = 0;
const record = (): EventRecord => ({
  id: `r${seq++}`,
  ts: Date.now(),
  endpoint: 'chat',
  keyId: 'k1',
  accountId: 'a1',
  orgId: 'o1',
  ip: '127.0.0.1',
  userAgent: 'autocannon',
  sdk: {},
  raw: bytes(BODY),
  result: bytes(RESULT),
  stream: null,
  usage: { promptTokens: 31, completionTokens: 32, reasoningTokens: 0, imageTokens: 0, estimated: false },
  status: 200,
  errorCode: null,
  latencyMs: 1.234,
  ttftMs: null,
  upstream: 'default',
  limitedBy: null,
  storeText: false,
});

function time(name: string, fn: (i: number) => unknown, n = N): void {
  for (let i = 0; i < Math.min(2000, n); i++) fn(i);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  console.log(`| ${name} | ${(((performance.now() - t0) * 1000) / n).toFixed(2)} |`);
}

console.log('| part | µs per call |');
console.log('|---|---:|');
const body = JSON.parse(BODY);
time('extractPromptFeatures', () =>
  extractPromptFeatures('chat', body, { tools: 0 }, { storeText: false, countTokens: false }),
);
time('buildEvent (parse + features + output)', () => buildEvent(record()));
const r = record();
time('structuredClone(EventRecord)', () => structuredClone(r));
const ev: RequestEvent = buildEvent(record());
time('structuredClone(RequestEvent)', () => structuredClone(ev));
time('JSON.stringify(RequestEvent)', () => JSON.stringify(ev));
time('JSON.parse(request body)', () => JSON.parse(BODY));
const validate = makeValidator(DEFAULT_GATEWAY_SETTINGS);
time('validate (chat)', () => validate('chat', body));
const resultBuf = Buffer.from(RESULT);
time('usageOfAnswer (usage of a non-streamed answer)', () => usageOfAnswer(resultBuf));
time('JSON.parse(answer) (the old way)', () => JSON.parse(resultBuf.toString('utf8')).usage);

const limits = new MemoryLimitsStore();
const subjects: LimitSubject[] = [
  { scope: 'key', id: 'k1', rule: { rpm: 1e9, tpm: 1e12, concurrency: 10000 } },
  { scope: 'org', id: 'o1', rule: { rpm: 1e9, tpm: 1e12 } },
];
{
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const res = await limits.reserve({ requestId: `q${i}`, subjects, estimatedTokens: 50, now: Date.now() });
    if (res.ok) await limits.settle(res.reservation, 63, Date.now());
  }
  console.log(
    `| limits reserve + settle (memory, key + org) | ${(((performance.now() - t0) * 1000) / N).toFixed(2)} |`,
  );
  const res = await limits.reserve({ requestId: 'h', subjects, estimatedTokens: 50, now: Date.now() });
  time('rateLimitHeaders', () => rateLimitHeaders(res.status));
}

const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'dg-parts-')), 'db.sqlite')}`);
{
  const events = Array.from({ length: N }, () => buildEvent(record()));
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 500) await store.events.insertBatch(events.slice(i, i + 500));
  console.log(
    `| events.insertBatch per event (500-event batches, SQLite) | ${(((performance.now() - t0) * 1000) / N).toFixed(2)} |`,
  );
}
await store.close();
