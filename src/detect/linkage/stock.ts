/**
 * @module detect/linkage/stock
 * System prompts that are common everywhere, whatever one deployment's population says.
 *
 * Rarity is counted in the orgs a deployment sees (population.ts), and a small deployment sees
 * few: there, the default system prompt of the SDK quick-starts and framework templates ("You
 * are a helpful assistant.") is sent by a few dozen orgs and reads as rare, so two unrelated
 * developers who both kept it look linked (engine 1.6.0, docs/benchmark.md). These prompts are
 * common by construction, because they are what a developer gets before writing their own, so
 * they give no linking evidence and are no product's own prompt. The list is configuration
 * (`linkage.stockSystemPrompts`): a deployment adds the stock prompts of the frameworks its
 * customers use. Matching is on the exact text after trimming, as a system prompt's id is
 * (`systemHashOf` in events/features.ts).
 */
import { hash64 } from '../../events/hash.js';

/** Default system prompts of SDK quick-starts, framework templates and chat UIs. */
export const STOCK_SYSTEM_PROMPTS: readonly string[] = [
  'You are a helpful assistant.',
  'You are a helpful assistant',
  'You are a helpful AI assistant.',
  'You are a helpful AI assistant',
  'You are a helpful, respectful and honest assistant.',
  'You are an AI assistant.',
  'You are ChatGPT, a large language model trained by OpenAI.',
];

const memo = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The ids of `prompts` as the feature extractor gives a system prompt's (its trimmed text's `hash64`). */
export function stockSystemIds(prompts: readonly string[]): ReadonlySet<string> {
  let ids = memo.get(prompts);
  if (ids === undefined) {
    ids = new Set(prompts.map((text) => hash64(text.trim())));
    memo.set(prompts, ids);
  }
  return ids;
}
