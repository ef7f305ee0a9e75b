/**
 * @module upstream/mock/responses
 * `POST /v1/responses`: one output item (a message with `output_text`, or a `function_call`),
 * usage in input/output tokens, and the typed stream events (`response.created`, …,
 * `response.output_text.delta`, …, `response.completed` with usage).
 */
import { produce } from './answer.js';
import { chatLogprobs } from './logprobs.js';
import { hexId, mulberry32 } from './prng.js';
import { type MockReply, type ReplyEnv, sseEvent } from './reply.js';
import { askOf, isObj, type Obj } from './request.js';
import { tokenPieces } from './tokens.js';

const responsesUsage = (input: number, output: number) => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: input + output,
});

export function responsesReply(body: Obj, env: ReplyEnv): MockReply {
  const ask = askOf('responses', body);
  const rng = mulberry32(env.seed);
  const produced = produce(ask, rng);
  const text = produced.kind === 'text' ? produced.text : produced.arguments;
  const pieces = tokenPieces(text);
  const wantLogprobs = Array.isArray(body.include) && body.include.includes('message.output_text.logprobs');
  const top = typeof body.top_logprobs === 'number' ? Math.min(20, Math.max(0, body.top_logprobs)) : 0;
  const logprobs = wantLogprobs ? chatLogprobs(rng, pieces, top) : [];
  const usage = { prompt: ask.promptTokens, completion: produced.tokens };
  const incomplete = produced.finishReason === 'length';
  const id = `resp_${hexId(env.seed, 32)}`;
  const itemId =
    produced.kind === 'text' ? `msg_${hexId(env.seed + 1, 32)}` : `fc_${hexId(env.seed + 1, 32)}`;
  const part = { type: 'output_text', text, annotations: [], logprobs };
  const item =
    produced.kind === 'text'
      ? {
          id: itemId,
          type: 'message',
          status: incomplete ? 'incomplete' : 'completed',
          role: 'assistant',
          content: [part],
        }
      : {
          id: itemId,
          type: 'function_call',
          status: 'completed',
          call_id: produced.callId,
          name: produced.name,
          arguments: text,
        };
  const response = (status: string, output: unknown[], withUsage: boolean): Obj => ({
    id,
    object: 'response',
    created_at: env.created,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: typeof body.model === 'string' ? body.model : 'mock-gpt',
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: isObj(body.reasoning) ? (body.reasoning.effort ?? null) : null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: isObj(body.text) ? body.text : { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: withUsage && !env.noUsage ? responsesUsage(usage.prompt, usage.completion) : null,
    user: body.user ?? null,
    metadata: isObj(body.metadata) ? body.metadata : {},
  });
  const finalStatus = incomplete ? 'incomplete' : 'completed';
  if (body.stream !== true) {
    const out = response(finalStatus, [item], true);
    if (env.noUsage) delete out.usage;
    return { kind: 'json', status: 200, body: out, usage };
  }
  let seq = 0;
  const frames: string[] = [];
  const emit = (type: string, payload: Obj) =>
    frames.push(sseEvent(type, { type, sequence_number: seq++, ...payload }));
  emit('response.created', { response: response('in_progress', [], false) });
  emit('response.in_progress', { response: response('in_progress', [], false) });
  const at = { item_id: itemId, output_index: 0 };
  if (produced.kind === 'text') {
    emit('response.output_item.added', {
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    });
    emit('response.content_part.added', {
      ...at,
      content_index: 0,
      part: { ...part, text: '', logprobs: [] },
    });
    pieces.forEach((delta, i) => {
      emit('response.output_text.delta', {
        ...at,
        content_index: 0,
        delta,
        logprobs: logprobs[i] ? [logprobs[i]] : [],
      });
    });
    emit('response.output_text.done', { ...at, content_index: 0, text, logprobs });
    emit('response.content_part.done', { ...at, content_index: 0, part });
  } else {
    emit('response.output_item.added', {
      output_index: 0,
      item: { ...item, status: 'in_progress', arguments: '' },
    });
    for (const delta of pieces) emit('response.function_call_arguments.delta', { ...at, delta });
    emit('response.function_call_arguments.done', { ...at, arguments: text });
  }
  emit('response.output_item.done', { output_index: 0, item });
  emit(incomplete ? 'response.incomplete' : 'response.completed', {
    response: response(finalStatus, [item], true),
  });
  return { kind: 'sse', frames, usage };
}
