/**
 * A small stand-in for the gateway used by the browser tests until the full backend is wired:
 * the real dashboard plugin (built app + session endpoints) plus canned admin API answers
 * (100,000 accounts, two campaigns, events, SSE) and a toy `/v1` endpoint that refuses blocked keys.
 * The admin routes accept the dashboard session cookie through `sessionAuth`, as the real API will.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { dashboardPlugin, sessionAuth } from '../../../src/dashboard/index.js';
import { mulberry32 } from '../../../src/events/hash.js';

export const ADMIN_TOKEN = 'dg-admin-browser-test-token';
const ACCOUNTS = 100_000;
const HOUR = 3_600_000;

interface Row {
  key: string;
  org: string;
  requests: number;
  prompt_tokens: number;
  output_tokens: number;
  score: number;
  verdict: 'benign' | 'suspicious' | 'distillation';
  campaign: string | null;
  first_flagged_at: string | null;
  reasons: Array<{ signal: string; score: number; detail: string }>;
}

const rng = mulberry32;

const HYDRA = Array.from({ length: 12 }, (_, i) => `k_hydra_${String(i + 1).padStart(2, '0')}`);
const PAIR = ['k_sweep_a', 'k_sweep_b', 'k_sweep_c', 'k_sweep_d', 'k_sweep_e'];

function buildRows(now: number): Row[] {
  const r = rng(7);
  const rows: Row[] = [];
  HYDRA.forEach((key, i) => {
    rows.push({
      key,
      org: `o_new_${i + 1}`,
      requests: 4200 + Math.floor(r() * 800),
      prompt_tokens: 160_000 + Math.floor(r() * 20_000),
      output_tokens: 3_400_000 + Math.floor(r() * 400_000),
      score: 0.95 + r() * 0.04,
      verdict: 'distillation',
      campaign: 'c_1',
      first_flagged_at: new Date(now - 5 * HOUR + i * 4 * 60_000).toISOString(),
      reasons: [
        { signal: 'harvest_ratio', score: 0.92, detail: 'output/input tokens 21.4× (population p99: 3.1×)' },
        {
          signal: 'template_reuse',
          score: 0.88,
          detail: '2 prompt frames cover 97% of 4,611 requests, 4,580 distinct slots',
        },
        { signal: 'cot_elicitation', score: 0.74, detail: '81% of prompts ask for step-by-step reasoning' },
      ],
    });
  });
  PAIR.forEach((key, i) => {
    rows.push({
      key,
      org: 'o_lab',
      requests: 900 + Math.floor(r() * 200),
      prompt_tokens: 90_000,
      output_tokens: 700_000 + Math.floor(r() * 100_000),
      score: 0.62 + r() * 0.1,
      verdict: 'suspicious',
      campaign: 'c_2',
      first_flagged_at: new Date(now - 3 * HOUR + i * 9 * 60_000).toISOString(),
      reasons: [{ signal: 'topical_sweep', score: 0.66, detail: '14 of 14 domains, evenness 0.93' }],
    });
  });
  for (let i = rows.length; i < ACCOUNTS; i++) {
    const requests = Math.floor(r() ** 3 * 3000);
    const input = requests * (200 + Math.floor(r() * 1500));
    const output = Math.floor(input * (0.1 + r() * 1.2));
    const score = r() ** 4 * 0.45;
    rows.push({
      key: `k_${String(i).padStart(6, '0')}`,
      org: `o_${i % 5000}`,
      requests,
      prompt_tokens: input,
      output_tokens: output,
      score,
      verdict: 'benign',
      campaign: null,
      first_flagged_at: null,
      reasons:
        score > 0.2 ? [{ signal: 'volume', score, detail: `${requests} requests, p90 of population` }] : [],
    });
  }
  return rows;
}

function ratioOf(r: Row): number {
  return r.prompt_tokens ? r.output_tokens / r.prompt_tokens : 0;
}

const SORTERS: Record<string, (a: Row, b: Row) => number> = {
  score: (a, b) => a.score - b.score,
  requests: (a, b) => a.requests - b.requests,
  output_tokens: (a, b) => a.output_tokens - b.output_tokens,
  harvest_ratio: (a, b) => ratioOf(a) - ratioOf(b),
  key: (a, b) => a.key.localeCompare(b.key),
  org: (a, b) => a.org.localeCompare(b.org),
  campaign: (a, b) => (a.campaign ?? '').localeCompare(b.campaign ?? ''),
  verdict: (a, b) => a.score - b.score,
};

function eventsFor(key: string, now: number, count: number, seed: number) {
  const r = rng(seed);
  const hydra = key.startsWith('k_hydra');
  return Array.from({ length: count }, (_, i) => {
    const ts = now - 6 * HOUR + Math.floor((i / count) * 6 * HOUR + r() * 30_000);
    return {
      id: `${key}-${i}`,
      ts,
      keyId: key,
      orgId: 'o',
      model: hydra ? 'gpt-4o' : i % 3 ? 'gpt-4o-mini' : 'gpt-4o',
      endpoint: 'chat',
      status: 200,
      latencyMs: 400 + Math.floor(r() * 3000),
      limitedBy: null,
      usage: {
        promptTokens: 30 + Math.floor(r() * 60),
        completionTokens: hydra ? 700 + Math.floor(r() * 300) : 80,
      },
      prompt: { domain: 'code', skeletonHash: hydra ? `9f2c${i % 2}aa1b7e` : `s${i % 17}` },
    };
  });
}

export interface CannedServer {
  url: string;
  actions: Array<{ scope: string; id: string; action: string; reason: string }>;
  close(): Promise<void>;
}

export async function startCannedServer(webRoot?: string): Promise<CannedServer> {
  const now = Date.now();
  const rows = buildRows(now);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const actions: CannedServer['actions'] = [];
  const decisions = new Map<string, Array<Record<string, unknown>>>();
  const blocked = new Set<string>();
  const timers = new Set<ReturnType<typeof setInterval>>();

  const app = Fastify({ forceCloseConnections: true });
  await app.register(dashboardPlugin, { adminToken: ADMIN_TOKEN, ...(webRoot ? { root: webRoot } : {}) });

  const authed = (req: FastifyRequest) =>
    sessionAuth(req) || req.headers.authorization === `Bearer ${ADMIN_TOKEN}`;
  const deny = (reply: FastifyReply) =>
    reply.code(401).send({
      error: { message: 'admin token required', type: 'auth', param: null, code: 'invalid_admin_token' },
    });

  await app.register(async (admin) => {
    admin.addHook('onRequest', async (req, reply) => {
      if (!authed(req)) return deny(reply);
    });
    admin.get('/admin/accounts', async (req) => {
      const q = req.query as Record<string, string | undefined>;
      const limit = Math.min(500, Number(q.limit ?? 50));
      const offset = Number(q.offset ?? 0);
      let list = rows;
      if (q.verdict) list = list.filter((r) => r.verdict === q.verdict);
      if (q.org) list = list.filter((r) => r.org === q.org);
      if (q.q) list = list.filter((r) => r.key.includes(q.q!) || (r.campaign ?? '').includes(q.q!));
      const sorter = SORTERS[q.sort ?? 'score'] ?? SORTERS.score!;
      const sorted = [...list].sort((a, b) => (q.order === 'asc' ? sorter(a, b) : sorter(b, a)));
      return { accounts: sorted.slice(offset, offset + limit), total: list.length, offset, limit };
    });
    admin.get('/admin/accounts/:key', async (req, reply) => {
      const key = (req.params as { key: string }).key;
      const row = byKey.get(key);
      if (!row)
        return reply
          .code(404)
          .send({ error: { message: 'no such key', type: 'x', param: 'key', code: 'not_found' } });
      const ds = decisions.get(key) ?? [];
      return {
        key: {
          id: key,
          orgId: row.org,
          prefix: `dg-${key.slice(-6)}`,
          limits: { rpm: 600, tpm: 400_000 },
          revokedAt: null,
        },
        org: { id: row.org, name: row.org, limits: { tpm: 2_000_000, tokensPerDay: 50_000_000 } },
        usage: {
          requests: row.requests,
          prompt_tokens: row.prompt_tokens,
          completion_tokens: row.output_tokens,
          last_ts: now,
        },
        finding: { ...row },
        decisions: ds,
        audit: ds.map((d) => ({
          at: d.createdAt,
          who: d.source,
          what: d.action,
          why: (d.reasons as string[])[0],
          previous: 'observe',
        })),
        effective: ds[ds.length - 1] ?? null,
      };
    });
    admin.get('/admin/events', async (req) => {
      const q = req.query as Record<string, string | undefined>;
      const limit = Number(q.limit ?? 500);
      if (q.key)
        return {
          events: eventsFor(
            q.key,
            now,
            Math.min(limit, byKey.get(q.key)?.campaign ? 400 : 120),
            q.key.length,
          ),
          next_cursor: null,
        };
      const all = [
        ...HYDRA.flatMap((k, i) => eventsFor(k, now, 200, i)),
        ...eventsFor('k_000100', now, 900, 99),
      ];
      return { events: all.slice(0, limit), next_cursor: null };
    });
    const campaigns = () => [
      {
        id: 'c_1',
        keys: HYDRA,
        orgs: HYDRA.map((k) => byKey.get(k)!.org),
        score: 0.99,
        verdict: 'distillation',
        requests: HYDRA.reduce((s, k) => s + byKey.get(k)!.requests, 0),
        output_tokens: HYDRA.reduce((s, k) => s + byKey.get(k)!.output_tokens, 0),
        first_seen_at: new Date(now - 6 * HOUR).toISOString(),
        last_seen_at: new Date(now).toISOString(),
        first_flagged_at: new Date(now - 5 * HOUR).toISOString(),
        reasons: [
          {
            signal: 'link.shared_template',
            score: 0.95,
            detail: '12 keys share template frame 9f2c… (seen in 0 other orgs)',
          },
          { signal: 'link.shared_subnet', score: 0.8, detail: '10 keys in 203.0.113.0/24' },
          { signal: 'harvest_ratio', score: 0.93, detail: 'combined output/input 21.7×' },
        ],
      },
      {
        id: 'c_2',
        keys: PAIR,
        orgs: ['o_lab'],
        score: 0.68,
        verdict: 'suspicious',
        requests: 5000,
        output_tokens: 3_700_000,
        first_flagged_at: new Date(now - 3 * HOUR).toISOString(),
        reasons: [
          { signal: 'link.fingerprint', score: 0.7, detail: '5 keys share a rare client fingerprint' },
        ],
      },
    ];
    admin.get('/admin/campaigns', async () => ({ campaigns: campaigns() }));
    admin.get('/admin/campaigns/:id', async (req, reply) => {
      const c = campaigns().find((x) => x.id === (req.params as { id: string }).id);
      if (!c)
        return reply
          .code(404)
          .send({ error: { message: 'no such campaign', type: 'x', param: 'id', code: 'not_found' } });
      if (c.id !== 'c_1') return c;
      const links = HYDRA.flatMap((a, i) =>
        HYDRA.slice(i + 1, i + 3).map((b, j) => ({
          a,
          b,
          evidence: j === 0 ? ['link.shared_template', 'link.shared_subnet'] : ['link.sync_activity'],
          weight: j === 0 ? 0.9 : 0.5,
        })),
      );
      return { ...c, links };
    });
    admin.get('/admin/campaigns/:id/report', async (_req, reply) =>
      reply
        .code(404)
        .send({ error: { message: 'not built yet', type: 'x', param: null, code: 'not_found' } }),
    );
    admin.get('/admin/accounts/:key/report', async (req, reply) =>
      reply
        .type('text/html')
        .send(`<!doctype html><h1>Evidence report ${(req.params as { key: string }).key}</h1>`),
    );
    admin.post('/admin/actions', async (req, reply) => {
      const body = req.body as { scope: string; id: string; action: string; reason?: string };
      if (!body.reason)
        return reply
          .code(400)
          .send({ error: { message: 'reason required', type: 'x', param: 'reason', code: 'invalid' } });
      actions.push({ scope: body.scope, id: body.id, action: body.action, reason: body.reason });
      if (body.action === 'block') blocked.add(body.id);
      else blocked.delete(body.id);
      const d = {
        id: `d${actions.length}`,
        subject: { scope: body.scope, id: body.id },
        action: body.action,
        source: 'admin:dashboard',
        reasons: [body.reason],
        shadow: false,
        createdAt: Date.now(),
      };
      decisions.set(body.id, [...(decisions.get(body.id) ?? []), d]);
      return d;
    });
    admin.get('/admin/stream', (req, reply) => {
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      reply.raw.write(': hello\n\n');
      let n = 0;
      const t = setInterval(() => {
        n++;
        const key = HYDRA[n % HYDRA.length]!;
        reply.raw.write(
          `event: request\ndata: ${JSON.stringify({ id: `live${n}`, ts: Date.now(), key, prompt_tokens: 40, completion_tokens: 900, status: 200 })}\n\n`,
        );
      }, 400);
      timers.add(t);
      req.raw.on('close', () => {
        clearInterval(t);
        timers.delete(t);
      });
    });
  });

  // Toy gateway path: refuses blocked keys, the way the real gateway enforces decisions.
  app.post('/v1/chat/completions', async (req, reply) => {
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (blocked.has(key))
      return reply
        .code(403)
        .send({ error: { message: 'blocked', type: 'x', param: null, code: 'key_blocked' } });
    return { choices: [{ message: { role: 'assistant', content: 'ok' } }] };
  });

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    actions,
    close: async () => {
      for (const t of timers) clearInterval(t);
      await app.close();
    },
  };
}
