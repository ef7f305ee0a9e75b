/**
 * @module sim/prompts/fill
 * The template mini-language: `{slot}` takes a word from a vocabulary, `{a-b}` an integer in
 * [a, b] (`{$a-b}` a dollar amount), `{a|b|c}` one of the alternatives. Paraphrase variants wrap a prompt in different
 * openers and closers and swap synonyms, so a template family never repeats verbatim.
 */
import type { Rng } from '../rng.js';
import { VOCAB } from './vocab.js';

const SLOT = /\{([^{}]+)\}/g;

/** Fills a template; unknown slot names are left as they are. */
export function fill(rng: Rng, template: string, extra: Record<string, string> = {}): string {
  return template.replace(SLOT, (whole, name: string) => {
    if (name in extra) return extra[name]!;
    const range = /^(\$?)(\d+)-(\d+)$/.exec(name);
    if (range) return `${range[1]}${rng.int(Number(range[2]), Number(range[3]))}`;
    if (name.includes('|')) return rng.pick(name.split('|'));
    const words = VOCAB[name];
    return words ? rng.pick(words) : whole;
  });
}

const OPENERS = [
  '',
  '',
  '',
  'Hi! ',
  'Hey, ',
  'Quick question: ',
  'Please help: ',
  'Hello. ',
  'I need help. ',
  'Task: ',
];
const CLOSERS = [
  '',
  '',
  '',
  ' Thanks!',
  ' Thank you.',
  ' Be concise.',
  ' Please be thorough.',
  ' Keep it short.',
  ' Use simple words.',
];
const SYNONYMS: Array<[RegExp, readonly string[]]> = [
  [/\bWrite\b/g, ['Write', 'Create', 'Draft', 'Produce']],
  [/\bExplain\b/g, ['Explain', 'Describe', 'Clarify', 'Break down']],
  [/\bShow\b/g, ['Show', 'Give', 'Provide']],
  [/\bList\b/g, ['List', 'Enumerate', 'Name']],
  [/\bquickly\b/g, ['quickly', 'briefly', 'in a few lines']],
];

/** A paraphrase of `text`: synonym swaps with probability `strength`, plus opener/closer. */
export function paraphrase(rng: Rng, text: string, strength = 0.5): string {
  let out = text;
  for (const [re, alts] of SYNONYMS) if (rng.chance(strength)) out = out.replace(re, () => rng.pick(alts));
  if (rng.chance(strength)) out = rng.pick(OPENERS) + out;
  if (rng.chance(strength)) out = out + rng.pick(CLOSERS);
  return out;
}
