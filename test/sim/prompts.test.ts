import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skeleton } from '../../src/events/features.js';
import { fill } from '../../src/sim/prompts/fill.js';
import { generate, loadRealPrompts, PROMPT_KINDS, PromptSource } from '../../src/sim/prompts/index.js';
import {
  fillLocale,
  LOCALE_CODES,
  LOCALE_TASKS,
  LOCALES,
  localeCot,
  localePrompt,
  localeSystem,
} from '../../src/sim/prompts/locales.js';
import { recordPrompt } from '../../src/sim/prompts/real.js';
import { Rng } from '../../src/sim/rng.js';

describe('built-in prompt generators', () => {
  it('every kind yields many distinct prompts and several template skeletons', () => {
    const rng = new Rng(11);
    for (const kind of PROMPT_KINDS) {
      const ps = Array.from({ length: 200 }, () => generate(kind, rng));
      expect(new Set(ps).size, kind).toBeGreaterThan(60);
      expect(new Set(ps.map((p) => skeleton(p))).size, kind).toBeGreaterThan(2);
      for (const p of ps) expect(p).not.toMatch(/\{[a-zA-Z]+\}/);
    }
  });
  it('fills slots, ranges and alternatives', () => {
    const rng = new Rng(1);
    const s = fill(rng, '{3-3} {a|a} {person} {unknownSlot}');
    expect(s).toMatch(/^3 a [A-Z][a-z]+ \{unknownSlot\}$/);
  });
});

describe('real prompt sets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-prompts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reads JSON and JSONL records through the usual fields and sorts them into pools', () => {
    writeFileSync(
      join(dir, 'a.json'),
      JSON.stringify([
        { instruction: 'Write a poem', input: 'about tea' },
        { nothing: 1 },
        { prompt: 'hello' },
      ]),
    );
    writeFileSync(join(dir, 'gsm.jsonl'), '{"question":"How many apples are left?"}\nnot json\n');
    const real = loadRealPrompts(dir);
    expect(real).not.toBeNull();
    expect(real!.general).toEqual(['Write a poem\n\nabout tea', 'hello']);
    expect(real!.math).toContain('How many apples are left?');
    expect(real!.files).toHaveLength(2);
    const src = new PromptSource(real);
    expect(src.get('math', new Rng(1), 1)).toBe('How many apples are left?');
  });
  it('is null for a missing folder; recordPrompt ignores records without a prompt', () => {
    expect(loadRealPrompts(join(dir, 'nope'))).toBeNull();
    expect(recordPrompt({ foo: 'bar' })).toBeNull();
    expect(recordPrompt({ question: ' Q ' })).toBe('Q');
  });
});

describe('locale phrasebook', () => {
  it('fills every template of every locale, leaving no slot, and wraps keep the question', () => {
    const rng = new Rng(3);
    for (const code of LOCALE_CODES) {
      const l = LOCALES[code];
      for (const task of LOCALE_TASKS) {
        for (const template of l.tasks[task]) {
          const text = fillLocale(rng, l, template);
          expect(text, `${code} ${task}: ${template}`).not.toMatch(/[{}]/);
        }
      }
      for (const template of [...l.follow, l.shortAnswer, l.stepByStep])
        expect(fillLocale(rng, l, template), template).not.toMatch(/[{}]/);
      for (const kind of ['product', 'tutor'] as const) {
        const system = localeSystem(rng, l, kind, 'Nimbus');
        expect(system).toContain('Nimbus');
        expect(system).not.toMatch(/[{}]/);
      }
      const q = localePrompt(rng, l, 'math');
      const wrapped = localeCot(rng, l, q);
      expect(wrapped).toContain(q);
      expect(wrapped).not.toMatch(/[{}]/);
    }
  });
});
