/**
 * @module sim/personas/benign/shared
 * The benign persona names and the helpers every benign builder uses (period length, rhythm).
 */
import type { Rng } from '../../rng.js';
import { DAY, type Rhythm, randomTz, sessionSchedule } from '../../time.js';
import type { ClientProfile, KeyPlan } from '../../types.js';
import { keyPlan, type PersonaContext } from '../common.js';

export const BENIGN_PERSONAS = [
  'chat_app',
  'coding_assistant',
  'rag_app',
  'enterprise_batch',
  'eval_harness',
  'agent',
  'researcher',
  'multimodal_docs',
  'framework_shared',
  'heavy_dev',
  'content_app',
  'tutor_app',
  'tenant_platform',
  'judge_service',
  'locale_app',
  'multilingual_eval',
  'companion_app',
  'refine_pipeline',
  'thread_app',
  'reasoning_app',
  'quiz_app',
  'test_data',
  'doc_assistant',
  'briefing_job',
  'aggregator',
] as const;
export type BenignPersona = (typeof BENIGN_PERSONAS)[number];

export const days = (ctx: PersonaContext) => (ctx.end - ctx.start) / DAY;
export const rhythm = (rng: Rng, kind: Rhythm['kind'], weekend: number): Rhythm => ({
  kind,
  tzOffsetH: randomTz(rng),
  weekend,
});

/** An org's script that sends requests in runs, each request once the last answer is back. */
export interface ScriptedJob {
  org: string;
  persona: BenignPersona;
  client: ClientProfile;
  ips: string[];
  rhythm: Rhythm;
  /** Runs over the period, shared by the job's keys. */
  runs: number;
  /** Requests in each run. */
  perRun: number;
  /** Wait between a run's requests in seconds (inclusive range, one value drawn per key). */
  gapS: readonly [number, number];
  make: KeyPlan['make'];
}

/** The keys of a scripted job: one, or two (30%) that share its runs. */
export function scriptedJobKeys(ctx: PersonaContext, rng: Rng, job: ScriptedJob): KeyPlan[] {
  const plans: KeyPlan[] = [];
  const keys = rng.chance(0.3) ? 2 : 1;
  for (let k = 0; k < keys; k++) {
    const schedule = sessionSchedule(rng, ctx.start, ctx.end, job.rhythm, {
      sessions: Math.max(1, Math.round(job.runs / keys)),
      meanTurns: job.perRun,
      fixedTurns: true,
      turnGapMs: rng.float(job.gapS[0], job.gapS[1]) * 1000,
    });
    plans.push(
      keyPlan(rng, {
        org: job.org,
        label: { persona: job.persona, attack: false, campaign: null },
        client: job.client,
        ips: job.ips,
        schedule,
        make: job.make,
      }),
    );
  }
  return plans;
}
