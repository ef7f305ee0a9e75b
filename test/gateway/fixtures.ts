/**
 * @module test/gateway/fixtures
 * A gateway on 127.0.0.1:0 with in-test parts: a fixed key table, a decision table, the memory
 * limits store, an array bus, and a tiny scripted upstream (node:http) whose answers the tests
 * know exactly.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { RequestEvent } from '../../src/events/types.js';
import { gatewayPlugin } from '../../src/gateway/plugin.js';
import type { GatewaySettings } from '../../src/gateway/types.js';
import { MemoryLimitsStore } from '../../src/limits/memory.js';
import type { LimitRule } from '../../src/limits/types.js';
import type { Decision } from '../../src/policy/types.js';
import type { KeyContext } from '../../src/tenancy/types.js';
import { UpstreamRegistry } from '../../src/upstream/registry.js';

export interface SeenRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeUpstream {
  url: string;
  seen: SeenRequest[];
  /** Streams currently open (the cancel test waits for 0). */
  openStreams: () => number;
  close(): Promise<void>;
}

export const FAKE_USAGE = { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 };
export const FAKE_TEXT = 'Hello there friend';

const chunk = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;

/** A scripted upstream. Headers: x-fake-no-usage, x-fake-error (status|html), x-fake-chunks, x-fake-delay-ms. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const seen: SeenRequest[] = [];
  let open = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      const h = req.headers;
      if (req.method === 'GET') {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            object: 'list',
            data: [{ id: 'fake-1', object: 'model', created: 0, owned_by: 'x' }],
          }),
        );
        return;
      }
      const err = h['x-fake-error'];
      if (err === 'html') {
        res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>boom</h1>');
        return;
      }
      if (typeof err === 'string') {
        res.writeHead(Number(err), { 'content-type': 'application/json', 'x-request-id': 'req_up' });
        res.end(
          JSON.stringify({
            error: {
              message: 'upstream says no',
              type: 'invalid_request_error',
              param: null,
              code: 'fake_err',
            },
          }),
        );
        return;
      }
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const noUsage = h['x-fake-no-usage'] === '1';
      if (parsed.stream === true) {
        open++;
        res.on('close', () => open--);
        streamAnswer(
          req.url ?? '',
          parsed,
          res,
          noUsage,
          Number(h['x-fake-chunks'] ?? 3),
          Number(h['x-fake-delay-ms'] ?? 0),
        );
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        'openai-processing-ms': '5',
        'x-secret': 'no',
      });
      if (req.url?.endsWith('/embeddings')) {
        res.end(
          JSON.stringify({
            object: 'list',
            data: [{ index: 0, embedding: [0.1] }],
            usage: noUsage ? undefined : { prompt_tokens: 4, total_tokens: 4 },
          }),
        );
        return;
      }
      if (req.url?.endsWith('/responses')) {
        res.end(
          JSON.stringify({
            object: 'response',
            status: 'completed',
            output: [{ type: 'message', content: [{ type: 'output_text', text: FAKE_TEXT }] }],
            usage: noUsage
              ? undefined
              : { input_tokens: 9, output_tokens: 3, output_tokens_details: { reasoning_tokens: 1 } },
          }),
        );
        return;
      }
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: FAKE_TEXT }, finish_reason: 'stop' }],
          usage: noUsage ? undefined : FAKE_USAGE,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    openStreams: () => open,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function streamAnswer(
  url: string,
  body: Record<string, unknown>,
  res: import('node:http').ServerResponse,
  noUsage: boolean,
  chunks: number,
  delayMs: number,
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const parts: string[] = [];
  if (url.endsWith('/responses')) {
    parts.push(`event: response.created\n${chunk({ type: 'response.created' })}`);
    for (let i = 0; i < chunks; i++)
      parts.push(
        `event: response.output_text.delta\n${chunk({ type: 'response.output_text.delta', delta: 'word ' })}`,
      );
    parts.push(
      `event: response.completed\n${chunk({ type: 'response.completed', response: { status: 'completed', usage: noUsage ? undefined : { input_tokens: 9, output_tokens: chunks } } })}`,
    );
  } else {
    for (let i = 0; i < chunks; i++)
      parts.push(chunk({ choices: [{ index: 0, delta: { content: 'word ' }, finish_reason: null }] }));
    parts.push(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    const opts = body.stream_options as { include_usage?: boolean } | undefined;
    if (opts?.include_usage && !noUsage)
      parts.push(
        chunk({
          choices: [],
          usage: { prompt_tokens: 11, completion_tokens: chunks, total_tokens: 11 + chunks },
        }),
      );
    parts.push('data: [DONE]\n\n');
  }
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    const part = parts[i++];
    if (part === undefined) {
      res.end();
      return;
    }
    res.write(part);
    if (delayMs > 0) setTimeout(next, delayMs);
    else next();
  };
  next();
}

export interface TestKey {
  secret: string;
  ctx: KeyContext;
}

export function testKey(
  id: string,
  keyLimits: LimitRule = {},
  opts: { revoked?: boolean; org?: string } = {},
): TestKey {
  return {
    secret: `dg-secret-${id}`,
    ctx: {
      keyId: id,
      accountId: `acct-${id}`,
      orgId: opts.org ?? `org-${id}`,
      prefix: `dg-secret-`,
      revoked: opts.revoked ?? false,
      keyLimits,
      orgLimits: {},
      labels: {},
    },
  };
}

export interface TestGateway {
  url: string;
  app: FastifyInstance;
  events: RequestEvent[];
  limits: MemoryLimitsStore;
  decisions: Map<string, Decision>;
  authFailures: string[];
  close(): Promise<void>;
}

export async function startGateway(
  upstreamUrl: string,
  keys: TestKey[],
  settings: Partial<GatewaySettings> = {},
): Promise<TestGateway> {
  const table = new Map(keys.map((k) => [k.secret, k.ctx]));
  const decisions = new Map<string, Decision>();
  const limits = new MemoryLimitsStore();
  const events: RequestEvent[] = [];
  const authFailures: string[] = [];
  const upstreams = new UpstreamRegistry([{ name: 'fake', baseUrl: upstreamUrl, timeoutMs: 5000 }]);
  const app = Fastify({
    logger: false,
    bodyLimit: settings.bodyLimitBytes ?? 10 * 1024 * 1024,
    forceCloseConnections: true,
  });
  await app.register(gatewayPlugin, {
    resolver: { authenticate: async (secret) => table.get(secret) ?? null },
    decisions: { effective: (keyId) => decisions.get(keyId) ?? null },
    limits,
    upstreams,
    bus: { publish: (e) => events.push(e) },
    settings,
    metrics: { authFailure: (code) => authFailures.push(code), request: () => {} },
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    events,
    limits,
    decisions,
    authFailures,
    close: async () => {
      await app.close();
      await upstreams.close();
    },
  };
}

/** Waits until `check` passes (events are recorded just after the reply). */
export async function eventually<T>(check: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
