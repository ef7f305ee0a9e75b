import { describe, expect, it } from 'vitest';
import { skeleton, skeletonHashes } from '../../src/events/features.js';
import { hash64 } from '../../src/events/hash.js';
import { COT_PATTERNS, probeText } from '../../src/events/probes.js';
import { UnitBuffer } from '../../src/events/text.js';

describe('UnitBuffer', () => {
  it("holds a text's code units, lone surrogates included, growing for long texts", () => {
    const b = new UnitBuffer();
    const texts = [
      'a\ud800b',
      '\udc00',
      'x\ud83d\ude00y',
      'é中\u0000',
      'w'.repeat(40_000),
      'short after long',
      '',
    ];
    for (const text of texts) {
      const units = b.load(text);
      expect(units.length).toBeGreaterThanOrEqual(text.length);
      expect(Array.from(units.subarray(0, text.length))).toEqual(
        Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)),
      );
    }
  });
  it('leaves the scans right on a text longer than the first buffer, and on a short one after it', () => {
    const long = `${'Word and Name here, '.repeat(3000)}think step by step`;
    expect(probeText('', long).cot).toBe(COT_PATTERNS.some((re) => re.test(long)));
    expect(probeText('', long).cot).toBe(true);
    for (const text of [long, 'A short One', '']) {
      const skel = skeleton(text);
      expect(skeletonHashes(text).skeletonHash).toBe(hash64(skel));
    }
    expect(probeText('', 'no steps here').cot).toBe(false);
  });
});
