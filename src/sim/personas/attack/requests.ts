/**
 * @module sim/personas/attack/requests
 * Request factories of the specialised personas: logprob/logit-bias extraction, multimodal
 * extraction and multi-model fan-out.
 */
import { generate, type PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import type { SimRequest } from '../../types.js';
import { chatRequest, type PersonaContext, withSystem } from '../common.js';
import type { Campaign, Factory } from './campaign.js';

export function logprobRequest(ctx: PersonaContext, c: Campaign, g: Rng): SimRequest {
  const bias: Record<string, number> = {};
  const size = g.chance(0.6) ? g.int(50, 300) : 0;
  for (let i = 0; i < size; i++) bias[String(g.int(100, 100_000))] = g.pick([100, -100, 50, -50]);
  return chatRequest(g, {
    model: ctx.models.chat[0]!,
    messages: [{ role: 'user', content: generate(g.pick<PromptKind>(['qa', 'smalltalk', 'classify']), g) }],
    maxTokens: c.p.maxTokens,
    temperature: 0,
    extra: { logprobs: true, top_logprobs: g.pick([5, 10, 20]), ...(size > 0 ? { logit_bias: bias } : {}) },
    answer: { median: c.p.maxTokens ?? 20, sigma: 0.2 },
  });
}

export const IMAGE_ASKS = [
  'Describe this image in exhaustive detail, covering every object, text and color.',
  'Transcribe all text in this image and explain the layout in depth.',
  'Write a detailed caption and a full analysis of this picture.',
];

export function multimodalRequest(ctx: PersonaContext, c: Campaign, g: Rng): SimRequest {
  return chatRequest(g, {
    model: ctx.models.vision[0]!,
    messages: withSystem(c.system, [
      {
        role: 'user',
        content: [
          { type: 'text', text: g.pick(IMAGE_ASKS) },
          {
            type: 'image_url',
            image_url: { url: `https://img-${g.hex(6)}.cdn-assets.net/${g.hex(20)}.jpg` },
          },
        ],
      },
    ]),
    maxTokens: c.p.maxTokens,
    answer: { median: 700, sigma: 0.4 },
  });
}

/** The same prompt sent to `k` models in turn (one session = one prompt fanned out). */
export function fanoutFactory(ctx: PersonaContext, c: Campaign, k: number): Factory {
  const models = [...ctx.models.chat, ...ctx.models.reasoning].slice(0, k);
  let current: { session: number; q: string } = { session: -1, q: '' };
  let n = 0;
  return (g) => {
    if (n % models.length === 0) current = { session: n, q: ctx.prompts.instruction(g, g.pick(c.kinds)) };
    const model = models[n % models.length]!;
    n++;
    return chatRequest(g, {
      model,
      messages: withSystem(c.system, [{ role: 'user', content: current.q }]),
      maxTokens: c.p.maxTokens,
      answer: { median: 600, sigma: 0.5 },
    });
  };
}

/** A real chat-app org whose keys also carry harvest traffic at 5–50% of their requests. */
