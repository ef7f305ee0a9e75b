/**
 * @module detect/linkage/shape
 * Request shape: the frozen one-shot request of a harvesting script, as linking evidence.
 *
 * > "Traffic is load-balanced so every key stays under its own limits" … "accounts share
 * > infrastructure" (issue 3). An operator can give every key its own residential IP, another
 * > user agent and even another target model, but all its keys run the same script: the same
 * > `max_tokens` (or none), the same system prompt (or none), one-shot prompts.
 *
 * A key has a shape only when that configuration is frozen: its modal max_tokens value (explicit,
 * or left out) and its modal system prompt (or none) each cover at least `FROZEN` of its
 * requests, over at least `MIN_REQUESTS` requests, and its turns are frozen too: at least
 * `FROZEN` of them one-shot, or (engine 1.9.0) at least `CONVERSED` of them follow-ups that carry
 * real histories without tools, the script of a program that harvests whole conversations.
 * Keys of mixed turns or tool loops have no shape. A chat product has a frozen configuration too,
 * but its system prompt is its own, so its shape is shared by no other org; the SDK-default
 * conversational shape (no system prompt, no max_tokens) is shared by many products, and counts
 * for little once as many orgs send it as the common limit (in a small population a few dozen
 * may not reach it: docs/benchmark.md, engine 1.9.0). Like every shared item the shape is
 * weighted by its rarity
 * across orgs (evidence.ts): SDK defaults used by hundreds of orgs say nothing. It contains the
 * system prompt, so an edge counts the stronger of the two, never both (graph.ts); alone it
 * never links two keys (weight 0.45; with near-identical behaviour it does, 0.62).
 */
import type { AccountProfile } from '../profile.js';
import { NO_SYSTEM } from '../profile.js';
import { topkTop } from '../sketches/topk.js';

/** Share of a key's requests each modal value must cover for the configuration to count as frozen. */
export const FROZEN = 0.8;
/** Fewer requests than this say nothing about a frozen configuration. */
export const MIN_REQUESTS = 8;
/** Share of follow-ups with a real history (and no tools) that makes a key's turns conversational. */
export const CONVERSED = 0.5;

/** The key's modal value of `which` and the share of its requests it covers, or null. */
export const modal = (p: AccountProfile, which: 'models' | 'maxToks' | 'systems') => {
  const top = topkTop(p[which]);
  return top ? { id: top.id, share: (top.c - top.err) / Math.max(1, p.n) } : null;
};

/** The key's frozen request shape (`max_tokens|system|turns`), or null when it varies. */
export function requestShape(p: AccountProfile): string | null {
  if (p.n < MIN_REQUESTS) return null;
  const system = modal(p, 'systems');
  if (!system || system.share < FROZEN) return null;
  const unset = (p.n - p.maxTokSet) / p.n;
  const max = modal(p, 'maxToks');
  let maxTok: string;
  if (unset >= FROZEN) maxTok = 'none';
  else if (max && max.share >= FROZEN) maxTok = max.id;
  else return null;
  const turns = turnsOf(p);
  if (turns === null) return null;
  return `${maxTok}|${system.id === NO_SYSTEM ? 'none' : system.id}|${turns}`;
}

/** The key's frozen turns: `one-shot`, `conversation`, or null when they are mixed or use tools. */
function turnsOf(p: AccountProfile): string | null {
  if (p.singleTurn / p.n >= FROZEN) return 'one-shot';
  if (p.multiTurn / p.n >= CONVERSED && p.toolReq / p.n < 1 - FROZEN) return 'conversation';
  return null;
}
