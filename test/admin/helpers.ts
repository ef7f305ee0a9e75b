import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import {
  adminPlugin,
  type FindingsSource,
  healthPlugin,
  registerControlPlaneMetrics,
} from '../../src/admin/index.js';
import { loadConfig } from '../../src/config/index.js';
import { InProcessBus, Topic } from '../../src/events/bus.js';
import { DecisionCache } from '../../src/policy/decisions.js';
import type { Findings } from '../../src/report/findings.js';
import { EventWriter, openStore, type Store } from '../../src/store/index.js';
import { KeyResolver, TenancyService } from '../../src/tenancy/index.js';

export const TOKEN = 'test-admin-token-0123456789';
export const auth = { authorization: `Bearer ${TOKEN}` };

export interface Harness {
  app: FastifyInstance;
  store: Store;
  bus: InProcessBus;
  writer: EventWriter;
  tenancy: TenancyService;
  resolver: KeyResolver;
  decisions: DecisionCache;
  findings: { current: Findings | null; updates: Topic<Findings> };
  close(): Promise<void>;
}

export async function harness(opts: { findings?: boolean; bodyLimit?: number; heartbeatMs?: number } = {}) {
  const config = loadConfig({
    env: {},
    flags: { adminToken: TOKEN, ...(opts.bodyLimit ? { bodyLimitBytes: String(opts.bodyLimit) } : {}) },
  });
  const store = await openStore('sqlite::memory:');
  const bus = new InProcessBus();
  const writer = new EventWriter(store.events, { batchSize: 100, flushMs: 5 }).attach(bus);
  const resolver = new KeyResolver(store.tenancy);
  const tenancy = new TenancyService(store, { resolver });
  const decisions = await new DecisionCache(store.decisions, store.audit, { mode: 'enforce' }).load();
  const metrics = new Registry();
  registerControlPlaneMetrics(metrics, { writer, resolver });
  const findings = { current: null as Findings | null, updates: new Topic<Findings>('findings') };
  const source: FindingsSource = { latest: () => findings.current, updates: findings.updates };
  const app = Fastify();
  await app.register(adminPlugin, {
    prefix: '/admin',
    config,
    store,
    tenancy,
    resolver,
    decisions,
    bus,
    metrics,
    ...(opts.findings === false ? {} : { findings: source }),
    ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
  });
  await app.register(healthPlugin, { store, metrics });
  await app.ready();
  const h: Harness = {
    app,
    store,
    bus,
    writer,
    tenancy,
    resolver,
    decisions,
    findings,
    async close() {
      await app.close();
      await writer.close();
      await store.close();
    },
  };
  return h;
}
