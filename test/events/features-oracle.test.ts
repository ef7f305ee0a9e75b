/**
 * Differential test of the feature extractor against the implementation it replaced
 * (test/events/oracle): every field of PromptFeatures must stay identical, on a whole simulated
 * standard log and on random, adversarial Unicode texts.
 */
import { describe, expect, it } from 'vitest';
import { extractParams, extractPromptFeatures, frame, skeleton } from '../../src/events/features.js';
import { minhash, words } from '../../src/events/minhash.js';
import { inferEndpoint, promptText } from '../../src/events/text.js';
import type { Endpoint } from '../../src/events/types.js';
import { buildScenario, resolveScenario, scenarioLines } from '../../src/sim/index.js';
import * as old from './oracle/features.js';
import { minhash as oldMinhash } from './oracle/minhash.js';
import { promptText as oldPromptText } from './oracle/text.js';

function same(endpoint: Endpoint, body: unknown, tools: number, countTokens: boolean, label: string) {
  const opts = { storeText: true, countTokens };
  const fresh = extractPromptFeatures(endpoint, body, { tools }, opts);
  const oracle = old.extractPromptFeatures(endpoint, body, { tools }, opts);
  expect(fresh, label).toEqual(oracle);
  expect(promptText(endpoint, body), label).toEqual(oldPromptText(endpoint, body));
}

describe('features against the oracle', () => {
  it('are identical on every line of a simulated standard log', () => {
    const built = buildScenario(resolveScenario('standard'), { seed: 3 });
    let n = 0;
    for (const line of scenarioLines(built)) {
      const request = line.request as Record<string, unknown>;
      const endpoint = inferEndpoint(request, line.endpoint as string | undefined);
      if (endpoint === null) continue;
      const params = extractParams(endpoint, request);
      same(endpoint, request, params.tools, n % 50 === 0, `line ${n}`);
      n++;
    }
    expect(n).toBeGreaterThan(100_000);
  }, 600_000);

  const fragments = [
    ...'abcxyzABCXYZ0123456789 .,;:!?\'"`-+_%@/\\#*()[]{}<>\t\n\r',
    ' ',
    '  ',
    '\r\n',
    '```',
    '```js\nconst x = 1;\n```',
    'http://a.b/c?d=1',
    'https://example.com/x_y',
    'bob.smith+tag@mail-x.co.uk',
    'a@b.c',
    '"quoted text"',
    '“curly”',
    "'single q'",
    '`tick`',
    '-3.5e+7%',
    '1,000,000',
    '42',
    '+7',
    'e-5',
    '. The',
    '? Alice',
    ': Bob',
    ', Carol',
    ' McDonald',
    " O'Neil-Smith",
    'É',
    'é',
    'Éric',
    'Σ',
    'ΟΔΟΣ',
    'σς',
    'ß',
    'ǅ',
    'İ',
    'İstanbul',
    '\u212a',
    'ſ',
    '𝐀',
    '𝐚𝐛',
    '😀',
    '\ud800',
    '\udc00',
    '\u00a0',
    '\u2028',
    '\u3000',
    '\ufeff',
    '\u200b',
    '‹name›',
    '٣',
    '中文',
    'step by step',
    'Step-By-Step',
    'chain of thought',
    'show me your reasoning',
    'Walk me through the thought process',
    'think aloud',
    "let's think",
    '<thinking>',
    'before answering, think',
    'rubric',
    'Grade the response',
    'on a scale of 1 to 10',
    'which answer is better',
    'Response A',
    'response B',
    'reward model',
    'translate',
    'in French',
    'summarize',
    'TL;DR',
    'python',
    'c++',
    'solve',
    'how many',
    'json',
    'classify',
    'why',
    'write a poem',
    'word',
    'Word',
    'words',
  ];
  let seed = 11;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const randomText = () => {
    let s = '';
    const len = next() < 0.05 ? 800 + Math.floor(next() * 1200) : Math.floor(next() * 60);
    for (let k = 0; k < len; k++) s += pick(fragments);
    return s;
  };

  it('are identical on random adversarial texts', () => {
    for (let i = 0; i < 20_000; i++) {
      const text = randomText();
      const label = JSON.stringify(text);
      expect(skeleton(text), label).toBe(old.skeleton(text));
      expect(minhash(text), label).toEqual(oldMinhash(text));
      expect(words(text), label).toEqual(old.words(text));
      const skel = skeleton(text);
      expect(frame(skel), label).toBe(old.frame(skel));
      const system = next() < 0.3 ? randomText() : '';
      const user = next() < 0.2 ? [{ type: 'text', text }, { type: 'image_url' }, 'x'] : text;
      const messages = [
        ...(system ? [{ role: next() < 0.5 ? 'system' : 'developer', content: system }] : []),
        ...(next() < 0.3
          ? [
              { role: 'user', content: randomText() },
              { role: 'assistant', content: 'ok' },
            ]
          : []),
        { role: 'user', content: user },
      ];
      same('chat', { messages }, next() < 0.1 ? 1 : 0, i % 20 === 0, label);
      same('completions', { prompt: next() < 0.2 ? [text, system] : text }, 0, false, label);
      same('responses', { instructions: system || undefined, input: text }, 0, false, label);
      same('responses', { instructions: system, input: messages }, 0, false, label);
      same('embeddings', { input: text }, 0, false, label);
    }
  }, 600_000);
});
