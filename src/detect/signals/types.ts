/**
 * @module detect/signals/types
 * The contract every signal module implements: a pure function from a profile (a key's, or a
 * campaign's merged profile) and the population context to a score in [0,1] with a detail line
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
  campaign?: { keys: number; meanEdge: number; evidence: string };
}

export interface SignalResult {
  score: number;
  detail: string;
}

export type SignalFn = (p: AccountProfile, ctx: SignalContext) => SignalResult;

export interface Signal {
  name: SignalName;
  fn: SignalFn;
}
