/**
 * @module events/features
 * The one feature extractor. The gateway, `distillguard analyze`, `POST /admin/ingest` and the
 * simulator all turn requests into features here, so the engine cannot tell live traffic from a
 * replayed log. Features are cheap summaries (hashes, flags, counts, a MinHash signature):
 * the raw text leaves this module only when `storeText` is on.
 */
import { hash64, hash64Units } from './hash.js';
import { minhash, words } from './minhash.js';
import {
  DOMAIN_HEAD,
  DOMAIN_RULES,
  probeText,
  SEEN_ALL,
  SEEN_AT,
  SEEN_BACKTICK,
  SEEN_COLON,
  SEEN_DIGIT,
  SEEN_QUOTE,
} from './probes.js';
import { isObj, type Obj, promptParts, UnitBuffer } from './text.js';
import { countTokens } from './tokens.js';
import type { Domain, Endpoint, OutputFeatures, PromptFeatures, RequestParams } from './types.js';

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
 * when the text holds none of them, the pass is skipped (same result, no regex scan). Each also
 * names the SEEN_* bit of a character every match holds (see `skeletonHashes`).
 */
const SLOT_RULES: Array<[RegExp, string, readonly string[] | null, number]> = [
  [/```[\s\S]*?```/g, ' ‹code› ', ['```'], SEEN_BACKTICK],
  [/https?:\/\/\S+/g, ' ‹url› ', ['http'], SEEN_COLON],
  [/[\w.+-]+@[\w-]+\.[\w.]+/g, ' ‹email› ', ['@'], SEEN_AT],
  [
    /"[^"\n]{1,200}"|“[^”\n]{1,200}”|'[^'\n]{2,200}'|`[^`\n]{1,200}`/g,
    ' ‹quote› ',
    ['"', '“', "'", '`'],
    SEEN_QUOTE,
  ],
  [/[-+]?\d[\d,_.]*(e[-+]?\d+)?%?/gi, ' ‹num› ', null, SEEN_DIGIT],
];

/** Index of the number rule in SLOT_RULES (the last), which `foldNamesLower` applies itself. */
const NUM_RULE = SLOT_RULES.length - 1;
const NUM_SLOT = SLOT_RULES[NUM_RULE]![1];

/**
 * The last slot rule: a capitalised word that does not start a sentence is a name slot. As a
 * regular expression, `/\p{Lu}(?<=[^.!?:\n\s]\s+\p{Lu})[\p{L}'-]+/gu`; `replaceNames` finds the
 * same matches with one pass over the code points, several times faster than the expression.
 */
export const NAME_RULE = /\p{Lu}(?<=[^.!?:\n\s]\s+\p{Lu})[\p{L}'-]+/gu;
const NAME_SLOT = ' ‹name› ';

/**
 * Classes of code points, by the same Unicode tables as the expressions, remembered: a table for
 * the Basic Multilingual Plane (0 = not yet known, else the class bits plus KNOWN), a map above it.
 */
const UPPER = 1;
const LETTER = 2;
const SPACE = 4;
const KNOWN = 8;
const bmpClass = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();
function classOf(cp: number): number {
  if (cp < 0x10000) {
    const known = bmpClass[cp]!;
    if (known !== 0) return known;
    const c = lookUpClass(cp) | KNOWN;
    bmpClass[cp] = c;
    return c;
  }
  let c = astralClass.get(cp);
  if (c === undefined) {
    c = lookUpClass(cp);
    if (astralClass.size < 65536) astralClass.set(cp, c);
  }
  return c;
}
function lookUpClass(cp: number): number {
  const ch = String.fromCodePoint(cp);
  return (
    (/^\p{Lu}$/u.test(ch) ? UPPER : 0) | (/^\p{L}$/u.test(ch) ? LETTER : 0) | (/^\s$/u.test(ch) ? SPACE : 0)
  );
}

/** `text.replace(NAME_RULE, NAME_SLOT)`. */
export function replaceNames(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const unit = text.charCodeAt(i);
    // Most characters are ASCII other than a capital: they cannot start a name.
    if (unit < 65 || (unit > 90 && unit < 128)) {
      i++;
      continue;
    }
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

function mayMatch(text: string, needles: readonly string[] | null): boolean {
  if (needles === null) return true;
  for (let i = 0; i < needles.length; i++) if (text.includes(needles[i]!)) return true;
  return false;
}

/**
 * The template skeleton of a prompt: lower-cased, slot-like spans (code, urls, emails,
 * quoted strings, numbers, names) replaced by placeholders, whitespace folded.
 */
export function skeleton(text: string): string {
  let s = text.length > SKELETON_CHARS ? text.slice(0, SKELETON_CHARS) : text;
  for (const [re, slot, needles] of SLOT_RULES) if (mayMatch(s, needles)) s = s.replace(re, slot);
  return replaceNames(s).toLowerCase().replace(FOLD, ' ').trim();
}

/** The skeleton being built by `skeletonHashes`, as UTF-16 code units (grown when a text needs it). */
let units = new Uint16Array(4 * SKELETON_CHARS + 64);

/**
 * `hash64(skeleton(text))` and `hash64(frame(skeleton(text)))`, in one walk after the slot rules
 * (names, lower case, whitespace folding, trimming and both hashes) without building the skeleton.
 * The walk lower-cases code point by code point (`lowerInto`), which equals lower-casing the
 * whole text except where the lower case depends on the context: capital sigma's does, so a
 * text with one takes `skeleton` itself. `seen`: the SEEN_* bits of the characters in `text`
 * (`probeText` finds them), or SEEN_ALL when not known; a slot rule whose character is not
 * seen is skipped.
 */
export function skeletonHashes(text: string, seen = SEEN_ALL): { skeletonHash: string; frameHash: string } {
  let s = text.length > SKELETON_CHARS ? text.slice(0, SKELETON_CHARS) : text;
  // All rules but the last (numbers), which the fold walk applies as it goes.
  for (let r = 0; r < NUM_RULE; r++) {
    const [re, slot, needles, mark] = SLOT_RULES[r]!;
    if ((seen & mark) !== 0 && mayMatch(s, needles)) s = s.replace(re, slot);
  }
  if (s.includes('Σ')) {
    const [re, slot, , mark] = SLOT_RULES[NUM_RULE]!;
    if ((seen & mark) !== 0) s = s.replace(re, slot);
    const skel = replaceNames(s).toLowerCase().replace(FOLD, ' ').trim();
    return { skeletonHash: hash64(skel), frameHash: hash64(frame(skel)) };
  }
  // A name slot (8 units) replaces at least two units; a unit lower-cases to at most three.
  if (units.length < 4 * s.length + 64) units = new Uint16Array(4 * s.length + 64);
  const len = foldNamesLower(s, units);
  const skeletonHash = hash64Units(units, 0, len);
  return { skeletonHash, frameHash: frameHashOf(units, len, skeletonHash) };
}

/**
 * Lower case of BMP code units, remembered (0: not yet known; MANY_UNITS: more than one unit,
 * `İ` alone). Lower case of one code point never depends on its neighbours but for capital sigma.
 */
const bmpLower = new Uint16Array(0x10000);
const MANY_UNITS = 0xffff;
const astralLower = new Map<number, string>();

/**
 * Appends the lower case of the code point of `s` at `i` (`width` units) to `out` from `len`,
 * whitespace folded (`space` as in `foldNamesLower`); returns the new length, negated when a
 * whitespace was seen (so the caller learns both in one number without an allocation).
 */
function lowerInto(
  s: string,
  i: number,
  width: number,
  out: Uint16Array,
  len: number,
  space: boolean,
): number {
  if (width === 2) {
    const cp = s.codePointAt(i)!;
    let l = astralLower.get(cp);
    if (l === undefined) {
      l = String.fromCodePoint(cp).toLowerCase();
      if (astralLower.size < 65536) astralLower.set(cp, l);
    }
    // Astral code points are neither whitespace nor lower-case to it.
    if (space) out[len++] = 32;
    for (let k = 0; k < l.length; k++) out[len++] = l.charCodeAt(k);
    return len;
  }
  const unit = s.charCodeAt(i);
  let u = bmpLower[unit]!;
  if (u === 0) {
    const l = String.fromCharCode(unit).toLowerCase();
    u = l.length === 1 ? l.charCodeAt(0) : MANY_UNITS;
    if (unit !== 0) bmpLower[unit] = u;
  }
  if (u === MANY_UNITS) {
    const l = String.fromCharCode(unit).toLowerCase();
    if (space) out[len++] = 32;
    for (let k = 0; k < l.length; k++) out[len++] = l.charCodeAt(k);
    return len;
  }
  if (u === 32 || (u >= 9 && u <= 13) || (u >= 128 && (classOf(u) & SPACE) !== 0)) return -len - 1;
  if (space) out[len++] = 32;
  out[len++] = u;
  return len;
}

/** The code units of the text `foldNamesLower` walks (see `UnitBuffer`). */
const foldUnits = new UnitBuffer();

/** Printable ASCII units a fold walk copies as they are: not a capital, space, digit or sign. */
const PLAIN = Uint8Array.from({ length: 128 }, (_, c) =>
  c > 32 && c < 127 && !(c >= 65 && c <= 90) && !(c >= 48 && c <= 57) && c !== 43 && c !== 45 ? 1 : 0,
);

const isDigit = (u: number) => u >= 48 && u <= 57;

/**
 * Writes `replaceNames(s.replace(NUMBER, NUM_SLOT)).toLowerCase().replace(FOLD, ' ').trim()`
 * into `out` and returns its length, for an `s` without capital sigma (NUMBER: the number slot
 * rule's expression, whose matches this walk finds itself: `numberEnd`). Name matching is
 * `replaceNames`'s on the text with numbers replaced: see `nameMayStartAfter` and `nameEndBefore`.
 */
function foldNamesLower(s: string, out: Uint16Array): number {
  const input = foldUnits.load(s);
  let len = 0;
  // A whitespace run seen since the last kept unit: one space, unless at the start or the end.
  let space = false;
  // Where the last number replaced ended (-1: none yet).
  let numEnd = -1;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const unit = input[i]!;
    // Most characters are ASCII other than a capital: they cannot start a name.
    if (!(unit < 65 || (unit > 90 && unit < 128))) {
      const pair = unit >= 0xd800 && unit <= 0xdbff ? s.codePointAt(i)! : unit;
      const width = pair > 0xffff ? 2 : 1;
      const end =
        (classOf(pair) & UPPER) === 0 || !nameMayStartAfter(s, i, numEnd)
          ? i
          : nameEndBefore(s, input, i + width);
      if (end > i + width) {
        len = putSlot(out, len, NAME_SLOT);
        space = true;
        i = end;
        continue;
      }
      // Not a name: the code point is kept, lower-cased, like any other.
      const next = lowerInto(s, i, width, out, len, space);
      if (next < 0) space = len > 0;
      else {
        len = next;
        space = false;
      }
      i += width;
      continue;
    }
    // An ASCII unit other than a capital: lower-casing keeps it.
    if (unit === 32 || (unit >= 9 && unit <= 13)) {
      space = len > 0;
      i++;
      continue;
    }
    // A number (`[-+]?\d…`) starts at a digit, or at a sign before one.
    if (isDigit(unit) || ((unit === 43 || unit === 45) && i + 1 < n && isDigit(input[i + 1]!))) {
      len = putSlot(out, len, NUM_SLOT);
      space = true;
      i = numEnd = numberEnd(input, i + 1, n);
      continue;
    }
    if (space) {
      out[len++] = 32;
      space = false;
    }
    out[len++] = unit;
    // The rest of a run of plain units (most of a prompt), copied in a tight loop: nothing in
    // it folds, lower-cases, starts a name or a number.
    while (++i < n) {
      const u = input[i]!;
      if (u >= 128 || PLAIN[u] === 0) break;
      out[len++] = u;
    }
  }
  return len;
}

/**
 * Appends `slot` (' ‹…› ') to `out` from `len` with its spaces folded: the leading one pending
 * after any kept unit, the trailing one left to the caller (`space = true`). Returns the length.
 */
function putSlot(out: Uint16Array, len: number, slot: string): number {
  if (len > 0) out[len++] = 32;
  for (let k = 1; k < slot.length - 1; k++) out[len++] = slot.charCodeAt(k);
  return len;
}

/**
 * End of the match of the number rule `[-+]?\d[\d,_.]*(e[-+]?\d+)?%?` (flags `gi`) whose
 * first digit is at `from - 1`: the digits, commas, underscores and dots after it, an exponent
 * if one follows whole, and a percent sign.
 */
function numberEnd(input: Uint16Array, from: number, n: number): number {
  let i = from;
  while (i < n) {
    const u = input[i]!;
    if (!(isDigit(u) || u === 44 || u === 95 || u === 46)) break;
    i++;
  }
  if (i < n && (input[i] === 101 || input[i] === 69)) {
    let j = i + 1;
    if (j < n && (input[j] === 43 || input[j] === 45)) j++;
    if (j < n && isDigit(input[j]!)) {
      while (j < n && isDigit(input[j]!)) j++;
      i = j;
    }
  }
  if (i < n && input[i] === 37) i++;
  return i;
}

/**
 * `nameMayStart` in the text with numbers replaced: there, a number that ends (`numEnd`) where
 * the whitespace before `i` starts (or at `i`) is a slot ending in ' ›' plus a space, so a name
 * may start whatever `s` holds there.
 */
function nameMayStartAfter(s: string, i: number, numEnd: number): boolean {
  let j = i - 1;
  while (j >= 0 && (classOf(s.charCodeAt(j)) & SPACE) !== 0) j--;
  if (j + 1 === numEnd) return true;
  if (j === i - 1 || j < 0) return false;
  const c = s.charCodeAt(j);
  return c !== 46 && c !== 33 && c !== 63 && c !== 58;
}

/**
 * `nameEnd` in the text with numbers replaced: a hyphen before a digit starts a number there
 * (a slot, which begins with a space), so the name stops before it.
 */
function nameEndBefore(s: string, input: Uint16Array, from: number): number {
  let end = from;
  while (end < s.length) {
    const c = s.codePointAt(end)!;
    if (c === 45 && end + 1 < s.length && isDigit(input[end + 1]!)) break;
    if (c !== 39 && c !== 45 && (classOf(c) & LETTER) === 0) break;
    end += c > 0xffff ? 2 : 1;
  }
  return end;
}

/**
 * `hash64(frame(skeleton))` for a skeleton held as `units[0..len)` whose own hash is
 * `whole`: a skeleton of few words is its own frame.
 */
function frameHashOf(units: Uint16Array, len: number, whole: string): string {
  let head = -1;
  for (let k = 0; k < FRAME_HEAD; k++) {
    head = indexOfSpace(units, head + 1, len);
    if (head === -1) return whole;
  }
  let tail = len;
  for (let k = 0; k < FRAME_TAIL; k++) {
    if (tail <= 0) return whole;
    tail = lastIndexOfSpace(units, tail - 1);
    if (tail === -1) return whole;
  }
  if (tail <= head) return whole;
  return hash64Units(units, 0, head, ' … ', tail + 1, len);
}

function indexOfSpace(units: Uint16Array, from: number, len: number): number {
  for (let i = from; i < len; i++) if (units[i] === 32) return i;
  return -1;
}

function lastIndexOfSpace(units: Uint16Array, from: number): number {
  for (let i = from; i >= 0; i--) if (units[i] === 32) return i;
  return -1;
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

interface DomainContext {
  images: number;
  grading: boolean;
  tools: number;
  multiTurn: boolean;
}

/**
 * Coarse capability the prompt exercises: vision or grading by the request, else by the keyword
 * lexicon (DOMAIN_RULES, ordered: first match in the head of the last user turn wins), given as
 * the index of the first rule that matches (`probeText`'s `domainRule`, -1: none); a request that
 * offers tools is `tool_use` only when its task matches no rule (engine 1.7.0): a harness that
 * sweeps coding, math and research tasks through tools sweeps those capabilities, and an agent
 * product's tasks stay in its own domain.
 */
function domainFrom(rule: number, text: string, p: DomainContext): Domain {
  if (p.images > 0) return 'vision';
  if (p.grading) return 'grading';
  if (p.tools > 0 && rule < 0) return 'tool_use';
  if (rule >= 0) return DOMAIN_RULES[rule]![0];
  return domainWithoutLexicon(text.length > DOMAIN_HEAD ? text.slice(0, DOMAIN_HEAD) : text, p);
}

function domainWithoutLexicon(head: string, p: DomainContext): Domain {
  if (p.multiTurn) return 'chat';
  if (/\?\s*$/.test(head)) return 'qa';
  return 'other';
}

export function extractPromptFeatures(
  endpoint: Endpoint,
  body: unknown,
  params: Pick<RequestParams, 'tools'>,
  opts: ExtractOptions,
): PromptFeatures {
  const t = promptParts(endpoint, body);
  const f = textFeatures(t.system, t.lastUser);
  const grading = f.grading;
  const features: PromptFeatures = {
    chars: t.chars,
    tokens: opts.countTokens === false ? 0 : countTokens(t.texts.join('\n')),
    messages: t.messages,
    userTurns: t.userTurns,
    assistantTurns: t.assistantTurns,
    assistantChars: t.assistantChars,
    historyChars: t.historyChars,
    toolMessages: t.toolMessages,
    images: t.images,
    systemHash: f.systemHash,
    skeletonHash: f.skeletonHash,
    frameHash: f.frameHash,
    // A remembered signature is shared with the memo: each event gets its own copy.
    minhash: f.shared ? f.minhash.slice() : f.minhash,
    cot: f.cot,
    grading,
    domain: domainFrom(f.domainRule, t.lastUser, {
      images: t.images,
      grading,
      tools: params.tools,
      multiTurn: t.assistantTurns > 0 || t.continues,
    }),
  };
  if (t.continues) features.ownTokens = features.tokens > 0 ? features.tokens : textTokenEstimate(t.texts);
  if (opts.storeText) {
    features.text = t.lastUser;
    if (t.system) features.systemText = t.system;
  }
  return features;
}

/** Code units from which a character counts as a token of its own (CJK, kana, Hangul and beyond). */
const WIDE_FROM = 0x2e80;

/**
 * Tokens of `texts` estimated without a tokenizer: a character from U+2E80 up (Chinese, Japanese,
 * Korean) one token each, other characters four to a token, as OpenAI's tokenizers average on
 * English. For the short own text of a request whose usage is known but whose context is not.
 */
export function textTokenEstimate(texts: readonly string[]): number {
  let wide = 0;
  let narrow = 0;
  for (const text of texts)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // A surrogate pair is one character: its low half is not counted again.
      if (c >= 0xdc00 && c <= 0xdfff) continue;
      if (c >= WIDE_FROM) wide++;
      else narrow++;
    }
  return wide + Math.ceil(narrow / 4);
}

/**
 * The prompt features that depend on the system prompt and the last user turn alone (the probe
 * text is the two joined, so the pair is the key, not either part).
 */
interface TextFeatures
  extends Pick<PromptFeatures, 'systemHash' | 'skeletonHash' | 'frameHash' | 'minhash' | 'cot' | 'grading'> {
  /** `Probes.domainRule`: the domain still depends on images, tools and turns. */
  domainRule: number;
  /** True when the memo holds this object (its `minhash` must not be handed out as is). */
  shared: boolean;
}

function computeTextFeatures(system: string, user: string, systemHash: string | null): TextFeatures {
  const probes = probeText(system, user);
  const skel = skeletonHashes(user, probes.seen);
  return {
    systemHash,
    skeletonHash: skel.skeletonHash,
    frameHash: skel.frameHash,
    minhash: probes.minhash ?? minhash(user),
    cot: probes.cot,
    grading: probes.grading,
    domainRule: probes.domainRule,
    shared: false,
  };
}

/**
 * Memo of text features by exact strings. Logs repeat a few system prompts on every line and
 * short user turns ("Can you make it shorter?") on many: a quarter of the standard log's lines
 * repeat a (system, user) pair seen in the previous few thousand. Long turns rarely repeat, so
 * they are not kept (nor hashed for the look-up). Bounded: when full, the memo starts over,
 * so memory stays flat on any log.
 */
const MAX_CACHED_USER = 256;
const MAX_CACHED_SYSTEM = 4096;
const MAX_SYSTEMS = 512;
const MAX_PAIRS = 8192;
interface SystemEntry {
  systemHash: string | null;
  users: Map<string, TextFeatures>;
}
const bySystem = new Map<string, SystemEntry>();
let pairs = 0;

/**
 * Off by default. The memo keeps recent system prompts and short user turns in this process's
 * memory, which the gateway must not do (prompts are kept only when `store_prompts` says so);
 * `distillguard analyze` turns it on in its parse threads, whose input is a log that holds the
 * prompts anyway.
 */
let memoOn = false;

/** Turns the text-feature memo on or off (off empties it). The client memo (user agents and SDK
 * headers, no prompt text) is always on. */
export function rememberTextFeatures(on: boolean): void {
  memoOn = on;
  if (!on) {
    bySystem.clear();
    pairs = 0;
  }
}

/** How much the text-feature memo holds (prompt strings are kept only while it is on). */
export function textMemoSize(): { systems: number; pairs: number } {
  return { systems: bySystem.size, pairs };
}

function textFeatures(system: string, user: string): TextFeatures {
  if (!memoOn || system.length > MAX_CACHED_SYSTEM)
    return computeTextFeatures(system, user, systemHashOf(system));
  if (pairs >= MAX_PAIRS || bySystem.size >= MAX_SYSTEMS) clearFeatureCaches();
  let entry = bySystem.get(system);
  if (entry === undefined) {
    entry = { systemHash: systemHashOf(system), users: new Map() };
    bySystem.set(system, entry);
  }
  if (user.length > MAX_CACHED_USER) return computeTextFeatures(system, user, entry.systemHash);
  let f = entry.users.get(user);
  if (f === undefined) {
    f = computeTextFeatures(system, user, entry.systemHash);
    f.shared = true;
    entry.users.set(user, f);
    pairs++;
  }
  return f;
}

const systemHashOf = (system: string) => (system ? hash64(system.trim()) : null);

/** Empties the memos of this module (text features, clients): tests and benchmarks start cold. */
export function clearFeatureCaches(): void {
  bySystem.clear();
  pairs = 0;
  clients.clear();
  clientCount = 0;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Whether a body asks the API to return the model's reasoning, in any of the dialects we know. */
function asksForReasoning(b: Obj): boolean {
  const summary = isObj(b.reasoning) ? b.reasoning.summary : undefined;
  if (typeof summary === 'string' && summary !== 'none') return true;
  if (b.include_reasoning === true) return true;
  if (isObj(b.chat_template_kwargs) && b.chat_template_kwargs.enable_thinking === true) return true;
  return isObj(b.thinking) && b.thinking.type === 'enabled';
}

/** Sampling and extraction-relevant parameters of a request body. */
export function extractParams(endpoint: Endpoint, body: unknown): RequestParams {
  const b = isObj(body) ? body : {};
  const bias = isObj(b.logit_bias) ? Object.values(b.logit_bias) : [];
  const reasoning = isObj(b.reasoning) ? b.reasoning.effort : b.reasoning_effort;
  const text = isObj(b.text) && isObj(b.text.format) ? b.text.format.type : undefined;
  const legacyLogprobs = endpoint === 'completions' ? num(b.logprobs) : null;
  const topLogprobs = num(b.top_logprobs) ?? legacyLogprobs ?? 0;
  const tools = Array.isArray(b.tools) ? b.tools : Array.isArray(b.functions) ? b.functions : [];
  const params: RequestParams = {
    maxTokens: num(b.max_completion_tokens) ?? num(b.max_tokens) ?? num(b.max_output_tokens),
    n: num(b.n) ?? 1,
    temperature: num(b.temperature),
    topP: num(b.top_p),
    logprobs: b.logprobs === true || (legacyLogprobs ?? 0) > 0 || topLogprobs > 0,
    topLogprobs,
    logitBiasSize: bias.length,
    logitBiasMaxAbs: bias.reduce<number>((m, v) => Math.max(m, Math.abs(num(v) ?? 0)), 0),
    tools: tools.length,
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
  if (asksForReasoning(b)) params.reasoningShown = true;
  if (tools.length > 0) params.toolsHash = toolSetHash(tools);
  return params;
}

/**
 * Hash of a tool set: each tool's name and parameter schema (chat `{type, function: {name,
 * parameters}}`, responses `{type, name, parameters}`, legacy `functions`; a built-in tool by its
 * type), sorted, so the order of the list and the descriptions do not matter. A harness or product
 * offers one set on every request; a set shared by few orgs links their keys.
 */
export function toolSetHash(tools: readonly unknown[]): string {
  const parts: string[] = [];
  for (const t of tools) {
    const def = isObj(t) && isObj(t.function) ? t.function : t;
    if (!isObj(def)) continue;
    const name =
      typeof def.name === 'string' ? def.name : isObj(t) && typeof t.type === 'string' ? t.type : '?';
    parts.push(`${name}:${JSON.stringify(def.parameters ?? null)}`);
  }
  return hash64(parts.sort().join('\n'));
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
    finishReason = responsesFinish(r);
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

/**
 * A Responses API answer's finish reason in chat-completions terms: `completed` is `stop`, and an
 * answer cut at `max_output_tokens` is `length` (engine 1.9.0; the raw status before); other
 * statuses and reasons are kept as they are.
 */
function responsesFinish(r: Obj): string | null {
  if (r.status === 'completed') return 'stop';
  if (r.status === 'incomplete') {
    const reason = isObj(r.incomplete_details) ? r.incomplete_details.reason : undefined;
    if (reason === 'max_output_tokens') return 'length';
    return typeof reason === 'string' ? reason : 'incomplete';
  }
  return typeof r.status === 'string' ? r.status : null;
}

/** Client fingerprint: a hash of the user agent and the SDK headers, null when neither was sent. */
export function fingerprintOf(userAgent: string | null, sdk: Record<string, string>): string | null {
  const keys = Object.keys(sdk).sort();
  if (!userAgent && keys.length === 0) return null;
  const parts = [userAgent ?? '', ...keys.map((k) => `${k}=${sdk[k]}`)];
  return hash64(parts.join('\n'));
}

/** A client seen before: its user agent (the map's key), headers in order, and what they give. */
interface Client {
  names: string[];
  values: string[];
  sdk: Record<string, string>;
  fingerprint: string | null;
}
/** Clients by user agent ('' for none). Logs come from a few hundred clients; bounded like the text memo. */
const clients = new Map<string, Client[]>();
let clientCount = 0;
const MAX_CLIENTS = 1024;

/**
 * `sdkHeaders(headers)` and `fingerprintOf(userAgent, sdk)`, remembered by the user agent and
 * the header names and values in order (which decide both). The sdk object is a fresh copy.
 */
export function clientOf(
  userAgent: string | null,
  headers: Record<string, string> | undefined,
): { sdk: Record<string, string>; fingerprint: string | null } {
  const h = headers ?? {};
  const ua = userAgent ?? '';
  let known = clients.get(ua);
  if (known !== undefined) {
    for (let i = 0; i < known.length; i++) {
      const c = known[i]!;
      if (sameHeaders(c, h)) return { sdk: { ...c.sdk }, fingerprint: c.fingerprint };
    }
  }
  const sdk = sdkHeaders(h);
  const fingerprint = fingerprintOf(userAgent, sdk);
  if (clientCount >= MAX_CLIENTS) {
    clients.clear();
    clientCount = 0;
    known = undefined;
  }
  const names: string[] = [];
  const values: string[] = [];
  for (const name in h) {
    names.push(name);
    values.push(h[name]!);
  }
  const c: Client = { names, values, sdk, fingerprint };
  if (known === undefined) clients.set(ua, [c]);
  else known.push(c);
  clientCount++;
  return { sdk: { ...sdk }, fingerprint };
}

function sameHeaders(c: Client, headers: Record<string, string>): boolean {
  let k = 0;
  for (const name in headers) {
    if (k === c.names.length || c.names[k] !== name || c.values[k] !== headers[name]) return false;
    k++;
  }
  return k === c.names.length;
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
