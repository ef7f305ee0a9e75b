/**
 * @module detect/linkage/pair-table
 * The evidence rows of one campaign pass: one row of `width` numbers per candidate key pair, found
 * by the pair's key a·n+b in an open-addressing hash table of typed arrays. The link graph bumps
 * ~30,000 pairs per pass; a `Map<number, number>` per pass cost a hash-map entry per pair and a
 * boxed double per key past 2³¹, this costs two typed-array slots and no allocation per pair.
 */

/** Keys are exact integers below 2⁵³; −1 marks an empty slot. */
const EMPTY = -1;
const TWO_32 = 0x1_0000_0000;

/** 32-bit hash of an integer key below 2⁵³ (its two 32-bit halves, multiplied through). */
function hashOf(key: number): number {
  const lo = key >>> 0;
  const hi = (key / TWO_32) >>> 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
}

const identity = (n: number) => {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
};

export class PairTable {
  /** Rows, `width` numbers each, in the order pairs were first seen. */
  rows: Float64Array;
  /** The pair key of each row. */
  rowKey: Float64Array;
  /** Rows in use. */
  size = 0;
  private slots: Int32Array;
  private keys: Float64Array;
  private bits: number;

  constructor(
    readonly width: number,
    expected = 1024,
  ) {
    let cap = 1024;
    while (cap < expected) cap *= 2;
    this.rows = new Float64Array(cap * width);
    this.rowKey = new Float64Array(cap);
    this.bits = Math.log2(cap) + 1;
    this.slots = new Int32Array(1 << this.bits);
    this.keys = new Float64Array(1 << this.bits).fill(EMPTY);
  }

  /**
   * Empties the table for another pass, keeping its capacity: a pass's table is as large as the
   * last one's, and allocating it afresh each pass (megabytes of zeroed typed arrays) cost more
   * than clearing the slots and the rows in use.
   */
  clear(): void {
    this.rows.fill(0, 0, this.size * this.width);
    this.keys.fill(EMPTY);
    this.size = 0;
  }

  /** The row of `key`, or −1 when the pair has none. */
  find(key: number): number {
    const s = this.slotOf(key);
    return this.keys[s] === key ? this.slots[s]! : -1;
  }

  /** The row of `key`, made (all zeros) when the pair has none. */
  row(key: number): number {
    const s = this.slotOf(key);
    if (this.keys[s] === key) return this.slots[s]!;
    const r = this.size++;
    if (r === this.rowKey.length) this.grow();
    this.keys[s] = key;
    this.slots[s] = r;
    this.rowKey[r] = key;
    // The table stays at most half full: the rows' capacity is half its slots.
    if (this.size * 2 > this.slots.length) this.rehash();
    return r;
  }

  private grow(): void {
    const rows = new Float64Array(this.rows.length * 2);
    rows.set(this.rows);
    this.rows = rows;
    const rowKey = new Float64Array(this.rowKey.length * 2);
    rowKey.set(this.rowKey);
    this.rowKey = rowKey;
  }

  private rehash(): void {
    this.bits++;
    this.slots = new Int32Array(1 << this.bits);
    this.keys = new Float64Array(1 << this.bits).fill(EMPTY);
    for (let r = 0; r < this.size; r++) {
      const key = this.rowKey[r]!;
      const s = this.slotOf(key);
      this.keys[s] = key;
      this.slots[s] = r;
    }
  }

  /** The slot holding `key`, or the empty slot where it would go (linear probing). */
  private slotOf(key: number): number {
    const mask = this.slots.length - 1;
    let s = hashOf(key) >>> (32 - this.bits);
    for (let k = this.keys[s]!; k !== key && k !== EMPTY; k = this.keys[s]!) s = (s + 1) & mask;
    return s;
  }

  /**
   * Rows in ascending key order, for keys a·n+b with a, b < n: two stable counting passes (by b,
   * then by a), linear in rows and keys where a sort of the keys is not.
   */
  sortedRows(n: number): Int32Array {
    return this.sortRows(identity(this.size), n);
  }

  /** `rows` (rows in use, each once) in ascending key order, by the same two counting passes. */
  sortRows(rows: Int32Array, n: number): Int32Array {
    const keys = this.rowKey;
    const low = new Int32Array(this.size);
    const high = new Int32Array(this.size);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      high[r] = Math.floor(keys[r]! / n);
      low[r] = keys[r]! - high[r]! * n;
    }
    const byLow = countingPass(rows, low, n);
    return countingPass(byLow, high, n);
  }
}

/** `rows` stably reordered by `digit[row]` (values below `n`). */
function countingPass(rows: Int32Array, digit: Int32Array, n: number): Int32Array {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < rows.length; i++) start[digit[rows[i]!]! + 1]!++;
  for (let d = 0; d < n; d++) start[d + 1]! += start[d]!;
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out[start[digit[r]!]!++] = r;
  }
  return out;
}
