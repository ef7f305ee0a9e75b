/**
 * Cluster configuration: `cluster.example.yaml` loads, the cluster fields validate, and the
 * shared names follow `cluster.namespace`.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { busComponent, clusterNames, limitsComponent } from '../../src/worker/replica.js';

describe('cluster config', () => {
  it('loads cluster.example.yaml with the upstream key and admin token from the environment', () => {
    const c = loadConfig({
      file: 'cluster.example.yaml',
      env: { DISTILLGUARD_UPSTREAM_KEY: 'sk-test', DISTILLGUARD_ADMIN_TOKEN: 'a-long-admin-token-000' },
    });
    expect(c.db).toMatch(/^postgres:\/\//);
    expect(c.redis).toMatch(/^redis:\/\//);
    expect(c.nats).toMatch(/^nats:\/\//);
    expect(c.db_retention_days).toBe(90);
    expect(c.cluster).toMatchObject({
      namespace: 'dg',
      replicas: 3,
      limits_degraded: 'local',
      event_slots: 16,
      worker: { partition: 0, partitions: 2, checkpoint_every: 5000 },
    });
    expect(c.upstreams[0]).toMatchObject({ name: 'default', apiKey: 'sk-test' });
    expect(c.admin_token).toBe('a-long-admin-token-000');
  });

  it('defaults the spool under data_dir and takes worker partitions from flags', () => {
    const c = loadConfig({ env: {}, flags: { data: '/tmp/dgx', partition: '1', partitions: '3' } });
    expect(c.cluster.spool_dir).toBe('/tmp/dgx/spool');
    expect(c.cluster.worker).toMatchObject({ partition: 1, partitions: 3 });
    expect(c.cluster.limits_degraded).toBe('local');
    expect(c.db_retention_days).toBe(0);
  });

  it('refuses a partition outside the partition count, and a bad namespace', () => {
    expect(() => loadConfig({ env: {}, flags: { partition: '2', partitions: '2' } })).toThrow(
      /cluster\.worker\.partition.*< partitions/,
    );
    expect(() => loadConfig({ env: {}, flags: { limitsDegraded: 'open' } })).toThrow(/limits_degraded/);
    expect(() => loadConfig({ env: { DISTILLGUARD_CONFIG: '' }, flags: {} })).not.toThrow();
  });

  it('derives every shared name from the namespace', () => {
    expect(clusterNames('acme')).toEqual({
      stream: 'ACME_EVENTS',
      subjectPrefix: 'acme.events',
      decisionsSubject: 'acme.decisions',
      linkageSubject: 'acme.linkage',
      redisPrefix: 'acme',
    });
    expect(clusterNames()).toMatchObject({ stream: 'DG_EVENTS', decisionsSubject: 'dg.decisions' });
  });

  it('maps cluster states to readiness: degraded limits stay ready, a full spool does not', () => {
    expect(limitsComponent('ok')).toBe('ok');
    expect(limitsComponent('degraded-local')).toBe('degraded');
    expect(limitsComponent('failing-closed')).toBe('degraded');
    expect(busComponent('spooling')).toBe('degraded');
    expect(busComponent('spool-full')).toBe('down');
  });
});
