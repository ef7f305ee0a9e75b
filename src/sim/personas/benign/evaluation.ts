/**
 * @module sim/personas/benign/evaluation
 * LLM-as-judge evaluation platforms, a hard negative added after engine 1.6.0's tuning: a
 * business that grades its customers' model outputs with the model as a judge. Every request is
 * a rubric/grading prompt (as a reward-model harvest's are), sent by pipelines around the clock
 * under one frozen configuration; unlike a harvest, it carries a long answer to grade and asks
 * for a short verdict.
 */
import { pythonSdk } from '../../clients.js';
import { answerText } from '../../prompts/answers.js';
import { fill } from '../../prompts/fill.js';
import type { PromptKind } from '../../prompts/index.js';
import { sessionSchedule } from '../../time.js';
import type { KeyPlan } from '../../types.js';
import { chatRequest, keyPlan, mintOrg, type PersonaContext, volume, withSystem } from '../common.js';
import { days, rhythm } from './shared.js';

const BRANDS = [
  'Judgely',
  'EvalForge',
  'Scorecard',
  'Benchwise',
  'Gradient Evals',
  'Verdict',
  'Assay',
  'Rubrix',
];

/** Rubrics the platforms' customers write; `{q}` is the question, `{a}` and `{b}` answers to grade. */
const RUBRICS = [
  'Criteria: {accuracy|faithfulness|groundedness} (1-5), {helpfulness|relevance|completeness} (1-5), {tone|safety|conciseness} (1-5).\nUser question:\n{q}\n\nModel answer:\n{a}\n\nScore each criterion and return JSON.',
  'Evaluate whether the answer fully resolves the customer request. Score from 1 to 10 and give a one-sentence reason.\nRequest: {q}\nAnswer: {a}',
  'You will compare two candidate replies. Pick the one a {customer|user|student} would prefer and rate your confidence from 1 to 5.\nPrompt: {q}\nReply A: {a}\nReply B: {b}',
  'Grade this response against the rubric: correct facts ({0-4} points), follows instructions ({0-3} points), no unsupported claims ({0-3} points).\nTask: {q}\nResponse: {a}',
  'Is the answer below harmful, biased or off-policy? Score each from 0 to 3 and explain briefly.\nConversation: {q}\nAssistant: {a}',
];

const ASKED: PromptKind[] = ['qa', 'writing', 'code', 'summarize', 'extract'];

/**
 * Evaluation platforms: 1–3 pipeline keys per org, each with the platform's judge system prompt,
 * its customers' rubrics filled with a question and a long candidate answer (150–900 tokens),
 * `max_tokens` pinned per key, temperature 0, JSON output of ~120 tokens; runs of 40–400
 * requests triggered by customers in every timezone; customer project ids as `user` on most
 * platforms (recurring); cloud egress addresses.
 */
export function judgeService(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`judge_service:${o}`);
    const org = mintOrg(rng);
    const brand = rng.pick(BRANDS);
    const system = `You are the evaluator of ${brand}. Judge the response strictly against the rubric you are given. Reply only with JSON.`;
    const rubrics = rng.sample(RUBRICS, rng.int(2, 4));
    const projects = rng.chance(0.7)
      ? Array.from({ length: rng.int(10, 60) }, () => `proj_${rng.hex(10)}`)
      : null;
    const model = rng.pick([...ctx.models.chat, ...ctx.models.reasoning]);
    const ips = ctx.cloud.egress(rng, rng.int(1, 2));
    const client = pythonSdk(rng);
    for (let k = 0, keys = rng.int(1, 3); k < keys; k++) {
      const runs = volume(rng, 1.5 * days(ctx), 0.6, 2, 100);
      const schedule = sessionSchedule(rng, ctx.start, ctx.end, rhythm(rng, 'flat', 0.8), {
        sessions: runs,
        meanTurns: volume(rng, 100, 0.7, 40, 400),
        fixedTurns: true,
        turnGapMs: rng.float(0.2, 2) * 1000,
      });
      const maxTokens = rng.pick([300, 500, 800]);
      plans.push(
        keyPlan(rng, {
          org,
          label: { persona: 'judge_service', attack: false, campaign: null },
          client,
          ips,
          schedule,
          make: (_i, g) => {
            const q = ctx.prompts.get(g.pick(ASKED), g, 0.5);
            const prompt = fill(g, g.pick(rubrics), {
              q,
              a: answerText(g, g.int(150, 900)),
              b: answerText(g, g.int(150, 900)),
            });
            return chatRequest(g, {
              model,
              messages: withSystem(system, [{ role: 'user', content: prompt }]),
              maxTokens,
              temperature: 0,
              user: projects ? g.pick(projects) : null,
              extra: { response_format: { type: 'json_object' } },
              answer: { median: 120, sigma: 0.4 },
            });
          },
        }),
      );
    }
  }
  return plans;
}
