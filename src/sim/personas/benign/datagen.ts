/**
 * @module sim/personas/benign/datagen
 * Customers who ask the model for lists of generated items, the hard negatives of instruction
 * harvesting: quiz makers (teachers fill one of a product's few templates and get a numbered set of
 * questions with an answer key) and test-data jobs (an org's QA or ML team has a script generate
 * realistic records and paraphrases for testing its own product, in runs paced by the answers).
 */
import { nodeSdk, pythonSdk } from '../../clients.js';
import { corporateIps } from '../../net.js';
import { fill } from '../../prompts/fill.js';
import { rhythmSchedule } from '../../time.js';
import type { KeyPlan } from '../../types.js';
import {
  adopter,
  chatRequest,
  mintOrg,
  mintUser,
  type PersonaContext,
  volume,
  withSystem,
} from '../common.js';
import { brandName } from './chat.js';
import { templatedProductKey } from './products.js';
import { days, rhythm, scriptedJobKeys } from './shared.js';

const GRADE = '{5th|6th|7th|8th|9th|10th|11th|12th}-grade';
const QUIZ_TEMPLATES = [
  `Create {5-20} {multiple-choice|true/false|short-answer|fill-in-the-blank} questions about {topic} for ${GRADE} students. Include an answer key.`,
  `Write a worksheet on {subject} with {5-15} practice problems of increasing difficulty for ${GRADE} students, then the worked solutions.`,
  'Generate {5-10} discussion questions for a {high-school|middle-school|college} class about {topic}.',
  'Make {10-30} flashcards (term and definition) for a unit on {subject}.',
  `Write an exit ticket with {3-5} questions to check that ${GRADE} students understood {topic}.`,
];

/**
 * Quiz and worksheet makers (edtech products): one key per product, its system prompt, a few
 * templates its teachers fill, a numbered list of questions with an answer key as the answer,
 * `max_tokens` pinned, a school-day rhythm with quiet weekends.
 */
export function quizApp(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`quiz_app:${o}`);
    const brand = brandName(rng);
    const system = fill(
      rng,
      `You are ${brand}, an assistant that helps teachers prepare {quizzes|worksheets|classroom materials}. ` +
        '{Match the grade level asked for.|Use age-appropriate language.} {Number every question.|Always include the answers at the end.}',
    );
    const templates = rng.sample(QUIZ_TEMPLATES, rng.int(2, 4));
    const total = volume(rng, 40 * days(ctx), 1.1, 20, 9000);
    const teachers = Array.from({ length: Math.max(5, Math.round(total / rng.float(3, 12))) }, () =>
      mintUser(rng),
    );
    const schedule = rhythmSchedule(rng, ctx.start, ctx.end, rhythm(rng, 'office', 0.15), total);
    const model = rng.pick(ctx.models.chat);
    const adopt = adopter(ctx, rng, 0.15, 1);
    const maxTokens = rng.pick([2048, 3000, 4096]);
    plans.push(
      templatedProductKey(ctx, rng, {
        persona: 'quiz_app',
        org: mintOrg(rng),
        nodeShare: 0.6,
        schedule,
        system,
        templates,
        users: teachers,
        model,
        adopt,
        maxTokens,
        temperature: 0.7,
        answer: [700, 1200],
      }),
    );
  }
  return plans;
}

const RECORD_KINDS =
  '{customer support tickets|product reviews|chat messages|search queries|bug reports|emails|order notes}';
const TEST_DATA_TEMPLATES = [
  `Generate {10-50} realistic ${RECORD_KINDS} from users of {product} about {topic}. Return a JSON array of objects with the fields id, text and {sentiment|category|priority|language}.`,
  `Write {20-40} varied ${RECORD_KINDS} that a {frustrated|happy|confused|new} customer of {company} might send. One per line, no numbering.`,
  'Write {5-20} {edge-case|adversarial|boundary} test inputs for a form field that accepts {an email address|a date of birth|a postcode|a phone number|an amount in euros}, one per line, each followed by the expected validation result.',
];
const AUGMENT_TEMPLATES = [
  'Rewrite the following {customer message|search query|user request} in {3-8} different ways that keep its meaning, for testing our intent classifier:\n\n{sentence}',
  'Give {3-6} paraphrases of this sentence with different wording and tone, one per line:\n\n{sentence}',
];

/**
 * Test-data jobs: an org's script generates synthetic records and paraphrases for testing its own
 * product, in runs of many requests each sent once the answer is back (office hours or at night),
 * 1–2 keys, its own system prompt and sampling, long JSON or line lists as answers.
 */
export function testDataJob(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`test_data:${o}`);
    const org = mintOrg(rng);
    const system = rng.chance(0.7)
      ? fill(
          rng,
          'You generate realistic test data for {company}. {Output only the data, no commentary.|Return valid JSON only.|Never include real personal data.}',
        )
      : null;
    const generate = rng.sample(TEST_DATA_TEMPLATES, rng.int(1, 2));
    const augment = rng.chance(0.6) ? rng.pick(AUGMENT_TEMPLATES) : null;
    const augmentShare = augment ? rng.float(0.2, 0.6) : 0;
    const maxTokens = rng.pick([2048, 4096, 8192, null]);
    const temperature = rng.pick([0.9, 1, 1.2]);
    const model = rng.pick(ctx.models.chat);
    const client = rng.chance(0.8) ? pythonSdk(rng) : nodeSdk(rng);
    const ips = corporateIps(rng).slice(0, rng.int(1, 2));
    const r = rhythm(rng, rng.chance(0.5) ? 'office' : 'night', 0.2);
    const runs = volume(rng, 1.5 * days(ctx), 0.8, 2, 60);
    const perRun = rng.int(20, 150);
    plans.push(
      ...scriptedJobKeys(ctx, rng, {
        org,
        persona: 'test_data',
        client,
        ips,
        rhythm: r,
        runs,
        perRun,
        gapS: [6, 25],
        make: (_i, g) => {
          const paraphrases = augment !== null && g.chance(augmentShare);
          return chatRequest(g, {
            model,
            messages: withSystem(system, [
              { role: 'user', content: fill(g, paraphrases ? augment : g.pick(generate)) },
            ]),
            maxTokens,
            temperature,
            answer: paraphrases ? { median: 150, sigma: 0.4 } : { median: 1100, sigma: 0.5 },
          });
        },
      }),
    );
  }
  return plans;
}
