import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeStream } from '../../src/cli/analyze.js';
import { parseLogLine } from '../../src/events/logline.js';
import { countPresent, emptyPresent, missingEvidence } from '../../src/report/coverage.js';
import { renderFindingsHtml } from '../../src/report/html.js';
import { formatSummary } from '../../src/report/summary.js';

const full = (i: number) => ({
  ts: 1772366400000 + i * 1000,
  key: `k_${i % 3}`,
  org: 'o_1',
  ip: '203.0.113.7',
  user_agent: 'OpenAI/Python 1.40.0',
  request: { model: 'gpt-4o', messages: [{ role: 'user', content: `question ${i}` }] },
  response: { usage: { prompt_tokens: 8, completion_tokens: 40 } },
});
/** A request-only line of another gateway: no org, no client, no answer. */
const bare = (i: number) => ({ ts: 1772366400000 + i * 1000, key: `k_${i % 3}`, request: full(i).request });

const eventOf = (o: object) => {
  const r = parseLogLine(JSON.stringify(o));
  if (!r.ok) throw new Error(r.error);
  return r.event;
};

describe('evidence present in a log', () => {
  it('counts, per valid line, the fields the engine weighs', () => {
    const p = emptyPresent();
    countPresent(p, eventOf(full(1)));
    countPresent(p, eventOf(bare(2)));
    expect(p).toEqual({ ip: 1, client: 1, org: 1, usage: 1, answer: 1 });
  });

  it('names what most lines lacked, and nothing for a full log or an input that does not say', () => {
    const present = { ip: 0, client: 10, org: 4, usage: 10, answer: 10 };
    const missing = missingEvidence({ lines: 11, bad_lines: 1, present });
    expect(missing).toHaveLength(2);
    expect(missing[0]).toMatch(/^client IPs: no shared-subnet links \(0 of 10 lines/);
    expect(missing[1]).toMatch(/^orgs: .*\(4 of 10 lines/);
    expect(missingEvidence({ lines: 10, bad_lines: 0, present: { ...present, ip: 5, org: 5 } })).toEqual([]);
    expect(missingEvidence({ lines: 10, bad_lines: 0 })).toEqual([]);
  });

  it('analyze records it in the findings, and the summary and the HTML report say what was missing', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify(i < 10 ? full(i) : bare(i)));
    const r = await analyzeStream(Readable.from([Buffer.from(`${lines.join('\n')}\nnot json\n`)]), {
      workers: 0,
    });
    expect(r.findings.input.bad_lines).toBe(1);
    expect(r.findings.input.present).toEqual({ ip: 10, client: 10, org: 10, usage: 10, answer: 10 });
    const summary = formatSummary(r.findings);
    expect(summary).toContain('Missing from most lines');
    expect(summary).toContain(
      'answers: no harvest-ratio or harvest-segment evidence (10 of 30 lines had them)',
    );
    expect(renderFindingsHtml(r.findings)).toContain(
      '<li>client IPs: no shared-subnet links (10 of 30 lines had them)</li>',
    );
  });
});
