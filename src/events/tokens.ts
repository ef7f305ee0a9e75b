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
/** Set while `withoutLoading` runs: a count that would load the library throws instead. */
let refusing = false;

/** What `tokenizer()` throws while loading is refused (`withoutLoading`). */
class LoadRefused extends Error {}

/** The library, loaded on the first call. */
export function tokenizer(): Tokenizer {
  if (loaded === null) {
    if (refusing) throw new LoadRefused('gpt-tokenizer is not loaded in this thread');
    loaded = createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
  }
  return loaded;
}

/**
 * `f()`, or null when it would have had to load the library (which is then stopped: `f` must
 * have no effect that matters when cut short). A thread that parses only now and then (the main
 * thread of `analyze`) can leave the lines that need a count to a thread that has the library,
 * rather than load it too (~0.4 s of CPU). With the library loaded, simply `f()`.
 */
export function withoutLoading<T>(f: () => T): T | null {
  if (loaded !== null) return f();
  refusing = true;
  try {
    return f();
  } catch (err) {
    if (err instanceof LoadRefused) return null;
    throw err;
  } finally {
    refusing = false;
  }
}

/** Tokens of a text in o200k_base. */
export const countTokens = (text: string): number => tokenizer().countTokens(text);
