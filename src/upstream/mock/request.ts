/**
 * @module upstream/mock/request
 * Reads what the mock needs from an OpenAI request body of any endpoint: prompt size (tokens of
 * the prompt text plus 765 per image), max tokens, tools and which one to call, answer format.
 */
import { IMAGE_TOKENS } from '../../events/features.js';
import { promptText } from '../../events/text.js';
import type { Endpoint } from '../../events/types.js';
import type { AnswerFormat, AskSpec, ToolSpec } from './answer.js';
import { countText } from './tokens.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function maxTokensOf(body: Obj): number | null {
  const v = num(body.max_completion_tokens) ?? num(body.max_tokens) ?? num(body.max_output_tokens);
  return v === null ? null : Math.max(1, Math.floor(v));
}

/** Tool definitions in either the chat shape (`{type, function:{name, parameters}}`) or the responses shape. */
export function toolsOf(body: Obj): ToolSpec[] {
  if (!Array.isArray(body.tools)) return [];
  return body.tools.filter(isObj).flatMap((t) => {
    const fn = isObj(t.function) ? t.function : t;
    return typeof fn.name === 'string' ? [{ name: fn.name, parameters: fn.parameters }] : [];
  });
}

function lastIsToolResult(body: Obj): boolean {
  const list = Array.isArray(body.messages) ? body.messages : Array.isArray(body.input) ? body.input : [];
  const last: unknown = list[list.length - 1];
  return (
    isObj(last) && (last.role === 'tool' || last.role === 'function' || last.type === 'function_call_output')
  );
}

/**
 * The tool to call: any `tool_choice` but `none` calls a tool (the named one when given, else the
 * first), except that `auto` answers in text right after a tool result, so agent loops end.
 */
export function toolToCall(body: Obj, tools: ToolSpec[]): ToolSpec | null {
  if (tools.length === 0) return null;
  const choice = body.tool_choice;
  if (choice === 'none') return null;
  if (isObj(choice)) {
    const fn = isObj(choice.function) ? choice.function : choice;
    const named = tools.find((t) => t.name === fn.name);
    if (named) return named;
  }
  if ((choice === undefined || choice === 'auto') && lastIsToolResult(body)) return null;
  return tools[0] ?? null;
}

export function formatOf(body: Obj): AnswerFormat {
  const rf = isObj(body.response_format)
    ? body.response_format
    : isObj(body.text)
      ? body.text.format
      : undefined;
  if (!isObj(rf)) return { type: 'text' };
  if (rf.type === 'json_object') return { type: 'json_object' };
  if (rf.type === 'json_schema') {
    const holder = isObj(rf.json_schema) ? rf.json_schema : rf;
    return { type: 'json_schema', schema: holder.schema };
  }
  return { type: 'text' };
}

export function promptTokensOf(endpoint: Endpoint, body: Obj): { tokens: number; lastUser: string } {
  const pt = promptText(endpoint, body);
  return { tokens: countText(pt.all) + pt.images * IMAGE_TOKENS, lastUser: pt.lastUser };
}

/** Everything `produce` needs for one request. */
export function askOf(endpoint: Endpoint, body: Obj): AskSpec {
  const { tokens, lastUser } = promptTokensOf(endpoint, body);
  const tools = endpoint === 'completions' ? [] : toolsOf(body);
  return {
    lastUser,
    promptTokens: tokens,
    maxTokens: maxTokensOf(body),
    tools,
    toolToCall: toolToCall(body, tools),
    format: formatOf(body),
  };
}

/** `n`, clamped to [1, 128]. */
export const choicesOf = (body: Obj): number => Math.min(128, Math.max(1, Math.floor(num(body.n) ?? 1)));

/** True when a streaming client asked for the final usage chunk. */
export const includeUsage = (body: Obj): boolean =>
  isObj(body.stream_options) && body.stream_options.include_usage === true;
