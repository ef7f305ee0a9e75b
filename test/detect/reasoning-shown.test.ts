/**
 * Reasoning asked of the API (engine 1.9.0): a request that sets a reasoning summary,
 * include_reasoning, enable_thinking or thinking elicits the model's trace with no word of it in
 * the prompt, and counts for `cot_elicitation` like a chain-of-thought prompt.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import { emptyPopulation } from '../../src/detect/population.js';
import { cotElicitation } from '../../src/detect/signals/cot.js';
import { parseLogLine } from '../../src/events/logline.js';
import type { RequestEvent } from '../../src/events/types.js';
import { DAY, profilesOf, T0 } from './fixtures.js';

const cfg = resolveConfig();

function line(request: Record<string, unknown>, ts = T0, endpoint = '/v1/chat/completions'): RequestEvent {
  const r = parseLogLine(
    JSON.stringify({
      ts,
      key: 'k',
      endpoint,
      request: { model: 'o4-mini', ...request },
      response: { usage: { prompt_tokens: 40, completion_tokens: 900 } },
    }),
  );
  if (!r.ok) throw new Error(r.error);
  return r.event;
}
const chat = { messages: [{ role: 'user', content: 'Prove that there are infinitely many primes.' }] };

describe('params.reasoningShown', () => {
  it('is set by each dialect that returns the reasoning, and by no other setting', () => {
    const shown = [
      line({ input: 'Prove it.', reasoning: { effort: 'high', summary: 'detailed' } }, T0, '/v1/responses'),
      line({ input: 'Prove it.', reasoning: { summary: 'auto' } }, T0, '/v1/responses'),
      line({ ...chat, reasoning_effort: 'high', include_reasoning: true }),
      line({ ...chat, chat_template_kwargs: { enable_thinking: true } }),
      line({ ...chat, thinking: { type: 'enabled', budget_tokens: 16000 } }),
    ];
    for (const e of shown) expect(e.params.reasoningShown).toBe(true);
    const hidden = [
      line({ input: 'Prove it.', reasoning: { effort: 'high' } }, T0, '/v1/responses'),
      line({ input: 'Prove it.', reasoning: { effort: 'high', summary: 'none' } }, T0, '/v1/responses'),
      line({ ...chat, reasoning_effort: 'high' }),
      line({ ...chat, chat_template_kwargs: { enable_thinking: false } }),
      line({ ...chat, thinking: { type: 'disabled' } }),
    ];
    for (const e of hidden) expect(e.params.reasoningShown).toBeUndefined();
    // None of these prompts asks for chain-of-thought in words.
    for (const e of [...shown, ...hidden]) expect(e.prompt.cot).toBe(false);
  });
  it('counts for cot_elicitation, and the reason says the API was asked', () => {
    const ctx = { pop: emptyPopulation(T0 + DAY, T0), cfg, now: T0 + DAY };
    const key = (extra: Record<string, unknown>) =>
      profilesOf(Array.from({ length: 60 }, (_, i) => line({ ...chat, ...extra }, T0 + i * 60_000)))[0]!;
    const asked = key({ include_reasoning: true });
    expect(asked.traceReq).toBe(60);
    expect(cotElicitation.score(asked, ctx)).toBe(1);
    expect(cotElicitation.detail(asked, ctx)).toMatch(/100% ask the API to return the model's reasoning/);
    const plain = key({ reasoning_effort: 'high' });
    expect(plain.traceReq).toBe(0);
    expect(cotElicitation.score(plain, ctx)).toBe(0);
  });
});
