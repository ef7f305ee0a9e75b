/**
 * @module sim/personas/benign/aggregator
 * API aggregators and model routers: one org that resells the API to its own customers
 * (developers, apps and teams the world over) through a few regional keys. Each key carries the
 * merged traffic of the customers routed to it: chat products, coding tools, RAG and batch jobs,
 * agents, writing apps, tutors, eval runs and playground users comparing models side by side.
 *
 * It is the heaviest benign customer a provider has, and the merge gives it, by construction,
 * most of what a single harvester shows: volume far above any other key, a flat 24/7 day (its
 * customers live in every timezone), broad topical coverage, many models, a new model taken up
 * within hours of its release (routers list new models first), the same prompt sent to several
 * models (comparison), one client and one cloud range for all of it. The `user` field carries the
 * reseller's customer id on some routers and nothing on others.
 */
import { nodeSdk, plainClient, populationClient } from '../../clients.js';
import { answerText } from '../../prompts/answers.js';
import { sourceFile } from '../../prompts/documents.js';
import { fill } from '../../prompts/fill.js';
import { generate, type PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import { mergeSchedules, type RhythmKind, sessionSchedule } from '../../time.js';
import type { KeyPlan, SimRequest } from '../../types.js';
import {
  adopter,
  assistantTurn,
  chatRequest,
  keyPlan,
  type Message,
  mintOrg,
  mintUser,
  type PersonaContext,
  pushToolStep,
  toolDef,
  volume,
  withSystem,
} from '../common.js';
import { brandName } from './chat.js';
import { days, rhythm } from './shared.js';

/** What a reseller's customer builds on it, with its share of customers. */
const CUSTOMER_KINDS = [
  ['chat', 0.28],
  ['coding', 0.18],
  ['agent', 0.12],
  ['writer', 0.1],
  ['rag', 0.1],
  ['batch', 0.08],
  ['tutor', 0.05],
  ['eval', 0.05],
  ['compare', 0.04],
] as const;
type CustomerKind = (typeof CUSTOMER_KINDS)[number][0];

const AGENT_TOOLS = [
  'read_file',
  'write_file',
  'run_command',
  'search_code',
  'fetch_url',
  'list_dir',
  'apply_patch',
];

/** One customer of the reseller: what it sends, on which models, with which budget. */
interface Customer {
  kind: CustomerKind;
  /** The reseller's id of this customer (sent as `user` when the router passes one). */
  id: string;
  system: string | null;
  models: string[];
  maxTokens: number | null;
  temperature: number | null;
  answer: { median: number; sigma: number; kind?: string };
  tools: unknown[] | null;
  /** Adoption of a newly released model (`adopter`). */
  adopt: (ts: number, g: Rng, current: string) => string;
}

function pickKind(rng: Rng): CustomerKind {
  let x = rng.next();
  for (const [kind, share] of CUSTOMER_KINDS) {
    x -= share;
    if (x < 0) return kind;
  }
  return 'chat';
}

/**
 * How often and in what runs a kind of customer sends: its rhythm, median sessions a day (across
 * customers, log-normal), mean turns a session (fixed for jobs), median seconds between turns.
 */
const SHAPE: Record<
  CustomerKind,
  { rhythm: RhythmKind; perDay: number; turns: number; gapS: number; fixed?: boolean }
> = {
  chat: { rhythm: 'consumer', perDay: 1.5, turns: 3, gapS: 40 },
  coding: { rhythm: 'office', perDay: 1.5, turns: 2.5, gapS: 90 },
  agent: { rhythm: 'office', perDay: 1.5, turns: 7, gapS: 5 },
  writer: { rhythm: 'consumer', perDay: 1.5, turns: 1.3, gapS: 60 },
  rag: { rhythm: 'consumer', perDay: 1.5, turns: 1.2, gapS: 30 },
  batch: { rhythm: 'night', perDay: 0.3, turns: 40, gapS: 3, fixed: true },
  tutor: { rhythm: 'consumer', perDay: 1.5, turns: 3, gapS: 60 },
  eval: { rhythm: 'office', perDay: 0.3, turns: 60, gapS: 2, fixed: true },
  compare: { rhythm: 'office', perDay: 1.5, turns: 1, gapS: 8 },
};

function customerOf(ctx: PersonaContext, rng: Rng, catalogue: string[]): Customer {
  const kind = pickKind(rng);
  const brand = brandName(rng);
  const reasoning = ctx.models.reasoning;
  const one = rng.pick(kind === 'tutor' && rng.chance(0.5) ? reasoning : catalogue);
  const models =
    kind === 'compare' || kind === 'eval'
      ? rng.sample(catalogue, rng.int(2, Math.min(4, catalogue.length)))
      : rng.chance(0.25)
        ? rng.sample(catalogue, 2)
        : [one];
  const base = { id: mintUser(rng), models, tools: null, adopt: adopter(ctx, rng, 0.35, rng.float(0.3, 1)) };
  switch (kind) {
    case 'chat':
      return {
        ...base,
        kind,
        system: rng.chance(0.8)
          ? fill(rng, `You are ${brand}, a {friendly|helpful|concise} assistant. Keep answers short.`)
          : null,
        maxTokens: rng.pick([null, 512, 1024]),
        temperature: rng.pick([null, 0.7, 1]),
        answer: { median: rng.float(120, 280), sigma: 0.6 },
      };
    case 'coding':
      return {
        ...base,
        kind,
        system: rng.chance(0.6) ? fill(rng, 'You are an expert {lang} engineer. Answer with code.') : null,
        maxTokens: rng.pick([null, 4096, 8192]),
        temperature: rng.pick([null, 0, 0.2]),
        answer: { median: rng.float(250, 600), sigma: 0.7, kind: 'code' },
      };
    case 'agent':
      return {
        ...base,
        kind,
        system: fill(
          rng,
          `You are ${brand}, a coding agent. Use the tools to inspect and change the repository.`,
        ),
        maxTokens: rng.pick([null, 8192]),
        temperature: 0,
        answer: { median: rng.float(60, 160), sigma: 0.8 },
        tools: rng.sample(AGENT_TOOLS, rng.int(3, 7)).map(toolDef),
      };
    case 'writer':
      return {
        ...base,
        kind,
        system: fill(
          rng,
          `You are ${brand}, a writing assistant for {marketers|students|authors|small businesses}.`,
        ),
        maxTokens: rng.pick([2048, 4096, null]),
        temperature: rng.pick([0.7, 0.9, 1]),
        answer: { median: rng.float(500, 1000), sigma: 0.5 },
      };
    case 'rag':
    case 'batch':
      return {
        ...base,
        kind,
        system: rng.chance(0.5) ? 'Answer only from the provided context.' : null,
        maxTokens: kind === 'batch' ? rng.pick([16, 64, 256]) : rng.pick([null, 512]),
        temperature: 0,
        answer: { median: kind === 'batch' ? rng.float(5, 60) : rng.float(80, 200), sigma: 0.5 },
      };
    case 'tutor':
      return {
        ...base,
        kind,
        system: `You are ${brand}, a patient tutor. Explain every solution step by step.`,
        maxTokens: rng.pick([null, 2048]),
        temperature: 0.3,
        answer: { median: rng.float(250, 450), sigma: 0.5 },
      };
    default: // eval, compare
      return {
        ...base,
        kind,
        system: null,
        maxTokens: kind === 'eval' ? rng.pick([null, 1024]) : rng.pick([null, 1024, 4096]),
        temperature: kind === 'eval' ? 0 : rng.pick([null, 0.7]),
        answer: { median: kind === 'eval' ? rng.float(60, 250) : rng.float(200, 600), sigma: 0.6 },
      };
  }
}

/** The first message of a customer's session. */
function opener(ctx: PersonaContext, c: Customer, g: Rng): string {
  switch (c.kind) {
    case 'chat':
      return generate(g.pick<PromptKind>(['smalltalk', 'qa', 'qa', 'writing', 'translate']), g);
    case 'coding':
      return g.chance(0.6)
        ? `\`\`\`\n${sourceFile(g, g.int(800, 6000))}\n\`\`\`\n${fill(g, '{codeAsk}')}`
        : ctx.prompts.get('code', g);
    case 'agent':
      return generate('tool_task', g);
    case 'writer':
      return generate('writing', g);
    case 'rag':
      return generate('extract', g);
    case 'batch':
      return generate(g.chance(0.5) ? 'classify' : 'summarize', g);
    case 'tutor':
      return ctx.prompts.get('math', g, 0.6);
    case 'eval':
      return `${ctx.prompts.get(g.chance(0.5) ? 'math' : 'mcq', g, 0.8)}${g.chance(0.3) ? "\nLet's think step by step." : ''}`;
    default:
      return ctx.prompts.get(g.pick<PromptKind>(['qa', 'writing', 'code', 'math']), g);
  }
}

/** The messages of a session's next turn: a new session starts from the opener. */
function nextMessages(ctx: PersonaContext, c: Customer, g: Rng, prev: Message[] | undefined): Message[] {
  if (!prev || c.kind === 'batch' || c.kind === 'eval' || c.kind === 'rag') {
    return withSystem(c.system, [{ role: 'user', content: opener(ctx, c, g) }]);
  }
  const msgs = prev;
  if (c.kind === 'agent') {
    pushToolStep(msgs, `call_${g.hex(12)}`, null, g.pick(AGENT_TOOLS), answerText(g, g.int(40, 400)));
    return msgs;
  }
  if (c.kind === 'compare') return msgs; // the same prompt again, to the next model
  msgs.push(assistantTurn(answerText(g, g.int(40, 250))));
  msgs.push({
    role: 'user',
    content: fill(
      g,
      g.pick(['Thanks, and {topic}?', 'Can you shorten it?', 'Explain the second step.', 'Why?']),
    ),
  });
  return msgs;
}

/**
 * API resellers: `orgs` routers, each with 60–300 customers spread over 2–4 regional keys, every
 * customer on its own rhythm and timezone, models and budget. A customer's sessions are its
 * conversations, jobs, agent runs or comparisons (a comparison sends one prompt to each of its
 * 2–4 models in turn).
 */
export function aggregator(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`aggregator:${o}`);
    const org = mintOrg(rng);
    const passesUser = rng.chance(0.6);
    const client = rng.pick([nodeSdk(rng), populationClient(rng), plainClient(rng, 'go')]);
    const ips = ctx.cloud.egress(rng, rng.int(2, 6));
    const catalogue = [...ctx.models.chat, ...ctx.models.reasoning];
    const customers = Array.from({ length: rng.int(60, 300) }, () => customerOf(ctx, rng, catalogue));
    const keys = rng.int(2, 4);
    const byKey: Customer[][] = Array.from({ length: keys }, () => []);
    for (const c of customers) byKey[rng.int(0, keys - 1)]!.push(c);
    for (const group of byKey) {
      if (group.length === 0) continue;
      const parts = group.map((c) => {
        const shape = SHAPE[c.kind];
        const turns = c.kind === 'compare' ? c.models.length : shape.turns;
        return sessionSchedule(rng, ctx.start, ctx.end, rhythm(rng, shape.rhythm, rng.float(0.4, 1.1)), {
          sessions: volume(rng, shape.perDay * days(ctx), 1.3, 1, 600),
          meanTurns: turns,
          fixedTurns: shape.fixed === true || c.kind === 'compare',
          turnGapMs: rng.float(0.5, 1.5) * shape.gapS * 1000,
        });
      });
      const { schedule, part } = mergeSchedules(parts);
      const sessions = new Map<number, Message[]>();
      plans.push(
        keyPlan(rng, {
          org,
          label: { persona: 'aggregator', attack: false, campaign: null },
          client,
          ips,
          schedule,
          make(i, g, { session, turn, ts }): SimRequest {
            const c = group[part[i]!]!;
            const msgs = nextMessages(ctx, c, g, turn === 0 ? undefined : sessions.get(session));
            sessions.set(session, msgs);
            if (sessions.size > 256) sessions.delete(sessions.keys().next().value!);
            const model =
              c.kind === 'compare' ? c.models[turn % c.models.length]! : c.adopt(ts, g, g.pick(c.models));
            return chatRequest(g, {
              model,
              messages: msgs.slice(),
              maxTokens: c.maxTokens,
              temperature: c.temperature,
              user: passesUser ? c.id : null,
              tools: c.tools ?? undefined,
              answer: c.answer,
              reasoning: ctx.models.reasoning.includes(model),
            });
          },
        }),
      );
    }
  }
  return plans;
}
