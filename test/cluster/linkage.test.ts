/**
 * Cross-partition linkage: digests, the linker's rule (rare shared evidence of ≥ 2 kinds,
 * different orgs in different partitions), merged findings, and the whole loop between two
 * real workers on NATS and PostgreSQL.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { parseLogLine } from '../../src/events/logline.js';
import { NatsEventBus } from '../../src/events/nats-bus.js';
import { slotOf } from '../../src/events/nats-partitions.js';
import type { RequestEvent } from '../../src/events/types.js';
import type { Findings } from '../../src/report/findings.js';
import { LINKAGE_ID, type LinkageSnapshot, mergeFindings } from '../../src/worker/findings.js';
import {
  crossPartitionCampaigns,
  DigestCollector,
  type KeyDigest,
  networkOf,
} from '../../src/worker/linkage.js';
import { startWorker } from '../../src/worker/runner.js';
import { requireService } from '../helpers/services.js';
import { clusterConfig, dropRun, NATS_URL, runNames, until } from './helpers.js';

let n = 0;
function event(o: {
  key: string;
  org: string;
  ip: string;
  system: string;
  ua?: string;
  user?: string;
}): RequestEvent {
  n++;
  const r = parseLogLine(
    JSON.stringify({
      ts: Date.UTC(2026, 10, 29, 9) + n * 1000,
      key: o.key,
      org: o.org,
      ip: o.ip,
      user_agent: o.ua ?? 'OpenAI/Python 1.40.0',
      request: {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: o.system },
          { role: 'user', content: o.user ?? `Explain topic ${n} step by step.` },
        ],
      },
      response: { usage: { prompt_tokens: 10, completion_tokens: 200 } },
      status: 200,
    }),
  );
  if (!r.ok) throw new Error(r.error);
  return r.event as RequestEvent;
}

const digest = (
  key: string,
  org: string,
  partition: number,
  values: Partial<KeyDigest['values']>,
): KeyDigest => ({
  key,
  org,
  partition,
  values: { frame: [], skeleton: [], system: [], fingerprint: [], network: [], ...values },
});

describe('linkage digests and the linker (pure)', () => {
  it('names networks: /24 for IPv4, /48 for IPv6', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:10.1.2.3')).toBe('10.1.2.0/24');
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(networkOf(null)).toBeNull();
  });

  it('collects bounded per-key evidence and drains only what changed', () => {
    const c = new DigestCollector(1, { maxPerKind: 2 });
    c.add(event({ key: 'k1', org: 'o1', ip: '198.51.100.1', system: 'You are a grader.' }));
    c.add(event({ key: 'k1', org: 'o1', ip: '198.51.100.2', system: 'You are a grader.' }));
    const first = c.drain();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ key: 'k1', org: 'o1', partition: 1 });
    expect(first[0]!.values.network).toEqual(['198.51.100.0/24']);
    expect(first[0]!.values.system).toHaveLength(1);
    expect(c.drain()).toEqual([]);
    for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3'])
      c.add(event({ key: 'k1', org: 'o1', ip, system: 'You are a grader.' }));
    expect(c.drain()[0]!.values.network).toEqual(['2.2.2.0/24', '3.3.3.0/24']);
    expect(c.drain(true)).toHaveLength(1);
  });

  it('links keys of different orgs in different partitions sharing ≥ 2 kinds of rare evidence', () => {
    const shared = { system: ['sys-A'], network: ['203.0.113.0/24'] };
    const digests = [
      digest('k1', 'o1', 0, shared),
      digest('k2', 'o2', 1, shared),
      digest('k3', 'o3', 1, { system: ['sys-A'] }), // one kind only: not linked
      digest('k4', 'o4', 0, { ...shared, fingerprint: ['fp'] }),
      digest('k5', 'o1', 0, shared), // same partition as k1/k4 but linked through k2
    ];
    const verdicts = new Map([
      ['k1', { verdict: 'distillation' as const, score: 0.95 }],
      ['k2', { verdict: 'benign' as const, score: 0.1 }],
    ]);
    // sys-A is shared by 4 orgs: with maxOrgsPerValue 3 it is too common
    expect(crossPartitionCampaigns(digests, verdicts, { maxOrgsPerValue: 3 })).toEqual([]);
    const [c, ...rest] = crossPartitionCampaigns(digests, verdicts, { maxOrgsPerValue: 4 });
    expect(rest).toEqual([]);
    expect(c).toMatchObject({
      keys: ['k1', 'k2', 'k4', 'k5'],
      orgs: ['o1', 'o2', 'o4'],
      partitions: [0, 1],
      verdict: 'distillation',
      score: 0.95,
    });
    expect(c!.reasons.map((r) => r.signal)).toEqual([
      'link.cross_partition_network',
      'link.cross_partition_system',
    ]);
    // keys of the same partition are never linked by the merge (their worker does that)
    expect(
      crossPartitionCampaigns([digest('a', 'o1', 0, shared), digest('b', 'o2', 0, shared)], new Map()),
    ).toEqual([]);
  });

  it('merges partition findings with cross-partition campaigns', () => {
    const part = (key: string, org: string, at: string): Findings => ({
      version: 1,
      generated_at: at,
      input: { lines: 10, bad_lines: 1 },
      accounts: [
        {
          key,
          org,
          requests: 10,
          output_tokens: 100,
          score: 0.9,
          verdict: 'distillation',
          first_flagged_at: null,
          campaign: null,
          reasons: [],
        },
      ],
      campaigns: [],
    });
    const merged = mergeFindings(
      [part('k1', 'o1', '2026-11-29T09:00:00.000Z'), part('k2', 'o2', '2026-11-29T09:01:00.000Z')],
      [
        {
          id: 'xc_1',
          keys: ['k1', 'k2'],
          orgs: ['o1', 'o2'],
          partitions: [0, 1],
          verdict: 'distillation',
          score: 0.9,
          reasons: [],
        },
      ],
    );
    expect(merged?.generated_at).toBe('2026-11-29T09:01:00.000Z');
    expect(merged?.input).toEqual({ lines: 20, bad_lines: 2 });
    expect(merged?.campaigns).toMatchObject([{ id: 'xc_1', requests: 20, output_tokens: 200 }]);
    expect(merged?.accounts.map((a) => a.campaign)).toEqual(['xc_1', 'xc_1']);
    expect(mergeFindings([])).toBeNull();
  });
});

const up = (await requireService('postgres', 5432)) && (await requireService('nats', 4222));

describe.runIf(up)('cross-partition linkage between two workers', () => {
  const names = runNames();
  afterAll(async () => {
    await dropRun(names);
  });

  it('finds a campaign whose orgs sit in different partitions and saves it for the replicas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-link-'));
    const base = clusterConfig(dir, 'http://127.0.0.1:1/v1', names, { replicas: 1 });
    const config = (partition: number): Config =>
      ({
        ...base,
        redis: undefined,
        cluster: { ...base.cluster, worker: { partition, partitions: 2, checkpoint_every: 1000 } },
      }) as Config;
    // two orgs on different partitions (slot mod 2), and a third one that shares nothing
    const orgs = Array.from({ length: 40 }, (_, i) => `org_l${i}`);
    const even = orgs.find((o) => slotOf(o, 4) % 2 === 0)!;
    const odd = orgs.find((o) => slotOf(o, 4) % 2 === 1)!;
    const quiet = { warn: () => undefined, info: () => undefined };
    const opts = { ...names, logger: quiet, maxWaitMs: 20, linkageEveryMs: 60_000 };
    const w0 = await startWorker(config(0), opts);
    const w1 = await startWorker(config(1), opts);
    const pub = await NatsEventBus.connect({
      servers: NATS_URL,
      stream: names.stream,
      subjectPrefix: names.subjectPrefix,
      slots: 4,
      onError: () => undefined,
    });
    try {
      const system = 'You are a teacher model. Answer with full reasoning, then a final line.';
      for (let i = 0; i < 6; i++) {
        pub.publish(event({ key: 'k_even', org: even, ip: `203.0.113.${10 + i}`, system }));
        pub.publish(event({ key: 'k_odd', org: odd, ip: `203.0.113.${20 + i}`, system }));
        pub.publish(
          event({
            key: 'k_other',
            org: odd,
            ip: `198.51.100.${i}`,
            system: `Unrelated ${i}`,
            ua: 'curl/8.0',
            user: ['What is the weather?', 'Write me a haiku about tea', 'ok thanks'][i % 3]!,
          }),
        );
      }
      await pub.flush();
      await until(() => w0.stats().processed + w1.stats().processed === 18);
      await w1.links!.round(); // partition 1 publishes its digests
      const campaigns = await w0.links!.round(); // partition 0 publishes and merges
      expect(campaigns).toHaveLength(1);
      expect(campaigns[0]).toMatchObject({
        keys: ['k_even', 'k_odd'],
        orgs: [even, odd].sort(),
        partitions: [0, 1],
      });
      const saved = await w0.store.checkpoints.load<LinkageSnapshot>(LINKAGE_ID);
      expect(saved?.data.campaigns.map((c) => c.id)).toEqual([campaigns[0]!.id]);
    } finally {
      await pub.close();
      await w0.stop();
      await w1.stop();
    }
  });
});
