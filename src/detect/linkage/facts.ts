/**
 * @module detect/linkage/facts
 * What a campaign pass reads from each profile that depends on that profile alone: its salient
 * hash ids per kind, its frozen request shape, its behaviour vector and its activity reading
 * (the last one also on the window's head: kept while it holds, see timing.ts). The engine keeps
 * one `ProfileFacts` and reuses a profile's facts until its next event: every event increments
 * the profile's request count `n`, and the engine changes profiles only through events, so a key
 * that sent nothing since the last pass is not read again. Same values as computing them fresh.
 */
import { type SalientSource, salientAll, sameSalient } from '../population.js';
import type { AccountProfile } from '../profile.js';
import { behaviourVector } from './behaviour.js';
import { requestShape } from './shape.js';
import { type Activity, activityHolds, readActivity } from './timing.js';

interface Entry {
  /** The profile's request count when the facts were read. */
  n: number;
  salient: string[][];
  shape: string | null;
  vector: Float64Array | null;
  /** The request count the vector and the activity reading were read at. */
  vectorN: number;
  activity: Activity | null;
  activityN: number;
}

export class ProfileFacts implements SalientSource {
  private readonly memo = new WeakMap<AccountProfile, Entry>();

  /** `minShare`: the linkage's salience threshold (config.linkage.minShare). */
  constructor(private readonly minShare: number) {}

  /**
   * The profile's entry, brought up to its request count: salient lists and shape are read anew
   * (new lists only when they changed: `OrgCounts` tells changed lists by identity, and lists
   * equal to the last ones are kept, never replaced by a copy); the vector and the activity reading
   * are marked stale and later rewritten into their arrays (see `vector`, `activity`).
   */
  private entry(p: AccountProfile): Entry {
    let e = this.memo.get(p);
    if (e === undefined) {
      e = { n: -1, salient: [], shape: null, vector: null, vectorN: -1, activity: null, activityN: -1 };
      this.memo.set(p, e);
    }
    if (e.n !== p.n) {
      e.n = p.n;
      // Unchanged lists and shape are kept, not replaced by equal new ones: what a pass allocates
      // and keeps until the next one survives the scavenges in between (copied, then promoted).
      if (!sameSalient(p, this.minShare, e.salient)) e.salient = salientAll(p, this.minShare);
      const shape = requestShape(p);
      if (shape !== e.shape) e.shape = shape;
    }
    return e;
  }

  /** Salient ids of every kind, in `SALIENT_KINDS` order (read-only). */
  salient(p: AccountProfile): readonly (readonly string[])[] {
    return this.entry(p).salient;
  }

  shape(p: AccountProfile): string | null {
    return this.entry(p).shape;
  }

  /**
   * The behaviour vector (read-only; shared between passes while the key sends nothing, then
   * rewritten in place: a pass reads it, nothing holds it past the key's next event).
   */
  vector(p: AccountProfile): Float64Array {
    const e = this.entry(p);
    if (e.vector === null || e.vectorN !== e.n) {
      e.vector = behaviourVector(p, e.vector ?? undefined);
      e.vectorN = e.n;
    }
    return e.vector;
  }

  /**
   * The activity reading at `head` (timing.ts): the last one while it still holds, else a new one
   * written into the last one's object and array (a pass reads a key's reading at one head only).
   */
  activity(p: AccountProfile, head: number): Activity {
    const e = this.entry(p);
    if (e.activity === null || e.activityN !== e.n || !activityHolds(e.activity, head, p.act.length)) {
      e.activity = readActivity(p, head, e.activity ?? undefined);
      e.activityN = e.n;
    }
    return e.activity;
  }
}
