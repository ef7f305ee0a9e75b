import { describe, expect, it } from 'vitest';
import { frame, skeleton, skeletonHashes } from '../../src/events/features.js';
import { fmix32, hash32, hash64, hash64Units } from '../../src/events/hash.js';
import { minhash, similarity, words } from '../../src/events/minhash.js';
import {
  COT_PATTERNS,
  DOMAIN_HEAD,
  DOMAIN_RULES,
  GRADING_PATTERNS,
  type Probes,
  probeText,
  SEEN_AT,
  SEEN_BACKTICK,
  SEEN_COLON,
  SEEN_DIGIT,
  SEEN_QUOTE,
} from '../../src/events/probes.js';

/** The probes by their definition: each expression tested on the whole text. */
function probesByExpressions(system: string, user: string): Pick<Probes, 'cot' | 'grading' | 'domainRule'> {
  const probe = system ? `${system}\n${user}` : user;
  const head = user.length > DOMAIN_HEAD ? user.slice(0, DOMAIN_HEAD) : user;
  return {
    cot: COT_PATTERNS.some((re) => re.test(probe)),
    grading: GRADING_PATTERNS.some((re) => re.test(probe)),
    domainRule: DOMAIN_RULES.findIndex(([, re]) => re.test(head)),
  };
}

function probesByScan(system: string, user: string): Probes {
  return probeText(system, user);
}

/** A small deterministic generator (LCG), so failures reproduce. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

/** Fragments that hit every probe, slot and name rule, and the odd characters around them. */
const FRAGMENTS = [
  ...'step by step|Step-By-Step|footstep by step|chain of thought|CHAIN-of-thought|internal reasoning|hidden  thought process'.split(
    '|',
  ),
  ...'Explain your reasoning|walk me through the thinking|lay out each rationale|reasoning trace|reasoning steps'.split(
    '|',
  ),
  ..."think aloud|Think carefully|let's think|lets think|<think>|<THINKING>|<thinkers>|before answering, think|before you answer reason".split(
    '|',
  ),
  ...'rubric|rubrics|grade the response|score this answers|rate|on a scale of 1 to 10|on a scale from 1 – 5|which answer is better'.split(
    '|',
  ),
  ...'Response A|assistant 2|answer b|reward model|reward score|translate|translation|in French|in german|in Frenchy'.split(
    '|',
  ),
  ...'summary|Summarise|tl;dr|TLDR|key points|```|python|C++|c++11|api endpoint|unit test|class|script'.split(
    '|',
  ),
  ...'solve|how many|How much|sum of|percent|extract|pull out|list all|identify all|named entities|fill in the|JSON'.split(
    '|',
  ),
  ...'classify|categorize|categorise|sentiment|label each|which category|is this spam|is this toxic|why|puzzle'.split(
    '|',
  ),
  ...'write|draft|poem|tweet|paraphrase|the|your|its|each|of|a|is|in|on|how|which|let|show'.split('|'),
  ..."Alice|Bob|Dr. Smith|O'Brien|Jean-Luc|https://x.io/a?b=1|http://y.org|a.b@c.de|\"quoted text\"|“curly”|'single q'|`tick`".split(
    '|',
  ),
  ...'12|3.5e-3|-7%|1,000|_|__init__|x_y|é|É|İstanbul|ΣΟΦΙΑ|ΟΔΟΣ|straße|\u212aelvin|𝐀𝐁𝐂|𐐀𐐨|😀|שלום עולם|مرحبا'.split(
    '|',
  ),
  ...'e\u0301|A\u0308b|\u200f|\u202e|\ufeff|\u00a0|\u2028|\u3000|\ud800|\udc00'.split('|'),
  // Scripts written without spaces (each character a word of its own), mixed with other words.
  ...'请一步一步地思考|光合作用について|カタカナー語|々〇|𠀀𠁆|⺀|한국어 문장|abc漢字def|１２３'.split('|'),
  ' ',
  ' ',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  '. ',
  '? ',
  ': ',
  ', ',
  '-',
  "'",
  '?',
];

function randomText(next: () => number, maxParts: number): string {
  let s = '';
  const parts = Math.floor(next() * maxParts);
  for (let k = 0; k < parts; k++) s += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
  return s;
}

describe('probeText', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['', 'What is the capital of France?'],
    ['', 'Please THINK STEP BY STEP.'],
    ['', 'footstep-by-step guide'],
    ['', 'Show me, in detail, the reasoning you used'],
    ['Think carefully before you answer.', 'Hi'],
    ['Be a judge.', 'Rate it\nResponse A: x\nResponse B: y'],
    ['', 'Which response is better?'],
    ['', '<thinking>'],
    ['', '```js\nconsole.log(1)\n```'],
    ['', 'see https://example.com/translate?q=in french'],
    ['', 'Translate 𝐀𝐁 into German: שלום עולם, مرحبا'],
    ['', 'e\u0301 combining marks: why?'],
    ['', 'c++'],
    ['', 'c++x'],
    ['', 'in\u00a0french'],
    ['You write poems.', 'tl;dr'],
    ['', `${'x '.repeat(749)}json`],
    ['', `${'x '.repeat(748)}jsonx`],
    ['', `${'x'.repeat(DOMAIN_HEAD - 4)}translation`],
    // Words cut at the head's end: a listed word, a listed word with a follow, a longer word.
    ['', `${'x '.repeat(748)}python3`],
    ['', `${'x '.repeat(748)}pythonic`],
    ['', `${'x '.repeat(748)}json.`],
    ['', `${'x '.repeat(749)}jsonify`],
    ['', `${'x '.repeat(749)}in french`],
    ['', `${'x '.repeat(749)}tldr`],
    ['', `${'x '.repeat(749)}isx`],
    ['', `${'x '.repeat(748)}write a ${'y'.repeat(DOMAIN_HEAD)}`],
    ['', `code: ${'x '.repeat(745)}whyever`],
  ];
  it('agrees with the expressions on hand-built texts', () => {
    for (const [system, user] of cases) {
      const scan = probesByScan(system, user);
      const want = probesByExpressions(system, user);
      expect(scan.cot, JSON.stringify([system, user])).toBe(want.cot);
      expect(scan.grading, JSON.stringify([system, user])).toBe(want.grading);
      expect(scan.domainRule, JSON.stringify([system, user])).toBe(want.domainRule);
    }
  });
  it('finds every probe and domain rule on a positive example', () => {
    expect(probesByScan('', 'explain your reasoning').cot).toBe(true);
    expect(probesByScan('', 'grade each response').grading).toBe(true);
    expect(probesByScan('', 'The rubric').grading).toBe(true);
    const rules = DOMAIN_RULES.map(([d]) => d);
    const domainOf = (text: string) => rules[probesByScan('', text).domainRule];
    expect(domainOf('put it in Spanish')).toBe('translation');
    expect(domainOf('TL;DR please')).toBe('summarization');
    expect(domainOf('```\ncode\n```')).toBe('code');
    expect(domainOf('How many apples?')).toBe('math');
    expect(domainOf('named entities')).toBe('extraction');
    expect(domainOf('Is this spam')).toBe('classification');
    expect(domainOf('a riddle')).toBe('reasoning');
    expect(domainOf('draft a tweet')).toBe('writing');
    expect(probesByScan('', 'Hello there').domainRule).toBe(-1);
  });
  it('reads a word running across the head of the last turn as cut there, like the expressions', () => {
    const user = `${'x'.repeat(DOMAIN_HEAD - 5)} json${'y'.repeat(10)}`;
    expect(probesByScan('', user).domainRule).toBe(4);
    expect(probesByExpressions('', user).domainRule).toBe(4);
    const longer = `${'x'.repeat(DOMAIN_HEAD - 4)} json${'y'.repeat(10)}`;
    expect(probesByScan('', longer).domainRule).toBe(-1);
    expect(probesByExpressions('', longer).domainRule).toBe(-1);
  });
  it('marks the characters the slot rules need, in the last user turn only', () => {
    const seenOf = (system: string, user: string) => probesByScan(system, user).seen;
    expect(seenOf('"a" `b` c: d@e 12', 'plain words')).toBe(0);
    expect(seenOf('', 'x1')).toBe(SEEN_DIGIT);
    expect(seenOf('', "it's")).toBe(SEEN_QUOTE);
    expect(seenOf('', '“a”')).toBe(SEEN_QUOTE);
    expect(seenOf('', '```')).toBe(SEEN_QUOTE | SEEN_BACKTICK);
    expect(seenOf('', 'https://x.io')).toBe(SEEN_COLON);
    expect(seenOf('sys', 'a@b')).toBe(SEEN_AT);
  });
  it('agrees with the expressions on random texts', () => {
    const next = rng(7);
    let cut = 0;
    for (let i = 0; i < 20_000; i++) {
      const system = next() < 0.3 ? randomText(next, 8) : '';
      // One text in five reaches past the head, with random words around its end.
      const long = next() < 0.2;
      const user = long
        ? 'w '.repeat((DOMAIN_HEAD >> 1) - 6 - Math.floor(next() * 4)) + randomText(next, 12)
        : randomText(next, 24);
      if (long && /\w/.test(user[DOMAIN_HEAD - 1] ?? '') && /\w/.test(user[DOMAIN_HEAD] ?? '')) cut++;
      const scan = probesByScan(system, user);
      const want = probesByExpressions(system, user);
      const label = JSON.stringify([system, user]);
      expect(scan.cot, label).toBe(want.cot);
      expect(scan.grading, label).toBe(want.grading);
      expect(scan.domainRule, label).toBe(want.domainRule);
    }
    // The random texts do cut words at the head's end.
    expect(cut).toBeGreaterThan(100);
  });
});

describe('skeletonHashes', () => {
  const byString = (text: string) => {
    const skel = skeleton(text);
    return { skeletonHash: hash64(skel), frameHash: hash64(frame(skel)) };
  };
  it('equals hashing the skeleton and its frame on hand-built texts', () => {
    for (const text of [
      '',
      '   ',
      '\n\t \u00a0',
      'Alice',
      '  Hello Bob and Carol  ',
      'one two three four five six seven eight nine ten eleven twelve thirteen',
      'A b c d e f g h i j k l m n o p',
      '```ts\nconst X = 1;\n``` then Call Bob at bob@x.io or https://x.io/Bob',
      'ΟΔΟΣ ΣΟΦΙΑ Σ.',
      'İstanbul and Ankara',
      'Words 𝐀𝐁𝐂 and 𐐀𐐨 Deseret and 😀 emoji',
      'Hebrew שלום Arabic مرحبا \u200f mixed Names Here',
      'Combining e\u0301 and A\u0308bc Names',
      'lone \ud800 surrogate \udc00 Here',
      `${'Long text with Names and 12 numbers. '.repeat(200)}`,
    ])
      expect(skeletonHashes(text), JSON.stringify(text)).toEqual(byString(text));
  });
  it('lower-cases every BMP code unit and astral capitals as the whole-text lower case does', () => {
    for (let block = 0; block < 0x10000; block += 64) {
      let text = 'Word ';
      for (let u = block; u < block + 64; u++)
        text += `a${String.fromCharCode(u)} ${String.fromCharCode(u)}b `;
      expect(skeletonHashes(text), `block ${block.toString(16)}`).toEqual(byString(text));
    }
    for (const from of [0x10400, 0x104b0, 0x10c80, 0x118a0, 0x16e40, 0x1e900, 0x1d400]) {
      let text = 'Astral ';
      for (let cp = from; cp < from + 64; cp++)
        text += `x${String.fromCodePoint(cp)} ${String.fromCodePoint(cp)}y `;
      expect(skeletonHashes(text), `block ${from.toString(16)}`).toEqual(byString(text));
    }
  });
  it('equals hashing the skeleton and its frame on random texts', () => {
    const next = rng(11);
    for (let i = 0; i < 20_000; i++) {
      const text = randomText(next, 40);
      expect(skeletonHashes(text), JSON.stringify(text)).toEqual(byString(text));
      const seen = probeText('', text).seen;
      expect(skeletonHashes(text, seen), JSON.stringify(text)).toEqual(byString(text));
    }
  });
  it('replaces numbers as the number rule does, next to names, signs, exponents and dots', () => {
    // Short pieces around the places where the walk's number matching meets name matching.
    const pieces = "0|7|42|-|+|.|,|_|e|E|e-|E+|%|A|Bo|Ann|x|ab|'| |  |\n|. |: |? |!|-3|Jean-|O'|é|Σ".split(
      '|',
    );
    const next = rng(23);
    for (let i = 0; i < 30_000; i++) {
      let text = '';
      const parts = 1 + Math.floor(next() * 12);
      for (let k = 0; k < parts; k++) text += pieces[Math.floor(next() * pieces.length)];
      expect(skeletonHashes(text), JSON.stringify(text)).toEqual(byString(text));
    }
    expect(skeleton('Take 3. Apples, 5Eb and A-5 or 1e-3% Bob-7 x')).toBe(
      'take ‹num› ‹name› , ‹num› ‹name› and a ‹num› or ‹num› ‹name› ‹num› x',
    );
  });
});

describe('MinHash from the probe scan', () => {
  /** True when `text` has a word character of `words` (`[\p{L}\p{N}_]`) outside ASCII, or a surrogate. */
  const hasOtherWords = (text: string) =>
    /[\ud800-\udfff]/.test(text) || /[^\p{ASCII}]/u.test(text.replace(/[^\p{L}\p{N}_]/gu, ''));
  it('equals minhash when the text has no word character outside ASCII, and is not offered otherwise', () => {
    const next = rng(13);
    let ascii = 0;
    let otherChars = 0;
    for (let i = 0; i < 8000; i++) {
      let text = i === 0 ? '' : i === 1 ? 'w '.repeat(1000) : randomText(next, 30);
      // Non-word characters outside ASCII (dashes, ellipsis, curly quotes, marks, spaces).
      if (next() < 0.3)
        text = text.replace(/ /g, () => ['—', '…', '’', ' ', '\u0301', ' '][Math.floor(next() * 6)]!);
      const scanned = probeText(next() < 0.5 ? 'a system prompt' : '', text).minhash;
      if (hasOtherWords(text)) {
        expect(scanned, JSON.stringify(text)).toBeNull();
        continue;
      }
      if (/[^\p{ASCII}]/u.test(text)) otherChars++;
      else ascii++;
      expect(scanned, JSON.stringify(text)).toEqual(minhash(text));
      expect(scanned, JSON.stringify(text)).toEqual(minhashByDefinition(text));
    }
    expect(ascii).toBeGreaterThan(500);
    expect(otherChars).toBeGreaterThan(500);
  });
});

describe('hash64Units', () => {
  it('equals hash64 of the joined text', () => {
    const next = rng(5);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(next, 10);
      const all = Uint16Array.from({ length: text.length }, (_, k) => text.charCodeAt(k));
      expect(hash64Units(all, 0, all.length)).toBe(hash64(text));
      const a = Math.floor(next() * (text.length + 1));
      const b = a + Math.floor(next() * (text.length - a + 1));
      expect(hash64Units(all, 0, a, ' … ', b, all.length)).toBe(
        hash64(`${text.slice(0, a)} … ${text.slice(b)}`),
      );
    }
  });
});

/** MinHash by its definition (the module comment of events/minhash.ts), as a reference. */
function minhashByDefinition(text: string): number[] {
  const EMPTY = 0xffffffff;
  const sig = new Array<number>(32).fill(EMPTY);
  const toks = words(text);
  for (let i = 0; i < Math.max(1, toks.length - 2) && toks.length > 0; i++) {
    let h = 0x9e3779b9;
    for (let j = i; j < Math.min(i + 3, toks.length); j++) h = hash32(toks[j]!, h);
    const value = fmix32(h ^ 0x5bd1e995);
    if (value < sig[h % 32]!) sig[h % 32] = value;
  }
  const empty = sig.filter((v) => v === EMPTY).length;
  if (empty === 0 || empty === 32) return sig;
  return sig.map((v, i) => {
    if (v !== EMPTY) return v;
    for (let attempt = 1; attempt <= 63; attempt++) {
      const borrowed = sig[fmix32(i * 0x9e3779b1 + attempt) % 32]!;
      if (borrowed !== EMPTY) return borrowed;
    }
    return v;
  });
}

describe('minhash', () => {
  it('shingles Chinese and Japanese by characters, so that filled templates read as near-duplicates', () => {
    // Read as whole runs, each clause would be one word, and the two would share no shingle.
    const a = minhash('请用Python写一个函数，判断一个字符串是否为回文，并加上简短的注释和两个测试用例。');
    const b = minhash('请用Java写一个函数，判断一个字符串是否为回文，并加上简短的注释和两个测试用例。');
    const other = minhash('请用简单的语言解释光合作用的原理，并举一个生活中的例子。');
    expect(words('小明有37个')).toEqual(['小', '明', '有', '37', '个']);
    expect(words('カタカナとabc')).toEqual(['カ', 'タ', 'カ', 'ナ', 'と', 'abc']);
    expect(similarity(a, b)).toBeGreaterThan(0.6);
    expect(similarity(a, other)).toBeLessThan(0.15);
  });
  it('equals its definition on short, long, ASCII and other texts', () => {
    const next = rng(17);
    const texts = ['', 'one', 'one two', 'one two three', 'One TWO three four', 'w '.repeat(1000)];
    for (let i = 0; i < 3000; i++) texts.push(randomText(next, i % 10 === 0 ? 400 : 30));
    for (const text of texts) {
      expect(minhash(text), JSON.stringify(text)).toEqual(minhashByDefinition(text));
      const scanned = probeText('', text).minhash;
      if (scanned !== null) expect(scanned, JSON.stringify(text)).toEqual(minhashByDefinition(text));
    }
  });
});
