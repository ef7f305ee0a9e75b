/**
 * @module admin/health
 * `GET /healthz` (the process answers), `GET /readyz` (the store answers, and every component
 * reports `ok` or `degraded`), `GET /metrics` (Prometheus text from the registry passed in).
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
  /** How long /readyz waits for the store (default 1 s). */
  storeTimeoutMs?: number;
}

export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const checks: Record<string, ComponentState> = {
      store: await storeState(opts.store, opts.storeTimeoutMs ?? 1_000),
    };
    for (const [name, state] of Object.entries(opts.components?.() ?? {})) checks[name] = state;
    const ready = Object.values(checks).every((s) => s !== 'down');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
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
