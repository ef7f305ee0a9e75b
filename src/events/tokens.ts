/**
 * @module events/tokens
 * gpt-tokenizer (o200k_base), loaded on first use rather than at startup: its merge ranks cost
 * ~0.2 s of CPU to load, on every thread that parses, and a log whose lines all carry usage never
 * counts a token. Loaded with `require` (its CommonJS build) so that counting stays synchronous.
 * Every module of the program reaches the library through here, so a process holds one copy of
 * it, never the CommonJS and the ES module build both.
 */
import { createRequire } from 'node:module';

type Tokenizer = typeof import('gpt-tokenizer');

let loaded: Tokenizer | null = null;

/** The library, loaded on the first call. */
export function tokenizer(): Tokenizer {
  loaded ??= createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
  return loaded;
}

/** Tokens of a text in o200k_base. */
export const countTokens = (text: string): number => tokenizer().countTokens(text);
