/**
 * @module sim/personas/benign/locale
 * Customers who do not write in English: chat products serving one language's market (a local
 * assistant, or a tutoring app whose system prompt asks for step-by-step explanations) and eval
 * harnesses running a multilingual math benchmark with the step-by-step line written in each
 * question's language. They are the hard negatives of any reading of prompts in other languages.
 */
import {
  fillLocale,
  LOCALE_CODES,
  LOCALES,
  type Locale,
  localeParaphrase,
  localePrompt,
  localeSystem,
} from '../../prompts/locales.js';
import type { Rng } from '../../rng.js';
import type { KeyPlan } from '../../types.js';
import type { PersonaContext } from '../common.js';
import { brandName, type ChatVoice, chatApp } from './chat.js';
import { type EvalQuestion, evalHarness } from './power.js';

/** The voice of a local product: a general assistant (small talk, explanations, writing) or a tutor (math). */
function localeVoice(rng: Rng): ChatVoice {
  const l = LOCALES[rng.pick(LOCALE_CODES)];
  const tutor = rng.chance(0.3);
  const system = rng.chance(0.9) ? localeSystem(rng, l, tutor ? 'tutor' : 'product', brandName(rng)) : null;
  const openers = tutor
    ? (['math', 'math', 'puzzle'] as const)
    : (['chat', 'chat', 'explain', 'writing'] as const);
  return {
    system,
    opener: (g) => localeParaphrase(g, l, localePrompt(g, l, g.pick(openers)), 0.4),
    follow: (g) => followUp(g, l),
    maxTokens: tutor ? [null, 1024, 2048] : [null, 512, 800, 1024],
    answerMedian: tutor ? [250, 450] : [120, 260],
  };
}

/** A user's later turn in the product's language. */
function followUp(g: Rng, l: Locale): string {
  return fillLocale(g, l, g.pick(l.follow));
}

/** Chat products in one language each (Chinese, Japanese, Russian, Spanish or German). */
export function localeApp(ctx: PersonaContext, orgs: number): KeyPlan[] {
  return chatApp(ctx, orgs, 'locale_app', localeVoice);
}

/** A multilingual math benchmark over 2–5 of the locales, the step-by-step line in the question's language. */
function multilingualBenchmark(rng: Rng): EvalQuestion {
  const locales = rng.sample([...LOCALE_CODES], rng.int(2, LOCALE_CODES.length)).map((c) => LOCALES[c]);
  return (g, cot, shots) => {
    const l = g.pick(locales);
    const q = localePrompt(g, l, 'math');
    const text = cot ? `${q}\n${l.stepByStep}` : q;
    const shot = shots ? `${localePrompt(g, l, 'math')}\n${fillLocale(g, l, l.shortAnswer)}\n\n` : '';
    return shot + text;
  };
}

/** Eval harnesses running a multilingual benchmark (MGSM-like) in bulk. */
export function multilingualEval(ctx: PersonaContext, orgs: number): KeyPlan[] {
  return evalHarness(ctx, orgs, 'multilingual_eval', multilingualBenchmark);
}
