/**
 * @module upstream/mock/chat
 * `POST /v1/chat/completions`: `n` choices, logprobs, tool calls, JSON formats, and streaming
 * as OpenAI does it (role chunk, one chunk per token, finish chunk, then a `choices: []` usage
 * chunk only with `stream_options.include_usage`, then `[DONE]`).
 */
import { type Produced, produce } from './answer.js';
import { chatLogprobs, type TokenLogprob } from './logprobs.js';
import { hexId, mulberry32 } from './prng.js';
import { type MockReply, type ReplyEnv, SSE_DONE, sseData } from './reply.js';
import { askOf, choicesOf, includeUsage, type Obj } from './request.js';
import { tokenPieces } from './tokens.js';

interface Choice {
  produced: Produced;
  pieces: string[];
  logprobs: TokenLogprob[] | null;
}

export function chatUsage(prompt: number, completion: number) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function choicesFor(body: Obj, env: ReplyEnv): { choices: Choice[]; promptTokens: number } {
  const ask = askOf('chat', body);
  const wantLogprobs = body.logprobs === true;
  const top = typeof body.top_logprobs === 'number' ? Math.min(20, Math.max(0, body.top_logprobs)) : 0;
  const choices = Array.from({ length: choicesOf(body) }, (_, i) => {
    const rng = mulberry32(env.seed + i);
    const produced = produce(ask, rng);
    const pieces = tokenPieces(produced.kind === 'text' ? produced.text : produced.arguments);
    const logprobs = wantLogprobs && produced.kind === 'text' ? chatLogprobs(rng, pieces, top) : null;
    return { produced, pieces, logprobs };
  });
  return { choices, promptTokens: ask.promptTokens };
}

function message(p: Produced) {
  if (p.kind === 'text') return { role: 'assistant', content: p.text, refusal: null, annotations: [] };
  return {
    role: 'assistant',
    content: null,
    refusal: null,
    annotations: [],
    tool_calls: [{ id: p.callId, type: 'function', function: { name: p.name, arguments: p.arguments } }],
  };
}

export function chatReply(body: Obj, env: ReplyEnv): MockReply {
  const { choices, promptTokens } = choicesFor(body, env);
  const completion = choices.reduce((s, c) => s + c.produced.tokens, 0);
  const usage = { prompt: promptTokens, completion };
  const model = typeof body.model === 'string' ? body.model : 'mock-gpt';
  const head = {
    id: `chatcmpl-${hexId(env.seed)}`,
    created: env.created,
    model,
    system_fingerprint: 'fp_mock',
  };
  if (body.stream !== true) {
    const out: Obj = {
      ...head,
      object: 'chat.completion',
      choices: choices.map((c, index) => ({
        index,
        message: message(c.produced),
        logprobs: c.logprobs ? { content: c.logprobs, refusal: null } : null,
        finish_reason: c.produced.finishReason,
      })),
      service_tier: 'default',
    };
    if (!env.noUsage) out.usage = chatUsage(promptTokens, completion);
    return { kind: 'json', status: 200, body: out, usage };
  }
  const withUsage = includeUsage(body) && !env.noUsage;
  const chunk = (choice: Obj | null): string =>
    sseData({
      ...head,
      object: 'chat.completion.chunk',
      service_tier: 'default',
      choices: choice ? [choice] : [],
      ...(withUsage ? { usage: null } : {}),
    });
  const frames: string[] = [];
  choices.forEach((c, index) => {
    const p = c.produced;
    frames.push(
      chunk({
        index,
        delta: { role: 'assistant', content: p.kind === 'text' ? '' : null, refusal: null },
        logprobs: null,
        finish_reason: null,
      }),
    );
    c.pieces.forEach((piece, i) => {
      const delta =
        p.kind === 'text'
          ? { content: piece }
          : {
              tool_calls: [
                i === 0
                  ? { index: 0, id: p.callId, type: 'function', function: { name: p.name, arguments: piece } }
                  : { index: 0, function: { arguments: piece } },
              ],
            };
      const lp = c.logprobs?.[i];
      frames.push(
        chunk({ index, delta, logprobs: lp ? { content: [lp], refusal: null } : null, finish_reason: null }),
      );
    });
    frames.push(chunk({ index, delta: {}, logprobs: null, finish_reason: p.finishReason }));
  });
  if (withUsage) {
    frames.push(
      sseData({
        ...head,
        object: 'chat.completion.chunk',
        service_tier: 'default',
        choices: [],
        usage: chatUsage(promptTokens, completion),
      }),
    );
  }
  frames.push(SSE_DONE);
  return { kind: 'sse', frames, usage };
}
