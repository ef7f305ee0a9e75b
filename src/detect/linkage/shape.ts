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
 * requests, and at least `FROZEN` of them are one-shot, over at least `MIN_REQUESTS` requests.
 * Conversational products are left out (a chat app or agent framework has a fixed configuration
 * too; it is not a harvesting script). Like every shared item the shape is weighted by its rarity
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
  if (p.singleTurn / p.n < FROZEN) return null;
  return `${maxTok}|${system.id === NO_SYSTEM ? 'none' : system.id}|one-shot`;
}
