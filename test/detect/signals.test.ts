import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import { emptyPopulation } from '../../src/detect/population.js';
import { type AccountProfile, DOMAINS, newProfile, thinHistory } from '../../src/detect/profile.js';
import { coordination } from '../../src/detect/signals/coordination.js';
import { cotElicitation } from '../../src/detect/signals/cot.js';
import { modelFanout } from '../../src/detect/signals/fanout.js';
import { fixedConfig } from '../../src/detect/signals/fixed-config.js';
import { grading } from '../../src/detect/signals/grading.js';
import { harvestRatio } from '../../src/detect/signals/harvest-ratio.js';
import { logprobExtraction } from '../../src/detect/signals/logprobs.js';
import { multimodalBulk } from '../../src/detect/signals/multimodal.js';
import { newModelPivot } from '../../src/detect/signals/new-model.js';
import { sampling } from '../../src/detect/signals/sampling.js';
import { harvestSegment } from '../../src/detect/signals/segments.js';
import { singleTurn } from '../../src/detect/signals/single-turn.js';
import { sweep } from '../../src/detect/signals/sweep.js';
import { templateReuse } from '../../src/detect/signals/template-reuse.js';
import { followsTheDay, hourCv, machineTiming } from '../../src/detect/signals/timing.js';
import type { Signal, SignalContext } from '../../src/detect/signals/types.js';
import { volume } from '../../src/detect/signals/volume.js';
import { hllAdd } from '../../src/detect/sketches/hll.js';
import { topkAdd } from '../../src/detect/sketches/topk.js';
import { event, profilesOf, T0 } from './fixtures.js';

const cfg = resolveConfig();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-03-10T00:00:00Z');
const ctx = (over: Partial<SignalContext> = {}): SignalContext => ({
  pop: emptyPopulation(NOW, NOW - 7 * DAY),
  cfg,
  now: NOW,
  ...over,
});

/** A signal's score and detail on one profile, read as scoring reads them. */
/** A campaign context with defaults for the fields a test does not set. */
const camp = (
  o: Partial<NonNullable<SignalContext['campaign']>>,
): NonNullable<SignalContext['campaign']> => ({
  keys: 2,
  orgs: 2,
  meanEdge: 0.7,
  evidence: '',
  diurnalShare: 0,
  ...o,
});
const run = (s: Signal, p: AccountProfile, c: SignalContext) => ({
  score: s.score(p, c),
  detail: s.detail(p, c),
});

/** A hand-built profile: n requests over `spanMs` ending now, with the given fields. */
function profile(n: number, fields: Partial<AccountProfile> = {}, spanMs = DAY): AccountProfile {
  const p = newProfile('k', 'a', 'o', cfg);
  // Input given without a history share is all sent anew (one-shot traffic).
  const fresh = fields.inTok !== undefined && fields.freshTok === undefined ? { freshTok: fields.inTok } : {};
  return Object.assign(p, { n, firstTs: NOW - spanMs, lastTs: NOW, singleTurn: n }, fresh, fields);
}
const distinct = (p: AccountProfile, field: 'prompt' | 'frame' | 'skel', count: number) => {
  for (let i = 0; i < count; i++) hllAdd(p.hll[field], (i * 2654435761) >>> 0);
};
const domains = (counts: Partial<Record<string, number>>) => DOMAINS.map((d) => counts[d] ?? 0);

describe('harvest_ratio', () => {
  it('scores short prompts with long answers high', () => {
    const r = run(harvestRatio, profile(1000, { inTok: 60_000, outTok: 1_200_000 }), ctx());
    expect(r.score).toBe(1);
    expect(r.detail).toContain('ratio 20.0');
  });
  it('leaves long-input short-output traffic (batch, RAG) at 0', () => {
    expect(run(harvestRatio, profile(1000, { inTok: 3_000_000, outTok: 80_000 }), ctx()).score).toBe(0);
  });
  it('needs long answers in absolute terms (boundary)', () => {
    const short = run(harvestRatio, profile(1000, { inTok: 10_000, outTok: 90_000 }), ctx());
    expect(short.score).toBe(0);
  });
});

describe('single_turn', () => {
  it('scores one-shot traffic high and conversations low', () => {
    expect(run(singleTurn, profile(500), ctx()).score).toBe(1);
    expect(run(singleTurn, profile(500, { singleTurn: 100, multiTurn: 400 }), ctx()).score).toBe(0);
  });
  it('counts a follow-up behind a canned exchange as one-shot, and a real conversation as multi-turn', () => {
    type Turn = { role: string; content: string };
    const canned: Turn[] = [
      { role: 'user', content: 'Hi, can you help me with something?' },
      { role: 'assistant', content: 'Of course! What do you need?' },
    ];
    const real: Turn[] = [
      { role: 'user', content: 'How do tides work?' },
      {
        role: 'assistant',
        content: 'Tides come from the pull of the moon and the sun on the oceans. '.repeat(12),
      },
    ];
    const key = (history: Turn[]) =>
      profilesOf(
        Array.from({ length: 40 }, (_, i) =>
          event({
            ts: T0 + i * 60_000,
            key: 'k',
            user: `Question ${i}: explain the orbit of moon number ${i} in detail.`,
            history: i % 2 === 1 ? history : undefined,
            promptTokens: 60,
            completionTokens: 700,
          }),
        ),
      )[0]!;
    const disguised = key(canned);
    expect(disguised).toMatchObject({ singleTurn: 40, thinTurn: 20, multiTurn: 0 });
    const r = run(singleTurn, disguised, ctx());
    expect(r.score).toBe(1);
    expect(r.detail).toContain('50% follow a canned exchange');
    expect(key(real)).toMatchObject({ singleTurn: 20, thinTurn: 0, multiTurn: 20 });
  });
  it('never reads a tool loop, a first request or an event without assistantChars as canned', () => {
    const p = Object.assign(newProfile('k', 'a', 'o', cfg), { n: 10, nSum: 10, outTok: 7000 });
    const follow = { assistantTurns: 1, toolMessages: 0, assistantChars: 20 };
    const as = (o: object) => o as Parameters<typeof thinHistory>[1];
    expect(thinHistory(p, as(follow))).toBe(true);
    expect(thinHistory(p, as({ ...follow, assistantChars: 400 }))).toBe(false); // over the 300-character cap
    expect(thinHistory(p, as({ ...follow, toolMessages: 1 }))).toBe(false);
    expect(thinHistory(p, as({ ...follow, assistantChars: undefined }))).toBe(false);
    expect(thinHistory(newProfile('k', 'a', 'o', cfg), as(follow))).toBe(false);
    // Short answers set a low bar: 40-token answers need 20 characters a turn.
    const terse = Object.assign(newProfile('k', 'a', 'o', cfg), { n: 10, nSum: 10, outTok: 400 });
    expect(thinHistory(terse, as({ ...follow, assistantChars: 25 }))).toBe(false);
    expect(thinHistory(terse, as({ ...follow, assistantChars: 15 }))).toBe(true);
    // No answer length known yet (a log without responses): the 300-character cap alone.
    const unknown = Object.assign(newProfile('k', 'a', 'o', cfg), { n: 10, nSum: 10, outTok: 0 });
    expect(thinHistory(unknown, as({ ...follow, assistantChars: 250 }))).toBe(true);
    expect(thinHistory(unknown, as({ ...follow, assistantChars: 350 }))).toBe(false);
  });
  it('starts counting above 75% single-turn (boundary)', () => {
    expect(run(singleTurn, profile(100, { singleTurn: 75 }), ctx()).score).toBe(0);
    expect(run(singleTurn, profile(100, { singleTurn: 90 }), ctx()).score).toBeGreaterThan(0.5);
  });
});

describe('sweep', () => {
  it('scores an even sweep over many capabilities', () => {
    const p = profile(700, {
      domains: domains({
        code: 100,
        math: 100,
        reasoning: 100,
        translation: 100,
        writing: 100,
        tool_use: 100,
        vision: 100,
      }),
    });
    const r = run(sweep, p, ctx());
    expect(r.score).toBe(1);
    expect(r.detail).toMatch(/7\.0 effective domains/);
  });
  it('leaves a one-capability product at 0', () => {
    expect(
      run(sweep, profile(700, { domains: domains({ summarization: 680, other: 20 }) }), ctx()).score,
    ).toBe(0);
  });
  it('counts tool loops as one task each: a harness sweeping capabilities through tools', () => {
    const spread = domains({ code: 140, math: 140, reasoning: 140, writing: 140, tool_use: 140 });
    const loops = profile(700, { singleTurn: 150, multiTurn: 550, toolReq: 650, domains: spread });
    expect(run(sweep, loops, ctx()).score).toBeGreaterThan(0.5);
    // The same conversations without tools are a chat product's: they do not count.
    const chat = profile(700, { singleTurn: 150, multiTurn: 550, toolReq: 0, domains: spread });
    expect(run(sweep, chat, ctx()).score).toBe(0);
  });
  it('needs the traffic to be single-turn or tool loops', () => {
    const p = profile(700, {
      singleTurn: 100,
      domains: domains({
        code: 100,
        math: 100,
        reasoning: 100,
        translation: 100,
        writing: 100,
        tool_use: 100,
        vision: 100,
      }),
    });
    expect(run(sweep, p, ctx()).score).toBe(0);
  });
});

describe('template_reuse', () => {
  const templated = () => {
    const p = profile(1000);
    for (let i = 0; i < 1000; i++) topkAdd(p.frames, 'aaaa000011112222', NOW, [40, 900, 1, 1]);
    distinct(p, 'frame', 1);
    distinct(p, 'prompt', 950);
    return p;
  };
  it('scores one frame with varying slots at volume', () => {
    expect(run(templateReuse, templated(), ctx()).score).toBeGreaterThan(0.9);
  });
  it('does not score identical prompts (no varying slots)', () => {
    const p = templated();
    p.hll.prompt.r.fill(0);
    distinct(p, 'prompt', 5);
    expect(run(templateReuse, p, ctx()).score).toBe(0);
  });
  it('counts less when the frame is common across orgs', () => {
    const pop = {
      ...emptyPopulation(NOW, NOW - DAY),
      commonLimit: 60,
      frameOrgs: new Map([['aaaa000011112222', 80]]),
    };
    expect(run(templateReuse, templated(), ctx({ pop })).score).toBeLessThan(0.35);
  });
  it("does not count a product's template filled in by its returning end users", () => {
    const product = templated();
    product.endUserReq = 1000;
    for (let i = 0; i < 1000; i++) hllAdd(product.hll.endUser, 1000 + (i % 80)); // 80 people
    const r = run(templateReuse, product, ctx());
    expect(r.score).toBe(0);
    expect(r.detail).toContain('100% attributed to returning end users');
    const madeUp = templated();
    madeUp.endUserReq = 1000;
    for (let i = 0; i < 1000; i++) hllAdd(madeUp.hll.endUser, 5000 + i); // a fresh id each time
    expect(run(templateReuse, madeUp, ctx()).score).toBeGreaterThan(0.9);
  });
  it('leaves unique hand-written prompts at 0', () => {
    const p = profile(300);
    for (let i = 0; i < 300; i++) topkAdd(p.frames, `f${i}`, NOW);
    distinct(p, 'frame', 300);
    distinct(p, 'prompt', 300);
    expect(run(templateReuse, p, ctx()).score).toBe(0);
  });
});

describe('cot_elicitation and grading', () => {
  it('score by share with a floor', () => {
    expect(run(cotElicitation, profile(100, { cot: 80, outTok: 60_000 }), ctx()).score).toBe(1);
    expect(run(cotElicitation, profile(100, { cot: 10, outTok: 60_000 }), ctx()).score).toBe(0);
    // "Let's think step by step" on benchmark questions with short answers is an eval harness.
    expect(run(cotElicitation, profile(100, { cot: 100, outTok: 12_000 }), ctx()).score).toBe(0);
    expect(run(grading, profile(100, { grading: 60 }), ctx()).score).toBe(1);
    expect(run(grading, profile(100, { grading: 5 }), ctx()).score).toBe(0);
    expect(run(grading, profile(100, { grading: 30 }), ctx()).score).toBeCloseTo(0.5, 5);
  });
});

describe('logprob_extraction', () => {
  it('scores max top_logprobs on most requests', () => {
    const r = run(
      logprobExtraction,
      profile(200, { logprobReq: 200, highTopLp: 200, topLpSum: 4000 }),
      ctx(),
    );
    expect(r.score).toBe(1);
    expect(r.detail).toContain('mean 20.0');
  });
  it('scores large logit_bias maps', () => {
    expect(
      run(logprobExtraction, profile(200, { biasReq: 100, largeBiasReq: 100, biasSizeMax: 300 }), ctx())
        .score,
    ).toBe(1);
  });
  it('leaves a classifier reading one logprob at 0', () => {
    expect(
      run(logprobExtraction, profile(200, { logprobReq: 200, topLpSum: 200, biasReq: 200 }), ctx()).score,
    ).toBe(0);
  });
});

describe('sampling', () => {
  it('scores repeated sampling of the same prompt', () => {
    expect(run(sampling, profile(200, { repeats: 150, ringInserts: 50 }), ctx()).score).toBe(1);
    expect(run(sampling, profile(200, { multiN: 200, nSum: 800 }), ctx()).score).toBe(1);
  });
  it('caps max_tokens pinned high alone at 0.8', () => {
    expect(
      run(sampling, profile(200, { maxTokSet: 200, maxTokHigh: 200, ringInserts: 200 }), ctx()).score,
    ).toBeCloseTo(0.8, 5);
  });
  it('leaves ordinary traffic at 0', () => {
    expect(
      run(sampling, profile(200, { maxTokSet: 200, maxTokHigh: 10, ringInserts: 190, repeats: 10 }), ctx())
        .score,
    ).toBe(0);
  });
});

describe('machine_timing', () => {
  it('scores a flat 24/7 profile', () => {
    const p = profile(2400, { hours: new Array(24).fill(100) }, 2 * DAY);
    expect(run(machineTiming, p, ctx()).score).toBe(1);
  });
  it('reads a flat day as around the clock only once the clock has turned twice', () => {
    // One job that ran through a night: every hour once, Poisson gaps (a researcher's batch).
    const run1 = (spanH: number) =>
      run(
        machineTiming,
        profile(
          1800,
          { hours: new Array(24).fill(75), gaps: { k: 1799, mean: 50_000, m2: 1798 * 50_000 ** 2 } },
          spanH * HOUR,
        ),
        ctx(),
      ).score;
    expect(run1(25)).toBe(0);
    expect(run1(39)).toBeCloseTo(0.5, 5);
    expect(run1(48)).toBe(1);
  });
  it('leaves a diurnal product at 0', () => {
    const hours = Array.from({ length: 24 }, (_, h) => (h >= 8 && h <= 21 ? 150 : 20));
    const n = hours.reduce((a, b) => a + b, 0);
    const p = profile(n, { hours, gaps: { k: n - 1, mean: 60_000, m2: (n - 2) * 90_000 ** 2 } }, 2 * DAY);
    expect(run(machineTiming, p, ctx()).score).toBe(0);
  });
  it('scores clockwork inter-arrival times', () => {
    const p = profile(500, { gaps: { k: 499, mean: 60_000, m2: 498 * 6_000 ** 2 } }, 8 * HOUR);
    expect(run(machineTiming, p, ctx()).score).toBe(1);
  });
  it("does not read a campaign's flat merged day as a machine's when its members follow their own days", () => {
    const p = profile(2400, { hours: new Array(24).fill(100) }, 2 * DAY);
    const merged = (diurnalShare: number) => ctx({ campaign: camp({ keys: 12, orgs: 1, diurnalShare }) });
    expect(run(machineTiming, p, merged(0)).score).toBe(1);
    const r = run(machineTiming, p, merged(0.75));
    expect(r.score).toBeCloseTo(0.25, 5);
    expect(r.detail).toContain('75% of the requests from members that follow their own day');
  });
  it('tells a key that follows the day (enough requests and span, hour-of-day CV ≥ 0.45)', () => {
    const hours = Array.from({ length: 24 }, (_, h) => (h >= 8 && h <= 21 ? 150 : 20));
    const n = hours.reduce((a, b) => a + b, 0);
    expect(followsTheDay(profile(n, { hours }, 2 * DAY))).toBe(true);
    expect(followsTheDay(profile(n, { hours }, 20 * HOUR))).toBe(false);
    const few = Array.from({ length: 24 }, (_, h) => (h >= 9 && h <= 18 ? 2 : 0)); // 20 requests
    expect(followsTheDay(profile(20, { hours: few }, 3 * DAY))).toBe(false);
    expect(followsTheDay(profile(30, { hours: few.map((c) => c * 1.5) }, 3 * DAY))).toBe(true);
    expect(followsTheDay(profile(2400, { hours: new Array(24).fill(100) }, 2 * DAY))).toBe(false);
  });
  it('corrects hour-of-day CV for Poisson noise', () => {
    expect(hourCv(new Array(24).fill(10), 240)).toBe(0);
  });
});

describe('multimodal_bulk', () => {
  it('scores one-shot image requests with long answers at volume', () => {
    expect(
      run(multimodalBulk, profile(500, { imageReq: 500, images: 500, outTok: 400_000 }), ctx()).score,
    ).toBe(1);
  });
  it('leaves a document app with short structured answers low', () => {
    expect(
      run(multimodalBulk, profile(500, { imageReq: 500, images: 900, outTok: 60_000 }), ctx()).score,
    ).toBe(0);
  });
});

describe('model_fanout', () => {
  it('scores prompts sent to several models', () => {
    const p = profile(300, { ringInserts: 100, fanPrompts: 80 });
    topkAdd(p.models, 'model-a', NOW);
    expect(run(modelFanout, p, ctx()).score).toBe(1);
  });
  it('leaves one-model traffic at 0', () => {
    expect(run(modelFanout, profile(300, { ringInserts: 300, fanPrompts: 3 }), ctx()).score).toBe(0);
  });
});

describe('new_model_pivot', () => {
  const pop = (released: number) => ({
    ...emptyPopulation(NOW, NOW - 7 * DAY),
    modelFirstSeen: new Map([
      ['old', NOW - 7 * DAY],
      ['new', released],
    ]),
  });
  it('scores a pivot within hours of a release', () => {
    const p = profile(400, {}, 5 * DAY);
    for (let i = 0; i < 100; i++) topkAdd(p.models, 'old', NOW - 5 * DAY);
    for (let i = 0; i < 300; i++) topkAdd(p.models, 'new', NOW - 2 * DAY + 2 * HOUR);
    expect(run(newModelPivot, p, ctx({ pop: pop(NOW - 2 * DAY) })).score).toBe(1);
  });
  it('ignores models present from the start', () => {
    const p = profile(400, {}, 5 * DAY);
    for (let i = 0; i < 400; i++) topkAdd(p.models, 'new', NOW - 5 * DAY);
    expect(run(newModelPivot, p, ctx({ pop: pop(NOW - 7 * DAY + HOUR) })).score).toBe(0);
  });
  it('fades when the first use comes days after the release', () => {
    const p = profile(400, {}, 5 * DAY);
    for (let i = 0; i < 400; i++) topkAdd(p.models, 'new', NOW - DAY);
    expect(run(newModelPivot, p, ctx({ pop: pop(NOW - 5 * DAY) })).score).toBe(0);
  });
});

describe('volume', () => {
  it('scores output far above the population median', () => {
    const p = profile(5000, { outTok: 5_000_000, slowOut: { v: 5_000_000, t: NOW } }, DAY);
    const pop = { ...emptyPopulation(NOW, NOW - DAY), outRateP50: 20_000 };
    const r = run(volume, p, ctx({ pop }));
    expect(r.score).toBeGreaterThan(0.5);
    expect(r.detail).toContain('population median');
  });
  it('leaves a typical key at 0', () => {
    const p = profile(100, { outTok: 20_000, slowOut: { v: 20_000, t: NOW } }, DAY);
    const pop = { ...emptyPopulation(NOW, NOW - DAY), outRateP50: 20_000 };
    expect(run(volume, p, ctx({ pop })).score).toBe(0);
  });
});

describe('coordination', () => {
  it('is 0 for a single key and grows with linked keys', () => {
    expect(run(coordination, profile(10), ctx()).score).toBe(0);
    const r = run(
      coordination,
      profile(10),
      ctx({ campaign: camp({ keys: 20, orgs: 20, meanEdge: 0.8, evidence: '20 keys in 203.0.113.0/24' }) }),
    );
    expect(r.score).toBe(1);
    const weak = run(
      coordination,
      profile(10),
      ctx({ campaign: camp({ keys: 6, orgs: 6, meanEdge: 0.35 }) }),
    );
    expect(weak.score).toBeCloseTo(0.25, 5);
    expect(r.detail).toContain('203.0.113.0/24');
  });
  it("counts orgs, not keys: one org's many keys are one customer", () => {
    const oneOrg = run(
      coordination,
      profile(10),
      ctx({ campaign: camp({ keys: 20, orgs: 1, meanEdge: 0.8 }) }),
    );
    expect(oneOrg.score).toBe(0);
    expect(oneOrg.detail).toContain('20 keys in 1 org linked');
    expect(
      run(coordination, profile(10), ctx({ campaign: camp({ keys: 20, orgs: 6, meanEdge: 0.8 }) })).score,
    ).toBe(0.5);
  });
});

describe('fixed_config', () => {
  const frozen = (n: number, fields: Partial<AccountProfile> = {}) => {
    const p = profile(n, fields);
    for (let i = 0; i < n; i++) {
      topkAdd(p.models, 'model-a', NOW);
      topkAdd(p.maxToks, '4096', NOW);
      topkAdd(p.systems, '-', NOW);
    }
    return p;
  };
  it('scores one frozen, anonymous, one-shot request shape', () => {
    expect(run(fixedConfig, frozen(300), ctx()).score).toBe(1);
  });
  it('leaves a product that passes end-user ids at 0', () => {
    const p = frozen(300, { endUserReq: 300 });
    for (let i = 0; i < 300; i++) hllAdd(p.hll.endUser, 1000 + (i % 40)); // 40 people who come back
    expect(run(fixedConfig, p, ctx()).score).toBe(0);
  });
  it('treats a fresh made-up end-user id on every request as no attribution', () => {
    const p = frozen(300, { endUserReq: 300 });
    for (let i = 0; i < 300; i++) hllAdd(p.hll.endUser, 5000 + i);
    const r = run(fixedConfig, p, ctx());
    expect(r.score).toBeGreaterThan(0.9);
    expect(r.detail).toMatch(/never recur/);
  });
  it('needs volume and a frozen config (boundary)', () => {
    expect(run(fixedConfig, frozen(19), ctx()).score).toBe(0);
    expect(run(fixedConfig, frozen(50), ctx()).score).toBeCloseTo(0.5, 5);
    const varied = profile(300);
    for (let i = 0; i < 300; i++) {
      topkAdd(varied.models, i % 3 === 0 ? 'a' : 'b', NOW);
      topkAdd(varied.maxToks, '4096', NOW);
      topkAdd(varied.systems, '-', NOW);
    }
    expect(run(fixedConfig, varied, ctx()).score).toBe(0);
  });
});

describe('harvest_segment', () => {
  /** A chat product key (multi-turn, end users) with a slice of one-shot, pinned, anonymous long answers. */
  const mixed = (harvest: number) => {
    const product = 500;
    const p = profile(product + harvest, {
      singleTurn: 100 + harvest,
      endUserReq: product,
      outTok: product * 250 + harvest * 700,
    });
    for (let i = 0; i < product; i++)
      topkAdd(p.models, 'chat-model', NOW, [300, 250, i < 100 ? 1 : 0, 0, 0, 1]);
    for (let i = 0; i < harvest; i++) topkAdd(p.models, 'reasoning-model', NOW, [40, 700, 1, 1, 0, 0]);
    return p;
  };
  it('scores a harvest-shaped slice mixed into a product key', () => {
    const r = run(harvestSegment, mixed(60), ctx());
    expect(r.score).toBe(1);
    expect(r.detail).toContain('reasoning-model');
  });
  it('ignores a slice too small to judge (boundary)', () => {
    expect(run(harvestSegment, mixed(10), ctx()).score).toBe(0);
  });
  it('leaves a product without such a slice at 0', () => {
    expect(run(harvestSegment, mixed(0), ctx()).score).toBe(0);
  });
  /** A key that writes long one-shot answers with max_tokens pinned on two models, every request
   * naming an end user: `ids(i)` is request i's end-user id. */
  const longWriter = (ids: (i: number) => number) => {
    const p = profile(400, { singleTurn: 400, endUserReq: 400, outTok: 400 * 900, maxTokHigh: 400 });
    for (let i = 0; i < 400; i++) {
      topkAdd(p.models, i % 5 === 0 ? 'new-model' : 'old-model', NOW, [60, 900, 1, 1, 0, 1]);
      hllAdd(p.hll.endUser, ids(i));
    }
    return p;
  };
  it('does not take a slice of a product serving returning end users for a harvest slice of its own traffic', () => {
    expect(
      run(
        harvestSegment,
        longWriter((i) => 1000 + (i % 60)),
        ctx(),
      ).score,
    ).toBe(0); // 60 people
  });
  it('still scores the same key when its end-user ids never recur (made up per request)', () => {
    expect(
      run(
        harvestSegment,
        longWriter((i) => 5000 + i),
        ctx(),
      ).score,
    ).toBe(1);
  });
});
