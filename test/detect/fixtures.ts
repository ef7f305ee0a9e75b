/**
 * Hand-built synthetic traffic for the detection tests: a seeded PRNG and small persona
 * generators (harvester, hydra, batch job, chat app, framework orgs). Events go through the real
 * log-line parser, so features are extracted exactly as in production.
 */
import { resolveConfig } from '../../src/detect/config.js';
import type { Edge, LinkGraph } from '../../src/detect/linkage/graph.js';
import { type AccountProfile, newProfile, updateProfile } from '../../src/detect/profile.js';
import { mulberry32 } from '../../src/events/hash.js';
import { parseLogLine } from '../../src/events/logline.js';
import type { RequestEvent } from '../../src/events/types.js';

export const rng = mulberry32;

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.parse('2026-03-02T00:00:00Z');

export interface LineOpts {
  ts: number;
  key: string;
  org?: string;
  ip?: string;
  ua?: string;
  model?: string;
  system?: string;
  history?: Array<{ role: string; content: string }>;
  user: string;
  maxTokens?: number;
  n?: number;
  topLogprobs?: number;
  logitBias?: Record<string, number>;
  tools?: number;
  endUser?: string;
  promptTokens: number;
  completionTokens: number;
  meta?: Record<string, string>;
}

export function event(o: LineOpts): RequestEvent {
  const messages = [
    ...(o.system ? [{ role: 'system', content: o.system }] : []),
    ...(o.history ?? []),
    { role: 'user', content: o.user },
  ];
  const request: Record<string, unknown> = { model: o.model ?? 'gpt-4o', messages };
  if (o.maxTokens !== undefined) request.max_tokens = o.maxTokens;
  if (o.n !== undefined) request.n = o.n;
  if (o.topLogprobs !== undefined) {
    request.logprobs = true;
    request.top_logprobs = o.topLogprobs;
  }
  if (o.logitBias) request.logit_bias = o.logitBias;
  if (o.tools)
    request.tools = Array.from({ length: o.tools }, (_, i) => ({
      type: 'function',
      function: { name: `f${i}` },
    }));
  if (o.endUser) request.user = o.endUser;
  const line = {
    ts: o.ts,
    key: o.key,
    org: o.org ?? o.key,
    ip: o.ip ?? '198.51.100.7',
    user_agent: o.ua ?? 'OpenAI/Python 1.40.0',
    request,
    response: { usage: { prompt_tokens: o.promptTokens, completion_tokens: o.completionTokens } },
    status: 200,
    ...(o.meta ? { meta: o.meta } : {}),
  };
  const r = parseLogLine(JSON.stringify(line));
  if (!r.ok) throw new Error(r.error);
  return r.event;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const TOPICS = [
  'photosynthesis',
  'binary search',
  'the French revolution',
  'compound interest',
  'plate tectonics',
  'recursion',
  'supply and demand',
  'vaccines',
  'the TCP handshake',
  'entropy',
  'black holes',
  'inflation',
  'neural networks',
  'the water cycle',
  'prime numbers',
  'hash tables',
];
const TASKS = [
  'Explain step by step how to solve the following problem and show your full reasoning: compute {a} times {b} plus {c}.',
  'Write a Python function that returns the {a}th Fibonacci number, then explain your reasoning step by step.',
  'Translate into French and explain each grammatical choice: "{t}".',
  'Imagine and articulate the internal reasoning behind a completed answer about {t}, step by step.',
  'Prove that the sum of the first {a} odd numbers is a perfect square. Think through it carefully.',
  'Classify the sentiment of this review and explain why: "{t} was great but slow"',
  'Summarize the key points of {t} in detail for a textbook chapter.',
  'Why does {t} matter? Give a thorough, well-reasoned answer.',
];

/** A prompt with no template: 14 words drawn from a made-up vocabulary (no shared frames). */
export function wordSalad(r: () => number): string {
  const word = () =>
    Array.from(
      { length: 3 + Math.floor(r() * 6) },
      () => 'abcdefghijklmnoprstuvwy'[Math.floor(r() * 23)],
    ).join('');
  return Array.from({ length: 14 }, word).join(' ');
}

/** One templated harvest prompt with varying slots. */
export function harvestPrompt(r: () => number, templates = TASKS): string {
  return pick(r, templates)
    .replace('{a}', String(int(r, 2, 999)))
    .replace('{b}', String(int(r, 2, 999)))
    .replace('{c}', String(int(r, 2, 999)))
    .replace('{t}', `${pick(r, TOPICS)} ${int(r, 1, 9999)}`);
}

/** A single-key harvester: 24/7, templated single-turn prompts, long answers, max_tokens pinned. */
export function harvester(key: string, seed: number, count: number, spanMs = 2 * DAY): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  for (let i = 0; i < count; i++) {
    out.push(
      event({
        ts: T0 + Math.floor((i / count) * spanMs + r() * 1000),
        key,
        ip: '203.0.113.9',
        user: harvestPrompt(r),
        maxTokens: 8192,
        promptTokens: int(r, 30, 90),
        completionTokens: int(r, 700, 1800),
      }),
    );
  }
  return out;
}

/** N keys load-balanced round-robin, same template family and /24, each at a low volume. */
export function hydra(
  prefix: string,
  keys: number,
  seed: number,
  total: number,
  spanMs = 2 * DAY,
): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  const template = [
    'Solve this carefully and explain every step of your reasoning: what is {a} multiplied by {b}, then add {c}? Give the final answer at the end.',
  ];
  for (let i = 0; i < total; i++) {
    const k = i % keys;
    out.push(
      event({
        ts: T0 + Math.floor((i / total) * spanMs + r() * 5000),
        key: `${prefix}${k}`,
        org: `${prefix}org${k}`,
        ip: `203.0.113.${10 + k}`,
        ua: 'harvest-client/0.3',
        user: harvestPrompt(r, template),
        maxTokens: 4096,
        promptTokens: int(r, 30, 60),
        completionTokens: int(r, 500, 1500),
      }),
    );
  }
  return out;
}

/**
 * A crowd of `keys` accounts, each its own org behind its own residential /24, run by one script:
 * one client, `max_tokens` pinned, reasoning-trace coercion on prompts without a template.
 * Nothing but the client and the frozen request shape joins the keys.
 */
export function crowd(prefix: string, keys: number, perKey: number, seed: number): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  for (let k = 0; k < keys; k++)
    for (let i = 0; i < perKey; i++)
      out.push(
        event({
          ts: T0 + Math.floor(((i * keys + k) / (keys * perKey)) * 2 * DAY + r() * 5000),
          key: `${prefix}${k}`,
          org: `${prefix}org${k}`,
          ip: `100.${64 + (k >> 8)}.${k & 255}.${1 + Math.floor(r() * 250)}`,
          ua: 'harvest-client/0.3',
          user: `Imagine and articulate the internal reasoning behind the answer, step by step: ${wordSalad(r)}`,
          maxTokens: 4096,
          promptTokens: int(r, 30, 60),
          completionTokens: int(r, 500, 1500),
        }),
      );
  return out;
}

const RECORDS = [
  'product reviews',
  'support tickets',
  'order notes',
  'bug reports',
  'chat messages',
  'emails',
];
const PRODUCTS = ['the Lumen app', 'our checkout page', 'the Kite router', 'the billing portal'];
const FIELDS = ['category', 'sentiment', 'priority', 'language', 'urgency'];

/**
 * A test-data job: an org's script generates synthetic records for testing its own product, from
 * two templates with a few words changed, each request sent once the answer is back, in runs on
 * working days: short prompts, long answers, max_tokens pinned, one system prompt, no end users.
 */
export function testDataJob(key: string, seed: number, runs: number, perRun = 60): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  for (let run = 0; run < runs; run++) {
    let ts = T0 + run * DAY + 9 * HOUR + Math.floor(r() * 4 * HOUR);
    for (let i = 0; i < perRun; i++) {
      ts += 8_000 + Math.floor(r() * 10_000);
      const user =
        r() < 0.6
          ? `Generate ${int(r, 10, 50)} realistic ${pick(r, RECORDS)} from users of ${pick(r, PRODUCTS)}. Return a JSON array of objects with the fields id, text and ${pick(r, FIELDS)}.`
          : `Write ${int(r, 20, 40)} varied ${pick(r, RECORDS)} that a new customer of ${pick(r, PRODUCTS)} might send, about ${pick(r, TOPICS)}.`;
      out.push(
        event({
          ts,
          key,
          ip: '192.0.2.77',
          system: 'You generate realistic test data for Acme. Output only the data, no commentary.',
          user,
          maxTokens: 4096,
          promptTokens: int(r, 40, 60),
          completionTokens: int(r, 700, 1400),
        }),
      );
    }
  }
  return out;
}

const CRITERIA = ['helpfulness', 'factual accuracy', 'instruction following', 'harmlessness', 'concision'];

/**
 * An evaluation platform's judge pipeline (LLM-as-judge): one key, the platform's judge system
 * prompt, a customer's rubric filled with a question and a long candidate answer, temperature 0,
 * max_tokens pinned low, short JSON verdicts, runs of requests at any hour. With `orgs` > 1, the
 * same traffic from keys in that many orgs sharing one address and client (a grading crowd).
 */
export function judgePipeline(
  prefix: string,
  seed: number,
  runs: number,
  perRun = 80,
  orgs = 1,
): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  for (let run = 0; run < runs; run++) {
    let ts = T0 + run * 7 * HOUR + Math.floor(r() * 2 * HOUR);
    for (let i = 0; i < perRun; i++) {
      ts += 4_000 + Math.floor(r() * 8_000);
      const k = orgs > 1 ? i % orgs : 0;
      const answer = Array.from(
        { length: 12 },
        () => `The ${pick(r, PARTIES)} should ${pick(r, DUTIES)}.`,
      ).join(' ');
      out.push(
        event({
          ts,
          key: orgs > 1 ? `${prefix}${k}` : prefix,
          org: orgs > 1 ? `${prefix}org${k}` : prefix,
          ip: '192.0.2.91',
          system:
            'You are an impartial judge. Grade the response against the rubric and reply with JSON only.',
          user: `Rubric: score the response from 1 to 10 for ${pick(r, CRITERIA)}.\n\nQuestion: How should a ${pick(r, PARTIES)} handle ${pick(r, TOPICS)}?\n\nResponse: ${answer}\n\nReturn {"score": n, "reason": "..."}.`,
          maxTokens: 256,
          promptTokens: int(r, 400, 900),
          completionTokens: int(r, 60, 160),
        }),
      );
    }
  }
  return out;
}

const PARTIES = ['supplier', 'buyer', 'licensee', 'contractor', 'landlord', 'tenant', 'vendor'];
const DUTIES = [
  'deliver goods',
  'pay invoices',
  'maintain records',
  'insure the premises',
  'keep information confidential',
  'provide support',
];

/** Nightly enterprise batch: long documents, short outputs, 01:00–04:00 UTC. */
export function batchJob(key: string, seed: number, perNight: number, nights = 2): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  for (let d = 0; d < nights; d++)
    for (let i = 0; i < perNight; i++)
      out.push(
        event({
          ts: T0 + d * DAY + HOUR + Math.floor((i / perNight) * 3 * HOUR),
          key,
          ip: '192.0.2.44',
          system: 'You are a contract analysis assistant. Answer in JSON.',
          user: `Summarize the following contract in three bullet points.\n\n${Array.from({ length: 20 }, () => `The ${pick(r, PARTIES)} agrees to ${pick(r, DUTIES)} by ${pick(r, TOPICS)}.`).join(' ')} Clause ${int(r, 1, 99999)}.`,
          maxTokens: 256,
          promptTokens: int(r, 1500, 4000),
          completionTokens: int(r, 40, 120),
        }),
      );
  return out;
}

/** A chat app: one system prompt, many end users, multi-turn, diurnal. */
export function chatApp(key: string, seed: number, count: number, spanMs = 2 * DAY): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  let t = T0;
  for (let i = 0; i < count; i++) {
    const hour = new Date(t).getUTCHours();
    const busy = hour >= 8 && hour <= 22 ? 1 : 0.15;
    t += Math.floor(((spanMs / count) * (0.3 + r() * 1.4)) / busy);
    const turns = int(r, 0, 4);
    // The assistant turns carry the app's earlier answers back (a few hundred characters each).
    const history = Array.from({ length: turns * 2 }, (_, j) => {
      const topic = pick(r, TOPICS);
      return j % 2 === 0
        ? { role: 'user', content: `message ${j} about ${topic}` }
        : { role: 'assistant', content: `Here is what I found about ${topic}. `.repeat(6 + j) };
    });
    out.push(
      event({
        ts: t,
        key,
        ip: `100.64.${int(r, 0, 3)}.${int(r, 1, 250)}`,
        system: 'You are Sunny, the friendly assistant of the Sunshine travel app. Be concise.',
        history,
        user: `${pick(r, ['can you help me with', 'what about', 'tell me more on', 'hmm and'])} ${pick(r, TOPICS)}?`,
        endUser: `u${int(r, 1, 400)}`,
        maxTokens: 1024,
        promptTokens: 200 + turns * 150,
        completionTokens: int(r, 40, 300),
      }),
    );
  }
  return out;
}

/** Orgs using the same open-source agent framework (shared system prompt), tool loops, separate infra. */
export function frameworkOrgs(prefix: string, orgs: number, seed: number, perOrg: number): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  for (let o = 0; o < orgs; o++)
    for (let i = 0; i < perOrg; i++) {
      const loop = int(r, 1, 6);
      out.push(
        event({
          // Each org works its own 8-hour day (time zones differ), on two days.
          ts: T0 + ((o * 7) % 24) * HOUR + (i % 2) * DAY + Math.floor(r() * 8 * HOUR),
          key: `${prefix}${o}`,
          ip: `10.${o}.${int(r, 0, 255)}.${int(r, 1, 254)}`,
          ua: `OpenAI/Python 1.${30 + o}.0`,
          system:
            'You are an autonomous agent built with OpenAgentKit. Use the tools provided to complete the task.',
          // Tool calls and their results: every call is answered by a tool message.
          history: Array.from({ length: loop + (loop % 2) }, (_, j) => ({
            role: j % 2 === 0 ? 'assistant' : 'tool',
            content: `step ${j}`,
          })),
          user: `Task ${int(r, 1, 9999)}: ${pick(r, ['book a meeting', 'file the expense', 'triage the ticket', 'update the CRM'])} for ${pick(r, TOPICS)}`,
          tools: 6,
          maxTokens: 2048,
          promptTokens: int(r, 800, 3000),
          completionTokens: int(r, 50, 300),
        }),
      );
    }
  return out;
}

export const byTime = (events: RequestEvent[]) =>
  [...events].sort((a, b) => a.ts - b.ts || (a.keyId < b.keyId ? -1 : 1));

/** One profile per key, built from `events` in time order (default detection config unless given). */
export function profilesOf(events: RequestEvent[], cfg = resolveConfig()): AccountProfile[] {
  const m = new Map<string, AccountProfile>();
  for (const e of byTime(events)) {
    let p = m.get(e.keyId);
    if (!p) {
      p = newProfile(e.keyId, e.accountId, e.orgId, cfg);
      m.set(e.keyId, p);
    }
    updateProfile(p, e, cfg);
  }
  return [...m.values()];
}

/** Every kept edge of a link graph as an object (the engine asks only for campaigns' edges). */
export const edgesOf = (g: LinkGraph): Edge[] => Array.from({ length: g.size }, (_, i) => g.edge(i));
