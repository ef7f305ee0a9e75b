/**
 * @module admin/health
 * `GET /healthz` (the process answers), `GET /readyz` (the store answers, and every component
 * reports `ok` or `degraded`; `details` names cluster states such as `degraded-local`), `GET /metrics` (Prometheus text from the registry passed in).
 * No authentication: register outside `/admin`, and expose them only where probes run.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Store } from '../store/types.js';

export type ComponentState = 'ok' | 'degraded' | 'down';

export interface HealthOptions {
  store: Store;
  metrics: Registry;
  /** Extra components' states (limits store, bus, detection, …), read on each /readyz. */
  components?: () => Record<string, ComponentState>;
  /** Extra facts shown under `details` on each /readyz (limits state by name, spool figures, …). */
  details?: () => Record<string, unknown>;
  /**
   * State reported when the store does not answer: `down` (default: not ready), or `degraded`
   * in cluster mode, where requests flow without it (events wait in the stream, keys are cached).
   */
  storeDown?: 'down' | 'degraded';
  /** How long /readyz waits for the store (default 1 s). */
  storeTimeoutMs?: number;
}

export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const checks: Record<string, ComponentState> = {
      store: await storeState(opts.store, opts.storeTimeoutMs ?? 1_000),
    };
    if (checks.store === 'down' && opts.storeDown === 'degraded') checks.store = 'degraded';
    for (const [name, state] of Object.entries(opts.components?.() ?? {})) checks[name] = state;
    const ready = Object.values(checks).every((s) => s !== 'down');
    const body: Record<string, unknown> = { status: ready ? 'ready' : 'not_ready', checks };
    if (opts.details) body.details = opts.details();
    return reply.code(ready ? 200 : 503).send(body);
  });

  app.get('/metrics', async (_req, reply) => {
    const text = await opts.metrics.metrics();
    return reply.header('content-type', opts.metrics.contentType).send(text);
  });
};

async function storeState(store: Store, timeoutMs: number): Promise<ComponentState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ComponentState>((resolve) => {
    timer = setTimeout(() => resolve('down'), timeoutMs);
  });
  try {
    return await Promise.race([store.ping().then((): ComponentState => 'ok'), timeout]);
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
