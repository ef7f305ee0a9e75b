/**
 * @module sim/personas/benign/docwork
 * Customers who send long documents and get long texts back, the hard negatives of grounded
 * synthesis over a corpus: document assistants (end users upload their own documents and ask
 * for reviews, briefings and explanations, then follow up) and briefing jobs (an org's script
 * turns its own documents, written in its own vocabulary, into briefings, notes or FAQ entries,
 * one after another, in runs paced by the answers).
 */
import { nodeSdk, populationClient, pythonSdk } from '../../clients.js';
import { corporateIps } from '../../net.js';
import { document, lexicon } from '../../prompts/documents.js';
import { fill } from '../../prompts/fill.js';
import type { Rng } from '../../rng.js';
import { sessionSchedule } from '../../time.js';
import type { KeyPlan } from '../../types.js';
import {
  adopter,
  chatRequest,
  keyPlan,
  mintOrg,
  mintUser,
  type PersonaContext,
  volume,
  withSystem,
} from '../common.js';
import { brandName, conversationMaker } from './chat.js';
import { days, rhythm, scriptedJobKeys } from './shared.js';

const ASSISTANT_TEAMS = ['legal', 'finance', 'procurement', 'HR', 'compliance', 'research'];
const ASSISTANT_ASKS = [
  'Review this document and list every risk you see, with an explanation for each.',
  'Write a detailed briefing on the document below for {audience}: context, key points, decisions needed.',
  'Explain what this document means for our team, section by section.',
  'Summarize the following document, then draft the questions we should ask before signing off.',
  'Compare the commitments in this document with our usual terms and explain the differences.',
];
const ASSISTANT_FOLLOW_UPS = [
  'Can you expand on point {2-5}?',
  'Which of these is the most urgent, and why?',
  'Draft an email to the {vendor|team|client} about the main issue.',
  'Make that shorter, for a slide.',
  'What would you change in section {1-4}?',
];

/**
 * Document assistants (legal, finance, research tools): one key per product, its system prompt,
 * end users who each upload a document of their own (their company's vocabulary) with one of the
 * product's asks, a follow-up in some sessions with the document in the history, long answers,
 * office rhythm.
 */
export function docAssistant(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`doc_assistant:${o}`);
    const brand = brandName(rng);
    const team = rng.pick(ASSISTANT_TEAMS);
    const system = fill(
      rng,
      `You are ${brand}, a document assistant for ${team} teams. {Read the user's document carefully|Base every answer on the uploaded document} and {cite the section you rely on|quote the relevant clause}. {Be precise and complete.|Flag anything ambiguous.}`,
    );
    const asks = rng.sample(ASSISTANT_ASKS, rng.int(2, 4));
    const sessions = volume(rng, 25 * days(ctx), 1.1, 10, 4000);
    const users = Array.from({ length: Math.max(5, Math.round(sessions / rng.float(2, 8))) }, () =>
      mintUser(rng),
    );
    const model = rng.pick(ctx.models.chat);
    const adopt = adopter(ctx, rng, 0.15, 1);
    const schedule = sessionSchedule(rng, ctx.start, ctx.end, rhythm(rng, 'office', 0.15), {
      sessions,
      meanTurns: rng.float(1.2, 1.8),
      turnGapMs: rng.float(60, 240) * 1000,
    });
    const chars: readonly [number, number] = rng.pick([
      [2000, 8000],
      [4000, 16000],
    ] as const);
    const make = conversationMaker({
      system: () => system,
      users,
      model: (ts, g) => adopt(ts, g, model),
      // Each upload is some customer company's own document, in its own vocabulary.
      opener: (g: Rng) =>
        `${fill(g, g.pick(asks))}\n\n${document(g, g.int(chars[0], chars[1]), lexicon(g, 20))}`,
      follow: (g: Rng) => fill(g, g.pick(ASSISTANT_FOLLOW_UPS)),
      maxTokens: rng.pick([null, 2048, 4096]),
      answer: { median: rng.float(600, 1100), sigma: 0.4 },
      temperature: rng.pick([null, 0.2, 0.5]),
    });
    plans.push(
      keyPlan(rng, {
        org: mintOrg(rng),
        label: { persona: 'doc_assistant', attack: false, campaign: null },
        client: rng.chance(0.5) ? nodeSdk(rng) : populationClient(rng),
        ips: ctx.cloud.egress(rng, rng.int(1, 3)),
        schedule,
        make,
      }),
    );
  }
  return plans;
}

const BRIEFING_TASKS = [
  'Write a detailed briefing of the following document for the leadership team: context, decisions taken, risks and next steps.',
  'Turn this internal document into {5-12} FAQ entries (question and a full answer) for our help center.',
  'Write study notes for new employees on the document below: what it says, why it matters, what they must do.',
  'Produce a structured report from the following notes: summary, findings, open issues, recommendations.',
];

/**
 * Briefing jobs: an org's script turns its own documents (its own vocabulary) into briefings,
 * FAQ entries or notes, 1–2 fixed instructions, runs of many documents each sent once the answer
 * is back, office hours or at night, 1–2 keys, the org's system prompt or none, no end users.
 */
export function briefingJob(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`briefing_job:${o}`);
    const org = mintOrg(rng);
    const lex = lexicon(rng);
    const system = rng.chance(0.6)
      ? fill(
          rng,
          'You write internal documentation for {company}. {Use our house style: plain words, short paragraphs.|Be accurate; do not invent facts.}',
        )
      : null;
    const tasks = rng.sample(BRIEFING_TASKS, rng.int(1, 2)).map((t) => fill(rng, t));
    const maxTokens = rng.pick([2048, 4096, null]);
    const temperature = rng.pick([0.2, 0.3, 0.7]);
    const model = rng.pick(ctx.models.chat);
    const client = rng.chance(0.8) ? pythonSdk(rng) : nodeSdk(rng);
    const ips = corporateIps(rng).slice(0, rng.int(1, 2));
    const r = rhythm(rng, rng.chance(0.5) ? 'office' : 'night', 0.2);
    const runs = volume(rng, 1.5 * days(ctx), 0.8, 2, 40);
    const perRun = rng.int(15, 120);
    const chars: readonly [number, number] = rng.pick([
      [2000, 8000],
      [4000, 14000],
    ] as const);
    const answer = rng.float(700, 1400);
    plans.push(
      ...scriptedJobKeys(ctx, rng, {
        org,
        persona: 'briefing_job',
        client,
        ips,
        rhythm: r,
        runs,
        perRun,
        gapS: [15, 45],
        make: (_i, g) =>
          chatRequest(g, {
            model,
            messages: withSystem(system, [
              { role: 'user', content: `${g.pick(tasks)}\n\n${document(g, g.int(chars[0], chars[1]), lex)}` },
            ]),
            maxTokens,
            temperature,
            answer: { median: answer, sigma: 0.4 },
          }),
      }),
    );
  }
  return plans;
}
