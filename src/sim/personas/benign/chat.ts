/**
 * @module sim/personas/benign/chat
 * Conversational customers: chat-app backends (product system prompt, many end users,
 * multi-turn sessions), coding assistants (long code context) and orgs sharing an open-source
 * framework's system prompt.
 */
import { nodeSdk, populationClient, pythonSdk } from '../../clients.js';
import { corporateIps, residentialIps } from '../../net.js';
import { answerText } from '../../prompts/answers.js';
import { sourceFile } from '../../prompts/documents.js';
import { fill } from '../../prompts/fill.js';
import { generate, type PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import { MINUTE, sessionSchedule } from '../../time.js';
import type { KeyPlan } from '../../types.js';
import {
  adopter,
  assistantTurn,
  chatRequest,
  keyPlan,
  type Message,
  mintOrg,
  mintUser,
  type PersonaContext,
  responsesRequest,
  type ServerThread,
  volume,
  withSystem,
} from '../common.js';
import { agent } from './power.js';
import { type BenignPersona, days, rhythm } from './shared.js';

const FOLLOW_UPS = [
  'Can you make it shorter?',
  'Thanks! And what about {topic}?',
  'Can you give an example?',
  'That did not work, any other idea?',
  'Explain that last part again please.',
  'Great, now translate it into {language}.',
  'Could you put that in a table?',
  'Why?',
  'ok and how long would that take?',
  'Perfect. One more thing: how do I start with {hobby}?',
];

const BRANDS = [
  'Nimbus',
  'Quill',
  'Harbor',
  'Sprout',
  'Beacon',
  'Mosaic',
  'Fable',
  'Cobalt',
  'Juniper',
  'Orbit',
  'Pebble',
  'Tandem',
];

/** A product's brand name. */
export function brandName(rng: Rng): string {
  return `${rng.pick(BRANDS)}${rng.pick(['', ' AI', 'ly', ' Assist', ' Pal', 'Hub'])}`;
}

function productPrompt(rng: Rng): string {
  const brand = brandName(rng);
  return fill(
    rng,
    `You are ${brand}, the {friendly|helpful|cheerful|professional} assistant inside the ${brand} {app|website|platform}. ` +
      'Answer in at most {3-8} sentences, never give medical or legal advice, and {use emojis sparingly|avoid emojis|keep a warm tone}. ' +
      `If the user asks about billing, point them to ${brand.toLowerCase().replace(/\s/g, '')}.com/help. Today is {month} {1-28}.`,
  );
}

/** A conversation state: the end user and the messages so far. */
interface Conversation {
  user: string | null;
  messages: Message[];
}

/** How a conversational product's requests are made: who talks, with which model and budget. */
export interface ConversationOptions {
  system: () => string | null;
  users: string[];
  model: (ts: number, g: Rng) => string;
  opener: (rng: Rng) => string;
  /** The user's later turns (default: generic follow-ups). */
  follow?: (rng: Rng) => string;
  maxTokens: number | null;
  answer: { median: number; sigma: number };
  temperature: number | null;
  /** Extra body fields on every request (e.g. a reasoning setting). */
  extra?: Record<string, unknown>;
  /** The model thinks before answering (reasoning tokens are billed as output). */
  reasoning?: boolean;
}

/** What the user says at `turn`: the opener first, then the product's follow-ups (or generic ones). */
function userTurn(o: ConversationOptions, rng: Rng, turn: number): string {
  return turn === 0 ? o.opener(rng) : o.follow ? o.follow(rng) : fill(rng, rng.pick(FOLLOW_UPS));
}

export function conversationMaker(o: ConversationOptions): KeyPlan['make'] {
  const convs = new Map<number, Conversation>();
  let lastSession = -1;
  return (_i, rng, { session, turn, ts }) => {
    let c = convs.get(session);
    if (!c || turn === 0) {
      const sys = o.system();
      c = { user: o.users.length > 0 ? rng.pick(o.users) : null, messages: withSystem(sys, []) };
      convs.set(session, c);
    }
    if (c.messages.length > 0 && c.messages[c.messages.length - 1]!.role === 'user') {
      c.messages.push(assistantTurn(answerText(rng, rng.int(30, 200))));
    }
    c.messages.push({ role: 'user', content: userTurn(o, rng, turn) });
    if (session !== lastSession && convs.size > 64) {
      for (const k of convs.keys()) if (k < session - 64) convs.delete(k);
    }
    lastSession = session;
    return chatRequest(rng, {
      model: o.model(ts, rng),
      messages: c.messages.slice(),
      maxTokens: o.maxTokens,
      temperature: o.temperature,
      user: c.user,
      extra: o.extra,
      reasoning: o.reasoning,
      answer: o.answer,
    });
  };
}

/**
 * The same conversations on the Responses API with the history kept by the upstream: each turn
 * sends only the new user message and `previous_response_id`; the earlier turns are billed as
 * input without appearing in the request.
 */
export function serverThreadMaker(o: ConversationOptions): KeyPlan['make'] {
  const threads = new Map<number, { user: string | null; thread: ServerThread }>();
  return (_i, rng, { session, turn, ts }) => {
    let c = turn === 0 ? undefined : threads.get(session);
    if (c === undefined) {
      if (threads.size >= 64) threads.delete(threads.keys().next().value!);
      c = { user: o.users.length > 0 ? rng.pick(o.users) : null, thread: { lastId: null, contextTokens: 0 } };
      threads.set(session, c);
    }
    const input = userTurn(o, rng, turn);
    return responsesRequest(rng, c.thread, {
      model: o.model(ts, rng),
      instructions: o.system(),
      input,
      maxTokens: o.maxTokens,
      temperature: o.temperature,
      user: c.user,
      extra: o.extra,
      reasoning: o.reasoning,
      answer: o.answer,
    });
  };
}

/** How a chat product talks: its system prompt, its users' openers and follow-ups, its answer budget. */
export interface ChatVoice {
  system: string | null;
  opener: (g: Rng) => string;
  /** The users' later turns (default: generic follow-ups). */
  follow?: (g: Rng) => string;
  maxTokens: readonly (number | null)[];
  answerMedian: [number, number];
  /** Range of an org's mean turns per session (default 2–4). */
  meanTurns?: [number, number];
  /** Range of an org's median seconds between a user's turns (default 20–90). */
  turnGapS?: [number, number];
  /** Conversations kept by the upstream (Responses API `previous_response_id`). */
  serverThreads?: boolean;
  /** Runs on a reasoning model, with these extra body fields (e.g. a reasoning summary shown to users). */
  reasoning?: Record<string, unknown>;
}

/** The voice of an English chat app (or of an open-source framework's chat template). */
function englishVoice(ctx: PersonaContext, rng: Rng, persona: BenignPersona): ChatVoice {
  return {
    system:
      persona === 'framework_shared'
        ? rng.pick(ctx.frameworkPrompts)
        : rng.chance(0.9)
          ? productPrompt(rng)
          : null,
    opener: (g) =>
      generate(g.pick<PromptKind>(['smalltalk', 'smalltalk', 'qa', 'writing', 'classify', 'translate']), g),
    maxTokens: [null, 512, 800, 1024],
    answerMedian: [120, 260],
  };
}

/**
 * Chat-app backends: many end users, multi-turn, one product system prompt, consumer rhythm.
 * `voiceOf` draws an org's voice (default: an English product).
 */
export function chatApp(
  ctx: PersonaContext,
  orgs: number,
  persona: BenignPersona = 'chat_app',
  voiceOf: (rng: Rng) => ChatVoice = (rng) => englishVoice(ctx, rng, persona),
): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`${persona}:${o}`);
    const org = mintOrg(rng);
    const voice = voiceOf(rng);
    const r = rhythm(rng, 'consumer', rng.float(0.8, 1.3));
    const sessionsTotal = volume(rng, 5 * days(ctx), 1.1, 4, 1200);
    const users = Array.from({ length: Math.max(3, Math.round(sessionsTotal / rng.float(1.5, 6))) }, () =>
      mintUser(rng),
    );
    const client = rng.chance(0.5) ? nodeSdk(rng) : populationClient(rng);
    const ips = ctx.cloud.egress(rng, rng.int(1, 4));
    const model = rng.pick(voice.reasoning ? ctx.models.reasoning : ctx.models.chat);
    const adopt = adopter(ctx, rng, 0.1, 1);
    const keys = rng.chance(0.3) ? 2 : 1;
    for (let k = 0; k < keys; k++) {
      const share = k === 0 ? 1 : 0.1;
      const schedule = sessionSchedule(rng, ctx.start, ctx.end, r, {
        sessions: Math.max(1, Math.round(sessionsTotal * share)),
        meanTurns: rng.float(...(voice.meanTurns ?? [2, 4])),
        turnGapMs: rng.float(...(voice.turnGapS ?? [20, 90])) * 1000,
      });
      plans.push(
        keyPlan(rng, {
          org,
          label: { persona, attack: false, campaign: null },
          client,
          ips,
          schedule,
          make: (voice.serverThreads ? serverThreadMaker : conversationMaker)({
            system: () => voice.system,
            users,
            model: (ts, g) => adopt(ts, g, model),
            opener: voice.opener,
            follow: voice.follow,
            maxTokens: rng.pick(voice.maxTokens),
            answer: { median: rng.float(...voice.answerMedian), sigma: 0.6 },
            temperature: rng.pick([null, 0.7, 1]),
            extra: voice.reasoning,
            reasoning: voice.reasoning !== undefined,
          }),
        }),
      );
    }
  }
  return plans;
}

/**
 * Assistants on a reasoning model that show their users a summary of the model's reasoning
 * (Responses API `reasoning.summary: 'auto'`, low or medium effort), conversations kept upstream.
 */
export function reasoningApp(ctx: PersonaContext, orgs: number): KeyPlan[] {
  return chatApp(ctx, orgs, 'reasoning_app', (rng) => ({
    ...englishVoice(ctx, rng, 'reasoning_app'),
    serverThreads: true,
    reasoning: { reasoning: { effort: rng.pick(['low', 'medium']), summary: 'auto' } },
    maxTokens: [null, 4000, 8000],
    answerMedian: [200, 450],
  }));
}

/** Chat products on the Responses API that let the upstream keep their conversations. */
export function threadApp(ctx: PersonaContext, orgs: number): KeyPlan[] {
  return chatApp(ctx, orgs, 'thread_app', (rng) => ({
    ...englishVoice(ctx, rng, 'thread_app'),
    serverThreads: true,
  }));
}

/** Coding assistants: long code context, office rhythm, short sessions, one key per developer. */
export function codingAssistant(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`coding_assistant:${o}`);
    const org = mintOrg(rng);
    const ips = corporateIps(rng);
    const system = rng.chance(0.6)
      ? fill(rng, 'You are an expert {lang} pair programmer. Reply with code blocks and brief explanations.')
      : null;
    const devs = Math.max(1, Math.round(rng.pareto(1, 1.6)));
    for (let d = 0; d < Math.min(devs, 12); d++) {
      const r = rhythm(rng, 'office', 0.1);
      const schedule = sessionSchedule(rng, ctx.start, ctx.end, r, {
        sessions: volume(rng, 6 * days(ctx), 0.9, 3, 1500),
        meanTurns: 2.2,
        turnGapMs: 2 * MINUTE,
      });
      const model = rng.pick([...ctx.models.chat, ...ctx.models.reasoning]);
      const context = sourceFile(rng, rng.int(1500, 9000));
      plans.push(
        keyPlan(rng, {
          org,
          label: { persona: 'coding_assistant', attack: false, campaign: null },
          client: rng.chance(0.6) ? nodeSdk(rng) : pythonSdk(rng),
          ips: rng.chance(0.5) ? ips : [...ips, ...residentialIps(rng, 1)],
          schedule,
          make: conversationMaker({
            system: () => system,
            users: [],
            model: () => model,
            opener: (g) =>
              g.chance(0.7)
                ? `\`\`\`\n${context.slice(0, g.int(800, context.length))}\n\`\`\`\n${fill(g, '{codeAsk}')}`
                : generate('code', g),
            maxTokens: rng.pick([null, 4096, 2048]),
            answer: { median: rng.float(250, 500), sigma: 0.7, kind: 'code' } as {
              median: number;
              sigma: number;
            },
            temperature: rng.pick([null, 0.2, 0]),
          }),
        }),
      );
    }
  }
  return plans;
}

/** RAG apps: one template filled with retrieved passages, end users, single-turn. */
/** Several orgs on the same open-source framework: same system prompt, unrelated traffic. */
export function frameworkShared(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const half = Math.ceil(orgs / 2);
  return [...chatApp(ctx, half, 'framework_shared'), ...agent(ctx, orgs - half, 'framework_shared')];
}

/** Heavy individual developers: large, varied volume at odd hours, experiments with parameters. */
