import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogLine } from '../../src/events/logline.js';
import type { RequestEvent } from '../../src/events/types.js';
import {
  ATTACK_PERSONAS,
  BENIGN_PERSONAS,
  buildScenario,
  type Labels,
  resolveScenario,
  SCENARIOS,
  scenarioByName,
  scenarioLines,
  simulateToFile,
} from '../../src/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small but complete run: every benign persona and every attack persona, two days. */
const SMALL = { scale: 0.15, days: 2 };

async function sim(scenario: string, seed: number, name: string, extra: Record<string, unknown> = {}) {
  const out = join(dir, name);
  const labelsPath = `${out}.labels.json`;
  const r = await simulateToFile({ scenario, seed, out, labels: labelsPath, ...SMALL, ...extra });
  return { out, labelsPath, ...r };
}

describe('simulate: determinism', () => {
  it('same seed gives a byte-identical log; another seed a different one', async () => {
    const a = await sim('standard', 5, 'a.jsonl');
    const b = await sim('standard', 5, 'b.jsonl');
    const c = await sim('standard', 6, 'c.jsonl');
    const la = readFileSync(a.out);
    expect(la.length).toBeGreaterThan(10_000);
    expect(la.equals(readFileSync(b.out))).toBe(true);
    expect(la.equals(readFileSync(c.out))).toBe(false);
    expect(readFileSync(a.labelsPath, 'utf8')).toBe(readFileSync(b.labelsPath, 'utf8'));
  });
  it('writes gzip when the name ends in .gz', async () => {
    const g = await sim('hydra', 2, 'h.jsonl.gz');
    const text = gunzipSync(readFileSync(g.out)).toString('utf8');
    expect(text.trim().split('\n')).toHaveLength(g.lines);
  });
});

describe('simulate: the standard mix', () => {
  let lines: string[];
  let labels: Labels;
  beforeAll(async () => {
    const r = await sim('standard', 9, 'std.jsonl');
    lines = readFileSync(r.out, 'utf8').trim().split('\n');
    labels = JSON.parse(readFileSync(r.labelsPath, 'utf8')) as Labels;
  });

  it('every line parses under parseLogLine, in event-time order', () => {
    let last = 0;
    for (const [i, line] of lines.entries()) {
      const r = parseLogLine(line);
      expect(r.ok, `line ${i + 1}: ${r.ok ? '' : r.error}`).toBe(true);
      if (r.ok) {
        expect(r.event.ts).toBeGreaterThanOrEqual(last);
        last = r.event.ts;
        if (r.event.status === 200) expect(r.event.usage.estimated).toBe(false);
      }
    }
  });

  it('labels every key in the log, with attack personas attack and campaigns consistent', () => {
    const seen = new Set(lines.map((l) => (JSON.parse(l) as { key: string }).key));
    for (const k of seen) expect(labels.keys[k], k).toBeDefined();
    expect(Object.keys(labels.keys).length).toBe(seen.size);
    const personas = new Set(Object.values(labels.keys).map((l) => l.persona));
    for (const p of Object.keys(scenarioByName('standard')!.benign)) expect(personas.has(p), p).toBe(true);
    for (const [k, l] of Object.entries(labels.keys)) {
      expect(l.attack, k).toBe((ATTACK_PERSONAS as readonly string[]).includes(l.persona));
      if (l.attack) {
        expect(l.campaign).not.toBeNull();
        expect(labels.campaigns[l.campaign!]!.keys).toContain(k);
        expect(labels.campaigns[l.campaign!]!.persona).toBe(l.persona);
      } else expect(l.campaign).toBeNull();
    }
    for (const c of Object.values(labels.campaigns))
      for (const k of c.keys) expect(labels.keys[k]!.attack).toBe(true);
    const attack = Object.values(labels.keys).filter((l) => l.attack).length;
    expect(attack / seen.size).toBeGreaterThan(0.03);
    expect(attack / seen.size).toBeLessThan(0.25);
  });

  it('never reveals a label in any logged field', () => {
    // Persona ids with an underscore never occur in natural text: check whole lines for them.
    // One-word persona names (e.g. "agent") are ordinary words in prompts, so they are checked
    // in the metadata fields only.
    const compound = [...BENIGN_PERSONAS, ...ATTACK_PERSONAS].filter((p) => p.includes('_'));
    const words = [...BENIGN_PERSONAS, ...ATTACK_PERSONAS].filter((p) => !p.includes('_'));
    const ids = Object.keys(labels.campaigns);
    const anywhere = new RegExp([...compound, ...ids, '"persona"', '"campaign"', '"attack"'].join('|'));
    const inMeta = new RegExp(words.join('|'), 'i');
    for (const line of lines) {
      expect(anywhere.exec(line)?.[0] ?? null).toBeNull();
      const l = JSON.parse(line) as Record<string, unknown>;
      const meta = JSON.stringify([l.id, l.key, l.org, l.account, l.ip, l.user_agent, l.headers, l.endpoint]);
      expect(inMeta.exec(meta)?.[0] ?? null).toBeNull();
    }
  });

  it('mints ids of the same shape for attackers and customers', () => {
    const shapes = new Set<string>();
    for (const line of lines) {
      const l = JSON.parse(line) as { key: string; org: string; account: string };
      shapes.add(
        `${l.key.replace(/[a-z0-9]/g, 'x')} ${l.org.replace(/[a-z0-9]/g, 'x')} ${l.account.replace(/[a-z0-9]/g, 'x')}`,
      );
    }
    expect([...shapes]).toEqual(['x_xxxxxxxxxxxxxxxx xxx_xxxxxxxxxxxx xxxx_xxxxxxxxxxxx']);
  });
});

describe('simulate: scenarios', () => {
  it('every scenario builds, and focused scenarios contain their attack persona', () => {
    for (const s of SCENARIOS) {
      const b = buildScenario(s, { seed: 1, scale: 0.1, days: 2 });
      expect(b.plans.length, s.name).toBeGreaterThan(10);
      const attacks = new Set(
        Object.values(b.labels.keys)
          .filter((l) => l.attack)
          .map((l) => l.persona),
      );
      for (const a of s.attacks) expect(attacks.has(a.persona), `${s.name}:${a.persona}`).toBe(true);
    }
    expect(() => resolveScenario('nope')).toThrow(/unknown scenario/);
  });
  it('stores answer text only with storeText', () => {
    const b = buildScenario(resolveScenario('single-harvester'), { seed: 1, scale: 0.1, days: 1 });
    const first = scenarioLines(b).next().value as { response: { choices: Array<{ message?: unknown }> } };
    expect(first.response.choices[0]!.message).toBeUndefined();
    const withText = scenarioLines(
      buildScenario(resolveScenario('single-harvester'), { seed: 1, scale: 0.1, days: 1 }),
      {
        storeText: true,
      },
    ).next().value as { response: { choices: Array<{ message: { content: string } }> } };
    expect(withText.response.choices[0]!.message.content.length).toBeGreaterThan(10);
  });
  it('products adds content and tutoring apps to the standard personas, shaped as described', () => {
    const b = buildScenario(resolveScenario('products'), { seed: 2, scale: 0.3, days: 2 });
    const personas = new Set(Object.values(b.labels.keys).map((l) => l.persona));
    for (const p of Object.keys(resolveScenario('products').benign)) expect(personas.has(p), p).toBe(true);
    type Line = {
      key: string;
      request: { messages: Array<{ role: string; content: string }>; max_tokens?: number; user?: string };
      response: { usage?: { prompt_tokens: number; completion_tokens: number } };
    };
    const of = (persona: string) => {
      const out: Line[] = [];
      for (const l of scenarioLines(b) as Iterable<Line>)
        if (b.labels.keys[l.key]!.persona === persona) out.push(l);
      return out;
    };
    const content = of('content_app');
    expect(content.length).toBeGreaterThan(20);
    for (const l of content) {
      expect(l.request.max_tokens).toBeGreaterThanOrEqual(2048);
      expect(l.request.user).toMatch(/\w/);
      expect(l.request.messages.filter((m) => m.role === 'user')).toHaveLength(1);
    }
    const out = content.reduce((s, l) => s + (l.response.usage?.completion_tokens ?? 0), 0);
    const inp = content.reduce((s, l) => s + (l.response.usage?.prompt_tokens ?? 0), 0);
    expect(out / inp).toBeGreaterThan(5);
    const tutor = of('tutor_app');
    expect(tutor.length).toBeGreaterThan(20);
    for (const l of tutor) expect(l.request.messages[0]!.content).toMatch(/step by step|every step/i);
    expect(tutor.some((l) => l.request.messages.length > 2)).toBe(true);
  });
  it('disguised campaigns imitate a product: canned follow-ups, recurring end users, no max_tokens', () => {
    const b = buildScenario(resolveScenario('disguised'), { seed: 3, scale: 0.3, days: 2 });
    type Line = {
      key: string;
      request: { messages: Array<{ role: string; content: string }>; max_tokens?: number; user?: string };
    };
    const byKey = new Map<string, Line[]>();
    for (const l of scenarioLines(b) as Iterable<Line>) {
      if (!b.labels.keys[l.key]!.attack) continue;
      byKey.set(l.key, [...(byKey.get(l.key) ?? []), l]);
    }
    const lines = [...byKey.values()].flat();
    expect(lines.length).toBeGreaterThan(200);
    const wrapped = lines.filter((l) => l.request.messages.some((m) => m.role === 'assistant'));
    expect(wrapped.length / lines.length).toBeGreaterThan(0.35);
    expect(wrapped.length / lines.length).toBeLessThan(0.65);
    for (const l of lines) {
      expect(l.request.max_tokens).toBeUndefined();
      expect(l.request.user).toMatch(/^user_/);
    }
    for (const [, ls] of byKey) {
      if (ls.length < 40) continue;
      const users = new Set(ls.map((l) => l.request.user));
      expect(users.size).toBeLessThanOrEqual(30); // a pool of returning users, not one per request
    }
  });
  it('agentic campaigns drive tool trajectories: one harness tool set per campaign, tool results fed back, long final answers', () => {
    const b = buildScenario(resolveScenario('agentic'), { seed: 4, scale: 0.3, days: 2 });
    type Line = {
      key: string;
      request: {
        messages: Array<{ role: string; content: unknown; tool_calls?: unknown }>;
        tools?: unknown[];
      };
      response: { usage?: { completion_tokens: number } };
    };
    const byCampaign = new Map<string, Line[]>();
    for (const l of scenarioLines(b) as Iterable<Line>) {
      const c = b.labels.keys[l.key]!.campaign;
      if (c) byCampaign.set(c, [...(byCampaign.get(c) ?? []), l]);
    }
    expect(byCampaign.size).toBe(2);
    for (const lines of byCampaign.values()) {
      expect(lines.length).toBeGreaterThan(100);
      // Every key of a campaign offers the same tool set: the harness's.
      const sets = new Set(lines.map((l) => JSON.stringify(l.request.tools)));
      expect(sets.size).toBe(1);
      const steps = lines.filter((l) => l.request.messages.some((m) => m.role === 'tool'));
      expect(steps.length / lines.length).toBeGreaterThan(0.4);
      expect(steps.length / lines.length).toBeLessThan(0.9);
      // Tool calls are short, final answers long: the median answer after a tool result is shorter.
      const out = (ls: Line[]) =>
        ls.map((l) => l.response.usage?.completion_tokens ?? 0).sort((x, y) => x - y);
      const all = out(lines);
      expect(all[Math.floor(all.length * 0.9)]!).toBeGreaterThan(3 * all[Math.floor(all.length * 0.3)]!);
    }
    const keys = new Set([...byCampaign.values()].flat().map((l) => l.key));
    const orgs = new Set([...keys].map((k) => b.labels.keys[k]!.org));
    expect(orgs.size).toBe(keys.size); // each key its own org
  });
  it('judges adds LLM-as-judge platforms: grading prompts with a long answer to grade, short verdicts', () => {
    const b = buildScenario(resolveScenario('judges'), { seed: 2, scale: 0.3, days: 2 });
    type Line = {
      key: string;
      request: {
        messages: Array<{ role: string; content: string }>;
        max_tokens?: number;
        temperature?: number;
      };
      response: { usage?: { prompt_tokens: number; completion_tokens: number } };
    };
    const judge: Line[] = [];
    for (const l of scenarioLines(b) as Iterable<Line>)
      if (b.labels.keys[l.key]!.persona === 'judge_service') judge.push(l);
    expect(judge.length).toBeGreaterThan(100);
    for (const l of judge) {
      expect(l.request.messages[0]!.role).toBe('system');
      expect(l.request.messages).toHaveLength(2);
      expect(l.request.temperature).toBe(0);
      expect([300, 500, 800]).toContain(l.request.max_tokens);
    }
    const sum = (f: (l: Line) => number) => judge.reduce((s, l) => s + f(l), 0);
    const inTok = sum((l) => l.response.usage?.prompt_tokens ?? 0);
    const outTok = sum((l) => l.response.usage?.completion_tokens ?? 0);
    expect(outTok / inTok).toBeLessThan(0.5); // a long answer in, a short verdict out
    // The feature extractor reads them as rubric/grading prompts, as it reads a reward-model harvest's.
    const graded = judge.filter((l) => {
      const r = parseLogLine(JSON.stringify(l));
      return r.ok && r.event.prompt.grading;
    });
    expect(graded.length / judge.length).toBeGreaterThan(0.9);
  });
  it('multilingual adds local products and multilingual eval harnesses, and campaigns that ask for reasoning in other languages', () => {
    const b = buildScenario(resolveScenario('multilingual'), { seed: 3, scale: 0.3, days: 2 });
    type Line = { key: string; request: { messages: Array<{ role: string; content: string }> } };
    const byPersona = new Map<string, Line[]>();
    for (const l of scenarioLines(b) as Iterable<Line>) {
      const p = b.labels.keys[l.key]!.persona;
      byPersona.set(p, [...(byPersona.get(p) ?? []), l]);
    }
    const lastUser = (l: Line) => l.request.messages.filter((m) => m.role === 'user').at(-1)!.content;
    const english = (text: string) => /^[\x20-\x7e\n]*$/.test(text);
    for (const persona of ['locale_app', 'multilingual_eval', 'multilingual_harvest']) {
      const lines = byPersona.get(persona) ?? [];
      expect(lines.length, persona).toBeGreaterThan(50);
      // Written in other languages: most last user turns have letters outside ASCII (German and
      // Spanish ones may not).
      expect(lines.filter((l) => english(lastUser(l))).length / lines.length, persona).toBeLessThan(0.5);
    }
    // Local products hold conversations; eval traffic is one-shot.
    const multiTurn = (ls: Line[]) =>
      ls.filter((l) => l.request.messages.some((m) => m.role === 'assistant')).length;
    expect(multiTurn(byPersona.get('locale_app')!)).toBeGreaterThan(0);
    expect(multiTurn(byPersona.get('multilingual_eval')!)).toBe(0);
    // The feature extractor reads the harvest's requests for reasoning in those languages.
    const cot = (ls: Line[]) =>
      ls.filter((l) => {
        const r = parseLogLine(JSON.stringify(l));
        return r.ok && r.event.prompt.cot;
      }).length / ls.length;
    expect(cot(byPersona.get('multilingual_harvest')!)).toBeGreaterThan(0.2);
  });
  it('traces asks reasoning models for their reasoning through the API, not in the prompt', () => {
    const b = buildScenario(resolveScenario('traces'), { seed: 2, scale: 0.3, days: 2 });
    const byPersona = new Map<string, RequestEvent[]>();
    for (const l of scenarioLines(b) as Iterable<{ key: string }>) {
      const r = parseLogLine(JSON.stringify(l));
      if (!r.ok) throw new Error(r.error);
      const p = b.labels.keys[l.key]!.persona;
      byPersona.set(p, [...(byPersona.get(p) ?? []), r.event]);
    }
    for (const persona of ['trace_harvest', 'reasoning_app']) {
      const events = byPersona.get(persona) ?? [];
      expect(events.length, persona).toBeGreaterThan(50);
      expect(
        events.every((e) => e.params.reasoningShown === true),
        persona,
      ).toBe(true);
      const ok = events.filter((e) => e.status === 200);
      expect(ok.filter((e) => e.output.reasoningTokens > 0).length / ok.length, persona).toBeGreaterThan(
        0.95,
      );
    }
    // The harvest's prompts do not ask for the reasoning in words.
    const harvest = byPersona.get('trace_harvest')!;
    expect(harvest.filter((e) => e.prompt.cot).length / harvest.length).toBeLessThan(0.1);
  });
  it('instructions has campaigns generate task lists or rewrite tasks, then answer them; quiz makers and test-data jobs generate lists too', () => {
    const b = buildScenario(resolveScenario('instructions'), { seed: 2, scale: 0.3, days: 2 });
    type Line = {
      key: string;
      request: { messages: Array<{ role: string; content: string }>; stop?: string[] };
      response: { usage?: { prompt_tokens: number; completion_tokens: number } };
    };
    const byPersona = new Map<string, Line[]>();
    for (const l of scenarioLines(b) as Iterable<Line>) {
      const p = b.labels.keys[l.key]!.persona;
      byPersona.set(p, [...(byPersona.get(p) ?? []), l]);
    }
    for (const persona of ['instruction_harvest', 'quiz_app', 'test_data'])
      expect((byPersona.get(persona) ?? []).length, persona).toBeGreaterThan(50);
    const harvest = byPersona.get('instruction_harvest')!;
    const lastUser = (l: Line) => l.request.messages.filter((m) => m.role === 'user').at(-1)!.content;
    // Generation requests: a list seeded with numbered example tasks, or a rewrite of one task.
    const lists = harvest.filter((l) => /\n1\. Instruction: /.test(lastUser(l)));
    const rewrites = harvest.filter((l) => lastUser(l).includes('#Rewritten Prompt#'));
    expect(lists.length + rewrites.length).toBeGreaterThan(harvest.length * 0.05);
    expect(lists.length + rewrites.length).toBeLessThan(harvest.length * 0.7);
    for (const l of lists) {
      expect(l.request.stop?.length).toBe(2);
      // A long list back (upstream errors aside).
      if (l.response.usage) expect(l.response.usage.completion_tokens).toBeGreaterThan(200);
    }
    // Answers: every generated task is its own, answered once.
    const answers = harvest.filter((l) => !lists.includes(l) && !rewrites.includes(l)).map(lastUser);
    expect(new Set(answers).size / answers.length).toBeGreaterThan(0.9);
    // Each campaign writes its own meta-prompt: list requests of one campaign share their opening.
    const openings = new Map<string, Set<string>>();
    for (const l of lists) {
      const c = b.labels.keys[l.key]!.campaign!;
      openings.set(c, (openings.get(c) ?? new Set()).add(lastUser(l).slice(0, 200)));
    }
    for (const set of openings.values()) expect(set.size).toBe(1);
  });
  it('documents has campaigns send long public texts with their tasks; document assistants and briefing jobs send their own documents', () => {
    const b = buildScenario(resolveScenario('documents'), { seed: 2, scale: 0.3, days: 2 });
    type Line = {
      key: string;
      user?: string;
      request: { messages: Array<{ role: string; content: string }>; user?: string };
      response: { usage?: { prompt_tokens: number; completion_tokens: number } };
    };
    const byPersona = new Map<string, Line[]>();
    for (const l of scenarioLines(b) as Iterable<Line>) {
      const p = b.labels.keys[l.key]!.persona;
      byPersona.set(p, [...(byPersona.get(p) ?? []), l]);
    }
    const lastUser = (l: Line) => l.request.messages.filter((m) => m.role === 'user').at(-1)!.content;
    for (const persona of ['document_harvest', 'doc_assistant', 'briefing_job']) {
      const lines = byPersona.get(persona) ?? [];
      expect(lines.length, persona).toBeGreaterThan(50);
      // Long prompts and long answers: output ÷ input near or under 1.
      // (A few of a product's one-message requests are follow-ups whose opening fell out of the
      // conversation maker's window of sessions.)
      const opening = lines.filter((l) => l.request.messages.filter((m) => m.role === 'user').length === 1);
      const long = opening.filter((l) => lastUser(l).length > 2000).length;
      expect(long / opening.length, persona).toBeGreaterThan(0.95);
      const billed = lines.filter((l) => l.response.usage);
      const input = billed.reduce((s, l) => s + l.response.usage!.prompt_tokens, 0);
      const output = billed.reduce((s, l) => s + l.response.usage!.completion_tokens, 0);
      expect(output / input, persona).toBeGreaterThan(0.2);
      expect(output / input, persona).toBeLessThan(1.5);
    }
    // The harvest reads a public corpus: the same text comes back for 1–3 tasks, then a new one.
    const texts = new Map<string, number>();
    for (const l of byPersona.get('document_harvest')!) {
      const body = lastUser(l)
        .split('\n')
        .filter((s) => s.length > 200)[0]!;
      texts.set(body, (texts.get(body) ?? 0) + 1);
    }
    const uses = [...texts.values()];
    expect(Math.max(...uses)).toBeLessThanOrEqual(3);
    expect(uses.length).toBeGreaterThan(byPersona.get('document_harvest')!.length / 3 - 1);
    // A briefing job's documents are its org's own: its invented terms recur across them.
    const byOrg = new Map<string, string[]>();
    for (const l of byPersona.get('briefing_job')!) {
      const org = b.labels.keys[l.key]!.org;
      byOrg.set(org, [...(byOrg.get(org) ?? []), lastUser(l)]);
    }
    for (const docs of byOrg.values()) {
      if (docs.length < 2) continue;
      const words = (t: string) => new Set(t.toLowerCase().match(/\b[a-z]{6,}\b/g) ?? []);
      const [a, z] = [words(docs[0]!), words(docs.at(-1)!)];
      expect([...a].filter((w) => z.has(w)).length).toBeGreaterThan(10);
    }
    // Document assistants serve end users and keep the document in the history of a follow-up.
    const assistant = byPersona.get('doc_assistant')!;
    expect(assistant.every((l) => typeof l.request.user === 'string')).toBe(true);
    const followUps = assistant.filter((l) => l.request.messages.filter((m) => m.role === 'user').length > 1);
    expect(followUps.length).toBeGreaterThan(0);
    for (const l of followUps)
      expect(l.request.messages.find((m) => m.role === 'user')!.content.length).toBeGreaterThan(2000);
  });
  it('aggregators merge many customers on a few keys: many models, comparisons, tools, end users per router', () => {
    const b = buildScenario(resolveScenario('aggregators'), { seed: 3, scale: 0.5, days: 2 });
    type Line = {
      key: string;
      request: {
        model: string;
        messages: Array<{ role: string; content: unknown }>;
        user?: string;
        tools?: unknown[];
      };
    };
    const byKey = new Map<string, Line[]>();
    const perKey = new Map<string, number>();
    for (const l of scenarioLines(b) as Iterable<Line>) {
      perKey.set(l.key, (perKey.get(l.key) ?? 0) + 1);
      if (b.labels.keys[l.key]!.persona !== 'aggregator') continue;
      byKey.set(l.key, [...(byKey.get(l.key) ?? []), l]);
    }
    const orgs = new Set([...byKey.keys()].map((k) => b.labels.keys[k]!.org));
    expect(orgs.size).toBeGreaterThanOrEqual(2);
    expect(byKey.size).toBeGreaterThanOrEqual(2 * orgs.size);
    const counts = [...perKey.values()].sort((x, y) => x - y);
    const median = counts[Math.floor(counts.length / 2)]!;
    for (const [key, lines] of byKey) {
      // One key carries many customers: far above the median key, on several models.
      expect(lines.length, key).toBeGreaterThan(10 * median);
      expect(new Set(lines.map((l) => l.request.model)).size, key).toBeGreaterThanOrEqual(3);
      expect(
        lines.some((l) => (l.request.tools?.length ?? 0) > 0),
        key,
      ).toBe(true);
      expect(
        lines.some((l) => l.request.messages.filter((m) => m.role === 'user').length > 1),
        key,
      ).toBe(true);
      // A playground comparison sends one prompt to several models.
      const models = new Map<string, Set<string>>();
      for (const l of lines) {
        const text = JSON.stringify(l.request.messages);
        models.set(text, (models.get(text) ?? new Set()).add(l.request.model));
      }
      expect(
        [...models.values()].some((m) => m.size >= 2),
        key,
      ).toBe(true);
    }
    // A router passes its customers' ids as `user` on every request, or none at all.
    for (const org of orgs) {
      const lines = [...byKey.entries()]
        .filter(([k]) => b.labels.keys[k]!.org === org)
        .flatMap(([, ls]) => ls);
      const users = new Set(lines.map((l) => l.request.user));
      if (users.has(undefined)) expect(users.size).toBe(1);
      else expect(users.size).toBeGreaterThan(20);
    }
  });
  it('threads runs conversations on the Responses API with the history kept upstream and billed unseen', () => {
    const b = buildScenario(resolveScenario('threads'), { seed: 2, scale: 0.3, days: 2 });
    type Line = {
      key: string;
      endpoint: string;
      request: { input: Array<{ content: string }>; previous_response_id?: string };
      response: { id?: string; usage?: { input_tokens: number } };
      status: number;
    };
    const byPersona = new Map<string, Line[]>();
    for (const l of scenarioLines(b) as Iterable<Line>) {
      const p = b.labels.keys[l.key]!.persona;
      byPersona.set(p, [...(byPersona.get(p) ?? []), l]);
    }
    for (const persona of ['thread_app', 'dialogue_harvest']) {
      const lines = byPersona.get(persona) ?? [];
      expect(lines.length, persona).toBeGreaterThan(50);
      expect(lines.every((l) => l.endpoint === '/v1/responses')).toBe(true);
      // Follow-ups name an answer the same key got before, and are billed for more than they send.
      const ids = new Set<string>();
      let followUps = 0;
      let named = 0;
      let billedMore = 0;
      for (const l of lines) {
        const prev = l.request.previous_response_id;
        if (prev) {
          followUps++;
          if (ids.has(prev)) named++;
          const own = l.request.input.reduce((n, m) => n + m.content.length, 0) / 4;
          if (l.status !== 200 || l.response.usage!.input_tokens > own + 100) billedMore++;
        }
        if (l.response.id) ids.add(l.response.id);
      }
      expect(followUps / lines.length, persona).toBeGreaterThan(0.3);
      expect(named / followUps, persona).toBeGreaterThan(0.95);
      expect(billedMore / followUps, persona).toBeGreaterThan(0.95);
    }
  });
  it('dialogues adds companion apps and refine pipelines, and campaigns that harvest whole conversations', () => {
    const b = buildScenario(resolveScenario('dialogues'), { seed: 2, scale: 0.3, days: 2 });
    type Message = { role: string; content: string };
    type Line = { key: string; ts: string; latency_ms: number; request: { messages: Message[] } };
    const byPersona = new Map<string, Line[]>();
    for (const l of scenarioLines(b) as Iterable<Line>) {
      const p = b.labels.keys[l.key]!.persona;
      byPersona.set(p, [...(byPersona.get(p) ?? []), l]);
    }
    const answers = (l: Line) => l.request.messages.filter((m) => m.role === 'assistant');
    for (const persona of ['companion_app', 'refine_pipeline', 'dialogue_harvest']) {
      const lines = byPersona.get(persona) ?? [];
      expect(lines.length, persona).toBeGreaterThan(50);
      // Mostly follow-ups that carry the conversation so far.
      expect(lines.filter((l) => answers(l).length > 0).length / lines.length, persona).toBeGreaterThan(0.4);
    }
    // The harvest carries every earlier answer back at full length (~650 tokens each), unlike a
    // companion's short replies; each turn holds one more answer than the one before.
    const meanAnswer = (ls: Line[]) => {
      const all = ls.flatMap(answers).map((m) => m.content.length);
      return all.reduce((a, x) => a + x, 0) / all.length;
    };
    expect(meanAnswer(byPersona.get('dialogue_harvest')!)).toBeGreaterThan(1500);
    expect(meanAnswer(byPersona.get('companion_app')!)).toBeLessThan(1000);
    const harvest = byPersona.get('dialogue_harvest')!;
    const byKey = new Map<string, Line[]>();
    for (const l of harvest) byKey.set(l.key, [...(byKey.get(l.key) ?? []), l]);
    let grew = 0;
    let followUps = 0;
    for (const ls of byKey.values())
      for (let i = 1; i < ls.length; i++) {
        const n = answers(ls[i]!).length;
        if (n === 0) continue;
        followUps++;
        if (n === answers(ls[i - 1]!).length + 1) grew++;
      }
    expect(grew / followUps).toBeGreaterThan(0.9);
  });
});
