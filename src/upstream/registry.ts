/**
 * @module upstream/registry
 * The named upstreams and model routing: a model goes to the first upstream that lists it, else
 * to the first upstream without a model list. Also answers `GET /v1/models`: configured names,
 * plus whatever list-less upstreams report on their own `/models` (short timeout, cached,
 * failures tolerated).
 */

import type { ModelInfo, UpstreamConfig } from './types.js';
import { Upstream } from './upstream.js';

export interface RegistryOptions {
  /** Timeout of an upstream's `/models` fetch. */
  modelsTimeoutMs?: number;
  /** How long a fetched model list is reused. */
  modelsCacheMs?: number;
  /** Clock (injected by tests). */
  now?: () => number;
}

export const REGISTRY_DEFAULTS = { modelsTimeoutMs: 2000, modelsCacheMs: 60_000 } as const;

interface CachedModels {
  at: number;
  models: ModelInfo[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Parses an OpenAI `/models` list body, keeping only well-formed entries. */
export function parseModelList(body: unknown, ownedBy: string): ModelInfo[] {
  const data = isObj(body) && Array.isArray(body.data) ? body.data : [];
  return data.filter(isObj).flatMap((m) =>
    typeof m.id === 'string'
      ? [
          {
            id: m.id,
            object: 'model' as const,
            created: typeof m.created === 'number' ? m.created : 0,
            owned_by: typeof m.owned_by === 'string' ? m.owned_by : ownedBy,
          },
        ]
      : [],
  );
}

export class UpstreamRegistry {
  private readonly upstreams: Upstream[];
  private readonly opts: Required<Omit<RegistryOptions, 'now'>>;
  private readonly now: () => number;
  private readonly created: number;
  private readonly cache = new Map<string, CachedModels>();
  private readonly pending = new Map<string, Promise<ModelInfo[]>>();

  constructor(configs: readonly UpstreamConfig[], opts: RegistryOptions = {}) {
    this.upstreams = configs.map((c) => new Upstream(c));
    this.opts = {
      modelsTimeoutMs: opts.modelsTimeoutMs ?? REGISTRY_DEFAULTS.modelsTimeoutMs,
      modelsCacheMs: opts.modelsCacheMs ?? REGISTRY_DEFAULTS.modelsCacheMs,
    };
    this.now = opts.now ?? Date.now;
    this.created = Math.floor(this.now() / 1000);
  }

  /** The upstream serving `model`: first one listing it, else the first with no list. */
  route(model: string): Upstream | undefined {
    return (
      this.upstreams.find((u) => u.listsModels && u.serves(model)) ??
      this.upstreams.find((u) => !u.listsModels)
    );
  }

  get(name: string): Upstream | undefined {
    return this.upstreams.find((u) => u.name === name);
  }

  list(): readonly Upstream[] {
    return this.upstreams;
  }

  /** Every model the gateway can serve, de-duplicated by id, configured names first. */
  async models(): Promise<ModelInfo[]> {
    const configured = this.upstreams.flatMap((u) =>
      (u.config.models ?? []).map((id) => ({
        id,
        object: 'model' as const,
        created: this.created,
        owned_by: u.name,
      })),
    );
    const fetched = await Promise.all(
      this.upstreams.filter((u) => !u.listsModels).map((u) => this.fetchModels(u)),
    );
    const seen = new Set<string>();
    return [...configured, ...fetched.flat()].filter((m) => !seen.has(m.id) && seen.add(m.id));
  }

  async close(): Promise<void> {
    await Promise.all(this.upstreams.map((u) => u.close()));
  }

  private fetchModels(u: Upstream): Promise<ModelInfo[]> {
    const cached = this.cache.get(u.name);
    if (cached && this.now() - cached.at < this.opts.modelsCacheMs) return Promise.resolve(cached.models);
    const inFlight = this.pending.get(u.name);
    if (inFlight) return inFlight;
    const p = this.loadModels(u, cached).finally(() => this.pending.delete(u.name));
    this.pending.set(u.name, p);
    return p;
  }

  private async loadModels(u: Upstream, previous: CachedModels | undefined): Promise<ModelInfo[]> {
    let models = previous?.models ?? [];
    try {
      const res = await u.request({
        path: '/models',
        method: 'GET',
        signal: AbortSignal.timeout(this.opts.modelsTimeoutMs),
      });
      const body: unknown = await res.body.json();
      if (res.statusCode === 200) models = parseModelList(body, u.name);
    } catch {
      // tolerated: an unreachable upstream contributes its last known list (or nothing)
    }
    this.cache.set(u.name, { at: this.now(), models });
    return models;
  }
}
