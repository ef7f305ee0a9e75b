/**
 * @module sim/live
 * Live mode: replays a built scenario against a running gateway. It creates one org per
 * simulated org and one key per simulated key through the admin API, then sends the requests in
 * event-time order (time compressed) with the official `openai` SDK, at most `rps` requests a
 * second, at most `concurrency` in flight, for at most `duration` seconds and `maxRequests`
 * requests. Keys answered with a block are replaced by fresh ones when the key belongs to an
 * attack campaign, as a hydra operator would. Only loopback targets unless `allowRemote`.
 */
import type { Built } from './build.js';
import { scenarioRequests } from './lines.js';
import type { KeyPlan } from './types.js';

export interface LiveOptions {
  target: string;
  adminToken: string;
  /** Requests per second (upper bound). */
  rps: number;
  /** Seconds (upper bound). */
  duration: number;
  /** Hard cap on requests sent (default rps × duration). */
  maxRequests?: number;
  /** Distinct simulated keys driven (the rest of the scenario is skipped). */
  maxKeys?: number;
  concurrency?: number;
  allowRemote?: boolean;
  onProgress?: (sent: number, total: number) => void;
}

export const LIVE_DEFAULTS = { maxKeys: 60, concurrency: 8 } as const;

export interface LiveResult {
  sent: number;
  ok: number;
  statuses: Record<string, number>;
  keysCreated: number;
  keysReplaced: number;
  seconds: number;
  maxInFlight: number;
}

export class LiveTargetError extends Error {
  readonly code = 'SIM_REMOTE_TARGET';
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/i;

/** Throws unless the target is loopback or remote targets were allowed explicitly. */
export function checkTarget(target: string, allowRemote = false): URL {
  const url = new URL(target);
  if (!allowRemote && !LOOPBACK.test(url.hostname))
    throw new LiveTargetError(
      `refusing non-loopback target ${url.hostname}; pass --allow-remote to target it`,
    );
  return url;
}

type ChatClient = {
  chat: { completions: { create(body: Record<string, unknown>): Promise<unknown> } };
};
type OpenAICtor = new (o: {
  baseURL: string;
  apiKey: string;
  maxRetries: number;
  timeout: number;
}) => ChatClient;

async function loadOpenAI(): Promise<OpenAICtor> {
  const mod = (await import('openai')) as unknown as { default: OpenAICtor };
  return mod.default;
}

class Admin {
  constructor(
    private base: string,
    private token: string,
  ) {}
  async post(path: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.base}/admin${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
    return json;
  }
}

/** Picks the keys to drive: every attack key first (up to half), then benign ones, by plan order. */
export function pickKeys(plans: KeyPlan[], max: number): Set<string> {
  const attack = plans.filter((p) => p.label.attack).slice(0, Math.ceil(max / 2));
  const benign = plans.filter((p) => !p.label.attack).slice(0, max - attack.length);
  return new Set([...attack, ...benign].map((p) => p.key));
}

export async function runLive(built: Built, o: LiveOptions): Promise<LiveResult> {
  const url = checkTarget(o.target, o.allowRemote);
  const base = url.origin;
  const admin = new Admin(base, o.adminToken);
  const OpenAI = await loadOpenAI();
  const maxRequests = Math.max(0, Math.floor(o.maxRequests ?? o.rps * o.duration));
  const concurrency = o.concurrency ?? LIVE_DEFAULTS.concurrency;
  const chosen = pickKeys(built.plans, o.maxKeys ?? LIVE_DEFAULTS.maxKeys);
  const orgIds = new Map<string, string>();
  const clients = new Map<string, ChatClient>();
  let keysCreated = 0;
  let keysReplaced = 0;
  const newClient = async (plan: KeyPlan): Promise<ChatClient> => {
    const orgName = plan.label.attack && clients.has(plan.key) ? `${plan.org}-${keysReplaced}` : plan.org;
    let orgId = orgIds.get(orgName);
    if (!orgId) {
      const org = await admin.post('/orgs', { name: orgName });
      orgId = String(org.id);
      orgIds.set(orgName, orgId);
    }
    const key = await admin.post('/keys', { org: orgId, account: plan.account });
    keysCreated++;
    return new OpenAI({ baseURL: `${base}/v1`, apiKey: String(key.key), maxRetries: 0, timeout: 60_000 });
  };
  const started = Date.now();
  const deadline = started + o.duration * 1000;
  const statuses: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const running = new Set<Promise<void>>();
  for (const r of scenarioRequests(built)) {
    if (sent >= maxRequests || Date.now() >= deadline) break;
    if (!chosen.has(r.plan.key)) continue;
    let client = clients.get(r.plan.key);
    if (!client) {
      client = await newClient(r.plan);
      clients.set(r.plan.key, client);
    }
    const due = started + (sent * 1000) / o.rps;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight >= concurrency) await Promise.race(running);
    if (Date.now() >= deadline) break;
    sent++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const plan = r.plan;
    const c = client;
    const p = c.chat.completions
      .create({ ...r.req.body, stream: false })
      .then(() => {
        ok++;
        statuses['200'] = (statuses['200'] ?? 0) + 1;
      })
      .catch(async (err: unknown) => {
        const e = err as { status?: number; code?: string };
        const key = String(e.status ?? 'network');
        statuses[key] = (statuses[key] ?? 0) + 1;
        const blocked =
          e.status === 403 && (e.code === 'account_blocked' || e.code === 'verification_required');
        if (blocked && plan.label.attack) {
          keysReplaced++;
          clients.set(plan.key, await newClient(plan));
        }
      })
      .finally(() => {
        inFlight--;
        running.delete(p);
      });
    running.add(p);
    o.onProgress?.(sent, maxRequests);
  }
  await Promise.all(running);
  return {
    sent,
    ok,
    statuses,
    keysCreated,
    keysReplaced,
    seconds: (Date.now() - started) / 1000,
    maxInFlight,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
