/**
 * Harvesting whole conversations (engine 1.9.0): a program whose follow-ups carry every long
 * answer before them is read by what it sends anew, and its frozen configuration links its keys.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import { Engine } from '../../src/detect/engine.js';
import { buildLinkGraph } from '../../src/detect/linkage/index.js';
import { requestShape } from '../../src/detect/linkage/shape.js';
import { buildPopulation, emptyPopulation } from '../../src/detect/population.js';
import { freshTokens, upgradeProfile } from '../../src/detect/profile.js';
import { harvestRatio } from '../../src/detect/signals/harvest-ratio.js';
import { textTokenEstimate } from '../../src/events/features.js';
import { parseLogLine } from '../../src/events/logline.js';
import type { RequestEvent } from '../../src/events/types.js';
import {
  byTime,
  chatApp,
  DAY,
  edgesOf,
  event,
  HOUR,
  harvestPrompt,
  profilesOf,
  rng,
  T0,
  wordSalad,
} from './fixtures.js';

const cfg = resolveConfig();

const FOLLOW_UPS = [
  'Could you go deeper into the second point?',
  'Can you give a worked example with numbers?',
  'What are the most common mistakes people make here?',
  'Walk me through the last step in more detail.',
];

/**
 * Keys of one conversation-harvesting script: each conversation opens with a templated task and
 * goes on for `turns − 1` follow-ups, each request carrying every earlier answer (~2,400 characters)
 * back; prompt tokens are billed for all of it. Every key has its own IP and user agent; with
 * `salad` the prompts share no template either, so only the script's shape and behaviour link them.
 */
function dialogues(
  prefix: string,
  keys: number,
  perKey: number,
  seed: number,
  turns = 4,
  salad = false,
): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  for (let k = 0; k < keys; k++) {
    let history: Array<{ role: string; content: string }> = [];
    for (let i = 0; i < perKey; i++) {
      const turn = i % turns;
      if (turn === 0) history = [];
      const user = salad
        ? wordSalad(r)
        : turn === 0
          ? harvestPrompt(r)
          : FOLLOW_UPS[Math.floor(r() * FOLLOW_UPS.length)]!;
      const chars = history.reduce((s, m) => s + m.content.length, 0) + user.length;
      out.push(
        event({
          ts: T0 + k * 131_000 + Math.floor(i / turns) * 2 * HOUR + turn * 15_000 + Math.floor(r() * 60_000),
          key: `${prefix}${k}`,
          ip: `${50 + k}.${30 + k}.${k}.${9 + (i % 200)}`,
          ua: `OpenAI/Python 1.${30 + k}.0`,
          history,
          user,
          maxTokens: 4096,
          promptTokens: Math.ceil(chars / 4),
          completionTokens: 600 + Math.floor(r() * 300),
        }),
      );
      history = [
        ...history,
        { role: 'user', content: user },
        { role: 'assistant', content: `The answer, in full detail (${i}). `.repeat(80) },
      ];
    }
  }
  return out;
}

describe('what a request sends anew', () => {
  it('is everything in a one-shot request, and the last turn of a conversation', () => {
    const [first, second] = dialogues('d', 1, 2, 1);
    expect(first!.prompt.historyChars).toBe(0);
    expect(freshTokens(first!)).toBe(first!.usage.promptTokens);
    // The second request carries the opening task and its ~2,600-character answer back.
    const history = second!.prompt.historyChars!;
    expect(history).toBeGreaterThan(2_500);
    expect(history).toBeLessThan(second!.prompt.chars);
    const fresh = freshTokens(second!);
    expect(fresh).toBeGreaterThan(0);
    expect(fresh).toBeLessThan(second!.usage.promptTokens / 10);
  });
  it('counts image tokens as new and reads events without historyChars in full', () => {
    const [, second] = dialogues('d', 1, 2, 1);
    const withImages = {
      ...second!,
      usage: { ...second!.usage, promptTokens: second!.usage.promptTokens + 765, imageTokens: 765 },
    };
    expect(freshTokens(withImages)).toBe(freshTokens(second!) + 765);
    const old = { ...second!, prompt: { ...second!.prompt, historyChars: undefined } };
    expect(freshTokens(old)).toBe(second!.usage.promptTokens);
  });
  it('keeps a restored profile from before 1.9.0 reading its whole input as sent anew', () => {
    const p = profilesOf(dialogues('d', 1, 8, 2))[0]!;
    expect(p.freshTok).toBeLessThan(p.inTok);
    const old: Record<string, unknown> = { ...p };
    delete old.freshTok;
    upgradeProfile(old as unknown as typeof p, cfg);
    expect(old.freshTok).toBe(p.inTok);
  });
});

describe('harvest_ratio on conversations', () => {
  const ctx = { pop: emptyPopulation(T0 + 7 * DAY, T0), cfg, now: T0 + 7 * DAY };
  it('reads a conversation harvester by the ratio of its one-shot equivalent', () => {
    const [p] = profilesOf(dialogues('d', 1, 80, 3));
    // Billed input outweighs the output: the history carried back on every turn.
    expect(p!.outTok / p!.inTok).toBeLessThan(1);
    expect(p!.outTok / p!.freshTok).toBeGreaterThan(8);
    expect(harvestRatio.score(p!, ctx)).toBeGreaterThan(0.9);
    expect(harvestRatio.detail(p!, ctx)).toMatch(/billed; the rest is conversation history sent back/);
  });
  it('leaves a chat product with short answers low', () => {
    const [p] = profilesOf(chatApp('chat', 4, 200));
    expect(p!.freshTok).toBeLessThan(p!.inTok);
    expect(harvestRatio.score(p!, ctx)).toBeLessThan(0.3);
  });
});

describe('the request shape of a conversation script', () => {
  it('names frozen conversational turns, and none for mixed turns', () => {
    const [p] = profilesOf(dialogues('d', 1, 40, 4));
    expect(requestShape(p!)).toBe('4096|none|conversation');
    // Conversations of two turns are frozen too (half of the requests are follow-ups)…
    expect(requestShape(profilesOf(dialogues('t', 1, 40, 4, 2))[0]!)).toBe('4096|none|conversation');
    // …but a key mixing one-shot requests with a few conversations is neither.
    const mixed = [...dialogues('m', 1, 12, 6, 4), ...dialogues('m', 1, 28, 7, 1)];
    const [q] = profilesOf(byTime(mixed));
    expect(q!.multiTurn / q!.n).toBeLessThan(0.5);
    expect(requestShape(q!)).toBeNull();
  });
  it('is the product’s own for a chat app: its system prompt is in it', () => {
    const [p] = profilesOf(chatApp('chat', 4, 60));
    expect(requestShape(p!)).toMatch(/^1024\|[0-9a-f]{16}\|conversation$/);
  });
  it('links the keys of one script behind residential proxies into one flagged campaign', () => {
    const engine = new Engine();
    const background = [1, 2, 3, 4, 5, 6].flatMap((s) => chatApp(`app${s}`, 10 + s, 150, 3 * DAY));
    for (const e of byTime([...dialogues('dh', 6, 60, 5), ...background])) engine.ingest(e);
    const f = engine.findings();
    const flagged = f.accounts.filter((a) => a.verdict !== 'benign').map((a) => a.key);
    expect(flagged.sort()).toEqual(Array.from({ length: 6 }, (_, k) => `dh${k}`));
    expect(f.campaigns).toHaveLength(1);
    expect(f.campaigns[0]!.reasons.map((r) => r.detail).join('\n')).toMatch(/frozen request shape/);
  });
  it('links them by the shape and behaviour alone when their prompts share nothing, and not without it', () => {
    const strong = (weights: Partial<typeof cfg.linkage.weights>) => {
      const c = resolveConfig({ linkage: { weights } });
      const profiles = profilesOf(dialogues('ds', 6, 60, 8, 4, true), c);
      const now = Math.max(...profiles.map((p) => p.lastTs));
      const edges = edgesOf(buildLinkGraph(profiles, buildPopulation(profiles, now, T0, new Map(), c), c));
      return edges.filter((e) => e.strength >= c.linkage.strongEdge);
    };
    const linked = strong({});
    expect(linked).toHaveLength(15); // every pair of the 6 keys
    for (const e of linked) expect(e.evidence.request_shape).toBe(1);
    expect(strong({ request_shape: 0 })).toHaveLength(0);
  });
});

describe('a conversation the upstream keeps (Responses API)', () => {
  /** A Responses API log line: the new message, `instructions`, maybe `previous_response_id`. */
  const line = (o: { key?: string; ts?: number; input: string; previous?: string; inputTokens: number }) => {
    const request: Record<string, unknown> = {
      model: 'gpt-4.1',
      instructions: 'You are a helpful assistant.',
      input: [{ role: 'user', content: o.input }],
      max_output_tokens: 4096,
    };
    if (o.previous) request.previous_response_id = o.previous;
    const r = parseLogLine(
      JSON.stringify({
        ts: o.ts ?? T0,
        key: o.key ?? 'k',
        endpoint: '/v1/responses',
        request,
        response: {
          id: 'resp_x',
          object: 'response',
          status: 'incomplete',
          incomplete_details: { reason: 'max_output_tokens' },
          output: [],
          usage: { input_tokens: o.inputTokens, output_tokens: 4096 },
        },
      }),
    );
    if (!r.ok) throw new Error(r.error);
    return r.event;
  };
  it('reads previous_response_id as a follow-up whose billed history its text does not show', () => {
    const first = line({ input: 'Explain how tides work in full detail.', inputTokens: 20 });
    expect(first.prompt.ownTokens).toBeUndefined();
    expect(freshTokens(first)).toBe(20);
    const next = line({ input: 'Go deeper into the second point.', previous: 'resp_1', inputTokens: 4_200 });
    // Own text: the instructions and the new message, ~70 characters → ~18 tokens.
    expect(next.prompt.ownTokens).toBeGreaterThan(10);
    expect(next.prompt.ownTokens).toBeLessThan(30);
    expect(freshTokens(next)).toBe(next.prompt.ownTokens);
    // An answer cut at max_output_tokens is a length stop.
    expect(next.output.finishReason).toBe('length');
  });
  it('counts Chinese and Japanese characters one token each when it must estimate', () => {
    expect(textTokenEstimate(['abcd', 'efgh'])).toBe(2);
    expect(textTokenEstimate(['请一步一步地思考'])).toBe(8);
    expect(textTokenEstimate(['𠀀'])).toBe(1);
  });
  it('makes a key of such follow-ups conversational, not one-shot', () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      line({
        ts: T0 + i * 60_000,
        input: `Tell me more, part ${i}.`,
        previous: i % 5 === 0 ? undefined : `resp_${i}`,
        inputTokens: 30 + (i % 5) * 900,
      }),
    );
    const [p] = profilesOf(events);
    expect(p!.multiTurn).toBe(24);
    expect(p!.singleTurn).toBe(6);
    expect(p!.freshTok).toBeLessThan(p!.inTok / 10);
    expect(requestShape(p!)).toMatch(/^4096\|[0-9a-f]{16}\|conversation$/);
  });
});
