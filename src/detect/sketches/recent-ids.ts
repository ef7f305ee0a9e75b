/**
 * @module detect/sketches/recent-ids
 * The ids of the most recent events, so that an event delivered twice is counted once: a log
 * shipper retrying a batch it sent, a NATS redelivery, two overlapping log files read as one.
 * Bounded: two generations of at most `window / 2` ids each (the older one is dropped when the
 * newer fills), so an id is remembered for at least the next `window / 2` events and at most
 * `window`. Each generation is an open-addressing table of 53-bit id hashes (`hash53`: the two
 * lanes of `hash64`) in a Float64Array at most half full: 16 bytes per id of the
 * window, no allocation per event. With a window of 262,144 the chance that a new id collides
 * with a remembered one is about 3·10⁻¹¹ per event.
 */
import { hash53 } from '../../events/hash.js';

/** One generation: linear probing over a power-of-two table; 0 marks an empty slot. */
class IdTable {
  readonly slots: Float64Array;
  size = 0;
  private readonly mask: number;

  constructor(capacity: number) {
    this.slots = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** The slot holding `h`, or the empty slot where it would go (negated, minus one). */
  find(h: number, lo: number): number {
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const v = this.slots[i]!;
      if (v === h) return i;
      if (v === 0) return -i - 1;
    }
  }

  clear(): void {
    this.slots.fill(0);
    this.size = 0;
  }
}

export class RecentIds {
  private current: IdTable;
  private previous: IdTable;
  private readonly half: number;

  /** `window` ≥ 2: how many recent ids are remembered at most. */
  constructor(window: number) {
    this.half = Math.max(1, Math.floor(window / 2));
    let capacity = 2;
    while (capacity < 2 * this.half) capacity *= 2;
    this.current = new IdTable(capacity);
    this.previous = new IdTable(capacity);
  }

  /** Whether `id` is among the recent ids. Remembers it when it is not. */
  seen(id: string): boolean {
    // Never 0 (the empty slot); its low bits (lane b's) pick the slot.
    const h = hash53(id) + 1;
    const lo = h >>> 0;
    if (this.previous.size > 0 && this.previous.find(h, lo) >= 0) return true;
    let at = this.current.find(h, lo);
    if (at >= 0) return true;
    if (this.current.size >= this.half) {
      const older = this.previous;
      older.clear();
      this.previous = this.current;
      this.current = older;
      at = this.current.find(h, lo);
    }
    this.current.slots[-at - 1] = h;
    this.current.size++;
    return false;
  }

  /** Ids remembered now. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Bytes held (both tables), whatever the traffic. */
  get bytes(): number {
    return this.current.slots.byteLength + this.previous.slots.byteLength;
  }
}
