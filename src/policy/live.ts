/**
 * @module policy/live
 * Live detection for a running gateway: an app hook that feeds every RequestEvent on the bus to
 * the detection engine on its worker thread, turns the engine's verdict changes into decisions
 * (through the verdict policy: shadow by default, allowlist respected, manual overrides win) and
 * keeps a fresh findings snapshot for the admin API and the dashboard.
 *
 * Decisions reach the gateway's decision cache as soon as the engine reports a change; the
 * findings snapshot is refreshed every `refreshMs` (2 s by default) and saved to the store.
 */
import type { App, AppHook } from '../app.js';
import type { DeepPartial, DetectConfig, VerdictChange } from '../detect/engine.js';
import { startDetectionWorker } from '../detect/worker.js';
import { Topic } from '../events/bus.js';
import type { Findings, Verdict } from '../report/findings.js';
import { isEngine } from './decisions.js';
import type { Action } from './types.js';
import { actionFor, type VerdictPolicy } from './verdict.js';

export interface LiveDetectionOptions {
  /** How often the findings snapshot is refreshed from the engine (ms). */
  refreshMs?: number;
  /** Reasons kept on a decision. */
  maxReasons?: number;
}

const DEFAULTS = { refreshMs: 2000, maxReasons: 5 } as const;

/** Reads the policy part of the config (mode, action map, allowlist) without trusting its shape. */
export function policyFromConfig(raw: Record<string, unknown>): VerdictPolicy {
  const policy: VerdictPolicy = { mode: raw.mode === 'enforce' ? 'enforce' : 'shadow' };
  if (raw.map && typeof raw.map === 'object') policy.map = raw.map as Partial<Record<Verdict, Action>>;
  if (raw.allowlist && typeof raw.allowlist === 'object') {
    const a = raw.allowlist as { orgs?: unknown; keys?: unknown };
    const strings = (v: unknown) =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    policy.allowlist = { orgs: strings(a.orgs), keys: strings(a.keys) };
  }
  return policy;
}

/** The decision to record for one account verdict change, or null when nothing changes. */
export function decisionFor(
  change: VerdictChange,
  policy: VerdictPolicy,
  previous: Action | null,
  maxReasons: number = DEFAULTS.maxReasons,
): { action: Action; reasons: string[] } | null {
  if (change.kind !== 'account') return null;
  const key = change.keys[0] ?? change.id;
  const { action } = actionFor(change.verdict, policy, { key, org: change.org });
  if (action === (previous ?? 'observe')) return null;
  const reasons = [
    `engine verdict ${change.verdict} (score ${change.score.toFixed(2)})`,
    ...change.reasons.slice(0, maxReasons).map((r) => `${r.signal}: ${r.detail}`),
  ];
  return { action, reasons };
}

export function liveDetection(opts: LiveDetectionOptions = {}): AppHook {
  const refreshMs = opts.refreshMs ?? DEFAULTS.refreshMs;
  const maxReasons = opts.maxReasons ?? DEFAULTS.maxReasons;
  return (app: App) => {
    const policy = policyFromConfig(app.config.policy as Record<string, unknown>);
    const worker = startDetectionWorker(app.config.detection as DeepPartial<DetectConfig>);
    let posted = 0;
    let refreshedAt = -1;
    const unsubscribe = app.bus.subscribe((event) => {
      posted++;
      worker.post(event);
    });
    const updates = new Topic<Findings>('findings');
    let latest: Findings | null = null;
    let refreshing = false;

    const onChange = async (change: VerdictChange) => {
      const key = change.keys[0] ?? change.id;
      if (change.kind !== 'account') return;
      const current = app.decisions.current({ scope: 'key', id: key }, Date.now());
      // A person's decision stands until a person changes it.
      if (current && !isEngine(current)) return;
      const decision = decisionFor(change, policy, current?.action ?? null, maxReasons);
      if (!decision) return;
      await app.decisions.record({
        subject: { scope: 'key', id: key },
        action: decision.action,
        source: 'engine',
        reasons: decision.reasons,
        campaign: null,
      });
    };
    const offChange = worker.onChange((change) => {
      onChange(change).catch((err: unknown) =>
        app.app.log.error({ err }, 'recording an engine decision failed'),
      );
    });

    const refresh = async () => {
      if (refreshing || posted === refreshedAt) return;
      refreshing = true;
      const seen = posted;
      try {
        latest = await worker.findings();
        updates.publish(latest);
        await app.store.findings.save(latest);
        refreshedAt = seen;
      } catch (err) {
        app.app.log.warn({ err }, 'refreshing findings failed');
      } finally {
        refreshing = false;
      }
    };
    const timer = setInterval(() => void refresh(), refreshMs);
    timer.unref();

    return {
      findings: { latest: () => latest, updates },
      stop: async () => {
        clearInterval(timer);
        unsubscribe();
        offChange();
        await refresh();
        await worker.close();
      },
    };
  };
}
