/**
 * @module detect/sketches/reservoir
 * Reservoir sample (Vitter's algorithm R) of fixed size. Deterministic: the "random" index is a
 * hash of the item count, so the same stream always keeps the same sample (findings must be
 * reproducible).
 */
import { fmix32 } from '../../events/hash.js';

export interface Reservoir<T> {
  size: number;
  seen: number;
  items: T[];
}

export const reservoirNew = <T>(size: number): Reservoir<T> => ({ size, seen: 0, items: [] });

/** Offers an item; returns the slot it was written to and the item it evicted, or null when it was not kept. */
export function reservoirAdd<T>(
  r: Reservoir<T>,
  item: T,
  salt = 0,
): { slot: number; evicted: T | undefined } | null {
  r.seen++;
  if (r.items.length < r.size) {
    r.items.push(item);
    return { slot: r.items.length - 1, evicted: undefined };
  }
  const j = fmix32((r.seen * 0x9e3779b1) ^ salt) % r.seen;
  if (j >= r.size) return null;
  const evicted = r.items[j];
  r.items[j] = item;
  return { slot: j, evicted };
}
