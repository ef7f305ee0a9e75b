/**
 * Fixtures for the evidence report tests: events built by the real log-line parser, and
 * findings for one campaign of three keys plus a benign key.
 */
import { parseLogLine } from '../../src/events/logline.js';
import type { RequestEvent } from '../../src/events/types.js';
import type { Findings } from '../../src/report/findings.js';

export const T0 = Date.parse('2026-03-02T00:00:00.000Z');
export const HOUR = 3_600_000;

export interface EventSpec {
  key: string;
  org?: string;
  ts: number;
  prompt?: string;
  model?: string;
  ip?: string;
  userAgent?: string;
  completionTokens?: number;
  status?: number;
}

export function event(spec: EventSpec, storeText = false): RequestEvent {
  const line = JSON.stringify({
    ts: spec.ts,
    key: spec.key,
    org: spec.org ?? `org_${spec.key}`,
    ip: spec.ip ?? '203.0.113.7',
    user_agent: spec.userAgent ?? 'OpenAI/Python 1.40.0',
    request: {
      model: spec.model ?? 'gpt-4o',
      messages: [{ role: 'user', content: spec.prompt ?? 'Explain step by step how 17 + 25 is computed.' }],
      max_tokens: 4096,
    },
    response: { usage: { prompt_tokens: 20, completion_tokens: spec.completionTokens ?? 800 } },
    status: spec.status ?? 200,
  });
  const r = parseLogLine(line, { storeText });
  if (!r.ok) throw new Error(r.error);
  return { ...r.event, id: `${spec.key}-${spec.ts}` };
}

export const CAMPAIGN_KEYS = ['k_a', 'k_b', 'k_c'];

/** Findings: campaign c_1 over k_a..k_c (distillation), k_benign alone. */
export function findings(overrides: Partial<Findings> = {}): Findings {
  const linkReasons = [
    { signal: 'link.shared_template', score: 0.9, detail: '3 keys share template 9f2c… (seen nowhere else)' },
    { signal: 'link.shared_subnet', score: 0.6, detail: '3 keys in 203.0.113.0/24' },
  ];
  const signals = [
    { signal: 'harvest_ratio', score: 0.9, detail: '2.4M output vs 60k input tokens (ratio 40.0)' },
    { signal: 'machine_timing', score: 0.8, detail: 'inter-arrival CV 0.08 over 300 requests' },
    { signal: 'cot_elicitation', score: 0.7, detail: '71% of prompts ask for step-by-step reasoning' },
  ];
  return {
    version: 1,
    generated_at: '2026-03-02T10:00:00.000Z',
    input: { lines: 40, bad_lines: 0 },
    accounts: [
      ...CAMPAIGN_KEYS.map((key) => ({
        key,
        org: `org_${key}`,
        requests: 10,
        output_tokens: 8000,
        score: 0.95,
        verdict: 'distillation' as const,
        first_flagged_at: '2026-03-02T05:00:00.000Z',
        campaign: 'c_1',
        reasons: [
          { signal: 'campaign', score: 0.97, detail: 'member of campaign c_1 (3 keys, score 0.97)' },
          ...signals,
        ],
      })),
      {
        key: 'k_benign',
        org: 'org_k_benign',
        requests: 10,
        output_tokens: 900,
        score: 0.02,
        verdict: 'benign',
        first_flagged_at: null,
        campaign: null,
        reasons: [],
      },
    ],
    campaigns: [
      {
        id: 'c_1',
        keys: CAMPAIGN_KEYS,
        orgs: CAMPAIGN_KEYS.map((k) => `org_${k}`),
        score: 0.97,
        verdict: 'distillation',
        requests: 30,
        output_tokens: 24000,
        first_seen_at: '2026-03-02T00:00:00.000Z',
        last_seen_at: '2026-03-02T09:00:00.000Z',
        first_flagged_at: '2026-03-02T05:00:00.000Z',
        reasons: [...linkReasons, ...signals],
      },
    ],
    ...overrides,
  };
}

/** Ten events per key over ten hours, with a templated prompt. */
export function campaignEvents(storeText = false): RequestEvent[] {
  const out: RequestEvent[] = [];
  for (const key of [...CAMPAIGN_KEYS, 'k_benign'])
    for (let i = 0; i < 10; i++)
      out.push(
        event(
          {
            key,
            ts: T0 + i * HOUR + CAMPAIGN_KEYS.indexOf(key) * 1000,
            prompt: `Solve problem 4${i} step by step and explain your reasoning for "case ${i}".`,
          },
          storeText,
        ),
      );
  return out;
}
