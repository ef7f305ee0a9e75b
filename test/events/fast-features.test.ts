import { describe, expect, it } from 'vitest';
import { extractPromptFeatures, frame, NAME_RULE, replaceNames } from '../../src/events/features.js';
import { hash64 } from '../../src/events/hash.js';
import { MINHASH_SIZE, minhash, similarity } from '../../src/events/minhash.js';

describe('hash64', () => {
  it('is a stable 16-hex-digit digest that separates nearby texts', () => {
    expect(hash64('you are a helpful assistant.')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64('abc')).toBe(hash64('abc'));
    expect(hash64('abc')).not.toBe(hash64('abd'));
    expect(hash64('')).not.toBe(hash64(' '));
  });
  it('spreads its first 8 hex digits (used as a 32-bit hash by the sketches)', () => {
    const heads = new Set(Array.from({ length: 2000 }, (_, i) => hash64(`template ${i}`).slice(0, 8)));
    expect(heads.size).toBe(2000);
  });
});

describe('frame', () => {
  it('keeps a skeleton of up to 12 words whole', () => {
    expect(frame('a b c d e f g h i j k l')).toBe('a b c d e f g h i j k l');
    expect(frame('')).toBe('');
  });
  it('keeps the first 8 and last 4 words of a longer one', () => {
    expect(frame('a b c d e f g h i j k l m')).toBe('a b c d e f g h … j k l m');
  });
});

describe('minhash', () => {
  it('lower-cases words, so case does not change the signature', () => {
    expect(minhash('Hello World Foo Bar Baz')).toEqual(minhash('hello world foo bar baz'));
  });
  it('handles texts whose lower case changes length or depends on context', () => {
    for (const text of [
      'İstanbul is a city on two continents',
      'ΟΔΟΣ and ΣΟΦΙΑ are words',
      '😀 emoji 𝐀𝐁 words',
    ]) {
      const sig = minhash(text);
      expect(sig).toHaveLength(MINHASH_SIZE);
      expect(similarity(sig, minhash(`${text} and more words here`))).toBeGreaterThan(0);
    }
  });
});

describe('prompt probes', () => {
  const features = (user: string) =>
    extractPromptFeatures(
      'chat',
      { messages: [{ role: 'user', content: user }] },
      { tools: 0 },
      { storeText: false },
    );
  it('skips the probes only when no needed word is present', () => {
    expect(features('What is the capital of France?').cot).toBe(false);
    expect(features('Please THINK STEP BY STEP.').cot).toBe(true);
    expect(features('Which answer is better, A or B?').grading).toBe(true);
    expect(features('Tell me a joke').grading).toBe(false);
  });
});

describe('replaceNames', () => {
  it('replaces exactly what the name expression replaces', () => {
    const alphabet = [
      ..."ABZaz09 .!?:,'-\t\n\r",
      'É',
      'é',
      'Σ',
      'ß',
      'ǅ',
      'İ',
      '\u212a',
      '𝐀',
      '𝐚',
      '😀',
      '\u00a0',
      '\u2028',
      '\u3000',
      '\ufeff',
      '\u200b',
      '\ud800',
      '\udc00',
      'Ab',
      ' Bob',
      '. Al',
      'x  Yo',
    ];
    let seed = 3;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      const len = Math.floor(next() * 30);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)];
      expect(replaceNames(s), JSON.stringify(s)).toBe(s.replace(NAME_RULE, ' ‹name› '));
    }
  });
});
