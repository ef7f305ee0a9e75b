/**
 * @module events/nats-partitions
 * How events are spread over NATS subjects and worker partitions. An org's events go to
 * subject `<prefix>.<slot>.<orgId>` with slot = FNV-1a-32(orgId) mod S (S fixed for the life of
 * the stream); worker i of P consumes the slots s with s mod P = i. Also the bounded recent-id
 * set consumers use for idempotence.
 */

/** FNV-1a 32-bit of a string's UTF-16 code units. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The hash slot of an org. */
export const slotOf = (orgId: string, slots: number): number => fnv1a32(orgId) % slots;

/** Slots owned by worker `index` of `count`. */
export function slotsOfPartition(slots: number, index: number, count: number): number[] {
  return Array.from({ length: slots }, (_, s) => s).filter((s) => s % count === index);
}

/** Subject tokens may not contain spaces, dots or wildcards. */
export const subjectToken = (s: string): string => s.replace(/[\s.*>]/g, '_') || '_';

/** A bounded set of recently seen ids (insertion order = eviction order). */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}

/** Subject of an org's events: `<prefix>.<slot>.<orgId>`. */
export const subjectFor = (prefix: string, slots: number, orgId: string): string =>
  `${prefix}.${slotOf(orgId, slots)}.${subjectToken(orgId)}`;

/** Filter subject of one slot's durable consumer. */
export const slotFilter = (prefix: string, slot: number): string => `${prefix}.${slot}.*`;
