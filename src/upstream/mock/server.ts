/**
 * @module upstream/mock/server
 * The built-in mock OpenAI server on plain `node:http` (it is the baseline of the gateway
 * benchmark, so it stays cheap: replies are deterministic, hence cached by request body).
 * Serves `POST /v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/responses`
 * and `GET /v1/models`, with fault injection (see `faults.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { chatReply } from './chat.js';
import { completionsReply } from './completions.js';
import { embeddingsReply } from './embeddings.js';
import { type Faults, faultsOf } from './faults.js';
import { hexId, mulberry32, seedOf } from './prng.js';
import { errorBody, type MockReply, type ReplyEnv } from './reply.js';
import { isObj, type Obj } from './request.js';
import { responsesReply } from './responses.js';

export interface MockOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Delay before response headers, for every request. */
  latencyMs?: number;
  /** Delay between stream chunks, for every stream. */
  tokenDelayMs?: number;
  /** Probability (0-1) that a request fails with a 500. */
  errorRate?: number;
  /** Mixed into every answer's seed (different seed, different answers). */
  seed?: number;
  /** Model ids listed by `GET /v1/models`. */
  models?: string[];
  /** Requests kept in `stats.recent`. */
  recordLast?: number;
}

export const MOCK_DEFAULTS: Readonly<Required<MockOptions>> = {
  host: '127.0.0.1',
  port: 0,
  latencyMs: 0,
  tokenDelayMs: 0,
  errorRate: 0,
  seed: 0,
  models: ['mock-gpt', 'gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'],
  recordLast: 50,
};

/** One request as the mock received it (to check what a gateway forwarded). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface MockStats {
  requests: number;
  byPath: Record<string, number>;
  streams: number;
  injectedErrors: number;
  disconnects: number;
  promptTokens: number;
  completionTokens: number;
  /** The last `recordLast` requests, oldest first. */
  recent: RecordedRequest[];
}

export interface MockUpstream {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:9100/v1`. */
  url: string;
  port: number;
  stats: MockStats;
  close(): Promise<void>;
}

type Builder = (body: Obj, env: ReplyEnv, seed: number) => MockReply;

/** A reply with its bytes ready: the JSON text, or all SSE frames joined. */
type Prepared = MockReply & { wire: string };

const ROUTES: Record<string, Builder> = {
  '/v1/chat/completions': chatReply,
  '/v1/completions': completionsReply,
  '/v1/embeddings': embeddingsReply,
  '/v1/responses': responsesReply,
};

const REQUIRED: Record<string, string> = {
  '/v1/chat/completions': 'messages',
  '/v1/completions': 'prompt',
  '/v1/embeddings': 'input',
  '/v1/responses': 'input',
};

const CACHE_SIZE = 256;

/** What the answer depends on: the body without its streaming flags (a stream answers as the plain call). */
const answerKey = (body: Obj): string =>
  JSON.stringify({ ...body, stream: undefined, stream_options: undefined });
const MAX_BODY = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown | string, requestId: string): void {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
  });
  res.end(text);
}

const writeThenDestroy = (res: ServerResponse, data: string) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.socket?.destroy();
      resolve();
    };
    if (data) res.write(data, done);
    else done();
  });

async function sendSse(
  res: ServerResponse,
  reply: Prepared & { kind: 'sse' },
  faults: Faults,
  requestId: string,
): Promise<boolean> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': requestId,
  });
  const cut = faults.disconnectAfter;
  const sent = cut === null ? reply.frames : reply.frames.slice(0, cut);
  if (faults.tokenDelayMs <= 0) {
    if (cut === null) res.end(reply.wire);
    else await writeThenDestroy(res, sent.join(''));
    return cut !== null;
  }
  for (let i = 0; i < sent.length; i++) {
    if (res.destroyed) return false;
    if (i > 0) await sleep(faults.tokenDelayMs);
    if (i === sent.length - 1 && cut !== null) {
      await writeThenDestroy(res, sent[i] ?? '');
      return true;
    }
    res.write(sent[i]);
  }
  if (cut !== null) {
    await writeThenDestroy(res, '');
    return true;
  }
  res.end();
  return false;
}

/** Deterministic replies, built once per distinct request (bounded, oldest evicted first). */
class ReplyCache {
  private readonly entries = new Map<string, Prepared>();
  constructor(private readonly seed: number) {}

  get(path: string, raw: string, body: Obj, noUsage: boolean): Prepared {
    const key = `${path}\n${noUsage ? 1 : 0}\n${raw}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const env: ReplyEnv = {
      seed: seedOf(answerKey(body), this.seed),
      created: Math.floor(Date.now() / 1000),
      noUsage,
    };
    const built = (ROUTES[path] as Builder)(body, env, this.seed);
    const wire = built.kind === 'json' ? JSON.stringify(built.body) : built.frames.join('');
    const reply: Prepared = { ...built, wire };
    if (this.entries.size >= CACHE_SIZE) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, reply);
    return reply;
  }
}

const newStats = (): MockStats => ({
  requests: 0,
  byPath: {},
  streams: 0,
  injectedErrors: 0,
  disconnects: 0,
  promptTokens: 0,
  completionTokens: 0,
  recent: [],
});

function parseJson(raw: string): { ok: true; body: unknown } | { ok: false } {
  if (!raw) return { ok: true, body: null };
  try {
    return { ok: true, body: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

type Options = Required<MockOptions>;

/** Answers that need no reply builder: injected errors, the model list, 404s and 400s. */
function earlyAnswer(
  method: string,
  path: string,
  parsed: ReturnType<typeof parseJson>,
  o: Options,
): { status: number; payload: unknown } | null {
  if (method === 'GET' && path === '/v1/models') {
    const data = o.models.map((id) => ({
      id,
      object: 'model',
      created: 1_700_000_000,
      owned_by: 'distillguard-mock',
    }));
    return { status: 200, payload: { object: 'list', data } };
  }
  if (method !== 'POST' || !ROUTES[path]) {
    return { status: 404, payload: errorBody(404, `Unknown request URL: ${method} ${path}`) };
  }
  if (!parsed.ok || !isObj(parsed.body)) {
    return { status: 400, payload: errorBody(400, 'We could not parse the JSON body of your request.') };
  }
  const required = REQUIRED[path] as string;
  if (parsed.body[required] === undefined) {
    return { status: 400, payload: errorBody(400, `Missing required parameter: '${required}'.`) };
  }
  return null;
}

class MockServer {
  readonly stats = newStats();
  private readonly cache: ReplyCache;
  private readonly failRng: () => number;

  constructor(private readonly o: Options) {
    this.cache = new ReplyCache(o.seed);
    this.failRng = mulberry32(o.seed ^ 0x5eed);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = method === 'POST' ? await readBody(req) : '';
    const parsed = parseJson(raw);
    this.record(req, path, parsed.ok ? parsed.body : raw);
    const faults = faultsOf(req.headers, this.o);
    const requestId = `req_${hexId(this.stats.requests, 24)}`;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const injected =
      faults.errorStatus ?? (this.o.errorRate > 0 && this.failRng() < this.o.errorRate ? 500 : null);
    if (injected !== null) {
      this.stats.injectedErrors++;
      const message = `Mock upstream error (injected status ${injected})`;
      return sendJson(res, injected, errorBody(injected, message), requestId);
    }
    const early = earlyAnswer(method, path, parsed, this.o);
    if (early || !parsed.ok) return sendJson(res, early?.status ?? 400, early?.payload ?? {}, requestId);
    const reply = this.cache.get(path, raw, parsed.body as Obj, faults.noUsage);
    this.stats.promptTokens += reply.usage.prompt;
    this.stats.completionTokens += reply.usage.completion;
    if (reply.kind === 'sse') {
      this.stats.streams++;
      if (await sendSse(res, reply, faults, requestId)) this.stats.disconnects++;
      return;
    }
    if (faults.disconnectAfter !== null) {
      this.stats.disconnects++;
      res.socket?.destroy();
      return;
    }
    sendJson(res, reply.status, reply.wire, requestId);
  }

  private record(req: IncomingMessage, path: string, body: unknown): void {
    const stats = this.stats;
    stats.requests++;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    if (this.o.recordLast <= 0) return;
    stats.recent.push({ method: req.method ?? 'GET', path, headers: { ...req.headers }, body });
    if (stats.recent.length > this.o.recordLast) stats.recent.shift();
  }
}

export async function createMockUpstream(opts: MockOptions = {}): Promise<MockUpstream> {
  const o: Options = { ...MOCK_DEFAULTS, ...opts };
  const mock = new MockServer(o);
  const server: Server = createServer((req, res) => {
    mock.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, String(err)), 'req_error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${hostForUrl}:${port}/v1`,
    port,
    stats: mock.stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
