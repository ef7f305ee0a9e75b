/**
 * @module limits/memory
 * The in-process `LimitsStore` (the default). Every operation runs synchronously inside its
 * promise, so concurrent reserves in one process are serialised by the event loop and the
 * all-or-nothing check-then-commit needs no lock. Memory stays bounded: subjects whose windows
 * are fully replenished, with no slot held and no quota used, are dropped by a periodic sweep.
 */
import {
  applyFinish,
  emptyState,
  isIdle,
  planReserve,
  type SubjectState,
  statusOf,
  subjectKey,
} from './engine.js';
import { LIMITS_ERR_CLOSED, LIMITS_ERR_DUPLICATE_RESERVATION, LimitsError } from './errors.js';
import type {
  LimitScope,
  LimitStatus,
  LimitSubject,
  LimitsStore,
  Reservation,
  ReserveRequest,
  ReserveResult,
} from './types.js';

export interface MemoryLimitsOptions {
  /** Sweep idle subjects every this many operations. */
  sweepEvery?: number;
}

export const MEMORY_LIMITS_DEFAULTS: Required<MemoryLimitsOptions> = { sweepEvery: 1024 };

/**
 * Map keys of subjects, remembered per subject object: callers that reuse their subject
 * objects (the gateway keeps one pair per key) skip building the key string on every call.
 */
const keys = new WeakMap<LimitSubject, string>();
function keyOf(subject: LimitSubject): string {
  let key = keys.get(subject);
  if (key === undefined) {
    key = subjectKey(subject);
    keys.set(subject, key);
  }
  return key;
}

export class MemoryLimitsStore implements LimitsStore {
  private readonly states = new Map<string, SubjectState>();
  /** Reservations still holding a slot, by request id. */
  private readonly held = new Set<string>();
  private readonly sweepEvery: number;
  private ops = 0;
  private closed = false;

  constructor(opts: MemoryLimitsOptions = {}) {
    this.sweepEvery = opts.sweepEvery ?? MEMORY_LIMITS_DEFAULTS.sweepEvery;
  }

  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    this.assertOpen();
    if (this.held.has(req.requestId)) {
      throw new LimitsError(LIMITS_ERR_DUPLICATE_RESERVATION, `reservation ${req.requestId} is already held`);
    }
    this.tick(req.now);
    const states = this.load(req.subjects);
    const plan = planReserve(req.subjects, states, req.estimatedTokens, req.now);
    if (!plan.ok) {
      return {
        ok: false,
        limitedBy: plan.limitedBy,
        retryAfterMs: plan.retryAfterMs,
        status: statusOf(req.subjects, states, req.now),
      };
    }
    this.save(req.subjects, plan.next);
    this.held.add(req.requestId);
    const reservation: Reservation = {
      requestId: req.requestId,
      subjects: req.subjects,
      reservedTokens: Math.max(0, req.estimatedTokens),
      at: req.now,
    };
    return { ok: true, reservation, status: statusOf(req.subjects, plan.next, req.now) };
  }

  async settle(reservation: Reservation, actualTokens: number, now: number): Promise<void> {
    this.finish(reservation, actualTokens, now);
  }

  async release(reservation: Reservation, now: number): Promise<void> {
    this.finish(reservation, 0, now);
  }

  async peek(subjects: LimitSubject[], now: number): Promise<LimitStatus> {
    return statusOf(subjects, this.load(subjects), now);
  }

  async inFlight(scope: LimitScope, id: string): Promise<number> {
    return this.states.get(subjectKey({ scope, id }))?.inFlight ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.states.clear();
    this.held.clear();
  }

  /** Number of subjects with state in memory (for tests and metrics). */
  size(): number {
    return this.states.size;
  }

  /** Drops every idle subject now. */
  sweep(now: number): void {
    for (const [key, state] of this.states) if (isIdle(state, now)) this.states.delete(key);
  }

  private finish(reservation: Reservation, actualTokens: number, now: number): void {
    if (!this.held.delete(reservation.requestId)) return;
    const { subjects, reservedTokens, at } = reservation;
    for (let i = 0; i < subjects.length; i++) {
      const subject = subjects[i]!;
      const key = keyOf(subject);
      const state = this.states.get(key) ?? emptyState();
      this.states.set(key, applyFinish(subject, state, reservedTokens, actualTokens, at, now));
    }
    this.tick(now);
  }

  private load(subjects: readonly LimitSubject[]): SubjectState[] {
    const out: SubjectState[] = new Array(subjects.length);
    for (let i = 0; i < subjects.length; i++) out[i] = this.states.get(keyOf(subjects[i]!)) ?? emptyState();
    return out;
  }

  private save(subjects: readonly LimitSubject[], states: readonly SubjectState[]): void {
    for (let i = 0; i < subjects.length; i++) this.states.set(keyOf(subjects[i]!), states[i]!);
  }

  private tick(now: number): void {
    if (++this.ops % this.sweepEvery === 0) this.sweep(now);
  }

  private assertOpen(): void {
    if (this.closed) throw new LimitsError(LIMITS_ERR_CLOSED, 'limits store is closed');
  }
}
