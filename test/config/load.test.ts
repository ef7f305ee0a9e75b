import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ensureAdminToken, loadConfig } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-config-'));
function yamlFile(text: string): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(c.data_dir).toBe('./.data');
    expect(c.db).toBe('sqlite:./.data/distillguard.sqlite');
    expect(c.store_prompts).toBe(false);
    expect(c.trusted_proxies).toEqual(['127.0.0.1', '::1']);
    expect(c.body_limit_bytes).toBe(10 * 1024 * 1024);
    expect(c.max_n).toBe(128);
    expect(c.events).toEqual({ batch_size: 500, flush_ms: 100 });
    expect(c.policy.mode).toBe('shadow');
    expect(c.cluster.replicas).toBe(1);
    expect(c.detection).toEqual({});
    expect(c.upstreams).toEqual([]);
    expect(c.admin_token).toBeUndefined();
  });

  it('applies defaults ← file ← env ← flags', () => {
    const file = yamlFile('port: 9000\nhost: 0.0.0.0\nstore_prompts: true\nevents:\n  batch_size: 50\n');
    const c = loadConfig({
      file,
      env: {
        DISTILLGUARD_PORT: '9100',
        DISTILLGUARD_STORE_PROMPTS: 'false',
        DISTILLGUARD_EVENTS_FLUSH_MS: '20',
      },
      flags: { port: '9200' },
    });
    expect(c.port).toBe(9200);
    expect(c.host).toBe('0.0.0.0');
    expect(c.store_prompts).toBe(false);
    expect(c.events).toEqual({ batch_size: 50, flush_ms: 20 });
  });

  it('derives db from data_dir unless db is given', () => {
    expect(loadConfig({ env: {}, flags: { data: '/tmp/x/' } }).db).toBe('sqlite:/tmp/x/distillguard.sqlite');
    expect(loadConfig({ env: { DISTILLGUARD_DB: 'postgres://u@h/db' }, flags: { data: '/tmp/x' } }).db).toBe(
      'postgres://u@h/db',
    );
  });

  it('reads the file named by flags.config or DISTILLGUARD_CONFIG', () => {
    const file = yamlFile('port: 7000\n');
    expect(loadConfig({ env: {}, flags: { config: file } }).port).toBe(7000);
    expect(loadConfig({ env: { DISTILLGUARD_CONFIG: file } }).port).toBe(7000);
  });

  it('parses upstreams in snake_case and makes --upstream a single default upstream', () => {
    const file = yamlFile(
      'upstreams:\n  - name: openai\n    base_url: https://api.openai.com/v1/\n    api_key: sk-x\n    models: [gpt-4o]\n',
    );
    const c = loadConfig({ file, env: {} });
    expect(c.upstreams).toEqual([
      {
        name: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        apiKey: 'sk-x',
        timeoutMs: 600_000,
        models: ['gpt-4o'],
      },
    ]);
    const f = loadConfig({
      file,
      env: {},
      flags: { upstream: 'http://127.0.0.1:9100/v1', upstreamKey: 'k' },
    });
    expect(f.upstreams).toEqual([
      { name: 'default', baseUrl: 'http://127.0.0.1:9100/v1', apiKey: 'k', timeoutMs: 600_000 },
    ]);
    const e = loadConfig({ env: { DISTILLGUARD_UPSTREAM: 'http://127.0.0.1:9/v1' } });
    expect(e.upstreams[0]?.name).toBe('default');
  });

  it('converts default_limits to a LimitRule', () => {
    const file = yamlFile('default_limits:\n  rpm: 60\n  tokens_per_day: 1000\n');
    expect(loadConfig({ file, env: {} }).default_limits).toEqual({ rpm: 60, tokensPerDay: 1000 });
  });

  it('keeps detection and policy opaque but validates policy.mode', () => {
    const file = yamlFile(
      'policy:\n  mode: enforce\n  thresholds: { block: 0.9 }\ndetection:\n  window: 3600\n',
    );
    const c = loadConfig({ file, env: {} });
    expect(c.policy).toEqual({ mode: 'enforce', thresholds: { block: 0.9 } });
    expect(c.detection).toEqual({ window: 3600 });
    const err = errorOf(() => loadConfig({ env: { DISTILLGUARD_POLICY_MODE: 'loud' } }));
    expect(err.field).toBe('policy.mode');
    expect(err.message).toContain('DISTILLGUARD_POLICY_MODE');
  });

  it('names the bad field and its source', () => {
    const env = errorOf(() => loadConfig({ env: { DISTILLGUARD_PORT: 'eighty' } }));
    expect(env.code).toBe('config_invalid');
    expect(env.message).toContain('DISTILLGUARD_PORT');
    const range = errorOf(() => loadConfig({ env: {}, flags: { port: '70000' } }));
    expect(range.field).toBe('port');
    expect(range.message).toMatch(/^invalid configuration: port \(from --port\)/);
    const file = yamlFile('upstreams:\n  - name: a\n');
    const up = errorOf(() => loadConfig({ file, env: {} }));
    expect(up.field).toBe('upstreams.0.base_url');
    expect(up.message).toContain(file);
    const typo = errorOf(() => loadConfig({ file: yamlFile('store_prompt: true\n'), env: {} }));
    expect(typo.message).toContain('store_prompt');
    const proxy = errorOf(() => loadConfig({ env: { DISTILLGUARD_TRUSTED_PROXIES: '10.0.0.0/8,nope' } }));
    expect(proxy.field).toBe('trusted_proxies.1');
    const bool = errorOf(() => loadConfig({ env: { DISTILLGUARD_STORE_PROMPTS: 'maybe' } }));
    expect(bool.message).toContain('DISTILLGUARD_STORE_PROMPTS');
  });

  it('reports unreadable and malformed files', () => {
    expect(errorOf(() => loadConfig({ file: join(dir, 'missing.yaml'), env: {} })).code).toBe(
      'config_file_unreadable',
    );
    expect(errorOf(() => loadConfig({ file: yamlFile('port: [1\n'), env: {} })).code).toBe(
      'config_file_invalid_yaml',
    );
  });

  it('accepts trusted proxies as a comma list and rejects a short admin token', () => {
    const c = loadConfig({ env: { DISTILLGUARD_TRUSTED_PROXIES: '10.0.0.0/8, ::1' } });
    expect(c.trusted_proxies).toEqual(['10.0.0.0/8', '::1']);
    expect(errorOf(() => loadConfig({ env: { DISTILLGUARD_ADMIN_TOKEN: 'short' } })).field).toBe(
      'admin_token',
    );
  });

  it('generates an admin token only when none is set, without mutating the config', () => {
    const c = loadConfig({ env: {} });
    const { config, generated } = ensureAdminToken(c);
    expect(generated).toBe(true);
    expect(config.admin_token).toMatch(/^dga-/);
    expect(c.admin_token).toBeUndefined();
    const given = loadConfig({ env: { DISTILLGUARD_ADMIN_TOKEN: 'a-long-enough-admin-token' } });
    expect(ensureAdminToken(given)).toEqual({ config: given, generated: false });
  });
});

describe('config.example.yaml', () => {
  it('loads', () => {
    const c = loadConfig({ file: new URL('../../config.example.yaml', import.meta.url).pathname, env: {} });
    expect(c.upstreams.length).toBeGreaterThan(0);
  });
});
