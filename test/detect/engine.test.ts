import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import {
  analyzeEvents,
  ENGINE_VERSION,
  Engine,
  ingestOrSkip,
  inherits,
  suspectPassEvery,
  type VerdictChange,
} from '../../src/detect/engine.js';
import { emptyPopulation } from '../../src/detect/population.js';
import {
  CORROBORATING,
  GENERIC,
  gateFor,
  gatesOf,
  INTENT,
  scoreProfile,
  sharedIntent,
  WEAK,
} from '../../src/detect/scoring.js';
import { SIGNALS } from '../../src/detect/signals/index.js';
import type { RequestEvent } from '../../src/events/types.js';
import {
  batchJob,
  byTime,
  chatApp,
  crowd,
  DAY,
  event,
  frameworkOrgs,
  harvester,
  harvestPrompt,
  hydra,
  judgePipeline,
  profilesOf,
  rng,
  T0,
  testDataJob,
} from './fixtures.js';

const mix = () =>
  byTime([
    ...harvester('harv', 1, 2000),
    ...hydra('hy', 10, 2, 800),
    ...batchJob('batch', 3, 300),
    ...chatApp('chat', 4, 800),
    ...frameworkOrgs('fw', 6, 5, 80),
  ]);
const EVENTS = mix();
const byKey = (f: ReturnType<typeof analyzeEvents>) => new Map(f.accounts.map((a) => [a.key, a]));

describe('engine: events delivered twice', () => {
  it('counts a re-sent batch once (same ids), and twice with the check off', () => {
    const once = analyzeEvents(EVENTS);
    const batch = EVENTS.slice(1000, 1500);
    const resent = [...EVENTS.slice(0, 1500), ...batch, ...EVENTS.slice(1500)];
    const engine = new Engine();
    for (const e of resent) engine.ingest(e);
    const twice = engine.findings();
    expect(engine.stats()).toMatchObject({ events: EVENTS.length, duplicates: 500 });
    expect(twice.input).toEqual({ lines: EVENTS.length, bad_lines: 0, duplicates: 500 });
    expect(twice.accounts.map((a) => [a.key, a.requests, a.score])).toEqual(
      once.accounts.map((a) => [a.key, a.requests, a.score]),
    );
    const off = analyzeEvents(resent, { windows: { recentIds: 0 } });
    const sum = (f: typeof once) => f.accounts.reduce((n, a) => n + a.requests, 0);
    expect(sum(off)).toBe(EVENTS.length + 500);
  });
});

describe('ingestOrSkip', () => {
  it('ingests a good event, and names the event the engine fails on without throwing', () => {
    const engine = new Engine();
    const [a, b] = EVENTS;
    expect(ingestOrSkip(engine, a!)).toBeNull();
    const broken = { ...b!, id: 'req_broken', prompt: undefined } as unknown as RequestEvent;
    expect(ingestOrSkip(engine, broken)).toMatch(/\(event req_broken\)$/);
    expect(ingestOrSkip(engine, b!)).toBeNull();
    expect(engine.findings().accounts.find((x) => x.key === b!.keyId)?.requests).toBeGreaterThanOrEqual(1);
  });
});

describe('engine: a crowd of hundreds of accounts', () => {
  it('links 300 single-key orgs that share only a client and a request shape (more than the old posting cap of 256)', () => {
    const f = analyzeEvents(byTime([...crowd('cr', 300, 40, 3), ...chatApp('chat', 4, 800)]));
    const members = f.accounts.filter((a) => a.key.startsWith('cr'));
    expect(members).toHaveLength(300);
    expect(members.every((a) => a.campaign !== null)).toBe(true);
    const camps = f.campaigns.filter((c) => c.keys.some((k) => k.startsWith('cr')));
    expect(camps.reduce((s, c) => s + c.keys.length, 0)).toBe(300);
    for (const c of camps) {
      expect(c.keys.every((k) => k.startsWith('cr'))).toBe(true);
      // The client is shared by all 300 orgs: common by count, but a crowd of harvesters is not customers.
      const fp = c.reasons.find((r) => r.signal === 'link.shared_fingerprint');
      expect(fp?.detail).toMatch(new RegExp(`^${c.keys.length} keys share client fingerprint`));
    }
    expect(f.accounts.find((a) => a.key === 'chat')!.verdict).toBe('benign');
  });
});

describe('suspectPassEvery', () => {
  const c = resolveConfig().cadence;
  it('waits campaignEveryMs up to campaignEveryKeys keys, longer in proportion past them, at most campaignMaxEveryMs', () => {
    expect(suspectPassEvery(c, 10)).toBe(c.campaignEveryMs);
    expect(suspectPassEvery(c, c.campaignEveryKeys)).toBe(c.campaignEveryMs);
    expect(suspectPassEvery(c, 2.5 * c.campaignEveryKeys)).toBe(2.5 * c.campaignEveryMs);
    expect(suspectPassEvery(c, 1_000 * c.campaignEveryKeys)).toBe(c.campaignMaxEveryMs);
  });
});

describe('engine end to end', () => {
  const findings = analyzeEvents(EVENTS);
  const acc = byKey(findings);

  it('flags a single-key harvester with reasons', () => {
    const h = acc.get('harv')!;
    expect(h.verdict).toBe('distillation');
    expect(h.first_flagged_at).not.toBeNull();
    expect(h.requests_at_first_flag!).toBeLessThan(0.05 * 2000);
    expect(h.reasons.map((r) => r.signal)).toContain('harvest_ratio');
    expect(h.reasons.every((r) => r.detail.length > 0 && r.score >= 0 && r.score <= 1)).toBe(true);
  });
  it('leaves a batch job, a chat app and framework orgs benign', () => {
    for (const k of ['batch', 'chat', 'fw0', 'fw1', 'fw2', 'fw3', 'fw4', 'fw5']) {
      expect(acc.get(k)!.verdict, k).toBe('benign');
      expect(acc.get(k)!.first_flagged_at, k).toBeNull();
      expect(acc.get(k)!.campaign, k).toBeNull();
    }
  });
  it('finds the hydra as one campaign and flags every key early', () => {
    expect(findings.campaigns).toHaveLength(1);
    const c = findings.campaigns[0]!;
    expect(c.keys).toEqual(Array.from({ length: 10 }, (_, i) => `hy${i}`));
    expect(c.verdict).toBe('distillation');
    expect(c.requests).toBe(800);
    expect(c.reasons.some((r) => r.signal.startsWith('link.'))).toBe(true);
    expect(Date.parse(c.first_flagged_at!) - Date.parse(c.first_seen_at!)).toBeLessThan(0.05 * 2 * DAY);
    for (let i = 0; i < 10; i++) {
      const a = acc.get(`hy${i}`)!;
      expect(a.verdict).toBe('distillation');
      expect(a.campaign).toBe(c.id);
    }
  });
  it('includes every key and every findings field', () => {
    expect(findings.version).toBe(1);
    expect(findings.accounts).toHaveLength(1 + 10 + 1 + 1 + 6);
    expect(findings.engine?.version).toBe(ENGINE_VERSION);
    expect(findings.input).toEqual({ lines: EVENTS.length, bad_lines: 0 });
    for (const a of findings.accounts) {
      expect(Object.keys(a).sort()).toEqual(
        [
          'account',
          'campaign',
          'first_distillation_at',
          'first_flagged_at',
          'input_tokens',
          'key',
          'org',
          'output_tokens',
          'reasons',
          'requests',
          'requests_at_first_flag',
          'score',
          'verdict',
        ].sort(),
      );
    }
    expect(findings.generated_at).toBe(new Date(EVENTS[EVENTS.length - 1]!.ts).toISOString());
  });
  it('is deterministic: same events, same findings', () => {
    expect(JSON.stringify(analyzeEvents(EVENTS))).toBe(JSON.stringify(findings));
  });
});

describe('checkpoint', () => {
  it('round-trips to identical findings, and continues identically', () => {
    const half = Math.floor(EVENTS.length / 2);
    const a = new Engine();
    for (const e of EVENTS.slice(0, half)) a.ingest(e);
    const restored = Engine.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(JSON.stringify(restored.findings())).toBe(JSON.stringify(a.findings()));
    for (const e of EVENTS.slice(half)) {
      a.ingest(e);
      restored.ingest(e);
    }
    expect(JSON.stringify(restored.findings())).toBe(JSON.stringify(a.findings()));
  });
  it('restores a checkpoint written before fields and settings were added, and keeps counting', () => {
    const half = Math.floor(EVENTS.length / 2);
    const a = new Engine();
    for (const e of EVENTS.slice(0, half)) a.ingest(e);
    const old = JSON.parse(JSON.stringify(a.toJSON()));
    // As engine 1.5.0 wrote it: no canned-history counter, no stock system prompt list.
    for (const k of old.state.keys) delete k.p.thinTurn;
    delete old.state.config.linkage.stockSystemPrompts;
    const restored = Engine.fromJSON(old);
    const last = EVENTS[EVENTS.length - 1]!;
    const canned = event({
      ts: last.ts + 1000,
      key: EVENTS[0]!.keyId,
      org: EVENTS[0]!.orgId,
      history: [
        { role: 'user', content: 'Hi, can you help me?' },
        { role: 'assistant', content: 'Of course!' },
      ],
      user: 'Explain the theory of relativity in full detail.',
      promptTokens: 40,
      completionTokens: 900,
    });
    for (const e of [...EVENTS.slice(half), canned]) {
      a.ingest(e);
      restored.ingest(e);
    }
    expect(JSON.stringify(restored.findings())).toBe(JSON.stringify(a.findings()));
    type Saved = { state: { keys: Array<{ p: { key: string; thinTurn: number } }> } };
    const counts = (e: Engine) =>
      Object.fromEntries((e.toJSON() as Saved).state.keys.map((k) => [k.p.key, k.p.thinTurn]));
    expect(counts(restored)).toEqual(counts(a));
    expect(counts(a)[EVENTS[0]!.keyId]).toBe(1);
  });
  it('rejects what is not a checkpoint', () => {
    expect(() => Engine.fromJSON({ nope: 1 })).toThrow(/checkpoint/);
  });
});

describe('verdict changes', () => {
  it('reports flagged keys and campaigns in event time', () => {
    const engine = new Engine();
    const changes: VerdictChange[] = [];
    const off = engine.onChange((c) => changes.push(c));
    for (const e of EVENTS) engine.ingest(e);
    engine.evaluate();
    off();
    const harv = changes.find((c) => c.kind === 'account' && c.id === 'harv' && c.verdict !== 'benign');
    expect(harv).toBeDefined();
    expect(harv!.at).toBeGreaterThanOrEqual(T0);
    expect(harv!.reasons.length).toBeGreaterThan(0);
    const camp = changes.find((c) => c.kind === 'campaign' && c.verdict !== 'benign');
    expect(camp!.keys.length).toBeGreaterThanOrEqual(5);
    expect(camp!.keys.every((k) => k.startsWith('hy'))).toBe(true);
    expect(changes.some((c) => c.id.startsWith('chat') || c.id === 'batch')).toBe(false);
  });
});

describe('memory', () => {
  it('stays flat as one key grows 100×', () => {
    const r = rng(9);
    const run = (count: number) => {
      const engine = new Engine();
      for (let i = 0; i < count; i++)
        engine.ingest(
          event({
            ts: T0 + i * 1000,
            key: 'solo',
            ip: `198.51.100.${i % 200}`,
            user: `question ${i} about topic ${Math.floor(r() * 1e6)} and more words ${i * 7}`,
            model: `m${i % 5}`,
            promptTokens: 40,
            completionTokens: 500,
          }),
        );
      engine.evaluate();
      return engine.stats().approxBytes;
    };
    const small = run(100);
    const large = run(10_000);
    expect(large / small).toBeLessThan(1.5);
  });
  it('counts keys, orgs and events', () => {
    const e = new Engine();
    for (const ev of EVENTS.slice(0, 500)) e.ingest(ev);
    const s = e.stats();
    expect(s.events).toBe(500);
    expect(s.accounts).toBeGreaterThan(1);
    expect(s.approxBytes).toBeGreaterThan(s.accounts * 1000);
  });
});

describe('campaign inheritance', () => {
  // A hydra with its own system prompt, and a developer in its own org, network and client who
  // uses the same system prompt and, among multi-turn work, sends prompts of the same family
  // (say, from the same public dataset): near-duplicates plus a shared prompt, nothing else.
  const SYSTEM = 'You are a meticulous math tutor who always shows every step.';
  const TEMPLATE = [
    'Solve this carefully and explain every step of your reasoning: what is {a} multiplied by {b}, then add {c}? Give the final answer at the end.',
  ];
  const OPENERS = [
    'Hi again, quick one from my study group tonight:',
    'My teacher gave us this, could you walk me through it?',
    'Stuck on homework problem seven for tomorrow morning,',
    'Another practice question from the revision sheet:',
    'Checking my work before the quiz on Friday afternoon:',
  ];
  const CLOSERS = ['Thanks!', 'I got a different number.', 'Keep it short please.', 'Is my method fine?'];
  const r = rng(11);
  const events: RequestEvent[] = [];
  for (let i = 0; i < 800; i++) {
    const k = i % 10;
    events.push(
      event({
        ts: T0 + Math.floor((i / 800) * 2 * DAY + r() * 5000),
        key: `hy${k}`,
        ip: `203.0.113.${10 + k}`,
        ua: 'harvest-client/0.3',
        system: SYSTEM,
        user: harvestPrompt(r, TEMPLATE),
        maxTokens: 4096,
        promptTokens: 40,
        completionTokens: 900 + Math.floor(r() * 400),
      }),
    );
  }
  // The system prompt is a stock one: six tutoring apps use it too.
  for (let t = 0; t < 6; t++)
    for (let i = 0; i < 40; i++)
      events.push(
        event({
          ts: T0 + Math.floor(r() * 2 * DAY),
          key: `tutor${t}`,
          ip: `198.51.100.${20 + t}`,
          system: SYSTEM,
          history: [
            { role: 'user', content: `Lesson ${i} of course ${t}` },
            { role: 'assistant', content: 'Ready.' },
          ],
          user: `My answer to exercise ${i} is ${Math.floor(r() * 90)}; is it right, and why?`,
          endUser: `learner-${i % 7}`,
          promptTokens: 120,
          completionTokens: 90,
        }),
      );
  for (let i = 0; i < 60; i++)
    events.push(
      event({
        ts: T0 + Math.floor(r() * 2 * DAY),
        key: 'dev',
        ip: '192.0.2.44',
        ua: 'OpenAI/Node 4.52.0',
        system: SYSTEM,
        history:
          i % 2 === 0
            ? []
            : [
                { role: 'user', content: 'Can you check my homework?' },
                { role: 'assistant', content: 'Sure, send it over.' },
              ],
        // Its own words around the shared item: the prompt's frame is its own, the body is not.
        user: `${OPENERS[i % OPENERS.length]} ${harvestPrompt(r, TEMPLATE)} ${CLOSERS[(i * 7) % CLOSERS.length]}`,
        endUser: `student-${i % 3}`,
        promptTokens: 300,
        completionTokens: 150 + Math.floor(r() * 100),
      }),
    );
  const findings = analyzeEvents(byTime(events));
  const acc = byKey(findings);

  it('does not hand a campaign verdict to a low-scoring key linked by content overlap alone', () => {
    for (let i = 0; i < 10; i++) expect(acc.get(`hy${i}`)!.verdict).toBe('distillation');
    const dev = acc.get('dev')!;
    expect(dev.verdict).toBe('benign');
  });
});

describe('inherits', () => {
  const cfg = resolveConfig();
  it('lets a member whose own score reaches the floor inherit, whatever its links', () => {
    expect(inherits(0.3, 0, 0, cfg)).toBe(true);
  });
  it('needs a very strong behavioural link below the floor', () => {
    expect(inherits(0.05, 0, 0, cfg)).toBe(false);
    expect(inherits(0.05, 0.63, 0, cfg)).toBe(false);
    expect(inherits(0.05, 0.75, 0, cfg)).toBe(true);
  });
  it('or a strong behavioural link and its own share of the campaign intent', () => {
    expect(inherits(0.05, 0.63, 0.31, cfg)).toBe(false);
    expect(inherits(0.05, 0.63, 0.44, cfg)).toBe(false);
    expect(inherits(0.05, 0.63, 0.45, cfg)).toBe(true);
    // Own intent without a behavioural link (infrastructure only) is not enough.
    expect(inherits(0.05, 0, 1, cfg)).toBe(false);
  });
});

describe('sharedIntent', () => {
  const campaign = { intent: { harvest_ratio: 1, sampling: 0.8, cot_elicitation: 0.4 } };
  it("takes the member's best score on an intent signal the campaign scores high on", () => {
    expect(sharedIntent({ harvest_ratio: 0.85, sampling: 0.9 }, campaign)).toEqual({
      signal: 'sampling',
      score: 0.9,
    });
    expect(sharedIntent({ harvest_ratio: 0.85 }, campaign)).toEqual({ signal: 'harvest_ratio', score: 0.85 });
  });
  it('ignores signals the campaign itself scores low on, and members never scored', () => {
    expect(sharedIntent({ cot_elicitation: 1 }, campaign)).toEqual({ signal: null, score: 0 });
    expect(sharedIntent(undefined, campaign)).toEqual({ signal: null, score: 0 });
  });
  it('is fed by scoreProfile, which keeps the non-weak intent signals a harvester scores on', () => {
    const cfg = resolveConfig();
    const events = harvester('h', 3, 300);
    const [p] = profilesOf(events, cfg);
    const r = scoreProfile(p!, { pop: emptyPopulation(), cfg, now: events.at(-1)!.ts });
    expect(r.intent.harvest_ratio).toBeGreaterThan(0.5);
    expect(Object.keys(r.intent).length).toBeGreaterThan(0);
    for (const name of Object.keys(r.intent)) expect(INTENT.has(name) && !WEAK.has(name)).toBe(true);
    expect(r.intent.sweep).toBeUndefined();
  });
});

describe('scoreProfile', () => {
  const cfg = resolveConfig();
  const harvesterEvents = harvester('h', 5, 300);
  const chatEvents = chatApp('c', 6, 300);
  const [h] = profilesOf(harvesterEvents, cfg);
  const [c] = profilesOf(chatEvents, cfg);
  const ctxOf = (events: RequestEvent[]) => ({ pop: emptyPopulation(), cfg, now: events.at(-1)!.ts });
  it('gives the same result for a profile whatever was scored before (its scratch carries nothing over)', () => {
    const first = scoreProfile(h!, ctxOf(harvesterEvents));
    const other = scoreProfile(c!, ctxOf(chatEvents));
    expect(scoreProfile(h!, ctxOf(harvesterEvents))).toEqual(first);
    expect(scoreProfile(c!, ctxOf(chatEvents))).toEqual(other);
    expect(first.reasons).not.toEqual(other.reasons);
  });
  it("lists the signals' own details, strongest contribution first, at most maxReasons", () => {
    const ctx = ctxOf(harvesterEvents);
    const r = scoreProfile(h!, ctx);
    expect(r.reasons.length).toBeGreaterThan(1);
    expect(r.reasons.length).toBeLessThanOrEqual(cfg.scoring.maxReasons);
    for (const reason of r.reasons) {
      const s = SIGNALS.find((x) => x.name === reason.signal)!;
      // Generic reasons counted below their weight say so after the signal's own detail.
      expect(reason.detail.startsWith(s.detail(h!, ctx))).toBe(true);
      expect(reason.score).toBeCloseTo(Math.min(1, s.score(h!, ctx)), 3);
      expect(reason.score).toBeGreaterThanOrEqual(0.1);
    }
    // The order rebuilt from the exported gates: contribution = weight · score · support · gate.
    const weights = cfg.scoring.weights as Record<string, number>;
    const all = SIGNALS.map((s) => ({ signal: s.name, score: Math.min(1, Math.max(0, s.score(h!, ctx))) }));
    const gates = gatesOf(all, cfg.scoring.intentFloor, cfg.scoring.genericFloor);
    const support = Math.min(1, h!.n / cfg.scoring.minRequests);
    const expected = all
      .map((x) => ({ ...x, c: (weights[x.signal] ?? 0) * x.score * support * gateFor(x.signal, gates) }))
      .filter((x) => x.score >= 0.1 && x.c > 0)
      .sort((a, b) => b.c - a.c || (a.signal < b.signal ? -1 : 1))
      .slice(0, cfg.scoring.maxReasons)
      .map((x) => x.signal);
    expect(r.reasons.map((x) => x.signal)).toEqual(expected);
  });
  it('keeps no intent for traffic that shows none', () => {
    const r = scoreProfile(c!, ctxOf(chatEvents));
    expect(r.intent).toEqual({});
  });
});

describe('generic intent needs corroboration (engine 1.10.0)', () => {
  const cfg = resolveConfig();
  it('discounts long answers and pinned max_tokens by the strongest corroborating signal', () => {
    const scores = [
      { signal: 'harvest_ratio', score: 1 },
      { signal: 'sampling', score: 0.8 },
      { signal: 'fixed_config', score: 1 },
    ];
    const bare = gatesOf(scores, 0.5, 0.5);
    expect(bare.corroboration).toBe(0);
    expect(bare.genericGate).toBe(0.5);
    expect(bare.intent).toBe(0.5); // harvest_ratio 1 × 0.5: the automation gate opens only that far
    expect(bare.automationGate).toBe(0.75);
    expect(gateFor('harvest_ratio', bare)).toBe(0.5); // intent gate 1 (fixed_config) × generic gate 0.5
    expect(gateFor('fixed_config', bare)).toBe(0.75);
    const broad = gatesOf([...scores, { signal: 'sweep', score: 0.6 }], 0.5, 0.5);
    expect(broad.genericGate).toBeCloseTo(0.8, 10);
    expect(gateFor('harvest_ratio', broad)).toBeCloseTo(0.8, 10);
    // A specific intent is not discounted, and is itself corroboration.
    const cot = gatesOf([...scores, { signal: 'cot_elicitation', score: 1 }], 0.5, 0.5);
    expect(cot.genericGate).toBe(1);
    expect(gateFor('cot_elicitation', cot)).toBe(1);
    // genericFloor 1 turns the rule off.
    expect(gatesOf(scores, 0.5, 1).intent).toBe(1);
  });
  it('names only intent signals as generic, and no generic or automation-only signal as corroboration', () => {
    for (const g of GENERIC) expect(INTENT.has(g), g).toBe(true);
    for (const c of CORROBORATING) expect(GENERIC.has(c), c).toBe(false);
    expect(CORROBORATING.has('fixed_config')).toBe(false);
    expect(CORROBORATING.has('template_reuse')).toBe(false);
    expect(CORROBORATING.has('volume')).toBe(false);
  });
  it('takes a test-data job out of distillation, and says why its long answers counted for less', () => {
    const events = testDataJob('td', 8, 6, 40);
    const [p] = profilesOf(events, cfg);
    const now = events.at(-1)!.ts;
    const r = scoreProfile(p!, { pop: emptyPopulation(), cfg, now });
    const ratio = r.reasons.find((x) => x.signal === 'harvest_ratio')!;
    expect(ratio.score).toBeGreaterThan(0.9); // the traffic is long answers to short prompts…
    expect(ratio.detail).toMatch(/counted ×0\.5\d: legitimate generation asks for this too/);
    // …and without the rule it would have been called a harvester.
    const off = resolveConfig({ scoring: { genericFloor: 1 } });
    const r1 = scoreProfile(p!, { pop: emptyPopulation(), cfg: off, now });
    expect(r1.verdict).toBe('distillation');
    expect(r1.reasons.find((x) => x.signal === 'harvest_ratio')!.detail).not.toMatch(/counted ×/);
    expect(r.verdict).not.toBe('distillation');
    expect(r.score).toBeLessThan(r1.score - 0.25);
    // Linkage and inheritance read the score with the rule off.
    expect(r.suspicion).toBe(r1.score);
    expect(r1.suspicion).toBe(r1.score);
  });
  it('leaves a lone judge pipeline benign, its grading counted half, and says why (engine 1.11.0)', () => {
    const events = judgePipeline('judge', 12, 8);
    const [p] = profilesOf(events, cfg);
    const r = scoreProfile(p!, { pop: emptyPopulation(), cfg, now: events.at(-1)!.ts });
    const grading = r.reasons.find((x) => x.signal === 'grading')!;
    expect(grading.score).toBe(1); // every request grades a response against a rubric…
    expect(grading.detail).toMatch(
      /counted ×0\.5\d: evaluation platforms and eval pipelines grade with the model too/,
    );
    expect(r.verdict).toBe('benign');
    // …and with the rule off (engine 1.10.0) the same key was suspicious.
    const off = scoreProfile(p!, {
      pop: emptyPopulation(),
      cfg: resolveConfig({ scoring: { genericFloor: 1 } }),
      now: events.at(-1)!.ts,
    });
    expect(off.verdict).not.toBe('benign');
    expect(r.suspicion).toBe(off.score);
  });
  it('still flags grading sent from many linked accounts of different orgs', () => {
    const f = analyzeEvents(judgePipeline('crowd', 13, 10, 120, 8));
    const flagged = f.accounts.filter((a) => a.verdict !== 'benign');
    expect(flagged.length).toBe(8);
    expect(f.campaigns[0]!.reasons.find((x) => x.signal === 'grading')!.detail).not.toMatch(/counted ×/);
  });
  it('still calls a broad, round-the-clock harvester distillation, its long answers in full', () => {
    const events = harvester('h2', 9, 600);
    const [p] = profilesOf(events, cfg);
    const r = scoreProfile(p!, { pop: emptyPopulation(), cfg, now: events.at(-1)!.ts });
    expect(r.verdict).toBe('distillation');
    expect(r.reasons.find((x) => x.signal === 'harvest_ratio')!.detail).not.toMatch(/counted ×/);
  });
});
