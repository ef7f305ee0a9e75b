/**
 * @module upstream/mock/tokens
 * Exact token accounting for the mock with gpt-tokenizer (o200k_base): counts, splitting a text
 * into its token pieces for streaming, and cutting a text to at most N tokens.
 */
import { tokenizer } from '../../events/tokens.js';

const OPTS = { disallowedSpecial: new Set<string>() };

export const encodeText = (text: string): number[] => tokenizer().encode(text, OPTS);

export const countText = (text: string): number => (text ? encodeText(text).length : 0);

/** The token pieces of a text (their concatenation is the text for the mock's ASCII output). */
export const tokenPieces = (text: string): string[] => encodeText(text).map((t) => tokenizer().decode([t]));

/** Cuts a text to at most `max` tokens (re-encoding the prefix can only shrink it further). */
export function truncateTokens(text: string, max: number): { text: string; truncated: boolean } {
  let tokens = encodeText(text);
  if (tokens.length <= max) return { text, truncated: false };
  let out = text;
  for (let i = 0; i < 4 && tokens.length > max; i++) {
    out = tokenizer().decode(tokens.slice(0, max));
    tokens = encodeText(out);
    max = Math.max(0, max - (tokens.length - max));
  }
  return { text: out, truncated: true };
}
