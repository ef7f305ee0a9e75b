/**
 * @module policy/live
 * Live detection for a running gateway: an app hook that feeds every RequestEvent on the bus to
 * the detection engine on its worker thread, turns the engine's verdict changes into decisions
 * (through the verdict policy: shadow by default, allowlist respected, manual overrides win) and
 * keeps a fresh findings snapshot for the admin API and the dashboard.
 *
 * Decisions reach the gateway's decision cache as soon as the engine reports a change; the
 * findings snapshot is refreshed every `refreshMs` (2 s by default) and saved to the store.
 *
 * The engine's state outlives the process: it is checkpointed to the store (row `live-engine`)
 * every `checkpointEveryMs` (5 min) when events arrived, and on a clean stop, and a restarted
 * gateway resumes from it, unless the detection settings changed since (then it starts empty and
 * says so). After a crash, the events since the last checkpoint are stored but not in the engine.
 */
import type { App, AppHook } from '../app.js';
import { type DeepPartial, type DetectConfig, resolveConfig } from '../detect/config.js';
import type { VerdictChange } from '../detect/engine.js';
import { startDetectionWorker } from '../detect/worker.js';
import { Topic } from '../events/bus.js';
import type { Findings, Verdict } from '../report/findings.js';
import { isEngine } from './decisions.js';
import type { Action } from './types.js';
import { actionFor, type VerdictPolicy } from './verdict.js';

export interface LiveDetectionOptions {
  /** How often the findings snapshot is refreshed from the engine (ms). */
  refreshMs?: number;
  /** How often the engine state is checkpointed to the store when events arrived (ms). */
  checkpointEveryMs?: number;
  /** Reasons kept on a decision. */
  maxReasons?: number;
  /** Told, at start, whether the engine resumed from a checkpoint (`serve` prints it). */
  onStart?: (line: string) => void;
}

const DEFAULTS = { refreshMs: 2000, maxReasons: 5, checkpointEveryMs: 5 * 60_000 } as const;

/** The `checkpoints` row of the live engine's state. */
export const LIVE_CHECKPOINT_ID = 'live-engine';

/** What the live hook saves: the engine state (`Engine.toJSON()`), its settings, and when. */
interface LiveCheckpoint {
  version: 1;
  /** The detection settings the engine ran with, defaults filled in. */
  config: DetectConfig;
  engine: unknown;
  takenAt: number;
}

/**
 * The engine state to resume from, or why not (pure): a checkpoint of this format whose detection
 * settings, with today's defaults filled in, are today's.
 */
export function resumable(
  saved: unknown,
  config: DeepPartial<DetectConfig>,
): { engine: unknown; why: null } | { engine: null; why: string } {
  const c = saved as Partial<LiveCheckpoint> | null;
  if (c?.version !== 1 || c.engine === undefined || typeof c.config !== 'object')
    return { engine: null, why: 'no usable checkpoint' };
  let then: string;
  try {
    then = JSON.stringify(resolveConfig(c.config as DeepPartial<DetectConfig>));
  } catch {
    return { engine: null, why: "the checkpoint's detection settings are no longer valid" };
  }
  if (then !== JSON.stringify(resolveConfig(config)))
    return { engine: null, why: 'the detection settings changed since the checkpoint' };
  return { engine: c.engine, why: null };
}

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
  const checkpointEveryMs = opts.checkpointEveryMs ?? DEFAULTS.checkpointEveryMs;
  return async (app: App) => {
    const policy = policyFromConfig(app.config.policy as Record<string, unknown>);
    const config = app.config.detection as DeepPartial<DetectConfig>;
    const resolved = resolveConfig(config);
    const log = app.app.log;
    let saved: unknown = null;
    try {
      saved = (await app.store.checkpoints.load(LIVE_CHECKPOINT_ID))?.data ?? null;
    } catch (err) {
      log.warn({ err }, 'reading the detection checkpoint failed: the engine starts empty');
    }
    const resume = resumable(saved, config);
    if (resume.why !== null && saved !== null) log.warn(`detection starts empty: ${resume.why}`);
    const takenAt = (saved as Partial<LiveCheckpoint> | null)?.takenAt;
    opts.onStart?.(
      resume.why === null
        ? `resumed from its checkpoint of ${typeof takenAt === 'number' ? new Date(takenAt).toISOString() : '?'}`
        : saved === null
          ? 'no checkpoint: starting empty'
          : `starting empty: ${resume.why}`,
    );
    const worker = startDetectionWorker(config, {
      ...(resume.why === null ? { checkpoint: resume.engine } : {}),
      onError: (message) => log.error(`detection: ${message}`),
    });
    let posted = 0;
    let checkpointedAt = 0;
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

    let checkpointing: Promise<void> | null = null;
    /** Saves the engine state when events arrived since the last save; one save at a time. */
    const checkpoint = (): Promise<void> => {
      if (posted === checkpointedAt) return Promise.resolve();
      checkpointing ??= saveCheckpoint().finally(() => {
        checkpointing = null;
      });
      return checkpointing;
    };
    const saveCheckpoint = async () => {
      const seen = posted;
      try {
        // The engine state is serialized on the worker thread: only the small wrapper is here.
        const engine = await worker.checkpointJson();
        const head: Omit<LiveCheckpoint, 'engine'> = { version: 1, config: resolved, takenAt: Date.now() };
        await app.store.checkpoints.saveJson(
          LIVE_CHECKPOINT_ID,
          `${JSON.stringify(head).slice(0, -1)},"engine":${engine}}`,
        );
        checkpointedAt = seen;
      } catch (err) {
        log.warn({ err }, 'checkpointing the detection engine failed');
      }
    };
    const checkpointTimer = setInterval(() => void checkpoint(), checkpointEveryMs);
    checkpointTimer.unref();

    return {
      findings: { latest: () => latest, updates },
      stop: async () => {
        clearInterval(timer);
        clearInterval(checkpointTimer);
        unsubscribe();
        offChange();
        await refresh();
        // A periodic save may be running: wait for it, then save what came after it.
        await checkpointing;
        await checkpoint();
        await worker.close();
      },
    };
  };
}
