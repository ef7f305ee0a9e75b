/**
 * @module events/probes
 * The keyword probes of a prompt: chain-of-thought elicitation, grading requests and the domain
 * lexicon. The regular expressions below are the definition; `probeText` gives the same answers
 * with one pass over the text instead of a scan per expression.
 *
 * How: every expression here can only start a match at a few kinds of places, all tied to an
 * ASCII word (a maximal run of `[A-Za-z0-9_]`, the words of `\b` without the `u` flag): the start
 * of a word from a short list (`\b(show|explain|…)`), one character before it (`<think`), or
 * four or five characters before the end of a word ending in `step` or `chain`. One pass finds
 * the words, and the expression runs anchored (sticky) only at those places. An expression
 * matches the text exactly when it matches anchored at one of the places where a match can
 * start, so the answers are the same; a hash collision only adds a needless anchored try.
 *
 * The expressions for other languages than English (`COT_OTHER_LANGUAGES`,
 * `GRADING_OTHER_LANGUAGES`) are tried whole, and only on texts where one can match: a text with
 * one of the characters outside ASCII that they name (in any case: every alternative of theirs
 * that can match such a character names one), or with one of the ASCII words at which their
 * matches written in ASCII alone begin (`COT_OTHER_HINTS`, `GRADING_OTHER_HINTS`). A random-text
 * test checks the scan against the expressions. Curly quotes, dashes or emoji in an English text
 * open no try.
 */
import { fmix32 } from './hash.js';
import {
  addShingle,
  clearShingles,
  isWordCodePoint,
  MAX_WORDS,
  SHINGLE_SEED,
  shingledSignature,
} from './minhash.js';
import { UnitBuffer } from './text.js';
import type { Domain } from './types.js';

/** Chain-of-thought elicitation in English: the expressions the word scan anchors. */
const COT_ENGLISH = [
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

/**
 * Chain-of-thought elicitation in other languages (Chinese, Japanese, Korean, Russian, Ukrainian,
 * Spanish, Portuguese, Italian, French, German, Dutch, Polish): "step by step", "chain of
 * thought", "reasoning process", "internal reasoning", "your reasoning". Written from the same
 * ideas as the English list, not from any data set. Without the `u` flag, as the English ones:
 * `\b` is an ASCII word boundary, and case folding still covers Cyrillic and accented letters.
 */
export const COT_OTHER_LANGUAGES = [
  /\b(paso a paso|passo a passo|passo dopo passo|stap voor stap|schritt f(ü|ue|u)r schritt|krok (po|za) kroku?)\b/i,
  /étape par étape|шаг за шагом|пошагов|крок за кроком|一步一步|一步步|逐步(推理|思考|分析|解释|说明|推导)|ステップバイステップ|段階的に(考|説明|推論|解)|一歩ずつ|順を追って|단계별로|차근차근|단계적으로/i,
  /\b(cadena|cadeia|catena|cha[iî]ne)( \S+)? d[ei] (pensamiento|pensamento|pensiero|pens[ée]e|razonamiento|racioc[ií]nio|ragionamento|raisonnement)/i,
  /\b(proceso|processo|processus)( \S+)? d[eiu] (pensamiento|pensamento|pensiero|pens[ée]e|razonamiento|racioc[ií]nio|ragionamento|raisonnement)/i,
  /\b(gedankengang|gedankenkette|denkkette|denkprozess|denkschritte|argumentationskette|redeneerproces|denkproces)(s|es|n|en)?\b/i,
  /\b(tu|su|seu|teu|il tuo|ton|votre|deinen|ihren|jouw|uw|tw[óo]j) (razonamiento|racioc[ií]nio|ragionamento|raisonnement|rozumowanie|redenering)/i,
  /\b(razonamiento|racioc[ií]nio|ragionamento|raisonnement|rozumowanie) (interno|interior|interne|completo|complet|detallado|detalhado|dettagliato|d[ée]taill[ée]|wewn[eę]trzne)/i,
  /思维链|推理(过程|步骤|链)|思考过程|内部(推理|思考)|思考の(過程|プロセス|連鎖)|推論の(過程|流れ|ステップ)|推論(過程|ステップ)|思考プロセス|추론 과정|사고 과정|생각의 사슬|цепочк[а-яё]* (рассуждени|мысл)|ход (свои[хм] |ваших |твоих )?(рассуждени|мысл)|(шаги|этапы) рассуждени|внутренн[а-яё]* (рассуждени|ход|процесс)|хід (міркувань|думок)/i,
];

/** ASCII words at which a match of `COT_OTHER_LANGUAGES` written in ASCII alone can begin. */
export const COT_OTHER_HINTS = [
  ...'paso passo stap schritt krok cadena cadeia catena chaine proceso processo processus'.split(' '),
  ...'gedankengang gedankenkette denkkette denkprozess denkschritte argumentationskette redeneerproces denkproces'
    .split(' ')
    .flatMap((stem) => ['', 's', 'es', 'n', 'en'].map((ending) => stem + ending)),
  ...'tu su seu teu il ton votre deinen ihren jouw uw twoj razonamiento raciocinio'.split(' '),
  ...'ragionamento raisonnement rozumowanie'.split(' '),
];

/** Chain-of-thought elicitation: the definition (English, then other languages). */
export const COT_PATTERNS = [...COT_ENGLISH, ...COT_OTHER_LANGUAGES];

/** Grading requests in English: the expressions the word scan anchors. */
const GRADING_ENGLISH = [
  /\brubric\b/i,
  /\b(grade|score|rate|evaluate|judge|assess)\b.{0,80}\b(response|answer|completion|output|submission|essay|assistant)s?\b/i,
  /\bon a scale (of|from) \d+\s*(to|-|–)\s*\d+/i,
  /\bwhich (response|answer|completion|output) is (better|more helpful|preferred)/i,
  /\b(response|assistant|answer) [AB12]\b.{0,200}\b(response|assistant|answer) [AB12]\b/is,
  /\breward (model|score)\b/i,
];

/** Grading requests in the other languages of `COT_OTHER_LANGUAGES`: rubrics, scales, "which answer is better", "grade the answer". */
export const GRADING_OTHER_LANGUAGES = [
  /评分标准|评分细则|打分|哪个(回答|答案|回复)更好|ルーブリック|採点|評価基準|どちらの(回答|応答)|채점|평가 기준|어느 답변이 더|критери[а-яё]* оценк|по шкале от \d+ до \d+|как(ой|ая) (из )?(ответ|отве)[а-яё]* лучше|оцени(те)? ответ/i,
  // A bare "rubrica" or "Rubrik" is also a column, a heading or an address book: only grading ones count.
  /\b(r[úu]brica|rubriek)( \S+)? (de|di|voor) (evaluaci[óo]n|avalia[çc][ãa]o|valutazione|beoordeling|correcci[óo]n)|\bgrille d'[ée]valuation|\bbewertungsrasters?\b/i,
  /\b(en una|numa|su una|auf einer|sur une|op een|w) (escala|scala|skala|[ée]chelle|schaal) (del?|von|da|van|od) \d+ (a|bis|à|tot|do) \d+/i,
  /\b(qu[ée] respuesta es mejor|qual resposta [ée] melhor|quale risposta [èe] migliore|quelle r[ée]ponse est (la )?meilleure|welche antwort ist besser|welk antwoord is beter)/i,
  /\b(califica|eval[úu]a|punt[úu]a|avalie|valuta|bewerte|beurteile|[ée]value|note|beoordeel|oce[nń]) (la |a |die |de |het )?(respuesta|resposta|risposta|antwort|r[ée]ponse|antwoord|odpowied[zź])/i,
];

/** ASCII words at which a match of `GRADING_OTHER_LANGUAGES` written in ASCII alone can begin. */
export const GRADING_OTHER_HINTS = [
  ...'rubrica rubriek grille bewertungsraster bewertungsrasters en numa su auf sur op w que qual quale quelle welche welk'.split(
    ' ',
  ),
  ...'califica evalua puntua avalie valuta bewerte beurteile evalue note beoordeel ocen'.split(' '),
];

/** Grading requests: the definition (English, then other languages). */
export const GRADING_PATTERNS = [...GRADING_ENGLISH, ...GRADING_OTHER_LANGUAGES];

/** Domain lexicon, ordered: the first rule that matches names the domain. */
export const DOMAIN_RULES: Array<[Domain, RegExp]> = [
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

/** The domain lexicon is read in the first characters of the last user turn only. */
export const DOMAIN_HEAD = 1500;

/**
 * Where each expression can start a match (see the module comment), by list and index:
 * `words` are ASCII words (lower case) at whose start (plus `shift`) a match can begin;
 * `suffixes` are endings of a word at which one can begin. `follow` names, for some of the
 * words, the one character every match has right after the word (the space of `\bin (french|…)`,
 * the `>` of `<think>`), then, if any, the characters one of which every match has next, in lower
 * case (the initials of the languages after `in `): a word followed otherwise is not tried. The
 * expressions are case-insensitive without the `u` flag, so no character outside ASCII matches
 * an ASCII letter there.
 */
interface Places {
  words?: readonly string[];
  shift?: number;
  suffixes?: readonly string[];
  follow?: Readonly<Record<string, string>>;
}
const COT_PLACES: Places[] = [
  { suffixes: ['step'] },
  { suffixes: ['chain'] },
  { words: ['internal', 'inner', 'hidden', 'full', 'complete', 'detailed'] },
  {
    words: ['show', 'explain', 'articulate', 'reveal', 'walk', 'write', 'describe', 'lay', 'outline'],
    follow: { walk: ' mt', write: ' o', lay: ' o' },
  },
  { words: ['reasoning'], follow: { reasoning: ' tspc' } },
  { words: ['think'], follow: { think: ' aoct' } },
  { words: ['let', 'lets'], follow: { let: "'s", lets: ' t' } },
  { words: ['think', 'thinking'], shift: -1, follow: { think: '>', thinking: '>' } },
  { words: ['before'], follow: { before: ' gay' } },
];
const GRADING_PLACES: Places[] = [
  { words: ['rubric'] },
  { words: ['grade', 'score', 'rate', 'evaluate', 'judge', 'assess'] },
  { words: ['on'], follow: { on: ' a' } },
  { words: ['which'], follow: { which: ' raco' } },
  {
    words: ['response', 'assistant', 'answer'],
    follow: { response: ' ab12', assistant: ' ab12', answer: ' ab12' },
  },
  { words: ['reward'], follow: { reward: ' ms' } },
];
/** The code rule's "```" is not word-bound: it is looked for with `includes`. */
const DOMAIN_PLACES: Places[] = [
  { words: ['translate', 'translation', 'in'], follow: { in: ' fsgcjkrahpi' } },
  {
    words: ['summary', 'summarize', 'summarise', 'summarisation', 'summarization', 'tl', 'tldr', 'key'],
    // `tl` directly followed by `dr` is the word `tldr`.
    follow: { tl: ';d', key: ' p' },
  },
  {
    words: [
      ...'python javascript typescript java c rust golang sql regex function compile bug refactor'.split(' '),
      ...'implement algorithm api class script unit'.split(' '),
    ],
    follow: { c: '++', api: ' e', unit: ' t' },
  },
  {
    words:
      'solve equation integral derivative probability calculate compute how prove theorem sum percent'.split(
        ' ',
      ),
    follow: { how: ' m', sum: ' o' },
  },
  {
    words: ['extract', 'parse', 'pull', 'list', 'identify', 'named', 'fill', 'json'],
    follow: { pull: ' o', list: ' a', identify: ' a', named: ' e', fill: ' io' },
  },
  {
    words: ['classify', 'categorise', 'categorize', 'sentiment', 'label', 'which', 'is'],
    follow: { label: ' te', which: ' c', is: ' t' },
  },
  { words: 'why reason logic puzzle riddle deduce infer argument implication'.split(' ') },
  {
    words: 'write draft compose essay poem story email letter blog slogan tweet rewrite paraphrase'.split(
      ' ',
    ),
  },
];

/**
 * Groups of expressions: CoT, grading, then one per domain rule. The hint groups are words that
 * open the try of the other languages' expressions (their `Try` is never run).
 */
const COT_HINT = -2;
const GRADING_HINT = -1;
const COT = 0;
const GRADING = 1;
const DOMAIN0 = 2;
/** The expression of a hint's `Try` (never run). */
const HINT = /(?:)/;

/**
 * A character as the `i` flag without `u` compares it: its upper case when that is one unit and
 * does not take a character outside ASCII into it, else itself.
 */
function canonical(ch: string): string {
  const u = ch.toUpperCase();
  return u.length === 1 && !(ch.charCodeAt(0) >= 128 && u.charCodeAt(0) < 128) ? u : ch;
}

/** The characters outside ASCII the other languages' expressions name, as `canonical` gives them. */
const OTHER_NAMED = new Set<string>();
for (const re of [...COT_OTHER_LANGUAGES, ...GRADING_OTHER_LANGUAGES]) {
  for (const ch of re.source) if (ch.charCodeAt(0) >= 128) OTHER_NAMED.add(canonical(ch));
}
/** Per BMP unit: 0 not known yet, 1 a match of those expressions can contain it, 2 not. */
const otherChars = new Uint8Array(0x10000);

/** True when a match of the other languages' expressions can contain the unit `c` (≥ 128). */
function namedByOther(c: number): boolean {
  let k = otherChars[c]!;
  if (k === 0) {
    k = OTHER_NAMED.has(canonical(String.fromCharCode(c))) ? 1 : 2;
    otherChars[c] = k;
  }
  return k === 1;
}

/** One place to try an expression anchored: the sticky copy, its group, and the start's offset. */
interface Try {
  sticky: RegExp;
  group: number;
  shift: number;
  /** The code of the character that must follow the word (`Places.follow`), or -1. */
  follow: number;
  /** The characters one of which must come next (lower-case ASCII, 1 = allowed), or null. */
  nextSet: Uint8Array | null;
}

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_WORD[c] = /\w/.test(ch) ? 1 : 0;
}
/** Lower case of an ASCII word character (`\w` only differs from it in letters). */
const LOWER = new Uint8Array(128);
for (let c = 0; c < 128; c++) LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c;
/** LOWER of ASCII word characters, 0 for the others. */
const WORD_LOWER = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD_LOWER[c] = ASCII_WORD[c] === 1 ? LOWER[c]! : 0;

/**
 * Seed of a word's key: MinHash's shingle seed, so that the first shingle chain of a word the
 * scan shingles is its key too (one multiplication chain fewer per character).
 */
const SEED = SHINGLE_SEED;
const step = (h: number, c: number) => Math.imul(h ^ c, 0x01000193);
function wordKey(word: string): number {
  let h = SEED;
  for (let i = 0; i < word.length; i++) h = step(h, word.charCodeAt(i));
  return (h ^ Math.imul(word.length, 0x9e3779b1)) >>> 0;
}

/** Tries by word: an open-addressed table keyed by the word's hash (a collision only costs a try). */
const TABLE_BITS = 10;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const tableKeys = new Uint32Array(1 << TABLE_BITS);
const tableSlot = new Int16Array(1 << TABLE_BITS).fill(-1);
const tries: Try[][] = [];
/** The listed word of each slot of `tries`. */
const slotWords: string[] = [];
/** Longest word in the table: longer words skip the look-up. */
let longestWord = 0;

/** ASCII characters of `chars`, lower case, with the upper case of letters. */
function charSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (const ch of chars) {
    set[ch.charCodeAt(0)] = 1;
    set[ch.toUpperCase().charCodeAt(0)] = 1;
  }
  return set;
}

function addPlaces(group: number, re: RegExp, places: Places): void {
  const sticky = new RegExp(re.source, `${re.flags}y`);
  for (const word of places.words ?? []) {
    longestWord = Math.max(longestWord, word.length);
    const key = wordKey(word);
    let i = key & TABLE_MASK;
    while (tableSlot[i] !== -1 && tableKeys[i] !== key) i = (i + 1) & TABLE_MASK;
    if (tableSlot[i] === -1) {
      tableKeys[i] = key;
      tableSlot[i] = tries.length;
      tries.push([]);
      slotWords.push(word);
    } else if (slotWords[tableSlot[i]!] !== word) {
      // Two listed words sharing a key would share tries, and one's `follow` would skip the other.
      throw new Error(`probe words ${word} and ${slotWords[tableSlot[i]!]} share a hash`);
    }
    const follow = places.follow?.[word];
    tries[tableSlot[i]!]!.push({
      sticky,
      group,
      shift: places.shift ?? 0,
      follow: follow === undefined ? -1 : follow.charCodeAt(0),
      nextSet: follow === undefined || follow.length < 2 ? null : charSet(follow.slice(1)),
    });
  }
}
for (const [i, re] of COT_ENGLISH.entries()) addPlaces(COT, re, COT_PLACES[i]!);
for (const [i, re] of GRADING_ENGLISH.entries()) addPlaces(GRADING, re, GRADING_PLACES[i]!);
addPlaces(COT_HINT, HINT, { words: COT_OTHER_HINTS });
addPlaces(GRADING_HINT, HINT, { words: GRADING_OTHER_HINTS });
for (const [i, [, re]] of DOMAIN_RULES.entries()) addPlaces(DOMAIN0 + i, re, DOMAIN_PLACES[i]!);
const STEP = COT_PATTERNS[0]!;
const CHAIN = COT_PATTERNS[1]!;
const stepSticky = new RegExp(STEP.source, `${STEP.flags}y`);
const chainSticky = new RegExp(CHAIN.source, `${CHAIN.flags}y`);

function look(key: number): Try[] | null {
  let i = key & TABLE_MASK;
  for (;;) {
    const slot = tableSlot[i]!;
    if (slot === -1) return null;
    if (tableKeys[i] === key) return tries[slot]!;
    i = (i + 1) & TABLE_MASK;
  }
}

function matchesAt(sticky: RegExp, text: string, at: number): boolean {
  if (at < 0 || at >= text.length) return false;
  sticky.lastIndex = at;
  return sticky.test(text);
}

/** True when `text[i]` ends with the lower-case ASCII `suffix` (`end` exclusive). */
function endsWithLower(text: string, end: number, suffix: string): boolean {
  const start = end - suffix.length;
  for (let k = 0; k < suffix.length; k++) {
    const c = text.charCodeAt(start + k);
    if ((c < 128 ? LOWER[c]! : c) !== suffix.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Characters seen in the last user turn (`Probes.seen`), which the skeleton's slot rules need:
 * a rule whose character is not seen cannot match (the skeleton's text is a prefix of the turn).
 */
export const SEEN_BACKTICK = 1;
export const SEEN_COLON = 2;
export const SEEN_AT = 4;
/** One of `"`, `'`, backtick, `“`. */
export const SEEN_QUOTE = 8;
/** An ASCII digit. */
export const SEEN_DIGIT = 16;
export const SEEN_ALL = 31;
/** SEEN_* bits of ASCII characters that are not word characters. */
const SEEN = new Uint8Array(128);
SEEN[96] = SEEN_BACKTICK | SEEN_QUOTE;
SEEN[58] = SEEN_COLON;
SEEN[64] = SEEN_AT;
SEEN[34] = SEEN_QUOTE;
SEEN[39] = SEEN_QUOTE;

/** The result of `probeText`. */
export interface Probes {
  cot: boolean;
  grading: boolean;
  /**
   * Index in DOMAIN_RULES of the first rule that matches the head of the last user turn, -1 when
   * none does.
   */
  domainRule: number;
  /** SEEN_* bits of the characters in the last user turn. */
  seen: number;
  /**
   * `minhash(user)` when the last user turn has no word character (`[\p{L}\p{N}_]`) outside
   * ASCII and no surrogate (then its words are the runs of `[A-Za-z0-9_]` the scan walks, and
   * their shingles are hashed as they are read), else null (ask `minhash`).
   */
  minhash: number[] | null;
}

const ALL_DOMAINS = DOMAIN_RULES.length;

/**
 * CoT and grading flags of the probe text (the system prompt, a newline and the last user turn,
 * or the last user turn alone when there is no system prompt: what the expressions read), the
 * first domain rule matching the first DOMAIN_HEAD characters of the last user turn, and the
 * characters the slot rules need. Equal to testing each expression (a test compares them on
 * hand-built and random texts).
 *
 * The two parts are scanned apart and the probe text is joined only when an anchored try needs
 * it: reading a joined (cons) string unit by unit is several times slower than reading its parts.
 */
/** The code units of the part being scanned (see `UnitBuffer`). */
const scanUnits = new UnitBuffer();

export function probeText(system: string, user: string): Probes {
  const head = user.length > DOMAIN_HEAD ? user.slice(0, DOMAIN_HEAD) : user;
  let probe: string | null = system ? null : user;
  const userAt = system ? system.length + 1 : 0;
  let cot = false;
  let grading = false;
  // First matching domain rule so far (ALL_DOMAINS: none); later rules need not be tried.
  let domain = head.includes('```') ? 2 : ALL_DOMAINS;
  let seen = 0;
  let words = 0;
  // The previous user word's shingle hashes as a shingle's first and second word (`fillSpans`).
  let asFirst = 0;
  let asSecond = 0;
  clearShingles();
  // No word character outside ASCII so far (see `Probes.words`).
  let asciiWords = true;
  // A unit `namedByOther` in either part, and hint words (see the module comment).
  let otherChar = false;
  let cotHint = false;
  let gradingHint = false;
  for (let part = system ? 0 : 1; part < 2; part++) {
    const inUser = part === 1;
    const text = inUser ? user : system;
    // Offset of `text` in the probe text.
    const base = inUser ? userAt : 0;
    const n = text.length;
    const units = scanUnits.load(text);
    let i = 0;
    while (i < n) {
      let c = units[i]!;
      let lower = c < 128 ? WORD_LOWER[c]! : 0;
      if (lower === 0) {
        if (c >= 128 && !otherChar && namedByOther(c)) otherChar = true;
        if (inUser) {
          if (c < 128) seen |= SEEN[c]!;
          else {
            if (c === 0x201c) seen |= SEEN_QUOTE;
            else if (asciiWords && ((c >= 0xd800 && c <= 0xdfff) || isWordCodePoint(c))) asciiWords = false;
          }
        }
        i++;
        continue;
      }
      const start = i;
      let h = SEED;
      if (inUser && words < MAX_WORDS) {
        // A word MinHash shingles: its three shingle chains (`fillSpans`'s, same lower case)
        // run beside the word's key, so its characters are read once.
        // The first chain is `h` (SEED is the shingle seed).
        let x1 = asFirst;
        let x2 = asSecond;
        do {
          // Word characters below 58 are the digits.
          if (lower < 58) seen |= SEEN_DIGIT;
          h = step(h, lower);
          x1 = step(x1, lower);
          x2 = step(x2, lower);
          if (++i === n) break;
          c = units[i]!;
          lower = c < 128 ? WORD_LOWER[c]! : 0;
        } while (lower !== 0);
        // The third chain completes the shingle that started two words back.
        if (words >= 2) addShingle(fmix32(x2));
        asSecond = fmix32(x1);
        asFirst = fmix32(h);
        words++;
      } else {
        const digit = inUser ? SEEN_DIGIT : 0;
        do {
          if (lower < 58) seen |= digit;
          h = step(h, lower);
          if (++i === n) break;
          c = units[i]!;
          lower = c < 128 ? WORD_LOWER[c]! : 0;
        } while (lower !== 0);
      }
      const len = i - start;
      // A word running across the head's end is, in the head, its first characters: a word of
      // its own, which the domain rules (read in the head) may list.
      if (inUser && start < DOMAIN_HEAD && i > DOMAIN_HEAD) domain = cutWordRule(units, start, head, domain);
      if (!cot && len >= 4) {
        const last = LOWER[units[i - 1]!]!;
        const suffix = last === 112 /* p */ ? 4 : last === 110 /* n */ && len >= 5 ? 5 : 0;
        if (suffix !== 0 && endsWithLower(text, i, suffix === 4 ? 'step' : 'chain')) {
          if (probe === null) probe = `${system}\n${user}`;
          cot = matchesAt(suffix === 4 ? stepSticky : chainSticky, probe, base + i - suffix);
        }
      }
      if (len > longestWord) continue;
      const found = look((h ^ Math.imul(len, 0x9e3779b1)) >>> 0);
      if (found === null) continue;
      // The character after the word (NaN at the end of the part: no follow matches it, as
      // the expressions see a newline or the end there). Bounds checked here, not by
      // `charCodeAt`: an optimized scan that first reads past the end is thrown away.
      const after = i < n ? text.charCodeAt(i) : Number.NaN;
      for (let k = 0; k < found.length; k++) {
        const t = found[k]!;
        if (t.group < 0) {
          if (t.group === COT_HINT) cotHint = true;
          else gradingHint = true;
          continue;
        }
        if (t.follow !== -1) {
          if (t.follow !== after) continue;
          if (t.nextSet !== null) {
            const next = i + 1 < n ? text.charCodeAt(i + 1) : Number.NaN;
            if (!(next < 128 && t.nextSet[next] === 1)) continue;
          }
        }
        if (t.group === COT || t.group === GRADING) {
          if (t.group === COT ? cot : grading) continue;
          if (probe === null) probe = `${system}\n${user}`;
          const hit = matchesAt(t.sticky, probe, base + start + t.shift);
          if (t.group === COT) cot = hit;
          else grading = hit;
        } else {
          const rule = t.group - DOMAIN0;
          if (rule < domain && inUser && matchesAt(t.sticky, head, start + t.shift)) domain = rule;
        }
      }
    }
  }
  // Fewer than three words make one short shingle.
  if (words === 1) addShingle(asFirst);
  else if (words === 2) addShingle(asSecond);
  if ((otherChar || cotHint) && !cot) cot = anyMatch(COT_OTHER_LANGUAGES, probe ?? `${system}\n${user}`);
  if ((otherChar || gradingHint) && !grading) {
    grading = anyMatch(GRADING_OTHER_LANGUAGES, probe ?? `${system}\n${user}`);
  }
  return {
    cot,
    grading,
    domainRule: domain === ALL_DOMAINS ? -1 : domain,
    seen,
    minhash: asciiWords ? shingledSignature() : null,
  };
}

function anyMatch(expressions: readonly RegExp[], text: string): boolean {
  for (let k = 0; k < expressions.length; k++) if (expressions[k]!.test(text)) return true;
  return false;
}

/**
 * The first domain rule, below `domain`, matching the head where the word of `units` from
 * `start` is cut at DOMAIN_HEAD: that word's first characters are a word of the head, the last
 * one (nothing follows it there, so a listed word with a `follow` cannot match at it).
 */
function cutWordRule(units: Uint16Array, start: number, head: string, domain: number): number {
  const len = DOMAIN_HEAD - start;
  if (len > longestWord) return domain;
  let h = SEED;
  for (let k = start; k < DOMAIN_HEAD; k++) h = step(h, WORD_LOWER[units[k]!]!);
  const found = look((h ^ Math.imul(len, 0x9e3779b1)) >>> 0);
  if (found === null) return domain;
  for (let k = 0; k < found.length; k++) {
    const t = found[k]!;
    if (t.follow !== -1 || t.group < DOMAIN0) continue;
    const rule = t.group - DOMAIN0;
    if (rule < domain && matchesAt(t.sticky, head, start + t.shift)) domain = rule;
  }
  return domain;
}
