/**
 * @module upstream/mock/completions
 * `POST /v1/completions` (legacy): text choices, integer `logprobs`, streaming text chunks.
 */
import { produce } from './answer.js';
import { completionLogprobs } from './logprobs.js';
import { hexId, mulberry32 } from './prng.js';
import { type MockReply, type ReplyEnv, SSE_DONE, sseData } from './reply.js';
import { askOf, choicesOf, includeUsage, type Obj } from './request.js';
import { tokenPieces } from './tokens.js';

export function completionsReply(body: Obj, env: ReplyEnv): MockReply {
  const ask = askOf('completions', body);
  const top = typeof body.logprobs === 'number' ? Math.min(5, Math.max(0, Math.floor(body.logprobs))) : null;
  const choices = Array.from({ length: choicesOf(body) }, (_, i) => {
    const rng = mulberry32(env.seed + i);
    const produced = produce(ask, rng);
    const text = produced.kind === 'text' ? produced.text : produced.arguments;
    const pieces = tokenPieces(text);
    return {
      text,
      pieces,
      tokens: produced.tokens,
      finish: produced.finishReason === 'length' ? 'length' : 'stop',
      logprobs: top === null ? null : completionLogprobs(rng, pieces, top),
    };
  });
  const completion = choices.reduce((s, c) => s + c.tokens, 0);
  const usage = { prompt: ask.promptTokens, completion };
  const usageBody = {
    prompt_tokens: ask.promptTokens,
    completion_tokens: completion,
    total_tokens: ask.promptTokens + completion,
  };
  const model = typeof body.model === 'string' ? body.model : 'mock-gpt';
  const head = {
    id: `cmpl-${hexId(env.seed)}`,
    object: 'text_completion',
    created: env.created,
    model,
    system_fingerprint: 'fp_mock',
  };
  if (body.stream !== true) {
    const out: Obj = {
      ...head,
      choices: choices.map((c, index) => ({
        text: c.text,
        index,
        logprobs: c.logprobs,
        finish_reason: c.finish,
      })),
    };
    if (!env.noUsage) out.usage = usageBody;
    return { kind: 'json', status: 200, body: out, usage };
  }
  const withUsage = includeUsage(body) && !env.noUsage;
  const frames: string[] = [];
  const chunk = (choice: Obj) =>
    sseData({ ...head, choices: [choice], ...(withUsage ? { usage: null } : {}) });
  choices.forEach((c, index) => {
    for (const piece of c.pieces)
      frames.push(chunk({ text: piece, index, logprobs: null, finish_reason: null }));
    frames.push(chunk({ text: '', index, logprobs: null, finish_reason: c.finish }));
  });
  if (withUsage) frames.push(sseData({ ...head, choices: [], usage: usageBody }));
  frames.push(SSE_DONE);
  return { kind: 'sse', frames, usage };
}
