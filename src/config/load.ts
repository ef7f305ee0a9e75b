/**
 * @module config/load
 * `loadConfig` merges, lowest to highest: schema defaults ← YAML file ← `DISTILLGUARD_*` env ←
 * command-line flags, then validates once with the zod schema. Errors name the bad field and
 * where its value came from.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { FLAG_SPECS, type FlagType } from './flags.js';
import { type Config, ConfigSchema, defaultDbUrl, defaultSpoolDir } from './schema.js';

export { FLAG_SPECS, type FlagSpec } from './flags.js';

/** Command-line flags as commander hands them over (camelCase keys, string or parsed values). */
export type ConfigFlags = Record<string, string | number | boolean | string[] | undefined>;

export interface LoadConfigOptions {
  /** YAML file path; defaults to `flags.config`, then `DISTILLGUARD_CONFIG`. */
  file?: string;
  flags?: ConfigFlags;
  /** Environment; defaults to `process.env`. Pass `{}` to ignore it. */
  env?: Record<string, string | undefined>;
}

type Raw = Record<string, unknown>;

export const envName = (flag: string) => `DISTILLGUARD_${flag.replace(/-/g, '_').toUpperCase()}`;
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const flags = opts.flags ?? {};
  const sources = new Map<string, string>();
  const file = opts.file ?? str(flags.config) ?? env.DISTILLGUARD_CONFIG;
  let raw: Raw = {};
  if (file) {
    raw = readYaml(file);
    for (const k of Object.keys(raw)) sources.set(k, file);
  }
  raw = mergeLayer(raw, fromEnv(env), sources);
  raw = mergeLayer(raw, fromFlags(flags), sources);
  return validate(raw, sources);
}

/** A copy of `config` with an admin token, generating a random one when none is set. */
export function ensureAdminToken(config: Config): { config: Config; generated: boolean } {
  if (config.admin_token) return { config, generated: false };
  return {
    config: { ...config, admin_token: `dga-${randomBytes(24).toString('base64url')}` },
    generated: true,
  };
}

function readYaml(file: string): Raw {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('config_file_unreadable', `config file ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError('config_file_invalid_yaml', `config file ${file}: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError('config_file_invalid_yaml', `config file ${file}: the top level must be a mapping`);
  return doc as Raw;
}

interface Layer {
  values: Raw;
  /** Top-level key → human name of its source (`DISTILLGUARD_PORT`, `--port`). */
  sources: Map<string, string>;
}

function fromEnv(env: Record<string, string | undefined>): Layer {
  const values: Raw = {};
  const sources = new Map<string, string>();
  for (const spec of FLAG_SPECS) {
    const name = envName(spec.flag);
    const v = env[name];
    if (v === undefined || v === '') continue;
    setPath(values, spec.path, coerce(v, spec.type, name));
    sources.set(spec.path[0]!, name);
  }
  applyUpstream(
    values,
    sources,
    env.DISTILLGUARD_UPSTREAM,
    env.DISTILLGUARD_UPSTREAM_KEY,
    'DISTILLGUARD_UPSTREAM',
  );
  return { values, sources };
}

function fromFlags(flags: ConfigFlags): Layer {
  const values: Raw = {};
  const sources = new Map<string, string>();
  for (const spec of FLAG_SPECS) {
    const v = flags[camel(spec.flag)];
    if (v === undefined) continue;
    const name = `--${spec.flag}`;
    setPath(values, spec.path, typeof v === 'string' ? coerce(v, spec.type, name) : v);
    sources.set(spec.path[0]!, name);
  }
  applyUpstream(values, sources, str(flags.upstream), str(flags.upstreamKey), '--upstream');
  return { values, sources };
}

/** `--upstream URL [--upstream-key KEY]` replaces the upstream list with one named `default`. */
function applyUpstream(
  values: Raw,
  sources: Map<string, string>,
  url: string | undefined,
  key: string | undefined,
  source: string,
): void {
  if (!url) {
    if (key) values.__upstream_key = key;
    return;
  }
  values.upstreams = [{ name: 'default', base_url: url, ...(key ? { api_key: key } : {}) }];
  sources.set('upstreams', source);
}

function coerce(value: string, type: FlagType, source: string): unknown {
  switch (type) {
    case 'string':
      return value;
    case 'int': {
      if (!/^-?\d+$/.test(value.trim()))
        throw new ConfigError('config_invalid', `${source}: expected an integer, got "${value}"`);
      return Number(value);
    }
    case 'bool': {
      const v = value.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new ConfigError('config_invalid', `${source}: expected true or false, got "${value}"`);
    }
    case 'list':
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  }
}

function mergeLayer(base: Raw, layer: Layer, sources: Map<string, string>): Raw {
  const { __upstream_key: upstreamKey, ...values } = layer.values;
  let merged = deepMerge(base, values);
  if (typeof upstreamKey === 'string') merged = withDefaultUpstreamKey(merged, upstreamKey);
  for (const [k, v] of layer.sources) sources.set(k, v);
  return merged;
}

/** An upstream key given without an upstream URL applies to the upstream named `default`. */
function withDefaultUpstreamKey(raw: Raw, key: string): Raw {
  const list = Array.isArray(raw.upstreams) ? (raw.upstreams as unknown[]) : [];
  const i = list.findIndex((u) => isPlainObject(u) && u.name === 'default');
  if (i < 0)
    throw new ConfigError(
      'config_invalid',
      'upstream_key: set without --upstream and no upstream is named "default"',
      'upstreams',
    );
  const upstreams = list.map((u, j) => (j === i ? { ...(u as Raw), api_key: key } : u));
  return { ...raw, upstreams };
}

function validate(raw: Raw, sources: Map<string, string>): Config {
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw toConfigError(parsed.error, sources);
  const c = parsed.data;
  return {
    ...c,
    db: c.db ?? defaultDbUrl(c.data_dir),
    cluster: { ...c.cluster, spool_dir: c.cluster.spool_dir ?? defaultSpoolDir(c.data_dir) },
  };
}

function toConfigError(error: z.ZodError, sources: Map<string, string>): ConfigError {
  const lines = error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(root)';
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    const from = sources.get(String(issue.path[0] ?? ''));
    return `${field}${from ? ` (from ${from})` : ''}: ${issue.message}${keys}`;
  });
  const first = error.issues[0]?.path.map(String).join('.') ?? null;
  return new ConfigError('config_invalid', `invalid configuration: ${lines.join('; ')}`, first || null);
}

function deepMerge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function setPath(target: Raw, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Raw;
  }
  node[path[path.length - 1]!] = value;
}

function isPlainObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
