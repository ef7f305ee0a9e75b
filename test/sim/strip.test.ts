import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDrop, stripLine, stripLog } from '../../bench/lib/strip.js';
import { parseLogLine } from '../../src/events/logline.js';

const line = () => ({
  ts: '2026-03-01T12:00:00.000Z',
  key: 'k_1',
  org: 'o_1',
  account: 'a_1',
  ip: '203.0.113.7',
  user_agent: 'OpenAI/Python 1.40.0',
  headers: { 'x-stainless-lang': 'python' },
  meta: { signup_day: '2026-02-28' },
  request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 64 },
  response: {
    choices: [{ message: { role: 'assistant', content: 'hello there' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 8, completion_tokens: 3 },
  },
});

describe('bench:detect --drop (log-field ablation)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-strip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts only the fields it knows, with a clear error', () => {
    expect(parseDrop(undefined)).toEqual([]);
    expect(parseDrop('ip, headers')).toEqual(['ip', 'headers']);
    expect(() => parseDrop('ip,request')).toThrow(/unknown field request/);
  });

  it('removes infrastructure fields, and the answer text but not its usage', () => {
    const out = stripLine(line(), ['ip', 'headers', 'user_agent', 'org', 'response_text']);
    expect(Object.keys(out).sort()).toEqual(['account', 'key', 'meta', 'request', 'response', 'ts']);
    expect(out.response).toEqual({ usage: { prompt_tokens: 8, completion_tokens: 3 } });
    expect(stripLine(line(), ['response']).response).toBeUndefined();
  });

  it('leaves a line the parser reads as the same request, with the org defaulting to the key', async () => {
    const from = join(dir, 'in.jsonl');
    const to = join(dir, 'out.jsonl');
    writeFileSync(from, `${JSON.stringify(line())}\n\n${JSON.stringify({ ...line(), key: 'k_2' })}\n`);
    await stripLog(from, to, ['org', 'account', 'ip']);
    const lines = readFileSync(to, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const r = parseLogLine(lines[1]!);
    if (!r.ok) throw new Error(r.error);
    expect(r.event.keyId).toBe('k_2');
    expect(r.event.orgId).toBe('k_2');
    expect(r.event.ip).toBeNull();
    expect(r.event.usage.completionTokens).toBe(3);
    expect(r.event.usage.estimated).toBe(false);
  });
});
