/**
 * @module sim/prompts/answers
 * Answer lengths and (only with `--store-text`) answer texts. Lengths are log-normal per kind of
 * task, capped by `max_tokens` (then `finish_reason` is `length`); prompt tokens are estimated as
 * characters ÷ 4 throughout the simulator, the same rule for every persona.
 */
import type { Rng } from '../rng.js';
import { prose, sourceFile } from './documents.js';

/** Prompt tokens of a text, estimated as ceil(chars / 4). */
export const estimateTokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

export interface AnswerLength {
  tokens: number;
  finishReason: 'stop' | 'length';
}

/** Completion tokens: log-normal around `median`, at most `maxTokens` when given. */
export function answerLength(
  rng: Rng,
  median: number,
  sigma: number,
  maxTokens: number | null,
): AnswerLength {
  const t = Math.max(1, Math.round(rng.logNormal(median, sigma)));
  if (maxTokens !== null && t >= maxTokens) return { tokens: maxTokens, finishReason: 'length' };
  return { tokens: t, finishReason: 'stop' };
}

/** An answer text of about `tokens` tokens (code-like for code answers). */
export function answerText(rng: Rng, tokens: number, kind = 'text'): string {
  const chars = tokens * 4;
  return kind === 'code'
    ? sourceFile(rng, chars).slice(0, chars + 200)
    : prose(rng, chars).slice(0, chars + 200);
}
