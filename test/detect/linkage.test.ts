import { describe, expect, it } from 'vitest';
import { buildCampaigns } from '../../src/detect/campaigns.js';
import { resolveConfig } from '../../src/detect/config.js';
import { buildPostings, PostingSlots } from '../../src/detect/linkage/evidence.js';
import { ownSystemPrompt, PassIdentity } from '../../src/detect/linkage/identity.js';
import { buildLinkGraph, strongComponents } from '../../src/detect/linkage/index.js';
import {
  type LshLookup,
  lshIndexNew,
  lshInsert,
  PAIR,
  SIG_SLOTS,
} from '../../src/detect/linkage/lsh-index.js';
import { requestShape } from '../../src/detect/linkage/shape.js';
import { buildPopulation, SALIENT_KINDS, salientAll } from '../../src/detect/population.js';
import { mergeAll, subnetOf } from '../../src/detect/profile.js';
import type { RequestEvent } from '../../src/events/types.js';
import {
  chatApp,
  DAY,
  edgesOf,
  event,
  frameworkOrgs,
  HOUR,
  harvestPrompt,
  hydra,
  profilesOf,
  rng,
  T0,
} from './fixtures.js';

const cfg = resolveConfig();

function link(events: RequestEvent[]) {
  const profiles = profilesOf(events);
  const now = Math.max(...profiles.map((p) => p.lastTs));
  const start = Math.min(...profiles.map((p) => p.firstTs));
  const pop = buildPopulation(profiles, now, start, new Map(), cfg);
  const graph = buildLinkGraph(profiles, pop, cfg);
  const comps = strongComponents(profiles.length, graph, cfg.linkage.strongEdge);
  return { profiles, pop, graph, comps, now };
}

describe('subnets', () => {
  it('groups IPv4 by /24 and IPv6 by /64', () => {
    expect(subnetOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(subnetOf('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(subnetOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(subnetOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(subnetOf(null)).toBeNull();
  });
});

describe('linkage', () => {
  it('links a 10-key hydra sharing a template and a /24 into one campaign', () => {
    const { profiles, graph, comps, pop, now } = link(hydra('hy', 10, 7, 600));
    expect(comps).toHaveLength(1);
    expect(comps[0]).toHaveLength(10);
    const [c] = buildCampaigns(profiles, graph, pop, cfg, now);
    const text = c!.links.map((r) => r.detail).join('\n');
    expect(text).toMatch(/10 keys in 203\.0\.113\.0\/24/);
    expect(text).toMatch(/10 keys share template/);
    expect(c!.links.map((r) => r.signal)).toContain('link.shared_subnet');
    // The result keeps the merged profile's traffic, not the profile.
    const merged = mergeAll(
      c!.members.map((m) => profiles[m]!),
      cfg,
    );
    expect(c!.traffic).toEqual({
      n: merged.n,
      outTok: merged.outTok,
      firstTs: merged.firstTs,
      lastTs: merged.lastTs,
    });
    expect(c!.traffic.n).toBe(profiles.reduce((s, p) => s + p.n, 0));
  });
  it('does not link 10 unrelated orgs sharing a popular framework system prompt', () => {
    const { comps, graph } = link(frameworkOrgs('fw', 10, 3, 120));
    expect(comps).toHaveLength(0);
    const shared = edgesOf(graph).filter((e) => (e.evidence.system_prompt ?? 0) > 0);
    expect(shared.length).toBeGreaterThan(0); // the evidence is seen, but alone it is not a link
    expect(Math.max(...edgesOf(graph).map((e) => e.strength))).toBeLessThan(cfg.linkage.strongEdge);
  });
  it('counts a shared tool set and a shared system prompt as one piece of evidence (one framework)', () => {
    const events = frameworkOrgs('fw', 10, 3, 120);
    const withTools = link(events);
    const strengths = (g: typeof withTools.graph) => edgesOf(g).map((e) => [e.a, e.b, e.strength]);
    expect(edgesOf(withTools.graph).some((e) => (e.evidence.tool_set ?? 0) > 0)).toBe(true);
    const withoutTools = link(
      events.map((e) => {
        const { toolsHash: _, ...params } = e.params;
        return { ...e, params };
      }),
    );
    expect(edgesOf(withoutTools.graph).some((e) => (e.evidence.tool_set ?? 0) > 0)).toBe(false);
    expect(strengths(withTools.graph)).toEqual(strengths(withoutTools.graph));
  });
  it('links keys of a rare tool set when the set is what they share with other evidence', () => {
    // Keys with no system prompt, one tool set, one client fingerprint: the tool set is the software's identity.
    const events = frameworkOrgs('fw', 6, 5, 80).map((e) => ({
      ...e,
      prompt: { ...e.prompt, systemHash: null },
      fingerprint: 'fp-harness',
    }));
    const { graph } = link(events);
    const e = edgesOf(graph).find((x) => (x.evidence.tool_set ?? 0) > 0);
    expect(e?.evidence.tool_set).toBeGreaterThan(0.9);
    expect(e?.evidence.system_prompt ?? 0).toBe(0);
  });
  it('drops a hash shared by the common limit of orgs or more (established customers)', () => {
    const cfg4 = resolveConfig({
      linkage: { commonOrgs: 4, commonShare: 0 },
      windows: { newModelWarmupMs: 3 * DAY },
    });
    const profiles = profilesOf([...frameworkOrgs('fw', 12, 3, 40), ...chatApp('chat', 5, 200)]);
    const start = Math.min(...profiles.map((p) => p.firstTs));
    const pop = buildPopulation(profiles, start + 2 * DAY, start, new Map(), cfg4);
    const g = buildLinkGraph(profiles, pop, cfg4);
    expect(edgesOf(g).filter((e) => (e.evidence.system_prompt ?? 0) > 0)).toHaveLength(0);
  });
  it('keeps the evidence of a hash shared by a crowd of new keys that behave alike', () => {
    const cfg4 = resolveConfig({
      linkage: { commonOrgs: 4, commonShare: 0 },
      windows: { newModelWarmupMs: HOUR },
    });
    const late = hydra('hy', 12, 5, 600).map((e) => ({ ...e, ts: e.ts + 6 * HOUR }));
    const profiles = profilesOf([...chatApp('chat', 5, 200), ...late]);
    const start = Math.min(...profiles.map((p) => p.firstTs));
    const pop = buildPopulation(profiles, start + 3 * DAY, start, new Map(), cfg4);
    expect(pop.subnetOrgs.get('203.0.113.0/24')).toBe(12);
    const g = buildLinkGraph(profiles, pop, cfg4);
    expect(edgesOf(g).filter((e) => (e.evidence.subnet ?? 0) > 0.5).length).toBeGreaterThan(10);
  });
  it('keeps a hydra and framework orgs apart in a mixed population', () => {
    const { profiles, comps } = link([...hydra('hy', 10, 7, 600), ...frameworkOrgs('fw', 10, 3, 120)]);
    expect(comps).toHaveLength(1);
    expect(comps[0]!.map((i) => profiles[i]!.key).every((k) => k.startsWith('hy'))).toBe(true);
  });
});

/**
 * `keys` keys, each its own org, /24 and client, phrasing their requests from one template (as
 * apps built for one job do, or one script's keys); `system(k)` is key k's system prompt.
 */
function alikeKeys(
  keys: number,
  system: (k: number) => string | undefined,
  sharedInfra = false,
): RequestEvent[] {
  const r = rng(11);
  const template = [
    'Write a detailed, well-structured blog post of about {a} words on {t} for our readers, with {b} subheadings and a short conclusion.',
  ];
  return Array.from({ length: keys * 40 }, (_, i) => {
    const k = i % keys;
    return event({
      ts: T0 + i * 60_000 + Math.floor(r() * 5000),
      key: `alike${k}`,
      org: `alikeorg${k}`,
      ip: sharedInfra ? `198.51.100.${10 + k}` : `198.51.${k}.7`,
      ua: sharedInfra ? 'harvest-client/0.3' : `client-${k}/1.0`,
      system: system(k),
      user: harvestPrompt(r, template),
      maxTokens: 4096,
      promptTokens: 60,
      completionTokens: 900,
    });
  });
}

describe('product identity', () => {
  const own = (k: number) =>
    `You are Brand${k}, the writing assistant of product number ${k}. Keep our house style.`;
  it('does not link keys that phrase requests alike but each send their own system prompt', () => {
    const { comps, graph } = link(alikeKeys(8, own));
    expect(comps).toHaveLength(0);
    // Content evidence counts at a quarter: too weak to keep an edge at all.
    expect(edgesOf(graph).every((e) => e.strength < cfg.linkage.strongEdge)).toBe(true);
  });
  it('does not link a product to keys that do not send its system prompt', () => {
    const { comps, profiles } = link(alikeKeys(8, (k) => (k < 4 ? own(k) : undefined)));
    expect(comps.map((c) => c.map((i) => profiles[i]!.key).sort())).toEqual([
      ['alike4', 'alike5', 'alike6', 'alike7'],
    ]);
  });
  it('counts content evidence in full between keys with their own prompts that share a rare /24 and client (a disguise)', () => {
    const { comps, graph } = link(alikeKeys(8, own, true));
    expect(comps.map((c) => c.length)).toEqual([8]);
    const template = edgesOf(graph).map((e) => e.evidence.template ?? 0);
    expect(Math.max(...template)).toBeGreaterThan(cfg.linkage.distinctProducts);
  });
  it('links the same traffic when the keys share one system prompt or send none (one script)', () => {
    expect(link(alikeKeys(8, () => 'You are a meticulous writer.')).comps).toHaveLength(1);
    expect(link(alikeKeys(8, () => undefined)).comps).toHaveLength(1);
  });
  it('links them again with the discount turned off (distinctProducts 1)', () => {
    const off = resolveConfig({ linkage: { distinctProducts: 1 } });
    const profiles = profilesOf(alikeKeys(8, own), off);
    const pop = buildPopulation(profiles, Math.max(...profiles.map((p) => p.lastTs)), T0, new Map(), off);
    expect(strongComponents(profiles.length, buildLinkGraph(profiles, pop, off), 0.6)).toHaveLength(1);
  });
  it("a key's own system prompt: modal on half its requests, rare, and none for stock prompts", () => {
    const { profiles, pop } = link(alikeKeys(4, own));
    expect(ownSystemPrompt(profiles[0]!, pop)).toMatch(/^[0-9a-f]+$/);
    const few = link(alikeKeys(4, own).slice(0, 12)); // 3 requests a key: too few to tell
    expect(ownSystemPrompt(few.profiles[0]!, few.pop)).toBeNull();
    const none = link(alikeKeys(4, () => undefined));
    expect(ownSystemPrompt(none.profiles[0]!, none.pop)).toBeNull();
    const half = link(
      alikeKeys(4, own).map((e, i) => (i % 8 < 5 ? { ...e, prompt: { ...e.prompt, systemHash: null } } : e)),
    );
    expect(ownSystemPrompt(half.profiles[0]!, half.pop)).toBeNull(); // on 3 of 8 requests only
    const common = resolveConfig({ linkage: { commonOrgs: 4, commonShare: 0 } });
    const stock = profilesOf(
      alikeKeys(6, () => 'You are a helpful assistant.'),
      common,
    );
    const stockPop = buildPopulation(stock, Math.max(...stock.map((p) => p.lastTs)), T0, new Map(), common);
    expect(ownSystemPrompt(stock[0]!, stockPop)).toBeNull(); // used by 6 orgs, over the limit of 4
  });
  it('tells two products apart, and a product from a key that sends its prompt on under half its requests', () => {
    // alike0 and alike1 each send their own prompt; alike2 sends alike0's on 5 of 8 requests,
    // alike3 on 4 of 10 (its most sent prompt, on under half); alike4 and alike5 send none.
    const events = alikeKeys(6, (k) => (k < 4 ? own(0) : undefined)).map((e, i) => {
      const nth = Math.floor(i / 6) % 8; // the key's own request number, mod 8
      if (e.keyId === 'alike1') return { ...e, prompt: { ...e.prompt, systemHash: 'b1b1b1b1b1b1b1b1' } };
      if (e.keyId === 'alike2' && nth >= 5) return { ...e, prompt: { ...e.prompt, systemHash: null } };
      const tenth = Math.floor(i / 6) % 10;
      if (e.keyId === 'alike3' && tenth >= 4)
        return { ...e, prompt: { ...e.prompt, systemHash: tenth < 7 ? 'c3c3c3c3c3c3c3c3' : null } };
      return e;
    });
    const { profiles, pop } = link(events);
    const at = (key: string) => profiles.findIndex((p) => p.key === key);
    const ids = new PassIdentity(profiles, pop);
    expect(ids.of(at('alike0'))).not.toBeNull();
    expect(ids.distinct(at('alike0'), at('alike1'))).toBe(true); // two products
    expect(ids.distinct(at('alike0'), at('alike2'))).toBe(false); // mostly sends alike0's prompt
    expect(ids.distinct(at('alike3'), at('alike0'))).toBe(true); // sends it on 4 of 10 only
    expect(ids.distinct(at('alike5'), at('alike1'))).toBe(true);
    expect(ids.distinct(at('alike4'), at('alike5'))).toBe(false); // neither has its own prompt
    // Asked again (answers remembered per key) and in either order, the same.
    expect(ids.distinct(at('alike2'), at('alike0'))).toBe(false);
    expect(ids.distinct(at('alike1'), at('alike0'))).toBe(true);
  });
});

describe('LSH index inserts', () => {
  const sig = (seed: number) => Array.from({ length: 32 }, (_, i) => (seed * 7919 + i * 104729) >>> 0);
  it('counts a signature that collides with one entry in every band as one verified pair, afresh per insert', () => {
    const idx = lshIndexNew();
    const sigs = new Map<number, number[]>();
    const look: LshLookup = { sig: (key, slot) => sigs.get(key * SIG_SLOTS + slot), org: (key) => `o${key}` };
    const put = (key: number, slot: number, s: number[]) => {
      sigs.set(key * SIG_SLOTS + slot, s);
      lshInsert(idx, key, slot, s, undefined, look);
    };
    put(0, 0, sig(1));
    put(1, 0, sig(1)); // the same entry of key 0 in all 8 bands: checked once
    expect(idx.pairs.get(0 * PAIR + 1)).toMatchObject({ n: 1, orgs: 2 });
    put(1, 1, sig(1)); // a new insert checks key 0's entry again (key 1's own entries are skipped)
    expect(idx.pairs.get(0 * PAIR + 1)!.n).toBe(2);
    put(2, 0, sig(2)); // no collision
    expect(idx.pairs.size).toBe(1);
  });
});

describe('posting lists', () => {
  it('list the items two keys share, in the order the items were first seen, members in key order', () => {
    const { profiles, pop } = link([
      ...hydra('hy', 6, 3, 300),
      ...frameworkOrgs('fw', 5, 4, 40),
      ...chatApp('chat', 5, 80),
    ]);
    const posts = buildPostings(profiles, pop, cfg);
    // Reference: every item's keys, listed eagerly in first-seen order (one list per kind and id).
    const seen = new Map<string, number[]>();
    const kindOf = {
      frames: 'template',
      skels: 'template',
      systems: 'system_prompt',
      subnets: 'subnet',
      fps: 'fingerprint',
      meta: 'meta',
      tools: 'tool_set',
    } as const;
    const note = (kind: string, id: string, i: number) => {
      const members = seen.get(`${kind} ${id}`) ?? [];
      if (members.at(-1) !== i) members.push(i);
      seen.set(`${kind} ${id}`, members);
    };
    profiles.forEach((p, i) => {
      salientAll(p, cfg.linkage.minShare).forEach((ids, k) => {
        for (const id of ids) note(kindOf[SALIENT_KINDS[k]!], id, i);
      });
      note('same_org', p.org, i);
      const shape = requestShape(p);
      if (shape) note('request_shape', shape, i);
    });
    const order = [...seen.keys()];
    expect(posts.length).toBeGreaterThan(3);
    for (const post of posts) expect(post.members).toEqual(seen.get(`${post.kind} ${post.id}`));
    const positions = posts.map((post) => order.indexOf(`${post.kind} ${post.id}`));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // Every item at least two keys share is listed unless it counts for nothing (rarity 0).
    const shared = order.filter((k) => seen.get(k)!.length >= 2).length;
    expect(posts.length).toBeLessThanOrEqual(shared);
  });

  it('are the same pass after pass, whatever the passes in between saw (item slots are kept between passes)', () => {
    const { profiles, pop } = link([...hydra('hy', 6, 3, 300), ...frameworkOrgs('fw', 5, 4, 40)]);
    const first = buildPostings(profiles, pop, cfg);
    const slots = new PostingSlots();
    const pass = (ps: typeof profiles, p: typeof pop) =>
      buildPostings(ps, p, cfg, undefined, undefined, undefined, undefined, slots);
    expect(pass(profiles, pop)).toEqual(first);
    const other = link([...chatApp('chat', 5, 80), ...hydra('hy2', 4, 7, 200)]);
    expect(pass(other.profiles, other.pop).length).toBeGreaterThan(0);
    expect(pass(profiles.slice(2), pop).length).toBeGreaterThan(0);
    expect(slots.byRow.some((byId) => byId.size > 0)).toBe(true);
    expect(pass(profiles, pop)).toEqual(first);
  });
});
