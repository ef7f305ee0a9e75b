/**
 * @module sim/personas/attack/traces
 * Reasoning-trace harvesting through the API: a campaign that distils a reasoning model's
 * thinking by asking the API to return it, not by asking in the prompt. Its prompts are plain
 * hard tasks (math, puzzles, code, questions) with no chain-of-thought wording; each request sets
 * the parameter its API has for showing the reasoning: a detailed reasoning summary on the
 * Responses API (`reasoning: {effort: 'high', summary: 'detailed'}`), `include_reasoning` with a
 * high `reasoning_effort` (routers), or `chat_template_kwargs.enable_thinking` on an open model
 * served by vLLM or SGLang, whose answers carry the trace.
 *
 * > "Chain-of-thought and reasoning-trace coercion" (issue 3)
 */

import { paraphrase } from '../../prompts/fill.js';
import type { PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import { chatRequest, type PersonaContext, responsesRequest, withSystem } from '../common.js';
import type { Campaign, Factory } from './campaign.js';

/** How the campaign asks for the reasoning: the API and its parameter. */
export type TraceApi = 'summary' | 'include' | 'template';

export interface TracePlan {
  api: TraceApi;
  effort: 'high' | 'medium';
  kinds: PromptKind[];
}

const TRACE_KINDS: PromptKind[] = ['math', 'puzzle', 'code', 'qa', 'tool_task'];

export function tracePlan(rng: Rng): TracePlan {
  return {
    api: rng.pick(['summary', 'summary', 'include', 'template'] as const),
    effort: rng.chance(0.8) ? 'high' : 'medium',
    kinds: rng.sample(TRACE_KINDS, rng.int(2, TRACE_KINDS.length)),
  };
}

/** One key's requests: a plain hard task to a reasoning model, with the reasoning asked back. */
export function traceFactory(
  ctx: PersonaContext,
  c: Campaign,
  plan: TracePlan,
  model: () => string,
): Factory {
  return (g) => {
    const kind = g.pick(plan.kinds);
    let q = kind === 'qa' ? ctx.prompts.instruction(g, kind) : ctx.prompts.get(kind, g, 0.5);
    if (c.p.paraphrase > 0) q = paraphrase(g, q, c.p.paraphrase);
    const answer = { median: 500, sigma: 0.5 };
    if (plan.api === 'summary')
      return responsesRequest(
        g,
        { lastId: null, contextTokens: 0 },
        {
          model: model(),
          instructions: c.system,
          input: q,
          maxTokens: c.p.maxTokens,
          temperature: null,
          user: null,
          extra: { reasoning: { effort: plan.effort, summary: 'detailed' } },
          reasoning: true,
          answer,
        },
      );
    const extra =
      plan.api === 'include'
        ? { reasoning_effort: plan.effort, include_reasoning: true }
        : { chat_template_kwargs: { enable_thinking: true } };
    return chatRequest(g, {
      model: model(),
      messages: withSystem(c.system, [{ role: 'user', content: q }]),
      maxTokens: c.p.maxTokens,
      modernMax: g.chance(0.3),
      temperature: plan.api === 'template' ? 0.6 : null,
      extra,
      reasoning: true,
      answer,
    });
  };
}
