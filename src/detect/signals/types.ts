/**
 * @module detect/signals/types
 * The contract every signal module implements: a pure function from a profile (a key's, or a
 * campaign's merged profile) and the population context to a score in [0,1], and a detail line
 * that carries the numbers behind it.
 */
import type { DetectConfig, SignalName } from '../config.js';
import type { Population } from '../population.js';
import type { AccountProfile } from '../profile.js';

export interface SignalContext {
  pop: Population;
  cfg: DetectConfig;
  /** Event time of the evaluation. */
  now: number;
  /** Present when scoring a campaign's merged profile. */
  campaign?: {
    keys: number;
    /** Distinct orgs among the members (one org's keys are one customer's). */
    orgs: number;
    meanEdge: number;
    evidence: string;
    /** Share of the members' requests sent by members that clearly follow the day on their own
     * (timing.ts `followsTheDay`): their merged rhythm is flat only because their days differ. */
    diurnalShare: number;
  };
}

/**
 * A signal as two pure functions of the same inputs. `score` runs on every scoring, so it
 * allocates nothing (no result object, no closure over its numbers); `detail` recomputes the
 * numbers and formats them, and runs only for the few reasons a scoring keeps, on the same
 * profile and context (scoring.ts), so it states the numbers behind the score it explains.
 */
export interface Signal {
  name: SignalName;
  /** The score; scoring clamps it to [0,1] (a non-finite score counts as 0). */
  score: (p: AccountProfile, ctx: SignalContext) => number;
  /** The line that carries the numbers behind the score. */
  detail: (p: AccountProfile, ctx: SignalContext) => string;
}
