import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import { Engine } from '../../src/detect/engine.js';
import { buildPostings } from '../../src/detect/linkage/evidence.js';
import { buildLinkGraph } from '../../src/detect/linkage/index.js';
import { requestShape } from '../../src/detect/linkage/shape.js';
import { buildPopulation } from '../../src/detect/population.js';
import type { RequestEvent } from '../../src/events/types.js';
import {
  byTime,
  edgesOf,
  event,
  frameworkOrgs,
  HOUR,
  harvestPrompt,
  profilesOf,
  rng,
  T0,
  wordSalad,
} from './fixtures.js';

const cfg = resolveConfig();

/** Keys of one script behind residential proxies: own IP and user agent each, same request shape. */
function proxied(
  prefix: string,
  keys: number,
  perKey: number,
  seed: number,
  system?: string,
  ua?: string,
): RequestEvent[] {
  const r = rng(seed);
  const out: RequestEvent[] = [];
  for (let k = 0; k < keys; k++)
    for (let i = 0; i < perKey; i++)
      out.push(
        event({
          ts: T0 + k * 97_000 + i * 2 * HOUR + Math.floor(r() * HOUR),
          key: `${prefix}${k}`,
          ip: `${60 + k}.${20 + k}.${k}.${7 + i}`,
          ua: ua ?? `OpenAI/Python 1.${20 + k}.0`,
          model: k % 2 === 0 ? 'gpt-4o' : 'gpt-4.1',
          system,
          user: harvestPrompt(r),
          maxTokens: 3000,
          promptTokens: 40 + Math.floor(r() * 40),
          completionTokens: 600 + Math.floor(r() * 600),
        }),
      );
  return out;
}

describe('request shape', () => {
  it('names the frozen max_tokens, system prompt and one-shot structure of a scripted key', () => {
    const [p] = profilesOf(proxied('rp', 1, 20, 1, 'You are a helpful assistant.'));
    expect(requestShape(p!)).toMatch(/^3000\|[0-9a-f]{16}\|one-shot$/);
    const [q] = profilesOf(proxied('rq', 1, 20, 2));
    expect(requestShape(q!)).toBe('3000|none|one-shot');
  });
  it('has no shape for few requests, a varying configuration or tool loops', () => {
    expect(requestShape(profilesOf(proxied('rp', 1, 7, 1))[0]!)).toBeNull();
    const varied = proxied('rv', 1, 20, 3).map((e, i) => ({
      ...e,
      params: { ...e.params, maxTokens: i % 2 === 0 ? 1000 : 3000 },
    }));
    expect(requestShape(profilesOf(varied)[0]!)).toBeNull();
    // A conversational product has one, its own (conversations.test.ts); an agent's tool loops have none.
    const agents = profilesOf(frameworkOrgs('fw', 1, 4, 60));
    expect(agents[0]!.toolReq).toBeGreaterThan(0);
    expect(requestShape(agents[0]!)).toBeNull();
  });
  it('links keys of one script that share no IP, fingerprint or model, only with corroboration', () => {
    const profiles = profilesOf(proxied('rp', 6, 12, 5));
    const now = Math.max(...profiles.map((p) => p.lastTs));
    const pop = buildPopulation(profiles, now, T0, new Map(), cfg);
    const g = buildLinkGraph(profiles, pop, cfg);
    const shaped = edgesOf(g).filter((e) => (e.evidence.request_shape ?? 0) > 0);
    expect(shaped.length).toBe(15);
    // The shape (0.3) never links alone: it needs behaviour, timing or infrastructure on top.
    for (const e of shaped) {
      const others = Object.keys(e.evidence).filter((k) => k !== 'request_shape' && k !== 'system_prompt');
      if (others.length === 0) expect(e.strength).toBeLessThan(cfg.linkage.strongEdge);
    }
    expect(shaped.some((e) => e.strength >= cfg.linkage.strongEdge)).toBe(true);
  });
  it('counts a shared system prompt and the shape containing it once', () => {
    const sys = 'You are an uncommon assistant persona used by this script only.';
    const profiles = profilesOf(proxied('rs', 2, 12, 6, sys));
    const now = Math.max(...profiles.map((p) => p.lastTs));
    const pop = buildPopulation(profiles, now, T0, new Map(), cfg);
    const e = edgesOf(buildLinkGraph(profiles, pop, cfg)).find((x) => x.a === 0 && x.b === 1)!;
    expect(e.evidence.system_prompt).toBe(1);
    expect(e.evidence.request_shape).toBe(1);
    const rest = Object.entries(e.evidence).filter(([k]) => k !== 'request_shape' && k !== 'system_prompt');
    let keep = 1 - cfg.linkage.weights.request_shape;
    for (const [k, v] of rest) keep *= 1 - cfg.linkage.weights[k as keyof typeof cfg.linkage.weights] * v;
    expect(e.strength).toBeCloseTo(1 - keep, 6);
  });
});

describe('commonness counts customers, not harvesting accounts', () => {
  const cfg4 = resolveConfig({ linkage: { commonOrgs: 4, commonShare: 0 } });
  const shared = () => {
    // 8 one-key orgs with the same client fingerprint: common by the raw org count (limit 4).
    const profiles = profilesOf(proxied('cs', 8, 12, 9, undefined, 'shared-client/1.0'));
    const now = Math.max(...profiles.map((p) => p.lastTs));
    const pop = buildPopulation(profiles, now, T0, new Map(), cfg4);
    return { profiles, pop };
  };
  const fpRarity = (suspect?: (i: number) => boolean) => {
    const { profiles, pop } = shared();
    const post = buildPostings(profiles, pop, cfg4, undefined, suspect).find((p) => p.kind === 'fingerprint');
    return post?.rarity ?? 0;
  };
  it('keeps an item common while ordinary customers use it', () => {
    expect(fpRarity()).toBe(0);
    expect(fpRarity((i) => i < 3)).toBe(0); // 5 unsuspected orgs still reach the limit
  });
  it('gives an item used only by keys that already look like harvesters its weight back', () => {
    expect(fpRarity(() => true)).toBe(1);
    expect(fpRarity((i) => i < 7)).toBe(1); // one customer org among them: rare
  });
});

describe('a slow-and-low campaign behind residential proxies', () => {
  /** 8 keys, each its own org, IP and user agent, 3 requests a day at office hours, SDK defaults. */
  function slowLow(prefix: string, seed: number, frozen: boolean): RequestEvent[] {
    const r = rng(seed);
    const out: RequestEvent[] = [];
    for (let k = 0; k < 8; k++)
      for (let i = 0; i < 30; i++) {
        const day = Math.floor(i / 3);
        out.push(
          event({
            ts: T0 + day * 24 * HOUR + (9 + (i % 3) * 3) * HOUR + Math.floor(r() * 2 * HOUR) + k * 60_000,
            key: `${prefix}${k}`,
            ip: `${70 + k}.${11 * k}.${3 + k}.${9 + i}`,
            ua: `OpenAI/Python 1.${40 + k}.0`,
            model: ['gpt-4o', 'gpt-4.1', 'o4-mini'][k % 3],
            // A scripted client never varies its configuration; a person trying things does.
            ...(frozen
              ? {}
              : { system: i % 2 === 0 ? 'Be brief.' : undefined, maxTokens: [256, 1024, 4096][i % 3] }),
            user: wordSalad(r),
            promptTokens: 40 + Math.floor(r() * 40),
            completionTokens: 700 + Math.floor(r() * 500),
          }),
        );
      }
    return out;
  }
  it('links the keys by their frozen request shape and alike behaviour into one flagged campaign', () => {
    const engine = new Engine();
    for (const e of byTime(slowLow('sl', 11, true))) engine.ingest(e);
    const f = engine.findings();
    expect(f.campaigns).toHaveLength(1);
    const c = f.campaigns[0]!;
    expect(c.verdict).not.toBe('benign');
    expect([...c.keys].sort()).toEqual(Array.from({ length: 8 }, (_, k) => `sl${k}`));
    expect(c.reasons.map((x) => x.detail).join('\n')).toMatch(/frozen request shape/);
    // Shape and behaviour alone (≈ 0.62) are below the very-strong bar (inheritEdge 0.7), and each
    // key's own score is low; the keys inherit because their own traffic shows what the campaign
    // harvests (long answers to short prompts), and the reason says so.
    const members = f.accounts.filter((a) => a.campaign === c.id);
    expect(members).toHaveLength(8);
    for (const a of members) {
      expect(a.verdict).toBe(c.verdict);
      expect(a.reasons[0]!.detail).toMatch(/its own traffic shows the campaign's harvest_ratio/);
    }
  });
  it('needs the shape to do it: without its weight the same keys form no campaign', () => {
    const engine = new Engine({ linkage: { weights: { request_shape: 0 } } });
    for (const e of byTime(slowLow('sl', 11, true))) engine.ingest(e);
    expect(engine.findings().campaigns).toHaveLength(0);
  });
  it('leaves the same prompts from keys whose configuration varies unlinked and unflagged', () => {
    const engine = new Engine();
    for (const e of byTime(slowLow('dv', 11, false))) engine.ingest(e);
    const f = engine.findings();
    expect(f.accounts.filter((a) => a.verdict !== 'benign')).toHaveLength(0);
    expect(f.campaigns).toHaveLength(0);
  });
});
