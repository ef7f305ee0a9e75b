/**
 * @module config/schema
 * The configuration schema (zod) with every default next to its field. Field names are the
 * YAML names (snake_case); `Config` is the parsed, fully defaulted result. `detection` and
 * `policy` are opaque here: the detection engine and the policy validate their own parts.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { LimitRule } from '../limits/types.js';
import type { UpstreamConfig } from '../upstream/types.js';

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  data_dir: './.data',
  store_prompts: false,
  trusted_proxies: ['127.0.0.1', '::1'],
  body_limit_bytes: 10 * 1024 * 1024,
  max_n: 128,
  max_tokens_limit: 1_000_000,
  upstream_timeout_ms: 600_000,
  events: { batch_size: 500, flush_ms: 100 },
  policy_mode: 'shadow',
  replicas: 1,
  cluster: {
    namespace: 'dg',
    replicas: 1,
    limits_degraded: 'local',
    spool_dir: '<data_dir>/spool',
    spool_max_bytes: 256 * 1024 * 1024,
    event_slots: 16,
    worker: { partition: 0, partitions: 1, checkpoint_every: 5_000 },
  },
  db_retention_days: 0,
} as const;

/** `<data_dir>/spool`: the gateway's disk spool when `cluster.spool_dir` is not set. */
export function defaultSpoolDir(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}/spool`;
}

const positiveInt = z.number().int().positive();
const CLUSTER = DEFAULTS.cluster;

/**
 * Cluster mode (`redis`, `nats`, postgres `db`): replicas, degraded limits, spool, partitions.
 * `spool_dir` defaults to `<data_dir>/spool` (resolved by loadConfig).
 */
const ClusterSchema = z
  .strictObject({
    /**
     * Prefix of every shared name: stream `<NS>_EVENTS`, subjects `<ns>.events.*` and
     * `<ns>.decisions`, Redis keys `<ns>:…`. Lets several clusters share the same services.
     */
    namespace: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lowercase letters, digits and _, starting with a letter')
      .default(CLUSTER.namespace),
    /** Gateway replicas: local fallback limits are divided by this while Redis is down. */
    replicas: positiveInt.default(CLUSTER.replicas),
    /** While Redis is down: per-replica local limits, or refuse requests (503 limits_unavailable). */
    limits_degraded: z.enum(['local', 'fail-closed']).default(CLUSTER.limits_degraded),
    spool_dir: z.string().min(1).optional(),
    spool_max_bytes: positiveInt.default(CLUSTER.spool_max_bytes),
    /** Org hash slots of the event stream: fixed for the life of the stream. */
    event_slots: positiveInt.max(1024).default(CLUSTER.event_slots),
    worker: z
      .strictObject({
        /** This worker's index, 0 ≤ partition < partitions. */
        partition: z.number().int().min(0).default(CLUSTER.worker.partition),
        partitions: positiveInt.default(CLUSTER.worker.partitions),
        /** Engine checkpoint cadence, in events (also on shutdown). */
        checkpoint_every: positiveInt.default(CLUSTER.worker.checkpoint_every),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.worker.partition >= c.worker.partitions)
      ctx.addIssue({ code: 'custom', path: ['worker', 'partition'], message: 'must be < partitions' });
    if (c.worker.partitions > c.event_slots)
      ctx.addIssue({ code: 'custom', path: ['worker', 'partitions'], message: 'must be ≤ event_slots' });
  });

/** `sqlite:<data_dir>/distillguard.sqlite`: the store used when `db` is not set. */
export function defaultDbUrl(dataDir: string): string {
  return `sqlite:${dataDir.replace(/\/+$/, '')}/distillguard.sqlite`;
}

/** Accepts snake_case (YAML) or camelCase names; produces the `LimitRule` of `limits/types`. */
export const LimitRuleSchema = z
  .strictObject({
    rpm: positiveInt.optional(),
    tpm: positiveInt.optional(),
    concurrency: positiveInt.optional(),
    tokens_per_day: positiveInt.optional(),
    tokens_per_month: positiveInt.optional(),
    tokensPerDay: positiveInt.optional(),
    tokensPerMonth: positiveInt.optional(),
  })
  .transform((r): LimitRule => {
    const out: LimitRule = {};
    if (r.rpm !== undefined) out.rpm = r.rpm;
    if (r.tpm !== undefined) out.tpm = r.tpm;
    if (r.concurrency !== undefined) out.concurrency = r.concurrency;
    const day = r.tokens_per_day ?? r.tokensPerDay;
    const month = r.tokens_per_month ?? r.tokensPerMonth;
    if (day !== undefined) out.tokensPerDay = day;
    if (month !== undefined) out.tokensPerMonth = month;
    return out;
  });

const UpstreamSchema = z
  .strictObject({
    name: z.string().min(1),
    base_url: z.url().optional(),
    baseUrl: z.url().optional(),
    api_key: z.string().optional(),
    apiKey: z.string().optional(),
    timeout_ms: positiveInt.optional(),
    timeoutMs: positiveInt.optional(),
    models: z.array(z.string().min(1)).optional(),
    connections: positiveInt.optional(),
  })
  .superRefine((u, ctx) => {
    if (!u.base_url && !u.baseUrl) ctx.addIssue({ code: 'custom', path: ['base_url'], message: 'required' });
  })
  .transform((u): UpstreamConfig => {
    const out: UpstreamConfig = {
      name: u.name,
      baseUrl: (u.base_url ?? u.baseUrl ?? '').replace(/\/+$/, ''),
      timeoutMs: u.timeout_ms ?? u.timeoutMs ?? DEFAULTS.upstream_timeout_ms,
    };
    const apiKey = u.api_key ?? u.apiKey;
    if (apiKey !== undefined) out.apiKey = apiKey;
    if (u.models !== undefined) out.models = u.models;
    if (u.connections !== undefined) out.connections = u.connections;
    return out;
  });

/** An IP address or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
export function isIpOrCidr(value: string): boolean {
  const [addr, bits, extra] = value.split('/');
  if (extra !== undefined || addr === undefined) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

const urlWithScheme = (schemes: string[]) =>
  z
    .string()
    .min(1)
    .refine((v) => schemes.some((s) => v.startsWith(s)), {
      message: `must start with ${schemes.join(' or ')}`,
    });

export const ConfigSchema = z
  .strictObject({
    host: z.string().min(1).default(DEFAULTS.host),
    port: z.number().int().min(0).max(65535).default(DEFAULTS.port),
    data_dir: z.string().min(1).default(DEFAULTS.data_dir),
    /** Defaults to `sqlite:<data_dir>/distillguard.sqlite` (resolved by loadConfig). */
    db: urlWithScheme(['sqlite:', 'postgres://', 'postgresql://']).optional(),
    redis: urlWithScheme(['redis://', 'rediss://']).optional(),
    nats: urlWithScheme(['nats://', 'tls://']).optional(),
    admin_token: z.string().min(16, 'must be at least 16 characters').optional(),
    store_prompts: z.boolean().default(DEFAULTS.store_prompts),
    trusted_proxies: z
      .array(z.string().refine(isIpOrCidr, { message: 'not an IP address or CIDR block' }))
      .default([...DEFAULTS.trusted_proxies]),
    body_limit_bytes: positiveInt.default(DEFAULTS.body_limit_bytes),
    max_n: positiveInt.default(DEFAULTS.max_n),
    max_tokens_limit: positiveInt.default(DEFAULTS.max_tokens_limit),
    upstreams: z.array(UpstreamSchema).default([]),
    default_limits: LimitRuleSchema.prefault({}),
    events: z
      .strictObject({
        batch_size: positiveInt.default(DEFAULTS.events.batch_size),
        flush_ms: positiveInt.default(DEFAULTS.events.flush_ms),
      })
      .prefault({}),
    detection: z.record(z.string(), z.unknown()).default({}),
    policy: z.looseObject({ mode: z.enum(['shadow', 'enforce']).default(DEFAULTS.policy_mode) }).prefault({}),
    cluster: ClusterSchema.prefault({}),
    /** PostgreSQL: days of events kept (older daily partitions are dropped); 0 keeps everything. */
    db_retention_days: z.number().int().min(0).default(DEFAULTS.db_retention_days),
  })
  .superRefine((c, ctx) => {
    const names = new Set<string>();
    c.upstreams.forEach((u, i) => {
      if (names.has(u.name))
        ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'name'], message: `duplicate name ${u.name}` });
      names.add(u.name);
    });
  });

type Parsed = z.output<typeof ConfigSchema>;

/** The loaded configuration: every field defaulted, `db` and `cluster.spool_dir` resolved. */
export type Config = Omit<Parsed, 'db' | 'cluster'> & {
  db: string;
  cluster: Omit<Parsed['cluster'], 'spool_dir'> & { spool_dir: string };
};
/** What a YAML file may contain (every field optional). */
export type ConfigInput = z.input<typeof ConfigSchema>;
