/**
 * @module gateway/ids
 * Request ids: UUID version 7 (RFC 9562 §5.7), a 48-bit millisecond timestamp followed by
 * random bits, so ids sort by arrival. Stores index events by id; ids that grow with time are
 * appended to the index instead of landing at random pages, which makes batch inserts cheaper.
 * Within one millisecond a counter in the `rand_a` field keeps ids increasing (§6.2, method 1).
 * Random bytes come from a pooled `randomFillSync` buffer.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
/** Random bytes per id: 8 for `rand_b` (62 bits used). */
const PER_ID = 8;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = -1;
let counter = 0;

function randomBytes8(): number {
  if (offset + PER_ID > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += PER_ID;
  return at;
}

/** A new UUIDv7 string (`xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`) for `nowMs` (epoch ms). */
export function uuidv7(nowMs: number = Date.now()): string {
  let ms = Math.floor(nowMs);
  if (ms > lastMs) {
    lastMs = ms;
    counter = 0;
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      // 4096 ids in one millisecond: borrow the next millisecond (ids stay increasing).
      lastMs = ++ms;
      counter = 0;
    }
  }
  const r = randomBytes8();
  const hi = Math.floor(ms / 0x10000); // top 32 bits of the 48-bit timestamp
  const lo = ms % 0x10000;
  const p = pool;
  return (
    `${HEX[(hi >>> 24) & 0xff]}${HEX[(hi >>> 16) & 0xff]}${HEX[(hi >>> 8) & 0xff]}${HEX[hi & 0xff]}-` +
    `${HEX[lo >>> 8]}${HEX[lo & 0xff]}-` +
    `${HEX[0x70 | (counter >>> 8)]}${HEX[counter & 0xff]}-` +
    `${HEX[0x80 | (p[r]! & 0x3f)]}${HEX[p[r + 1]!]}-` +
    `${HEX[p[r + 2]!]}${HEX[p[r + 3]!]}${HEX[p[r + 4]!]}${HEX[p[r + 5]!]}${HEX[p[r + 6]!]}${HEX[p[r + 7]!]}`
  );
}
