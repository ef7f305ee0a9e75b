import { describe, expect, it } from 'vitest';
import { distinctSlots, hasDistinctSlots } from '../../src/detect/linkage/lsh-index.js';
import { hexHash } from '../../src/detect/sketches/hll.js';
import { hash64 } from '../../src/events/hash.js';
import { MINHASH_SIZE, minhash } from '../../src/events/minhash.js';
import { rng } from './fixtures.js';

describe('hexHash', () => {
  it('reads the first 8 hex digits like parseInt, odd inputs included', () => {
    const inputs = [
      '',
      'abc',
      '0000000000000000',
      'FFFFFFFFffffffff',
      'deadBEEF',
      '12zz5678abcd',
      'zz',
      ' 1234567',
    ];
    for (let i = 0; i < 500; i++) inputs.push(hash64(`t${i}`));
    for (const h of inputs) expect(hexHash(h)).toBe(Number.parseInt(h.slice(0, 8), 16) >>> 0);
  });
});

describe('hasDistinctSlots', () => {
  it('agrees with counting distinct slots, for every threshold', () => {
    const r = rng(5);
    const sigs = [minhash(''), minhash('a b c'), minhash('one two three four five six seven eight nine ten')];
    for (let i = 0; i < 300; i++) {
      const pool = 1 + Math.floor(r() * 40);
      sigs.push(Array.from({ length: MINHASH_SIZE }, () => (Math.floor(r() * pool) * 0x01000193) >>> 0));
    }
    for (const sig of sigs)
      for (const min of [0, 1, 5, 12, 20, 32, 33])
        expect(hasDistinctSlots(sig, min)).toBe(distinctSlots(sig) >= min);
  });
});
