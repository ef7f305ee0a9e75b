/**
 * @module worker/link-service
 * The I/O around worker/linkage.ts inside a worker process: every `everyMs` the worker
 * publishes its changed key digests on `<ns>.linkage` (everything every `fullEvery` rounds, so
 * a restarted linker relearns quiet keys). The worker of partition 0 is the linker: it keeps the
 * latest digest of every key, and each round merges them with the partitions' verdicts into
 * cross-partition campaigns, saves them (`linkage` row, read by the replicas' findings) and
 * records the decisions of campaigns that are not benign.
 */
import type { NatsConnection, Subscription } from 'nats';
import type { StateLogger } from '../limits/redis-resilient.js';
import type { DecisionCache } from '../policy/decisions.js';
import type { VerdictPolicy } from '../policy/verdict.js';
import type { Store } from '../store/types.js';
import { decisionsFor } from './decide.js';
import { LINKAGE_ID, type LinkageSnapshot, loadPartitionFindings, verdictsOf } from './findings.js';
import {
  type CrossCampaign,
  crossPartitionCampaigns,
  type DigestCollector,
  type KeyDigest,
  type LinkerOptions,
} from './linkage.js';

export interface LinkServiceOptions {
  nc: NatsConnection;
  subject: string;
  collector: DigestCollector;
  partitions: number;
  store: Store;
  decisions: DecisionCache;
  policy: VerdictPolicy;
  logger: StateLogger;
  everyMs?: number;
  fullEvery?: number;
  linker?: LinkerOptions;
  now?: () => number;
}

export const LINK_SERVICE_DEFAULTS = { everyMs: 5_000, fullEvery: 12, maxDigestsPerMessage: 200 };

export interface LinkService {
  /** One round now (publish; merge if linker). Resolves with the campaigns found (linker). */
  round(): Promise<CrossCampaign[]>;
  close(): Promise<void>;
}

export function startLinkService(o: LinkServiceOptions): LinkService {
  const everyMs = o.everyMs ?? LINK_SERVICE_DEFAULTS.everyMs;
  const fullEvery = o.fullEvery ?? LINK_SERVICE_DEFAULTS.fullEvery;
  const now = o.now ?? Date.now;
  const isLinker = o.collector.partition === 0;
  const latest = new Map<string, KeyDigest>();
  const encoder = new TextEncoder();
  let sub: Subscription | null = null;
  if (isLinker)
    sub = o.nc.subscribe(o.subject, {
      callback: (err, msg) => {
        if (err) return;
        for (const d of msg.json<KeyDigest[]>()) latest.set(d.key, d);
      },
    });
  let rounds = 0;
  let running: Promise<CrossCampaign[]> = Promise.resolve([]);

  const publish = () => {
    const digests = o.collector.drain(rounds++ % fullEvery === 0);
    for (let i = 0; i < digests.length; i += LINK_SERVICE_DEFAULTS.maxDigestsPerMessage) {
      const chunk = digests.slice(i, i + LINK_SERVICE_DEFAULTS.maxDigestsPerMessage);
      if (!o.nc.isClosed()) o.nc.publish(o.subject, encoder.encode(JSON.stringify(chunk)));
    }
  };
  const merge = async (): Promise<CrossCampaign[]> => {
    await o.nc.flush();
    const verdicts = verdictsOf(await loadPartitionFindings(o.store, o.partitions));
    const campaigns = crossPartitionCampaigns(latest.values(), verdicts, o.linker);
    await o.store.checkpoints.save(LINKAGE_ID, { at: now(), campaigns } satisfies LinkageSnapshot);
    for (const c of campaigns) {
      if (c.verdict === 'benign') continue;
      const change = {
        kind: 'campaign' as const,
        id: c.id,
        keys: c.keys,
        org: null,
        verdict: c.verdict,
        reasons: c.reasons,
      };
      const current = (s: { scope: 'key' | 'org'; id: string }) => o.decisions.current(s, now())?.action;
      for (const d of decisionsFor(change, o.policy, current)) await o.decisions.record(d);
    }
    return campaigns;
  };
  const round = (): Promise<CrossCampaign[]> => {
    running = running
      .catch(() => [])
      .then(async () => {
        publish();
        return isLinker ? merge() : [];
      });
    return running;
  };
  const timer = setInterval(
    () => void round().catch((err) => o.logger.warn(`linkage round failed: ${(err as Error).message}`)),
    everyMs,
  );
  timer.unref();
  return {
    round,
    async close() {
      clearInterval(timer);
      await running.catch(() => undefined);
      sub?.unsubscribe();
    },
  };
}
