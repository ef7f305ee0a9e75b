/**
 * @module admin/control
 * The control plane as the CLI sees it: one interface over either the local store (same
 * `--data`/`--db` defaults as `serve`) or a running gateway's admin API (`--url` +
 * `--admin-token`). `orgs`, `keys` and `events` commands are thin wrappers over this.
 */
import { loadConfig } from '../config/load.js';
import type { LimitRule } from '../limits/types.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { TenancyService } from '../tenancy/service.js';
import { type EventSummary, eventSummary, keyJson, limitsJson, orgJson } from './serialize.js';
import type { TargetFlags } from './target.js';

export type OrgView = ReturnType<typeof orgJson>;
export type KeyView = ReturnType<typeof keyJson>;
export type CreatedKeyView = KeyView & { key: string; org: string };

export interface ControlPlane {
  readonly target: string;
  createOrg(name: string, limits: LimitRule): Promise<OrgView>;
  listOrgs(): Promise<OrgView[]>;
  createKey(input: {
    org: string;
    account?: string;
    limits: LimitRule;
    labels: Record<string, string>;
  }): Promise<CreatedKeyView>;
  listKeys(org?: string): Promise<KeyView[]>;
  revokeKey(id: string): Promise<KeyView>;
  /** Calls `onEvent` for each new request event until `signal` aborts. */
  tail(opts: { key?: string; signal: AbortSignal; onEvent: (e: EventSummary) => void }): Promise<void>;
  close(): Promise<void>;
}

// The target flags live in admin/target.ts, which the commands load without this module's.
export { type TargetFlags, withTargetOptions } from './target.js';

export async function openControlPlane(
  flags: TargetFlags,
  env: Record<string, string | undefined> = process.env,
): Promise<ControlPlane> {
  const url = flags.url ?? env.DISTILLGUARD_URL;
  const { url: _u, ...configFlags } = flags;
  const config = loadConfig({ flags: configFlags, env });
  if (url) {
    const token = config.admin_token;
    if (!token) throw new Error('--url needs --admin-token (or DISTILLGUARD_ADMIN_TOKEN)');
    return new RemoteControlPlane(url.replace(/\/+$/, ''), token);
  }
  return new LocalControlPlane(await openStore(config.db), config.db, config.default_limits);
}

class LocalControlPlane implements ControlPlane {
  private readonly tenancy: TenancyService;

  constructor(
    private readonly store: Store,
    readonly target: string,
    defaultLimits: LimitRule,
  ) {
    this.tenancy = new TenancyService(store, { defaultLimits, actor: 'cli' });
  }

  async createOrg(name: string, limits: LimitRule): Promise<OrgView> {
    const opts = Object.keys(limits).length > 0 ? { limits } : {};
    return orgJson(await this.tenancy.createOrg(name, opts));
  }

  async listOrgs(): Promise<OrgView[]> {
    return (await this.tenancy.listOrgs()).map(orgJson);
  }

  async createKey(input: {
    org: string;
    account?: string;
    limits: LimitRule;
    labels: Record<string, string>;
  }) {
    const { key, secret } = await this.tenancy.createKey({
      org: input.org,
      labels: input.labels,
      ...(input.account !== undefined ? { account: input.account } : {}),
      ...(Object.keys(input.limits).length > 0 ? { limits: input.limits } : {}),
    });
    const org = await this.tenancy.getOrg(key.orgId);
    return { ...keyJson(key), key: secret, org: org.name };
  }

  async listKeys(org?: string): Promise<KeyView[]> {
    const orgId = org === undefined ? undefined : (await this.tenancy.getOrg(org)).id;
    return (await this.tenancy.listKeys(orgId === undefined ? {} : { orgId })).map(keyJson);
  }

  async revokeKey(id: string): Promise<KeyView> {
    return keyJson(await this.tenancy.revokeKey(id));
  }

  tail(opts: { key?: string; signal: AbortSignal; onEvent: (e: EventSummary) => void }): Promise<void> {
    return tailStore(this.store, opts);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export interface TailStoreOptions {
  key?: string;
  signal: AbortSignal;
  onEvent: (e: EventSummary) => void;
  pollMs?: number;
  /** Events written up to this long after their event time are still caught (default 30 s). */
  lateMs?: number;
  /** Start time (default now): earlier events are not printed. */
  since?: number;
}

/**
 * Follows the store by polling: each poll reads events from `lateMs` before the newest seen,
 * in event-time order, and prints those not printed yet (events are written in batches,
 * so one may land after a newer one).
 */
export async function tailStore(store: Store, opts: TailStoreOptions): Promise<void> {
  const pollMs = opts.pollMs ?? 500;
  const lateMs = opts.lateMs ?? 30_000;
  let high = opts.since ?? Date.now();
  const seen = new Map<string, number>();
  while (!opts.signal.aborted) {
    let cursor: string | null = null;
    do {
      const page = await store.events.query({
        since: high - lateMs,
        order: 'asc',
        limit: 1000,
        cursor,
        ...(opts.key !== undefined ? { keyId: opts.key } : {}),
      });
      for (const e of page.events) {
        if (seen.has(e.id) || e.ts < (opts.since ?? 0)) continue;
        seen.set(e.id, e.ts);
        if (!opts.signal.aborted) opts.onEvent(eventSummary(e));
        if (e.ts > high) high = e.ts;
      }
      cursor = page.nextCursor;
    } while (cursor && !opts.signal.aborted);
    for (const [id, ts] of seen) if (ts < high - lateMs) seen.delete(id);
    await sleep(pollMs, opts.signal);
  }
}

class RemoteControlPlane implements ControlPlane {
  constructor(
    readonly target: string,
    private readonly token: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.target}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        'x-admin-user': 'cli',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const msg = (json as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
      throw new Error(`${method} ${path}: ${res.status} ${msg}`);
    }
    return json as T;
  }

  createOrg(name: string, limits: LimitRule): Promise<OrgView> {
    return this.call('POST', '/admin/orgs', {
      name,
      ...(Object.keys(limits).length ? { limits: limitsJson(limits) } : {}),
    });
  }

  async listOrgs(): Promise<OrgView[]> {
    return (await this.call<{ data: OrgView[] }>('GET', '/admin/orgs')).data;
  }

  createKey(input: { org: string; account?: string; limits: LimitRule; labels: Record<string, string> }) {
    return this.call<CreatedKeyView>('POST', '/admin/keys', {
      org: input.org,
      labels: input.labels,
      ...(input.account !== undefined ? { account: input.account } : {}),
      ...(Object.keys(input.limits).length > 0 ? { limits: limitsJson(input.limits) } : {}),
    });
  }

  async listKeys(org?: string): Promise<KeyView[]> {
    const all: KeyView[] = [];
    const q = org === undefined ? '' : `&org=${encodeURIComponent(org)}`;
    for (let offset = 0; ; offset += 1000) {
      const page = await this.call<{ data: KeyView[]; total: number }>(
        'GET',
        `/admin/keys?limit=1000&offset=${offset}${q}`,
      );
      all.push(...page.data);
      if (page.data.length < 1000) return all;
    }
  }

  revokeKey(id: string): Promise<KeyView> {
    return this.call('DELETE', `/admin/keys/${encodeURIComponent(id)}`);
  }

  async tail(opts: { key?: string; signal: AbortSignal; onEvent: (e: EventSummary) => void }): Promise<void> {
    const q = `events=request${opts.key ? `&key=${encodeURIComponent(opts.key)}` : ''}`;
    while (!opts.signal.aborted) {
      try {
        const res = await fetch(`${this.target}/admin/stream?${q}`, {
          headers: { authorization: `Bearer ${this.token}` },
          signal: opts.signal,
        });
        if (res.status === 401) throw new Error('admin token refused');
        if (!res.ok || !res.body) throw new Error(`stream: ${res.status}`);
        await readSse(res.body, (event, data) => {
          if (event === 'request') opts.onEvent(JSON.parse(data) as EventSummary);
        });
      } catch (err) {
        if (opts.signal.aborted) return;
        if ((err as Error).message === 'admin token refused') throw err;
      }
      await sleep(2_000, opts.signal);
    }
  }

  async close(): Promise<void> {}
}

/** Minimal SSE reader: calls `onFrame(event, data)` per frame; comments are skipped. */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onFrame: (event: string, data: string) => void,
) {
  const dec = new TextDecoder();
  let buf = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += dec.decode(chunk, { stream: true });
    let i = buf.indexOf('\n\n');
    while (i >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onFrame(event, data.join('\n'));
      i = buf.indexOf('\n\n');
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
