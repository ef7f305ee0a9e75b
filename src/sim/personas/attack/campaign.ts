/**
 * @module sim/personas/attack/campaign
 * The parameterised campaign every attack persona is built from: N keys (each its own fresh org),
 * per-key rate, key churn (banned keys replaced at once), timing jitter, template diversity and
 * paraphrasing, IP and fingerprint spread; and the generic harvest request.
 */
import { populationClient, pythonSdk } from '../../clients.js';
import { hostingIps, residentialIps } from '../../net.js';
import { fill, paraphrase } from '../../prompts/fill.js';
import { cotWrap, type PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import { DAY, HOUR, machineSchedule, randomTz, sessionSchedule, withTurns } from '../../time.js';
import type { ClientProfile, KeyPlan, SimRequest } from '../../types.js';
import {
  chatRequest,
  keyPlan,
  type Message,
  mintOrg,
  mintUser,
  type PersonaContext,
  toolDef,
  withSystem,
} from '../common.js';
import type { AttackPersona } from './index.js';

export interface CampaignParams {
  /** Concurrent keys. */
  keys: number;
  /** Requests per key per active day. */
  perKeyPerDay: number;
  /** Relative jitter of the inter-arrival gaps: 0 metronome … 1 Poisson. */
  jitter: number;
  /** Mean key lifetime in days before a ban forces a replacement (null: no churn). */
  churnDays: number | null;
  /** /24 networks the campaign rents; 0 = residential proxies (every key its own address). */
  ipNets: number;
  /** Distinct client fingerprints across the campaign's keys. */
  fingerprints: number;
  /** Number of template families (prompt kinds) it sweeps. */
  diversity: number;
  /** Paraphrase strength in [0,1] (0 = verbatim templates). */
  paraphrase: number;
  /** max_tokens pinned (null: left out, like many benign clients). */
  maxTokens: number | null;
  /** Share of requests wrapped in chain-of-thought coercion. */
  cotShare: number;
  /** Campaign activity window as fractions of the simulated period. */
  window: [number, number];
  /** Follows a diurnal rhythm instead of running around the clock. */
  diurnal: boolean;
  /** Every key sends its own invented system prompt (an evasion of product identity). */
  ownSystems?: boolean;
  /** Share of requests sent as the next turn of an invented small-talk exchange, so that the
   * traffic is not single-turn (an evasion of `single_turn` and of the one-shot request shape). */
  chatWrap?: number;
  /** Every key sends `user` ids from its own small pool of recurring end users, as a product
   * does (an evasion of the returning-end-user rules of engine 1.5.0). */
  fakeEndUsers?: boolean;
  /** Turns per conversation (inclusive range): each scheduled request opens a conversation whose
   * follow-ups come as soon as the answers do (none: every request is its own session). */
  turns?: readonly [number, number];
  /** Conversations are kept by the upstream (Responses API `previous_response_id`): each turn
   * sends only its new message, and the earlier turns are billed as input unseen. */
  serverThreads?: boolean;
}

export const DEFAULT_CAMPAIGN: CampaignParams = {
  keys: 20,
  perKeyPerDay: 80,
  jitter: 0.5,
  churnDays: null,
  ipNets: 2,
  fingerprints: 1,
  diversity: 3,
  paraphrase: 0.3,
  maxTokens: 4096,
  cotShare: 0,
  window: [0, 1],
  diurnal: false,
};

/** Median wait between a conversation's turns when a program sends them: the answer's time and an instant. */
const ANSWER_WAIT_MS = 12_000;

export const HARVEST_KINDS: PromptKind[] = [
  'code',
  'math',
  'puzzle',
  'qa',
  'writing',
  'multilingual',
  'translate',
  'classify',
  'tool_task',
  'summarize',
];
export const SWEEP_KINDS: PromptKind[] = ['code', 'tool_task', 'math', 'multilingual', 'puzzle', 'translate'];
export const GENERIC_SYSTEMS = [
  'You are a helpful assistant.',
  'You are an expert tutor. Give complete, detailed and well-structured answers.',
  'You are a world-class AI. Answer thoroughly, covering every relevant detail.',
];

export type Factory = (g: Rng, at: { ts: number; session: number; turn: number }) => SimRequest;

export interface Campaign {
  id: string;
  persona: AttackPersona;
  p: CampaignParams;
  kinds: PromptKind[];
  system: string | null;
  clients: ClientProfile[];
  ipPool: string[];
  sendsUser: boolean;
}

export function campaignFor(
  rng: Rng,
  persona: AttackPersona,
  p: CampaignParams,
  kinds: PromptKind[],
): Campaign {
  const fp = pythonSdk(rng, rng.pick(['1.51.2', '1.54.4', '1.58.1']));
  return {
    id: `camp_${rng.hex(10)}`,
    persona,
    p,
    kinds: rng.sample(kinds, Math.max(1, p.diversity)),
    system: rng.weighted([null, ...GENERIC_SYSTEMS], [5, 3, 1, 1]),
    clients: Array.from({ length: Math.max(1, p.fingerprints) }, (_, i) =>
      i === 0 ? fp : populationClient(rng),
    ),
    ipPool: p.ipNets > 0 ? hostingIps(rng, p.ipNets, rng.int(3, 12)) : [],
    sendsUser: rng.chance(0.2),
  };
}

/** A generic harvest request: a prompt from the campaign's kinds, maybe CoT-wrapped, max_tokens pinned. */
export function harvestFactory(ctx: PersonaContext, c: Campaign, model: () => string): Factory {
  return (g) => {
    const kind = g.pick(c.kinds);
    let q =
      kind === 'qa' || kind === 'writing' ? ctx.prompts.instruction(g, kind) : ctx.prompts.get(kind, g, 0.5);
    if (c.p.paraphrase > 0) q = paraphrase(g, q, c.p.paraphrase);
    if (g.chance(c.p.cotShare)) q = cotWrap(g, q);
    const tools =
      kind === 'tool_task'
        ? g.sample(['get_weather', 'search_flights', 'run_sql', 'send_email', 'fetch_url'], 3).map(toolDef)
        : undefined;
    return harvestRequest(g, c, {
      model: model(),
      system: c.system,
      prompt: q,
      tools,
      kind: kind === 'code' ? 'code' : 'text',
    });
  };
}

/**
 * A campaign's harvest request for `prompt` (after `history`, if any): its `max_tokens`, a temperature of its
 * clients', a fresh end-user id when it sends them, a long answer.
 */
export function harvestRequest(
  g: Rng,
  c: Campaign,
  o: {
    model: string;
    system: string | null;
    prompt: string;
    /** Earlier turns of the conversation, before `prompt` (none: a one-shot request). */
    history?: Message[];
    tools?: unknown[];
    kind: 'code' | 'text';
  },
): SimRequest {
  const user: Message = { role: 'user', content: o.prompt };
  return chatRequest(g, {
    model: o.model,
    messages: withSystem(o.system, o.history ? [...o.history, user] : [user]),
    maxTokens: c.p.maxTokens,
    modernMax: g.chance(0.3),
    temperature: g.pick([null, 0.7, 1]),
    tools: o.tools,
    user: c.sendsUser ? mintUser(g) : null,
    answer: { median: 650, sigma: 0.5, kind: o.kind },
  });
}

/** Key plans of a campaign: `keys` slots, each served by a chain of keys when churn is on. */
export function campaignKeys(
  ctx: PersonaContext,
  rng: Rng,
  c: Campaign,
  make: (slot: number) => Factory,
): KeyPlan[] {
  const span = ctx.end - ctx.start;
  const from = ctx.start + span * c.p.window[0];
  const to = ctx.start + span * c.p.window[1];
  const plans: KeyPlan[] = [];
  const tz = randomTz(rng);
  for (let slot = 0; slot < c.p.keys; slot++) {
    let t = from + rng.float(0, Math.min(6 * HOUR, (to - from) / 10));
    const factory = make(slot);
    while (t < to - HOUR) {
      const life = c.p.churnDays === null ? to - t : Math.max(6 * HOUR, rng.exponential(c.p.churnDays * DAY));
      const end = Math.min(to, t + life);
      const requests = Math.max(3, Math.round(((c.p.perKeyPerDay * (end - t)) / DAY) * rng.float(0.7, 1.3)));
      const turns = c.p.turns;
      const count = turns ? Math.max(1, Math.round(requests / ((turns[0] + turns[1]) / 2))) : requests;
      const starts = c.p.diurnal
        ? sessionSchedule(
            rng,
            t,
            end,
            { kind: 'office', tzOffsetH: tz, weekend: 0.3 },
            { sessions: count, meanTurns: 1, fixedTurns: true, turnGapMs: 1 },
          )
        : machineSchedule(rng, t, end, { count, jitter: c.p.jitter, phase: slot / c.p.keys });
      const schedule = turns ? withTurns(rng, starts, { turns, gapMs: ANSWER_WAIT_MS, end }) : starts;
      const ips = c.ipPool.length > 0 ? rng.sample(c.ipPool, rng.int(1, 2)) : residentialIps(rng, 1);
      const own = c.p.ownSystems ? inventedSystem(rng.fork(`system:${plans.length}`)) : null;
      const disguise = disguiseOf(c.p, own, rng.fork(`disguise:${plans.length}`));
      plans.push(
        keyPlan(rng, {
          org: mintOrg(rng),
          label: { persona: c.persona, attack: true, campaign: c.id },
          client: rng.pick(c.clients),
          ips,
          schedule,
          make: (_i, g, at) => disguise(factory(g, at), g),
        }),
      );
      t = end;
    }
  }
  return plans;
}

/** A system prompt made up for one key, so that no two keys of the campaign share one. */
function inventedSystem(g: Rng): string {
  return fill(
    g,
    'You are {Nova|Atlas|Orion|Vega|Lyra|Sage} {Assistant|Helper|Expert|Mentor}, a {meticulous|thorough|patient|precise} assistant (profile {1000-9999}). {Answer fully and precisely.|Explain your answers in depth.|Be complete and well organised.}',
  );
}

const OPENERS = [
  'Hi, I am working on a project and could use some help.',
  'Hello! Quick question for you.',
  'Hey, can you help me with something?',
  'Good morning. I need a hand with a task.',
  'Hi there, I have a question.',
  'Hello, hope you are well. Can I ask you something?',
];
const REPLIES = [
  'Of course! What do you need help with?',
  'Sure, happy to help. What is your question?',
  'Absolutely, go ahead.',
  'Good morning! What can I do for you?',
];

/**
 * What one key of a campaign does to each request to look like something else: its own invented
 * system prompt (`ownSystems`, given as `own`), canned follow-ups (`chatWrap`), recurring end users
 * (`fakeEndUsers`). The identity when none is set, drawing nothing, so other scenarios' traffic is
 * unchanged.
 */
function disguiseOf(
  p: CampaignParams,
  own: string | null,
  keyRng: Rng,
): (r: SimRequest, g: Rng) => SimRequest {
  const wrap = p.chatWrap ?? 0;
  const users = p.fakeEndUsers ? Array.from({ length: keyRng.int(5, 30) }, () => mintUser(keyRng)) : null;
  if (own === null && wrap <= 0 && users === null) return (r) => r;
  return (sent, g) => {
    const r = own === null ? sent : withOwnSystem(sent, own);
    const messages = r.body.messages as Array<{ role: string; content: unknown }> | undefined;
    if (!Array.isArray(messages)) return r;
    const body: Record<string, unknown> = { ...r.body };
    if (wrap > 0 && g.chance(wrap)) {
      const system = messages.filter((m) => m.role === 'system');
      const rest = messages.filter((m) => m.role !== 'system');
      body.messages = [
        ...system,
        { role: 'user', content: g.pick(OPENERS) },
        { role: 'assistant', content: g.pick(REPLIES) },
        ...rest,
      ];
    }
    // Skewed towards the first ids of the pool: a few regulars and a tail, like a product's users.
    if (users) body.user = users[Math.floor(users.length * g.float(0, 1) ** 2)]!;
    return { ...r, body };
  };
}

/** The request with `system` as its system prompt (chat bodies; others are left as they are). */
function withOwnSystem(r: SimRequest, system: string): SimRequest {
  const messages = r.body.messages as Array<{ role: string; content: unknown }> | undefined;
  if (!Array.isArray(messages)) return r;
  const rest = messages.filter((m) => m.role !== 'system');
  return { ...r, body: { ...r.body, messages: [{ role: 'system', content: system }, ...rest] } };
}

export const pickModel = (ctx: PersonaContext, rng: Rng) => {
  const m = rng.pick([...ctx.models.chat, ...ctx.models.reasoning]);
  return () => m;
};
