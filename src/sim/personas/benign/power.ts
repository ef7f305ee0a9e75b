/**
 * @module sim/personas/benign/power
 * Power users: eval harnesses (benchmark questions in bulk over several models), agents with
 * tool loops, researchers working in bursts, heavy individual developers.
 */
import { nodeSdk, populationClient, pythonSdk } from '../../clients.js';
import { corporateIps, hostingIps, residentialIps } from '../../net.js';
import { answerText } from '../../prompts/answers.js';
import { fill } from '../../prompts/fill.js';
import { cotWrap, generate, type PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import { randomTz, sessionSchedule } from '../../time.js';
import type { KeyPlan, SimRequest } from '../../types.js';
import {
  adopter,
  chatRequest,
  keyPlan,
  type Message,
  mintOrg,
  modelsFrom,
  type PersonaContext,
  pushToolStep,
  toolDef,
  volume,
  withSystem,
} from '../common.js';
import { type BenignPersona, days, rhythm } from './shared.js';
/**
 * What an eval harness sends for one item of its benchmark: the question, with the benchmark's
 * step-by-step line when the run uses chain-of-thought prompting (`cot`), after a worked example
 * when it is few-shot (`shots`).
 */
export type EvalQuestion = (g: Rng, cot: boolean, shots: boolean) => string;

/** English benchmarks: math word problems and multiple-choice questions. */
function englishBenchmark(ctx: PersonaContext): EvalQuestion {
  return (g, cot, shots) => {
    const q = ctx.prompts.get(g.chance(0.5) ? 'math' : 'mcq', g, 0.8);
    const text = cot ? `${q}\nLet's think step by step.` : q;
    const shot = shots ? `${generate('mcq', g)} B\n\n` : '';
    return shot + text;
  };
}

/**
 * Eval harnesses: a benchmark's items in bulk runs over 1–4 models, temperature 0, office
 * rhythm. `benchmarkOf` draws an org's benchmark (default: English math and multiple choice).
 */
export function evalHarness(
  ctx: PersonaContext,
  orgs: number,
  persona: BenignPersona = 'eval_harness',
  benchmarkOf: (rng: Rng) => EvalQuestion = () => englishBenchmark(ctx),
): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`${persona}:${o}`);
    const org = mintOrg(rng);
    const question = benchmarkOf(rng.fork('benchmark'));
    const models = modelsFrom(rng, [...ctx.models.chat, ...ctx.models.reasoning], rng.int(1, 4));
    const runs = rng.int(1, Math.max(1, Math.round(days(ctx) / 2)));
    const perRun = volume(rng, 150, 0.8, 40, 1500);
    const schedule = sessionSchedule(rng, ctx.start, ctx.end, rhythm(rng, 'office', 0.3), {
      sessions: runs,
      meanTurns: perRun,
      fixedTurns: true,
      turnGapMs: rng.float(0.3, 2) * 1000,
    });
    const cot = rng.chance(0.4);
    const shots = rng.chance(0.3);
    const adopt = adopter(ctx, rng, 0.4, 0.5);
    plans.push(
      keyPlan(rng, {
        org,
        label: { persona, attack: false, campaign: null },
        client: rng.chance(0.7) ? pythonSdk(rng, undefined, true) : populationClient(rng),
        ips: rng.chance(0.5) ? ctx.cloud.egress(rng, 1) : corporateIps(rng),
        schedule,
        make: (i, g, at) => {
          const content = question(g, cot, shots);
          return chatRequest(g, {
            model: adopt(at.ts, g, models[i % models.length]!),
            messages: [{ role: 'user', content }],
            maxTokens: cot ? 1024 : 256,
            temperature: 0,
            extra: { seed: 1234 },
            answer: { median: cot ? 220 : 8, sigma: 0.5 },
          });
        },
      }),
    );
  }
  return plans;
}

const TOOLS = [
  'get_weather',
  'search_flights',
  'query_orders',
  'create_ticket',
  'lookup_customer',
  'send_email',
  'run_sql',
  'fetch_url',
  'calendar_create_event',
  'search_docs',
];

/** Agents with tool loops: growing histories of tool calls and results. */
export function agent(ctx: PersonaContext, orgs: number, persona: BenignPersona = 'agent'): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`${persona}:${o}`);
    const org = mintOrg(rng);
    const tools = rng.sample(TOOLS, rng.int(3, 8)).map(toolDef);
    const system =
      persona === 'framework_shared'
        ? rng.pick(ctx.frameworkPrompts)
        : fill(
            rng,
            'You are an operations agent for {company}. Use the tools to complete tasks. Think before acting.',
          );
    const schedule = sessionSchedule(rng, ctx.start, ctx.end, rhythm(rng, 'office', 0.3), {
      sessions: volume(rng, 3 * days(ctx), 1, 2, 500),
      meanTurns: rng.float(4, 12),
      turnGapMs: 4000,
    });
    const model = rng.pick(ctx.models.chat);
    const convs = new Map<number, Message[]>();
    plans.push(
      keyPlan(rng, {
        org,
        label: { persona, attack: false, campaign: null },
        client: rng.chance(0.5) ? pythonSdk(rng, undefined, true) : populationClient(rng),
        ips: rng.chance(0.6) ? ctx.cloud.egress(rng, 2) : corporateIps(rng),
        schedule,
        make(_i, g, { session: s, turn }): SimRequest {
          let msgs = turn === 0 ? undefined : convs.get(s);
          if (!msgs) {
            msgs = withSystem(system, [{ role: 'user', content: generate('tool_task', g) }]);
          } else {
            pushToolStep(
              msgs,
              `call_${g.hex(12)}`,
              null,
              g.pick(TOOLS),
              JSON.stringify({ ok: true, rows: g.int(0, 40), note: answerText(g, g.int(15, 80)) }),
            );
          }
          convs.set(s, msgs);
          if (convs.size > 32) convs.delete(convs.keys().next().value!);
          return chatRequest(g, {
            model,
            messages: msgs.slice(),
            tools,
            maxTokens: null,
            temperature: 0,
            answer: { median: 60, sigma: 0.8 },
          });
        },
      }),
    );
  }
  return plans;
}

/** Researchers: bursts of varied work over a few days, sometimes logprobs and n>1. */
export function researcher(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`researcher:${o}`);
    const org = mintOrg(rng);
    const bursts = rng.int(1, 4);
    const schedule = sessionSchedule(rng, ctx.start, ctx.end, rhythm(rng, 'office', 0.6), {
      sessions: bursts,
      meanTurns: volume(rng, 80, 1, 15, 2000),
      fixedTurns: true,
      turnGapMs: rng.float(3, 40) * 1000,
    });
    const uses = { logprobs: rng.chance(0.3), n: rng.chance(0.3), cot: rng.chance(0.4) };
    const models = modelsFrom(rng, [...ctx.models.chat, ...ctx.models.reasoning], rng.int(1, 3));
    const adopt = adopter(ctx, rng, 0.5, 0.6);
    plans.push(
      keyPlan(rng, {
        org,
        label: { persona: 'researcher', attack: false, campaign: null },
        client: pythonSdk(rng),
        ips: rng.chance(0.25) ? hostingIps(rng, 1, rng.int(1, 3)) : residentialIps(rng, rng.int(1, 2)),
        schedule,
        make: (_i, g, at) => {
          const kind = g.pick<PromptKind>(['qa', 'puzzle', 'math', 'classify', 'writing', 'code']);
          let q = ctx.prompts.get(kind, g, 0.5);
          if (uses.cot && g.chance(0.5)) q = g.chance(0.5) ? `${q}\nThink step by step.` : cotWrap(g, q);
          const extra: Record<string, unknown> = {};
          if (uses.logprobs && g.chance(0.6))
            Object.assign(extra, { logprobs: true, top_logprobs: g.pick([1, 3, 5]) });
          return chatRequest(g, {
            model: adopt(at.ts, g, g.pick(models)),
            messages: [{ role: 'user', content: q }],
            maxTokens: g.pick([null, 512, 1024, 2048]),
            temperature: g.pick([0, 0.7, 1]),
            n: uses.n && g.chance(0.4) ? g.int(2, 5) : 1,
            extra,
            answer: { median: 250, sigma: 0.8 },
          });
        },
      }),
    );
  }
  return plans;
}

/** Multimodal document apps: images of charts and forms, short structured outputs. */
export function heavyDev(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`heavy_dev:${o}`);
    const org = mintOrg(rng);
    const schedule = sessionSchedule(
      rng,
      ctx.start,
      ctx.end,
      { kind: 'consumer', tzOffsetH: randomTz(rng), weekend: 1.2 },
      {
        sessions: volume(rng, 5 * days(ctx), 0.6, 8, 1500),
        meanTurns: rng.float(3, 12),
        turnGapMs: rng.float(10, 60) * 1000,
      },
    );
    const models = modelsFrom(rng, [...ctx.models.chat, ...ctx.models.reasoning], rng.int(2, 4));
    // Some developers run their tools from a rented VPS, like attackers do.
    const ips = rng.chance(0.3) ? hostingIps(rng, 1, 1) : residentialIps(rng, 2);
    const adopt = adopter(ctx, rng, 0.4, 0.5);
    plans.push(
      keyPlan(rng, {
        org,
        label: { persona: 'heavy_dev', attack: false, campaign: null },
        client: rng.chance(0.5) ? pythonSdk(rng) : nodeSdk(rng),
        ips,
        schedule,
        make: (_i, g, at) => {
          const kind = g.pick<PromptKind>([
            'code',
            'code',
            'qa',
            'writing',
            'puzzle',
            'summarize',
            'extract',
            'smalltalk',
          ]);
          return chatRequest(g, {
            model: adopt(at.ts, g, g.pick(models)),
            messages: withSystem(g.chance(0.3) ? 'You are a helpful assistant.' : null, [
              { role: 'user', content: ctx.prompts.get(kind, g, 0.4) },
            ]),
            maxTokens: g.pick([null, null, 1000, 4096, 16000]),
            temperature: g.pick([null, 0, 0.3, 1.2]),
            n: g.chance(0.05) ? 3 : 1,
            extra: g.chance(0.05) ? { logprobs: true, top_logprobs: 2 } : undefined,
            answer: { median: 300, sigma: 0.9 },
          });
        },
      }),
    );
  }
  return plans;
}
