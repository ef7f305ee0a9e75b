/**
 * @module sim/prompts/documents
 * Synthesised long inputs: business documents for summarisation and batch extraction, knowledge
 * base passages for RAG, and source files for coding context. Sizes follow the caller's request
 * (in characters), so prompt token figures come out realistic.
 */
import type { Rng } from '../rng.js';
import { fill } from './fill.js';
import { PHRASES, VOCAB } from './vocab.js';

/** One sentence; with an org lexicon, most subjects are the org's own terms. */
function sentence(rng: Rng, lex?: readonly string[]): string {
  const subject =
    lex && rng.chance(0.7) ? `The ${rng.pick(lex)} ${rng.pick(lex)}` : rng.pick(PHRASES.subject);
  const s = `${subject} ${rng.pick(PHRASES.verb)} ${rng.pick(PHRASES.tail)}`;
  const n = rng.int(2, 40);
  return rng.chance(0.4)
    ? `${s}, by ${n}%.`
    : rng.chance(0.3)
      ? `${rng.pick(PHRASES.connector)} ${s.toLowerCase()}.`
      : `${s}.`;
}

/** Prose of roughly `chars` characters, in paragraphs. */
export function prose(rng: Rng, chars: number, lex?: readonly string[]): string {
  const parts: string[] = [];
  let len = 0;
  let para: string[] = [];
  while (len < chars) {
    const s = sentence(rng, lex);
    para.push(s);
    len += s.length + 1;
    if (para.length >= rng.int(3, 6)) {
      parts.push(para.join(' '));
      para = [];
    }
  }
  if (para.length) parts.push(para.join(' '));
  return parts.join('\n\n');
}

/** A business document with a header: report, transcript, email thread, … */
export function document(rng: Rng, chars: number, lex?: readonly string[]): string {
  const kind = rng.pick(VOCAB.doctype!);
  const header = fill(rng, `${kind.toUpperCase()} — {company}, {dept} ({month} {1-28}, 202{4-6})`);
  if (kind === 'meeting transcript') {
    const lines: string[] = [header];
    let len = header.length;
    while (len < chars) {
      const l = `${rng.pick(VOCAB.person!)}: ${sentence(rng, lex)}`;
      lines.push(l);
      len += l.length;
    }
    return lines.join('\n');
  }
  return `${header}\n\n${prose(rng, chars, lex)}`;
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'tra',
  'zen',
  'vor',
  'qui',
  'bel',
  'dra',
  'nix',
  'sol',
  'pra',
  'tek',
  'mar',
  'fli',
  'gon',
  'ru',
  'sha',
  'vi',
  'xo',
  'den',
  'pul',
  'cor',
  'ith',
];

/** An org's own vocabulary: invented feature and module names, so its documents are its own. */
export function lexicon(rng: Rng, n = 40): string[] {
  return Array.from({ length: n }, () => {
    let w = '';
    for (let k = rng.int(2, 3); k > 0; k--) w += rng.pick(SYLLABLES);
    return w;
  });
}

const FACTS = [
  '{P} supports {a} export from the {b} page.',
  'Refunds for {a} plans are processed within {3-10} business days.',
  'The {a} API allows up to {50-500} requests per minute per {b}.',
  'To reset {a} in {P}, open {b}, then {c}.',
  '{a} data is stored in {2-5} regions; {b} encrypts it at rest.',
  'Admins can invite up to {10-200} members to a {a} workspace.',
  'The {a} app syncs {b} every {5-30} minutes when on Wi-Fi.',
  'Single sign-on for {a} works with SAML and OIDC through {b}.',
  '{a} invoices are issued on the {1-28}th of each month by {b}.',
  '{P} keeps deleted {a} items in {b} for {7-90} days.',
  'If {a} fails with error {100-999}, restart {b} and check the {c} log.',
  'The {a} integration requires {b} version {1-9}.{0-20} or later.',
];

/** An org's knowledge base: `size` passages about its own product, in its own vocabulary. */
export function knowledgeBase(rng: Rng, product: string, size: number): string[] {
  const lex = lexicon(rng);
  return Array.from({ length: size }, (_, id) => {
    const facts = Array.from({ length: rng.int(3, 7) }, () =>
      fill(rng, rng.pick(FACTS), { P: product, a: rng.pick(lex), b: rng.pick(lex), c: rng.pick(lex) }),
    );
    return `[doc ${id + 1}] ${facts.join(' ')}`;
  });
}

const IDENT = [
  'user',
  'order',
  'item',
  'total',
  'config',
  'result',
  'cache',
  'queue',
  'payload',
  'record',
  'index',
  'buffer',
];

/** A source file of roughly `chars` characters in a TypeScript/Python-like style. */
export function sourceFile(rng: Rng, chars: number): string {
  const py = rng.chance(0.5);
  const out: string[] = [];
  let len = 0;
  while (len < chars) {
    const name = `${rng.pick(IDENT)}_${rng.pick(IDENT)}`;
    const a = rng.pick(IDENT);
    const b = rng.pick(IDENT);
    const fn = py
      ? `def ${name}(${a}, ${b}=None):\n    if ${b} is None:\n        ${b} = {}\n    for k, v in ${a}.items():\n        if v > ${rng.int(0, 99)}:\n            ${b}[k] = v * ${rng.int(2, 9)}\n    return ${b}\n`
      : `export function ${name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())}(${a}: Record<string, number>, ${b}: number[] = []): number[] {\n  for (const [k, v] of Object.entries(${a})) {\n    if (v > ${rng.int(0, 99)}) ${b}.push(v * ${rng.int(2, 9)});\n  }\n  return ${b};\n}\n`;
    out.push(fn);
    len += fn.length;
  }
  return out.join('\n');
}
