/**
 * @module worker/checkpoint
 * What a detection worker saves, and how it resumes from it (pure). A checkpoint holds the
 * engine state (`Engine.toJSON()`) together with, per event slot, the highest stream sequence
 * that state includes. A restarted worker restores the engine and restarts each slot's durable
 * consumer at the next sequence, so every event after the checkpoint is ingested exactly once
 * and nothing before it twice. Stored under `worker-<index>of<count>` in the `checkpoints`
 * table: changing the partition count starts fresh engines that replay the stream.
 */

export const CHECKPOINT_VERSION = 1;

export interface WorkerCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  /** Event slots of the stream when it was taken (a different count invalidates positions). */
  slots: number;
  /** Slot → highest stream sequence included in `engine`. */
  positions: Record<number, number>;
  /** Events ingested by this engine since it started empty. */
  events: number;
  /** `Engine.toJSON()`. */
  engine: unknown;
  /** Wall-clock time it was taken (ms). */
  takenAt: number;
}

/** Checkpoint row id of worker `index` of `count`. */
export const checkpointId = (index: number, count: number): string => `worker-${index}of${count}`;

/** Row id of a partition's latest findings snapshot. */
export const findingsId = (index: number, count: number): string => `findings-${index}of${count}`;

/** True when a stored value is a checkpoint this version can resume from, for this stream. */
export function usableCheckpoint(value: unknown, slots: number): value is WorkerCheckpoint {
  const c = value as Partial<WorkerCheckpoint> | null;
  return (
    c !== null &&
    typeof c === 'object' &&
    c.version === CHECKPOINT_VERSION &&
    c.slots === slots &&
    typeof c.positions === 'object' &&
    c.engine !== undefined
  );
}

/**
 * Where each of the worker's slots starts: right after the checkpoint's position, or at the
 * beginning of the stream for a slot the checkpoint has not seen (or without a checkpoint).
 */
export function startPositions(
  slots: readonly number[],
  checkpoint: WorkerCheckpoint | null,
): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of slots) out[s] = (checkpoint?.positions[s] ?? 0) + 1;
  return out;
}

/** `into` advanced by a batch's positions (per slot, the highest wins). Returns a new object. */
export function advance(
  into: Readonly<Record<number, number>>,
  batch: Readonly<Record<number, number>>,
): Record<number, number> {
  const out = { ...into };
  for (const [slot, seq] of Object.entries(batch)) {
    const s = Number(slot);
    out[s] = Math.max(out[s] ?? 0, seq);
  }
  return out;
}
