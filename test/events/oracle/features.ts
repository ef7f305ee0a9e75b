/**
 * @module events/features
 * The one feature extractor. The gateway, `distillguard analyze`, `POST /admin/ingest` and the
 * simulator all turn requests into features here, so the engine cannot tell live traffic from a
 * replayed log. Features are cheap summaries (hashes, flags, counts, a MinHash signature):
 * the raw text leaves this module only when `storeText` is on.
 */
import { countTokens } from 'gpt-tokenizer';
import type {
  Domain,
  Endpoint,
  OutputFeatures,
  PromptFeatures,
  RequestParams,
} from '../../../src/events/types.js';
import { hash64 } from './hash.js';
import { minhash, words } from './minhash.js';
import { isObj, promptText } from './text.js';

/** Skeletons are built from at most this many characters of the prompt. */
const SKELETON_CHARS = 4000;
/** Words kept at the start and end of a skeleton for its frame hash. */
const FRAME_HEAD = 8;
const FRAME_TAIL = 4;

/** Tokens OpenAI bills for one image at `detail: auto` on a typical 1024×1024 input (85 + 4×170). */
export const IMAGE_TOKENS = 765;

export interface ExtractOptions {
  storeText: boolean;
  /** Count prompt tokens with gpt-tokenizer. Off when the caller already has a usage figure. */
  countTokens?: boolean;
}

/**
 * Slot rules, applied in order. Each may name substrings one of which any match must contain:
 * when the text holds none of them, the pass is skipped (same result, no regex scan).
 */
const SLOT_RULES: Array<[RegExp, string, readonly string[] | null]> = [
  [/```[\s\S]*?```/g, ' ‹code› ', ['```']],
  [/https?:\/\/\S+/g, ' ‹url› ', ['http']],
  [/[\w.+-]+@[\w-]+\.[\w.]+/g, ' ‹email› ', ['@']],
  [/"[^"\n]{1,200}"|“[^”\n]{1,200}”|'[^'\n]{2,200}'|`[^`\n]{1,200}`/g, ' ‹quote› ', ['"', '“', "'", '`']],
  [/[-+]?\d[\d,_.]*(e[-+]?\d+)?%?/gi, ' ‹num› ', null],
];

/**
 * The last slot rule: a capitalised word that does not start a sentence is a name slot. As a
 * regular expression, `/\p{Lu}(?<=[^.!?:\n\s]\s+\p{Lu})[\p{L}'-]+/gu`; `replaceNames` finds the
 * same matches with one pass over the code points, several times faster than the expression.
 */
export const NAME_RULE = /\p{Lu}(?<=[^.!?:\n\s]\s+\p{Lu})[\p{L}'-]+/gu;
const NAME_SLOT = ' ‹name› ';

/** Classes of non-ASCII code points, by the same Unicode tables as the expressions, remembered. */
const classMemo = new Map<number, number>();
const UPPER = 1;
const LETTER = 2;
const SPACE = 4;
function classOf(cp: number): number {
  if (cp < 128) {
    if (cp >= 65 && cp <= 90) return UPPER | LETTER;
    if (cp >= 97 && cp <= 122) return LETTER;
    return cp === 32 || (cp >= 9 && cp <= 13) ? SPACE : 0;
  }
  let c = classMemo.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c =
      (/^\p{Lu}$/u.test(ch) ? UPPER : 0) |
      (/^\p{L}$/u.test(ch) ? LETTER : 0) |
      (/^\s$/u.test(ch) ? SPACE : 0);
    if (classMemo.size < 65536) classMemo.set(cp, c);
  }
  return c;
}

/** `text.replace(NAME_RULE, NAME_SLOT)`. */
export function replaceNames(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if ((classOf(cp) & UPPER) === 0 || !nameMayStart(text, i)) {
      i += width;
      continue;
    }
    // One or more letters, apostrophes or hyphens after the capital.
    let end = i + width;
    while (end < n) {
      const c = text.codePointAt(end)!;
      if (c !== 39 && c !== 45 && (classOf(c) & LETTER) === 0) break;
      end += c > 0xffff ? 2 : 1;
    }
    if (end === i + width) {
      i += width;
      continue;
    }
    out += text.slice(copied, i) + NAME_SLOT;
    copied = end;
    i = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The lookbehind: whitespace right before `i`, and before it a character that is not `.!?:` or space. */
function nameMayStart(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (classOf(text.charCodeAt(j)) & SPACE) !== 0) j--;
  if (j === i - 1 || j < 0) return false;
  const c = text.charCodeAt(j);
  return c !== 46 && c !== 33 && c !== 63 && c !== 58;
}

/** Whitespace runs folded to one space: only runs of two or more, and lone non-space characters, change. */
const FOLD = /\s\s+|[^\S ]/g;

const mayMatch = (text: string, needles: readonly string[] | null) =>
  needles === null || needles.some((n) => text.includes(n));

/**
 * The template skeleton of a prompt: lower-cased, slot-like spans (code, urls, emails,
 * quoted strings, numbers, names) replaced by placeholders, whitespace folded.
 */
export function skeleton(text: string): string {
  let s = text.length > SKELETON_CHARS ? text.slice(0, SKELETON_CHARS) : text;
  for (const [re, slot, needles] of SLOT_RULES) if (mayMatch(s, needles)) s = s.replace(re, slot);
  return replaceNames(s).toLowerCase().replace(FOLD, ' ').trim();
}

/** The frame of a skeleton: its first and last words, which a template keeps around a variable payload. */
export function frame(skel: string): string {
  // Words are separated by single spaces; find the end of the head and the start of the tail
  // without splitting the whole skeleton.
  let head = -1;
  for (let k = 0; k < FRAME_HEAD; k++) {
    head = skel.indexOf(' ', head + 1);
    if (head === -1) return skel;
  }
  let tail = skel.length;
  for (let k = 0; k < FRAME_TAIL; k++) {
    if (tail <= 0) return skel;
    tail = skel.lastIndexOf(' ', tail - 1);
    if (tail === -1) return skel;
  }
  // More than FRAME_HEAD + FRAME_TAIL words: the head's last space comes before the tail's first.
  if (tail <= head) return skel;
  return `${skel.slice(0, head)} … ${skel.slice(tail + 1)}`;
}

const COT_PATTERNS = [
  /step[- ]by[- ]step/i,
  /chain[- ]of[- ]thought/i,
  /\b(internal|inner|hidden|full|complete|detailed)\s+(reasoning|thought process|thinking|deliberation)/i,
  /\b(show|explain|articulate|reveal|walk (me )?through|write out|describe|lay out|outline)\b.{0,60}\b(your|the|its|each)\b.{0,30}\b(reasoning|thought process|thinking|thoughts|rationale|deliberation)/i,
  /\breasoning (trace|steps|process|chain)\b/i,
  /\bthink (aloud|out loud|carefully|through)\b/i,
  /\blet'?s think\b/i,
  /<think(ing)?>/i,
  /\bbefore (giving|answering|you answer).{0,40}\b(reason|think)/i,
];

const GRADING_PATTERNS = [
  /\brubric\b/i,
  /\b(grade|score|rate|evaluate|judge|assess)\b.{0,80}\b(response|answer|completion|output|submission|essay|assistant)s?\b/i,
  /\bon a scale (of|from) \d+\s*(to|-|–)\s*\d+/i,
  /\bwhich (response|answer|completion|output) is (better|more helpful|preferred)/i,
  /\b(response|assistant|answer) [AB12]\b.{0,200}\b(response|assistant|answer) [AB12]\b/is,
  /\breward (model|score)\b/i,
];

const DOMAIN_RULES: Array<[Domain, RegExp]> = [
  [
    'translation',
    /\btranslat(e|ion)\b|\bin (french|spanish|german|chinese|japanese|korean|russian|arabic|hindi|portuguese|italian)\b/i,
  ],
  ['summarization', /\bsummar(y|ize|ise|isation|ization)\b|\btl;?dr\b|\bkey points\b/i],
  [
    'code',
    /```|\b(python|javascript|typescript|java|c\+\+|rust|golang|sql|regex|function|compile|bug|refactor|implement|algorithm|api endpoint|class|script|unit test)\b/i,
  ],
  [
    'math',
    /\b(solve|equation|integral|derivative|probability|calculate|compute|how many|how much|prove|theorem|sum of|percent)\b/i,
  ],
  [
    'extraction',
    /\b(extract|parse|pull out|list all|identify all|named entities|fill (in|out) the)\b|\bjson\b/i,
  ],
  [
    'classification',
    /\b(classify|categori[sz]e|sentiment|label (this|the|each)|which category|is this (spam|toxic))\b/i,
  ],
  ['reasoning', /\b(why|reason|logic|puzzle|riddle|deduce|infer|argument|implication)\b/i],
  [
    'writing',
    /\b(write|draft|compose|essay|poem|story|email|letter|blog|slogan|tweet|rewrite|paraphrase)\b/i,
  ],
];

/** Coarse capability the prompt exercises, by a keyword lexicon (ordered: first match wins). */
export function domainOf(
  text: string,
  p: { images: number; grading: boolean; tools: number; multiTurn: boolean },
): Domain {
  if (p.images > 0) return 'vision';
  if (p.grading) return 'grading';
  if (p.tools > 0) return 'tool_use';
  const head = text.length > 1500 ? text.slice(0, 1500) : text;
  for (const [domain, re] of DOMAIN_RULES) if (re.test(head)) return domain;
  if (p.multiTurn) return 'chat';
  if (/\?\s*$/.test(head)) return 'qa';
  return 'other';
}

/**
 * Words one of which every COT pattern needs (case-insensitive, like the patterns): a probe
 * without any of them skips the patterns.
 */
const COT_NEEDED = /step|chain|reason|thought|think|rationale|deliberation/i;
/** Words one of which every grading pattern needs. */
const GRADING_NEEDED =
  /rubric|grade|score|rate|evaluate|judge|assess|scale|which|response|assistant|answer|reward/i;

/**
 * The patterns of one list as one alternation, so a text is scanned once instead of once per
 * pattern: a text matches the alternation exactly when it matches one of the patterns. Only
 * patterns with the flags `i` alone share it; others (`s`: `.` spans lines) stay separate.
 */
function anyOf(patterns: RegExp[]): (text: string) => boolean {
  const shared = patterns.filter((re) => re.flags === 'i');
  const alone = patterns.filter((re) => re.flags !== 'i');
  const union = new RegExp(shared.map((re) => `(?:${re.source})`).join('|'), 'i');
  return (text) => union.test(text) || alone.some((re) => re.test(text));
}

const cotAny = anyOf(COT_PATTERNS);
const gradingAny = anyOf(GRADING_PATTERNS);
const anyMatch = (needed: RegExp, patterns: (text: string) => boolean, text: string) =>
  needed.test(text) && patterns(text);

export function extractPromptFeatures(
  endpoint: Endpoint,
  body: unknown,
  params: Pick<RequestParams, 'tools'>,
  opts: ExtractOptions,
): PromptFeatures {
  const t = promptText(endpoint, body);
  const skel = skeleton(t.lastUser);
  const probe = t.system ? `${t.system}\n${t.lastUser}` : t.lastUser;
  const cot = anyMatch(COT_NEEDED, cotAny, probe);
  const grading = anyMatch(GRADING_NEEDED, gradingAny, probe);
  const features: PromptFeatures = {
    chars: t.all.length,
    tokens: opts.countTokens === false ? 0 : countTokens(t.all),
    messages: t.messages,
    userTurns: t.userTurns,
    assistantTurns: t.assistantTurns,
    toolMessages: t.toolMessages,
    images: t.images,
    systemHash: t.system ? hash64(t.system.trim()) : null,
    skeletonHash: hash64(skel),
    frameHash: hash64(frame(skel)),
    minhash: minhash(t.lastUser),
    cot,
    grading,
    domain: domainOf(t.lastUser, {
      images: t.images,
      grading,
      tools: params.tools,
      multiTurn: t.assistantTurns > 0,
    }),
  };
  if (opts.storeText) {
    features.text = t.lastUser;
    if (t.system) features.systemText = t.system;
  }
  return features;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Sampling and extraction-relevant parameters of a request body. */
export function extractParams(endpoint: Endpoint, body: unknown): RequestParams {
  const b = isObj(body) ? body : {};
  const bias = isObj(b.logit_bias) ? Object.values(b.logit_bias) : [];
  const reasoning = isObj(b.reasoning) ? b.reasoning.effort : b.reasoning_effort;
  const text = isObj(b.text) && isObj(b.text.format) ? b.text.format.type : undefined;
  const legacyLogprobs = endpoint === 'completions' ? num(b.logprobs) : null;
  const topLogprobs = num(b.top_logprobs) ?? legacyLogprobs ?? 0;
  return {
    maxTokens: num(b.max_completion_tokens) ?? num(b.max_tokens) ?? num(b.max_output_tokens),
    n: num(b.n) ?? 1,
    temperature: num(b.temperature),
    topP: num(b.top_p),
    logprobs: b.logprobs === true || (legacyLogprobs ?? 0) > 0 || topLogprobs > 0,
    topLogprobs,
    logitBiasSize: bias.length,
    logitBiasMaxAbs: bias.reduce<number>((m, v) => Math.max(m, Math.abs(num(v) ?? 0)), 0),
    tools: Array.isArray(b.tools) ? b.tools.length : Array.isArray(b.functions) ? b.functions.length : 0,
    responseFormat:
      isObj(b.response_format) && typeof b.response_format.type === 'string'
        ? b.response_format.type
        : typeof text === 'string'
          ? text
          : null,
    reasoningEffort: typeof reasoning === 'string' ? reasoning : null,
    stream: b.stream === true,
    seed: num(b.seed),
    endUser: typeof b.user === 'string' ? b.user : null,
  };
}

/** Output features from a (non-streamed or re-assembled) response body. */
export function extractOutputFeatures(
  endpoint: Endpoint,
  response: unknown,
  opts: { storeText: boolean; completionTokens?: number },
): OutputFeatures {
  const r = isObj(response) ? response : {};
  const texts: string[] = [];
  let finishReason: string | null = null;
  let choices = 0;
  if (Array.isArray(r.choices)) {
    for (const c of r.choices) {
      if (!isObj(c)) continue;
      choices++;
      if (finishReason === null && typeof c.finish_reason === 'string') finishReason = c.finish_reason;
      if (typeof c.text === 'string') texts.push(c.text);
      if (isObj(c.message) && typeof c.message.content === 'string') texts.push(c.message.content);
    }
  } else if (endpoint === 'responses' && Array.isArray(r.output)) {
    choices = 1;
    finishReason = typeof r.status === 'string' ? r.status : null;
    for (const item of r.output) {
      if (isObj(item) && Array.isArray(item.content)) {
        for (const part of item.content)
          if (isObj(part) && typeof part.text === 'string') texts.push(part.text);
      }
    }
  } else if (endpoint === 'embeddings' && Array.isArray(r.data)) {
    choices = r.data.length;
  }
  const usage = isObj(r.usage) ? r.usage : {};
  const details = isObj(usage.completion_tokens_details)
    ? usage.completion_tokens_details
    : isObj(usage.output_tokens_details)
      ? usage.output_tokens_details
      : {};
  const out: OutputFeatures = {
    tokens: opts.completionTokens ?? num(usage.completion_tokens) ?? num(usage.output_tokens) ?? 0,
    reasoningTokens: num(details.reasoning_tokens) ?? 0,
    finishReason,
    choices,
  };
  if (opts.storeText && texts.length > 0) out.text = texts.join('\n');
  return out;
}

/** Client fingerprint: a hash of the user agent and the SDK headers, null when neither was sent. */
export function fingerprintOf(userAgent: string | null, sdk: Record<string, string>): string | null {
  const keys = Object.keys(sdk).sort();
  if (!userAgent && keys.length === 0) return null;
  const parts = [userAgent ?? '', ...keys.map((k) => `${k}=${sdk[k]}`)];
  return hash64(parts.join('\n'));
}

/** Picks the x-stainless-* SDK headers out of a header map (names lower-cased). */
export function sdkHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-stainless-') || value === undefined) continue;
    if (lower === 'x-stainless-retry-count' || lower === 'x-stainless-timeout') continue;
    out[lower] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

/** Words of a text (re-exported for signals that need the same tokenisation as MinHash). */
export { words };
