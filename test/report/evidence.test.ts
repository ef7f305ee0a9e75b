import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import type { RequestEvent } from '../../src/events/types.js';
import { summarizeEvents } from '../../src/report/aggregate.js';
import { type EvidenceInput, renderEvidenceReport } from '../../src/report/evidence.js';
import type { Findings } from '../../src/report/findings.js';
import { findSubject } from '../../src/report/load.js';
import { CAMPAIGN_KEYS, campaignEvents, event, findings, HOUR, T0 } from './fixtures.js';

function inputFor(
  f: Findings,
  id: string,
  events: RequestEvent[],
  opts: { includePrompts?: boolean; stored?: number } = {},
): EvidenceInput {
  const subject = findSubject(f, { kind: 'auto', id });
  if (!subject) throw new Error(`no ${id}`);
  const keys = subject.kind === 'campaign' ? subject.campaign.keys : [subject.account.key];
  const mine = events.filter((e) => keys.includes(e.keyId));
  const s = summarizeEvents(mine, { includePrompts: opts.includePrompts ?? false });
  const facts = keys.flatMap((key) => {
    const es = mine.filter((e) => e.keyId === key);
    if (es.length === 0) return [];
    return [
      {
        key,
        org: es[0]!.orgId,
        requests: es.length,
        inputTokens: es.reduce((a, e) => a + e.usage.promptTokens, 0),
        outputTokens: es.reduce((a, e) => a + e.usage.completionTokens, 0),
        errors: 0,
        limited: 0,
        firstTs: Math.min(...es.map((e) => e.ts)),
        lastTs: Math.max(...es.map((e) => e.ts)),
      },
    ];
  });
  return {
    subject,
    findingsGeneratedAt: f.generated_at,
    findingsSource: 'findings.json',
    engine: f.engine ?? null,
    keys: facts,
    activity: s.activity,
    traffic: s.traffic,
    samples: s.samples,
    promptsStored: s.promptsStored,
    coverage: {
      stored: opts.stored ?? mine.length,
      scanned: mine.length,
      firstScannedTs: s.firstTs,
      lastScannedTs: s.lastTs,
      maxEvents: 20_000,
    },
    decisions: [],
    audit: [],
    createdAt: '2026-03-03T00:00:00.000Z',
  };
}

/** The text of one `<section id=…>`. */
function section(html: string, id: string): string {
  const start =
    html.indexOf(`<section class="first" id="${id}">`) + 1 || html.indexOf(`<section id="${id}">`) + 1;
  expect(start).toBeGreaterThan(0);
  return html.slice(start - 1, html.indexOf('</section>', start));
}

/** A pinned model, so the expected contributions do not move with the engine's default tuning. */
const engine = {
  version: '1.0.0',
  config: resolveConfig({
    scoring: {
      bias: 4,
      intentFloor: 0.5,
      minRequests: 24,
      weights: { harvest_ratio: 2, machine_timing: 1.2, cot_elicitation: 1.6 },
    },
  }),
};

describe('evidence report: content', () => {
  const html = renderEvidenceReport(inputFor(findings({ engine }), 'c_1', campaignEvents()));

  it('states the facts with event-time ranges and volumes', () => {
    const facts = section(html, 'facts');
    expect(html).toContain('<h1>Evidence report: campaign c_1</h1>');
    expect(facts).toContain('2026-03-02T00:00:00.000Z'); // findings first_seen_at
    expect(facts).toContain('2026-03-02T09:00:00.000Z'); // findings last_seen_at
    expect(facts).toContain('24,000'); // engine output tokens
    expect(facts).toContain('Stored events (3 of 3 keys)');
    expect(facts).toContain('9 h 0 min'); // stored span T0 → T0+9h
    expect(facts).toMatch(/Activity per hour/);
    expect(facts).toContain('Requests: 30 in total over 10 hours');
    for (const k of CAMPAIGN_KEYS) expect(facts).toContain(`<code>${k}</code>`);
    expect(facts).not.toContain('k_benign');
  });

  it('lists each signal with its numbers, and the linking evidence separately', () => {
    const signals = section(html, 'signals');
    const links = section(html, 'links');
    expect(signals).toContain('harvest_ratio');
    expect(signals).toContain('2.4M output vs 60k input tokens (ratio 40.0)');
    expect(signals).toContain('0.90');
    expect(signals).not.toContain('link.shared_template');
    expect(links).toContain('link.shared_template');
    expect(links).toContain('3 keys in 203.0.113.0/24');
    expect(links).toContain('3 keys in 3 organization(s)');
  });

  it('explains the score from the weights and the reasons', () => {
    const score = section(html, 'score');
    // harvest_ratio is an intent signal gated by the strongest automation signal (machine_timing 0.8):
    // g = 0.5 + 0.5·0.8 = 0.9; support = min(1, 30/24) = 1; contribution = 2.0·0.9·0.9 = 1.62.
    expect(score).toContain('+1.620');
    // machine_timing is automation, gated by the strongest intent signal (0.9): 1.2·0.8·0.95 = 0.912.
    expect(score).toContain('+0.912');
    // cot_elicitation: 1.6·0.9·0.7 = 1.008; z = −4 + 1.62 + 0.912 + 1.008 = −0.46.
    expect(score).toContain('<th class="num">−0.460</th>');
    expect(score).toContain('linking evidence: not a weighted term');
    expect(score).toContain('the engine configuration recorded in the findings');
  });

  it('names the engine version and prints its config', () => {
    const e = section(html, 'engine');
    expect(e).toContain('<code>1.0.0</code>');
    expect(e).toContain('&quot;harvest_segment&quot;: 4.2');
  });

  it('says plainly what the evidence does not show, including the absent signals', () => {
    const limits = section(html, 'limits');
    expect(limits).toContain('What this evidence does not show');
    expect(limits).toMatch(/do not show why the requests were made/);
    expect(limits).toMatch(/do not identify the people behind them/);
    expect(limits).toMatch(/does not show that any output was stored, used to train a model/);
    expect(limits).toMatch(/Signals that were absent\.<\/b>[^<]*logprob_extraction/);
    expect(limits).not.toMatch(/absent\.<\/b>[^<]*harvest_ratio/);
    expect(limits).toContain('come from all 30 stored events');
  });

  it('states the sampling limit when only part of the stored events was read', () => {
    const partial = renderEvidenceReport(inputFor(findings(), 'c_1', campaignEvents(), { stored: 5000 }));
    expect(partial).toContain('most recent of 5,000 stored events');
    expect(partial).toContain('the engine defaults of this build');
  });

  it('is self-contained and prints on A4 with a page per section', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=/i);
    expect(html).toContain(
      'http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"',
    );
    expect(html).toContain('@page{size:A4');
    expect(html).toMatch(/@media print\{[\s\S]*section\{margin:0;break-before:page\}/);
    expect(html.match(/<section /g)?.length).toBe(8);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  });

  it('is a pure function of its input', () => {
    const input = inputFor(findings({ engine }), 'c_1', campaignEvents());
    const frozen = JSON.stringify(input);
    expect(renderEvidenceReport(input)).toBe(renderEvidenceReport(input));
    expect(JSON.stringify(input)).toBe(frozen);
  });
});

describe('evidence report: accounts', () => {
  it("shows a member's campaign and its linking evidence, and the inherited score", () => {
    const html = renderEvidenceReport(inputFor(findings(), 'k_a', campaignEvents()));
    expect(html).toContain('<h1>Evidence report: account (key) k_a</h1>');
    expect(section(html, 'links')).toContain('member of campaign <code>c_1</code>');
    expect(section(html, 'links')).toContain('link.shared_template');
    expect(section(html, 'score')).toContain("took the campaign's score");
  });

  it('says when a key is not linked and not flagged', () => {
    const html = renderEvidenceReport(inputFor(findings(), 'k_benign', campaignEvents()));
    expect(section(html, 'links')).toContain('did not link this key to any other key');
    expect(section(html, 'signals')).toContain('No signal reached 0.1');
    expect(section(html, 'limits')).toContain('<b>No flag.</b>');
    expect(section(html, 'limits')).toContain('<b>Links.</b>');
  });

  it('works from findings alone, without stored events', () => {
    const html = renderEvidenceReport(inputFor(findings(), 'c_1', []));
    expect(section(html, 'facts')).toContain('The store holds no events for these keys');
    expect(section(html, 'samples')).toContain('no prompt skeletons are available');
    expect(section(html, 'limits')).toContain('No stored events were available');
  });
});

describe('evidence report: prompts', () => {
  const secret = 'Tell Alice Smith at alice@example.com the code 987654 step by step';
  const events = CAMPAIGN_KEYS.map((key, i) => event({ key, ts: T0 + i * HOUR, prompt: secret }, true));

  it('shows skeletons, never raw prompts, by default', () => {
    const html = renderEvidenceReport(inputFor(findings(), 'c_1', events));
    const samples = section(html, 'samples');
    expect(samples).toContain('‹email›');
    expect(samples).toContain('‹num›');
    expect(html).not.toContain('987654');
    expect(html).not.toContain('alice@example.com');
  });

  it('does not show raw prompts when loaded with them but not asked to render them', () => {
    const input = inputFor(findings(), 'c_1', events, { includePrompts: true });
    expect(input.samples[0]?.raw).toBe(secret);
    expect(renderEvidenceReport(input)).not.toContain('987654');
    expect(renderEvidenceReport(input, { includePrompts: true })).toContain('987654');
    expect(renderEvidenceReport(input, { includePrompts: true })).toContain('customer data');
  });

  it('says prompts are not stored and shows hashes only when store_prompts was off', () => {
    const noText = CAMPAIGN_KEYS.map((key, i) => event({ key, ts: T0 + i * HOUR, prompt: secret }, false));
    const html = renderEvidenceReport(inputFor(findings(), 'c_1', noText, { includePrompts: true }), {
      includePrompts: true,
    });
    const samples = section(html, 'samples');
    expect(samples).toContain('Prompt text is not stored');
    expect(samples).toContain('Raw prompts were requested, but none are stored.');
    expect(samples).toContain(noText[0]!.prompt.skeletonHash);
    expect(html).not.toContain('987654');
  });
});

describe('evidence report: escaping', () => {
  const XSS = `<script>alert(1)</script>"><img src=x onerror=alert(2)>'<svg onload=alert(3)>`;
  const ALLOWED = new Set(
    'html head meta title style body header h1 h2 h3 p div b span section table thead tbody tr th td code pre small br ul li figure figcaption svg line text g rect footer'.split(
      ' ',
    ),
  );

  function hostile(): EvidenceInput {
    const f = findings({ engine: { version: XSS, config: { note: XSS } } });
    const c = f.campaigns[0]!;
    const evilKey = `k_${XSS}`;
    const campaign = {
      ...c,
      id: `c_${XSS}`,
      keys: [...c.keys, evilKey],
      orgs: [XSS],
      reasons: [
        { signal: `link.${XSS}`, score: 0.5, detail: XSS },
        { signal: XSS, score: 0.4, detail: XSS },
      ],
    };
    const member = {
      ...f.accounts[0]!,
      key: evilKey,
      org: XSS,
      reasons: [{ signal: XSS, score: 1, detail: XSS }],
    };
    const events = [
      event(
        { key: evilKey, org: XSS, ts: T0, prompt: XSS, model: XSS, userAgent: XSS, ip: '198.51.100.1' },
        true,
      ),
    ];
    const s = summarizeEvents(events, { includePrompts: true });
    return {
      subject: { kind: 'campaign', campaign, members: [member] },
      findingsGeneratedAt: XSS,
      findingsSource: XSS,
      engine: { version: XSS, config: { note: XSS } },
      keys: [
        {
          key: evilKey,
          org: XSS,
          requests: 1,
          inputTokens: 1,
          outputTokens: 1,
          errors: 0,
          limited: 0,
          firstTs: T0,
          lastTs: T0,
        },
      ],
      activity: s.activity,
      traffic: s.traffic,
      samples: s.samples,
      promptsStored: true,
      coverage: { stored: 1, scanned: 1, firstScannedTs: T0, lastScannedTs: T0, maxEvents: 10 },
      decisions: [
        {
          id: 'd1',
          subject: { scope: 'key', id: XSS },
          action: 'block',
          source: XSS,
          reasons: [XSS],
          shadow: false,
          createdAt: T0,
        },
      ],
      audit: [
        {
          id: 'a1',
          ts: T0,
          actor: XSS,
          subject: { scope: 'key', id: XSS },
          action: XSS,
          previousAction: XSS,
          reason: XSS,
        },
      ],
      createdAt: XSS,
    };
  }

  it('escapes every string taken from data (ids, reasons, prompts, clients, decisions, config)', () => {
    const html = renderEvidenceReport(hostile(), { includePrompts: true });
    const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
    for (const t of tags) expect(ALLOWED.has(t), `unexpected tag <${t}>`).toBe(true);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i); // no event-handler attribute inside any tag
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;',
    );
    // The raw prompt and the config are shown, escaped.
    expect(html).toMatch(/<pre>&lt;script&gt;alert\(1\)/);
  });

  it('escapes attribute values too (chart labels and titles)', () => {
    const html = renderEvidenceReport(hostile());
    for (const m of html.matchAll(/\s[\w-]+="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>]/);
    expect(html).toContain('<title>distillguard evidence report: campaign c_&lt;script&gt;');
  });
});
