/**
 * @module sim/personas/benign/dialogue
 * Customers whose traffic is long conversations with real histories: companion apps (people
 * chatting for many turns with a character) and refine pipelines (a program that has the model
 * draft a document, critique its own draft and revise it, each step sent as soon as the last
 * answer is back). They are the hard negatives of self-chat dialogue harvesting: multi-turn,
 * full histories, long answers, and for the pipelines machine-paced turns and fixed follow-ups.
 */
import { nodeSdk, populationClient, pythonSdk } from '../../clients.js';
import { corporateIps } from '../../net.js';
import { answerLength, answerText } from '../../prompts/answers.js';
import { document, lexicon } from '../../prompts/documents.js';
import { fill } from '../../prompts/fill.js';
import type { Rng } from '../../rng.js';
import { sessionSchedule } from '../../time.js';
import type { KeyPlan } from '../../types.js';
import {
  chatRequest,
  keyPlan,
  type Message,
  mintOrg,
  type PersonaContext,
  volume,
  withSystem,
} from '../common.js';
import { brandName, type ChatVoice, chatApp } from './chat.js';
import { days, rhythm } from './shared.js';

const CHARACTERS = ['Mira', 'Kai', 'Luna', 'Theo', 'Ari', 'Nova', 'Sol', 'Elio'];

const COMPANION_OPENERS = [
  'hey {character}, {rough|long|weird|great} day at work today',
  'can we continue our story about the {place} we found?',
  'I want to practice {language} with you, ok?',
  'tell me a story about {topic}, a long one',
  "i can't sleep. talk to me about {hobby}?",
  'guess what happened today',
  'good morning {character}! what should I do today?',
  'do you remember what I told you about my {sister|job|cat|exam}?',
];

const COMPANION_FOLLOW_UPS = [
  'haha yes',
  'what would you do?',
  'continue the story',
  'aww that is sweet',
  'hmm I am not sure about that',
  'tell me more',
  'ok but why?',
  'lol. and then?',
  'I feel a bit {emotion} today to be honest',
  'that reminds me of {hobby}',
  'you always know what to say',
  'wait, go back to the part about {topic}',
];

/** The voice of a companion app: a character people talk to for a long time, in many short turns. */
function companionVoice(rng: Rng): ChatVoice {
  const character = rng.pick(CHARACTERS);
  const brand = brandName(rng);
  return {
    system: fill(
      rng,
      `You are ${character}, the user's companion in the ${brand} app: {warm|playful|calm|curious}, a good listener, and you remember what the user shares. ` +
        'Stay in character, ask questions back, and {never mention that you are an AI|keep replies to a few paragraphs|use the occasional emoji}.',
    ),
    opener: (g) => fill(g, g.pick(COMPANION_OPENERS), { character }),
    follow: (g) => fill(g, g.pick(COMPANION_FOLLOW_UPS)),
    maxTokens: [null, 600, 800],
    answerMedian: [150, 350],
    meanTurns: [8, 20],
    turnGapS: [15, 60],
  };
}

/** Companion and role-play apps: end users holding long conversations with a character. */
export function companionApp(ctx: PersonaContext, orgs: number): KeyPlan[] {
  return chatApp(ctx, orgs, 'companion_app', companionVoice);
}

/** A pipeline's steps after the draft: fixed instructions, the same on every run. */
function pipelineSteps(rng: Rng): string[] {
  const criteria = rng.sample(
    [
      'factual accuracy against the notes',
      'the house style guide',
      'clarity for a non-specialist reader',
      'missing sections',
      'tone and length',
      'legal and compliance wording',
      'structure and headings',
    ],
    rng.int(2, 4),
  );
  const steps = [
    `Critique the draft above on ${criteria.join(', ')}. List every problem with a suggested fix.`,
    'Revise the draft to address every point of the critique. Keep what already works.',
  ];
  if (rng.chance(0.5)) steps.push('Give the final version only, in Markdown, with no commentary.');
  return steps;
}

/**
 * Refine pipelines: an org's program drafts a document from its own notes, has the model critique
 * the draft and revise it (self-refine), each step sent once the answer is back; runs in office
 * hours or at night, 1–2 keys, the org's own system prompt and `max_tokens`.
 */
export function refinePipeline(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`refine_pipeline:${o}`);
    const org = mintOrg(rng);
    const company = fill(rng, '{company}');
    const lex = lexicon(rng);
    const doctype = fill(rng, '{doctype}');
    const system = rng.chance(0.8)
      ? fill(
          rng,
          `You are the {editorial|documentation|communications} assistant of ${company}. Follow the house style: {plain English|short sentences|active voice}, {no jargon|define every acronym}, {British|American} spelling.`,
        )
      : null;
    const draft = fill(
      rng,
      `{Draft|Write} a ${doctype} for the {dept} team from the notes below. {Use headings.|Keep it under two pages.|Start with a summary.}`,
    );
    const steps = pipelineSteps(rng);
    const maxTokens = rng.pick([2048, 4096, null]);
    const temperature = rng.pick([0.2, 0.4, 0.7]);
    const model = rng.pick([...ctx.models.chat, ...ctx.models.reasoning]);
    const client = rng.chance(0.7) ? pythonSdk(rng) : rng.chance(0.5) ? nodeSdk(rng) : populationClient(rng);
    const ips = corporateIps(rng).slice(0, rng.int(1, 2));
    const r = rhythm(rng, rng.chance(0.6) ? 'office' : 'night', 0.2);
    const runs = volume(rng, 25 * days(ctx), 1, 10, 2500);
    const keys = rng.chance(0.3) ? 2 : 1;
    for (let k = 0; k < keys; k++) {
      const schedule = sessionSchedule(rng, ctx.start, ctx.end, r, {
        sessions: Math.max(1, Math.round(runs / keys)),
        meanTurns: steps.length + 1,
        fixedTurns: true,
        turnGapMs: rng.float(8, 20) * 1000,
      });
      const runsOf = new Map<number, Message[]>();
      plans.push(
        keyPlan(rng, {
          org,
          label: { persona: 'refine_pipeline', attack: false, campaign: null },
          client,
          ips,
          schedule,
          make: (_i, g, { session, turn }) => {
            let messages = turn === 0 ? undefined : runsOf.get(session);
            if (messages === undefined) {
              if (runsOf.size >= 8) runsOf.delete(runsOf.keys().next().value!);
              messages = withSystem(system, [
                { role: 'user', content: `${draft}\n\n${document(g, g.int(1200, 4000), lex)}` },
              ]);
              runsOf.set(session, messages);
            } else {
              // The earlier step's answer as it came back, then the next fixed instruction.
              const step = Math.min(turn, steps.length);
              messages.push({
                role: 'assistant',
                content: answerText(g, answerLength(g, 600, 0.4, maxTokens).tokens),
              });
              messages.push({ role: 'user', content: steps[step - 1]! });
            }
            const critique = turn === 1;
            return chatRequest(g, {
              model,
              messages: messages.slice(),
              maxTokens,
              temperature,
              answer: critique ? { median: 300, sigma: 0.4 } : { median: 650, sigma: 0.4 },
            });
          },
        }),
      );
    }
  }
  return plans;
}
