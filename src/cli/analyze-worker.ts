/**
 * @module cli/analyze-worker
 * Worker-thread side of `distillguard analyze`: takes a chunk of the log's raw bytes (whole
 * lines, transferred, not copied), splits and decodes it, parses every line with `parseLogLine`
 * (the one parser) and posts back the events packed (events/packed.ts) with the bad lines, so
 * parsing runs in parallel with the engine and the main thread neither splits lines nor
 * rebuilds event objects property by property.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { rememberTextFeatures, skeletonHashes } from '../events/features.js';
import { parseLogLine } from '../events/logline.js';
import { minhash } from '../events/minhash.js';
import { EventPacker, type PackedEvents } from '../events/packed.js';
import { probeText } from '../events/probes.js';

export interface ParseChunk {
  seq: number;
  /** UTF-8 bytes of whole lines (the last one may lack its newline only at the end of the log). */
  bytes: Uint8Array;
}

export interface ParsedChunk {
  seq: number;
  /** Lines in the chunk, blank ones included (as a line reader counts them). */
  lines: number;
  events: PackedEvents;
  /** Bad lines, numbered from 1 within the chunk. */
  bad: Array<{ line: number; error: string }>;
}

/**
 * Parses a chunk of lines. Blank lines are skipped, not counted as bad; a `\r` before `\n` is
 * dropped. `dedupe`: pack each distinct string once (events/packed.ts), for a chunk that goes to
 * another thread; a chunk consumed where it was parsed skips the look-ups.
 */
export function parseChunk(c: ParseChunk, storeText: boolean, dedupe = true): ParsedChunk {
  // Lines are decoded one by one, not the chunk at once: a single non-ASCII character would make
  // the whole chunk, and every line sliced from it, a two-byte string (slower to decode and parse).
  // A newline byte never occurs inside a UTF-8 sequence, so the lines are the same either way.
  const bytes = Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  const packer = new EventPacker(Math.max(16, c.bytes.length >> 11), dedupe);
  const bad: ParsedChunk['bad'] = [];
  let lines = 0;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    lines++;
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    const line = bytes.toString('utf8', start, stop);
    start = end + 1;
    if (line.trim() === '') continue;
    const r = parseLogLine(line, { storeText });
    if (r.ok) packer.add(r.event);
    else bad.push({ line: lines, error: r.error });
  }
  return { seq: c.seq, lines, events: packer.finish(), bad };
}

/**
 * Texts that take the rare branches of the text scans (`probeText`, `skeletonHashes`, `minhash`):
 * curly quotes, letters and other characters outside ASCII, surrogate pairs, a capital sigma and
 * `İ`, names with hyphens before digits, tabs and no-break spaces, every probe word and its follow
 * characters, a word ending the text, more words than MinHash shingles and a word across the
 * domain head's end. (The long English text's numbers fall inside a quote slot, so the skeleton's
 * exponent branch is in a short text.) Short texts first, long ones last: a scan is marked for
 * optimization while the first round runs the long texts, and its compile may read the feedback
 * then, so every rare branch must have been taken before (and after the first three texts,
 * which V8 runs before it gives the scans their feedback vectors).
 */
const WARM_TEXTS = [
  '',
  'Hi',
  'Explain why',
  // A percent sign right after a number (the skeleton's number slot takes it), outside any quote
  // or "key: value" slot, where the fold walk reads it.
  'It grew 12% in 2024.',
  'Café “quoted” — naïve İstanbul Σίσυφος 😀 émoji\u00a0nbsp ﬁ 東京 Ünïcödé Straße 12,5 % Ångström ΣΑΣ.',
  '😀 emoji first, then ﬁ and “quotes” — and a dash',
  'ﬁrst a ligature, then 😀',
  '— a dash, then é',
  // Han and kana characters (words of their own, one right after an ASCII word) in a text that
  // MinHash splits without lower-casing it word by word (no capital sigma, no `İ`).
  'Tokyo東京 and 大阪, see カタカナ.',
  // The probe expression built at a grading word, not at "step" or "chain" (then at "chain"),
  // other-language hint words without a chain-of-thought match (a chain-of-thought hint, then a
  // grading hint alone), and a number with an exponent and a percent sign outside quotes.
  'Grade the answer: which response is better? It grew 12% to 3.5e8 units.',
  'Show your chain of thought.',
  'Explica tu razonamiento paso a paso.',
  'Bewerte die Antwort auf einer Skala von 1 bis 10.',
  'Please explain, step by step, your reasoning: the chain-of-thought of John Smith-3 and Mary ' +
    "O'Neil in 1969 (3.5e8 km, -12%, +7, 1,000.5E-3). Let's think; lets think carefully. " +
    '<think>Which response is better? Response A or response B, assistant 1 or answer 2.</think> ' +
    'Grade the answer on a scale of 1 to 10 with a rubric, reward model score. Translate it in french, ' +
    'summarize the key points, tl;dr, tldr. Write a python function, c++ api endpoint, unit test. ' +
    'How many? Solve the sum of 2+2. Extract, pull out, list all, identify all named entities, fill in ' +
    'the json. Classify the sentiment, label this, which category, is this spam? Why? Before giving ' +
    'the answer, think. Internal reasoning, reasoning trace, walk me through, write out, lay out. ' +
    'Email a.b@c.de or see https://x.example/y?z=1 and "a quote" and \'another one\' and `code` and\n' +
    '```js\nconst x = 1;\n```\n\tTabs\u00a0and\u2003spaces  here. think',
  // 1,494 characters, then a word across the domain head's end (1,500), then many words.
  `${'Lorem ipsum dolor sit amet 42. '.repeat(48)}Lorem translationcut${' summarization'.repeat(3)} ${'word '.repeat(450)}`,
  // Over the skeleton's 4,000 characters, with a listed word ("why") cut at the domain head's end.
  `${'Lorem ipsum dolor sit amet 42. '.repeat(48)}Lorem is whynot${' word'.repeat(520)}`,
];

/**
 * System prompts the warm texts are scanned with: none, one whose own "step by step" builds the
 * probe expression, and one without a probe word (so a user text's builds it).
 */
const WARM_SYSTEMS = ['', 'You are assistant v2. Think step by step.', 'You are a helpful assistant.'];

/**
 * Runs the text scans over WARM_TEXTS: the type feedback V8 optimizes them with then already
 * holds their rare branches, so a branch first met in the log does not throw the optimized code
 * away (each recompile of `probeText` costs ~50–90 ms on a compiler thread). Pure: the scans keep
 * no state between calls but caches of Unicode properties.
 */
export function warmUpParser(): void {
  // Rounds enough for V8 to have given each scan function its feedback vector (it does so only
  // after a few calls) and recorded every branch in it; the long texts need fewer.
  for (let round = 0; round < 10; round++)
    for (const text of WARM_TEXTS) {
      if (round > 1 && text.length > 1000) continue;
      for (const system of WARM_SYSTEMS) skeletonHashes(text, probeText(system, text).seen);
      skeletonHashes(text);
      minhash(text);
    }
  // The packer's growth: a batch of more events than its first guess (more than 256 in a chunk of
  // short lines) first met in the log made `EventPacker.add` deopt and compile again. Packers sized
  // for one event grow at the 9th and 17th events too, after V8 has given `add` its feedback vector.
  for (const dedupe of [true, false]) {
    const packer = new EventPacker(1, dedupe);
    for (let k = 0; k < 20; k++) {
      const r = parseLogLine(WARM_LINE);
      if (r.ok) packer.add(r.event);
    }
    packer.finish();
  }
}

/** A line for the packer's warm-up, with reported usage (no token count: gpt-tokenizer stays unloaded). */
const WARM_LINE = JSON.stringify({
  id: 'req_warm',
  ts: '2026-03-02T00:00:00.000Z',
  key: 'k_warm',
  org: 'org_warm',
  account: 'acct_warm',
  ip: '192.0.2.1',
  user_agent: 'OpenAI/Python 1.75.0',
  headers: { 'x-stainless-lang': 'python', 'x-stainless-package-version': '1.75.0' },
  endpoint: '/v1/chat/completions',
  request: {
    model: 'gpt-4.1',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Explain why the sky is blue.' },
    ],
    temperature: 0,
  },
  response: {
    id: 'chatcmpl-warm',
    object: 'chat.completion',
    model: 'gpt-4.1',
    choices: [{ index: 0, finish_reason: 'stop' }],
    usage: { prompt_tokens: 20, completion_tokens: 40, total_tokens: 60 },
  },
  status: 200,
  latency_ms: 900,
});

/** The buffers of a parsed chunk, to transfer rather than copy. */
export const transferables = (p: ParsedChunk): ArrayBuffer[] => [
  p.events.nums.buffer as ArrayBuffer,
  p.events.sigs.buffer as ArrayBuffer,
  p.events.refs.buffer as ArrayBuffer,
];

if (parentPort) {
  const port = parentPort;
  // A log holds its prompts anyway: this thread may remember recent ones' features.
  rememberTextFeatures(true);
  warmUpParser();
  const storeText = (workerData as { storeText?: boolean } | undefined)?.storeText === true;
  port.on('message', (c: ParseChunk) => {
    const parsed = parseChunk(c, storeText);
    port.postMessage(parsed, transferables(parsed));
  });
}
