/**
 * @module upstream/mock/words
 * Realistic-looking English from small word lists and a tiny grammar (subject, verb, object,
 * optional prepositional phrase and connective): sentences of 6-20 words, paragraphs of 2-5
 * sentences, numbered steps for step-by-step asks, and a fenced code block when code was asked for.
 */
import { intIn, pick, type Rng } from './prng.js';

const DETS = ['the', 'a', 'each', 'every', 'this', 'one', 'another', 'the'];
const ADJS = [
  'simple',
  'clear',
  'important',
  'common',
  'specific',
  'different',
  'useful',
  'main',
  'basic',
  'complex',
  'small',
  'large',
  'new',
  'final',
  'general',
  'reliable',
  'efficient',
  'careful',
  'early',
  'recent',
  'practical',
  'critical',
  'stable',
  'open',
  'typical',
  'original',
  'careful',
  'modern',
  'local',
  'global',
];
const NOUNS = [
  'model',
  'system',
  'value',
  'result',
  'process',
  'function',
  'example',
  'approach',
  'method',
  'structure',
  'problem',
  'answer',
  'question',
  'pattern',
  'context',
  'input',
  'output',
  'step',
  'request',
  'response',
  'user',
  'team',
  'project',
  'test',
  'error',
  'server',
  'client',
  'service',
  'report',
  'review',
  'theory',
  'market',
  'language',
  'study',
  'design',
  'layer',
  'signal',
  'network',
  'record',
  'policy',
  'decision',
  'change',
  'feature',
  'interface',
  'algorithm',
  'dataset',
  'experiment',
  'argument',
  'idea',
  'city',
];
const VERBS = [
  'improves',
  'changes',
  'explains',
  'describes',
  'supports',
  'requires',
  'reduces',
  'shows',
  'affects',
  'defines',
  'handles',
  'controls',
  'creates',
  'follows',
  'includes',
  'provides',
  'uses',
  'checks',
  'connects',
  'protects',
  'measures',
  'limits',
  'extends',
  'replaces',
  'shapes',
  'drives',
  'reveals',
];
const PREPS = [
  'in',
  'for',
  'with',
  'through',
  'across',
  'under',
  'over',
  'within',
  'after',
  'before',
  'during',
];
const OPENERS = [
  'However,',
  'In practice,',
  'For example,',
  'As a result,',
  'In most cases,',
  'At the same time,',
  'First,',
  'Finally,',
  'In short,',
  'Because of this,',
  'On the other hand,',
  'In general,',
];
const CLAUSES = ['because', 'while', 'when', 'so that', 'although', 'unless'];

/** Every word the generator may use (also the pool for logprob alternatives). */
export const WORDS: readonly string[] = [...new Set([...DETS, ...ADJS, ...NOUNS, ...VERBS, ...PREPS])];

const CODE_LINES = [
  'def solve(items):',
  '    """Return the transformed items, skipping empty ones."""',
  '    result = []',
  '    for item in items:',
  '        if item is None:',
  '            continue',
  '        result.append(transform(item))',
  '    return result',
  '',
  '',
  'def transform(value):',
  '    return value * 2 + 1',
];

function nounPhrase(rng: Rng): string {
  const det = pick(rng, DETS);
  const words = rng() < 0.6 ? [pick(rng, ADJS), pick(rng, NOUNS)] : [pick(rng, NOUNS)];
  const article = det === 'a' && /^[aeio]/.test(words[0] ?? '') ? 'an' : det;
  return `${article} ${words.join(' ')}`;
}

function clause(rng: Rng): string {
  const parts = [nounPhrase(rng), pick(rng, VERBS), nounPhrase(rng)];
  if (rng() < 0.5) parts.push(pick(rng, PREPS), nounPhrase(rng));
  return parts.join(' ');
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function sentence(rng: Rng): string {
  let s = clause(rng);
  if (rng() < 0.35) s = `${s} ${pick(rng, CLAUSES)} ${clause(rng)}`;
  if (rng() < 0.25) s = `${pick(rng, OPENERS)} ${s}`;
  return `${capitalise(s)}.`;
}

export type ProseStyle = 'plain' | 'steps' | 'code';

/** Text of roughly `words` words (the caller trims it to an exact token count). */
export function prose(rng: Rng, words: number, style: ProseStyle = 'plain'): string {
  const blocks: string[] = [];
  let count = 0;
  while (count < words) {
    const sentences: string[] = [];
    const per = intIn(rng, 2, 5);
    for (let i = 0; i < per && count < words; i++) {
      const s = sentence(rng);
      count += s.split(' ').length;
      sentences.push(s);
    }
    const text = sentences.join(' ');
    blocks.push(style === 'steps' && blocks.length > 0 ? `${blocks.length}. ${text}` : text);
    if (style === 'code' && blocks.length === 1) {
      blocks.push(`\`\`\`python\n${CODE_LINES.join('\n')}\n\`\`\``);
      count += 40;
    }
  }
  return blocks.join('\n\n');
}

/** A few words, for JSON string values and tool arguments. */
export function phrase(rng: Rng, lo = 1, hi = 4): string {
  const n = intIn(rng, lo, hi);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(pick(rng, i === n - 1 ? NOUNS : ADJS));
  return out.join(' ');
}
