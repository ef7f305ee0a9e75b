/**
 * @module upstream/mock/logprobs
 * Plausible token log-probabilities: most chosen tokens are likely (logprob near 0), a few are
 * not; alternatives are strictly less likely than the chosen token.
 */
import { pick, type Rng } from './prng.js';
import { WORDS } from './words.js';

export interface TopLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}

export interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}

const bytesOf = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const round = (x: number) => Math.round(x * 1e6) / 1e6;

function alternatives(rng: Rng, token: string, chosen: number, top: number): TopLogprob[] {
  const out: TopLogprob[] = [{ token, logprob: chosen, bytes: bytesOf(token) }];
  let lp = chosen;
  const seen = new Set([token]);
  while (out.length < top) {
    const alt = ` ${pick(rng, WORDS)}`;
    if (seen.has(alt)) continue;
    seen.add(alt);
    lp = round(lp - 0.5 - rng() * 3);
    out.push({ token: alt, logprob: lp, bytes: bytesOf(alt) });
  }
  return out;
}

/** Chat / responses logprobs for each token piece, with `top` alternatives (0-20). */
export function chatLogprobs(rng: Rng, pieces: readonly string[], top: number): TokenLogprob[] {
  return pieces.map((token) => {
    const r = rng();
    const logprob = round(-(r * r * r) * 4);
    return {
      token,
      logprob,
      bytes: bytesOf(token),
      top_logprobs: top > 0 ? alternatives(rng, token, logprob, top) : [],
    };
  });
}

/** Legacy completions logprobs object. */
export function completionLogprobs(rng: Rng, pieces: readonly string[], top: number) {
  const entries = chatLogprobs(rng, pieces, Math.max(1, top));
  const offsets: number[] = [];
  let at = 0;
  for (const p of pieces) {
    offsets.push(at);
    at += p.length;
  }
  return {
    tokens: [...pieces],
    token_logprobs: entries.map((e) => e.logprob),
    top_logprobs: entries.map((e) =>
      Object.fromEntries(e.top_logprobs.slice(0, Math.max(1, top)).map((t) => [t.token, t.logprob])),
    ),
    text_offset: offsets,
  };
}
