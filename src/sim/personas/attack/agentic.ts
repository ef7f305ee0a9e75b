/**
 * @module sim/personas/attack/agentic
 * Agentic trajectory harvesting: a campaign that distils tool use. Each key drives its own
 * trajectories through the campaign's sandbox harness: a generated task, the harness's tool set
 * (the same schema on every key), then step after step the model's last tool call fed back with
 * a result the sandbox made up, until the model writes its final answer. What is harvested is
 * each decision (a short tool call with its reasoning) and the final answer (long).
 *
 * > "They target … agentic reasoning and tool use" (issue 3)
 *
 * Its traffic is shaped like an agent framework's, not like single-turn harvesting: follow-ups
 * carrying tool calls and tool results, short answers at most steps.
 */
import { answerText } from '../../prompts/answers.js';
import { fill } from '../../prompts/fill.js';
import type { PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import {
  chatRequest,
  type Message,
  type PersonaContext,
  pushToolStep,
  toolDef,
  withSystem,
} from '../common.js';
import type { Campaign, Factory } from './campaign.js';

/** The sandbox harness's tools; a campaign offers 4–8 of them on every request. */
const HARNESS_TOOLS = [
  'python_exec',
  'bash',
  'web_search',
  'open_url',
  'read_file',
  'write_file',
  'sql_query',
  'calculator',
  'git_diff',
  'run_tests',
];

/** Task kinds the campaign's generator draws from (a sweep of agentic work). */
const TASK_KINDS: PromptKind[] = ['tool_task', 'code', 'math', 'qa', 'puzzle'];

const AGENT_SYSTEMS = [
  'You are an autonomous agent. Solve the task with the tools provided. Before every tool call, explain your reasoning step by step.',
  'You are a helpful assistant with access to tools. Think carefully, plan, and use tools when needed.',
  'You are an expert software and research agent. Reason step by step, call tools to verify, then give a complete final answer.',
];

/** A trajectory in flight on one key: its messages so far and the steps left before the final answer. */
interface Trajectory {
  messages: Message[];
  left: number;
}

/** The campaign's harness: its tool set and system prompt, drawn once for all its keys. */
export interface Harness {
  tools: unknown[];
  toolNames: string[];
  system: string | null;
}

export function agenticHarness(rng: Rng): Harness {
  const toolNames = rng.sample(HARNESS_TOOLS, rng.int(4, 8));
  return {
    tools: toolNames.map(toolDef),
    toolNames,
    system: rng.weighted([null, ...AGENT_SYSTEMS], [2, 3, 2, 2]),
  };
}

/**
 * One key's request factory: each request advances the key's trajectory by one step; a new
 * trajectory (2–6 steps) starts when the last one ended.
 */
export function trajectoryFactory(
  ctx: PersonaContext,
  c: Campaign,
  h: Harness,
  model: () => string,
): Factory {
  let t: Trajectory | null = null;
  return (g) => {
    if (t === null || t.left <= 0) {
      const task = fill(g, '{Task|Objective|Goal}: ') + ctx.prompts.get(g.pick(TASK_KINDS), g, 0.5);
      t = { messages: withSystem(h.system, [{ role: 'user', content: task }]), left: g.int(2, 6) };
    } else {
      pushToolStep(
        t.messages,
        `call_${g.hex(12)}`,
        answerText(g, g.int(30, 140)),
        g.pick(h.toolNames),
        JSON.stringify({ status: 'ok', exit_code: 0, output: answerText(g, g.int(10, 90)) }),
      );
    }
    t.left--;
    const final = t.left <= 0;
    return chatRequest(g, {
      model: model(),
      messages: t.messages.slice(),
      tools: h.tools,
      maxTokens: c.p.maxTokens,
      temperature: g.pick([null, 0.7, 1]),
      answer: final ? { median: 700, sigma: 0.5 } : { median: 110, sigma: 0.5 },
    });
  };
}
