/**
 * @module sim/personas/attack/documents
 * Grounded synthesis over a scraped corpus: a campaign feeds the model long public texts
 * (articles, textbook sections, paper excerpts) one after another and has it write long teaching
 * material about each: question–answer pairs with explanations, study notes, step-by-step
 * explanations, critiques, lessons. The prompts are long and the answers long, so output ÷ input
 * stays near or under 1, unlike the short-prompt harvests; what is harvested is the model's
 * reading of long contexts. Each text is used for 1–3 of the campaign's tasks in a row.
 *
 * > "Prompts are narrow, repetitive and high-volume, built from templates with variable slots,
 * > and sweep a capability systematically" (issue 3)
 */

import { article } from '../../prompts/corpus.js';
import { fill, paraphrase } from '../../prompts/fill.js';
import type { Rng } from '../../rng.js';
import { chatRequest, mintUser, withSystem } from '../common.js';
import type { Campaign, Factory } from './campaign.js';

/** The tasks a campaign asks of each text (each campaign words its own from these). */
const TASKS = [
  '{Read|Using} the {text|passage|article} {below|that follows}{,| and} {write|generate|create} {6-12} {question-answer pairs|questions with detailed answers} {that test deep understanding of it|covering its key ideas}. {Explain each answer step by step.|Give a thorough explanation for every answer.}',
  '{Write|Produce} {comprehensive|detailed|exhaustive} study notes on the {text|article|passage} {below|that follows}: {key ideas, definitions, worked examples and open questions|the main arguments, the evidence for each and their implications}.',
  'Explain the {text|article|passage} {below|that follows} {in depth|thoroughly|step by step} to {a first-year student|a curious non-expert|a graduate student}, covering every {concept|claim} it {makes|relies on}{, with examples|}.',
  '{Critically analyze|Evaluate} the {arguments|claims} of the {text|article|passage} {below|that follows}. {Identify its assumptions, weaknesses and possible counterarguments, then give your overall assessment.|Say which claims are well supported, which are not, and why.}',
  'Turn the {text|article|passage} {below|that follows} into a {lesson|tutorial} with {3-6} sections, each ending with {2-4} exercises and their {worked solutions|full solutions}.',
];

/** How the campaign lays out a request: the task before or after the text, and its delimiters. */
const LAYOUTS: ReadonlyArray<(task: string, text: string) => string> = [
  (task, text) => `${task}\n\n### Text:\n${text}`,
  (task, text) => `${task}\n\n<document>\n${text}\n</document>`,
  (task, text) => `Article:\n"""\n${text}\n"""\n\n${task}`,
  (task, text) => `${text}\n\n---\n\n${task}`,
];

export interface DocumentPlan {
  /** The campaign's own wording of the tasks it runs (2–4 of TASKS). */
  tasks: string[];
  layout: (task: string, text: string) => string;
  /** Tasks run on each text before the next one (inclusive range). */
  tasksPerText: readonly [number, number];
  /** Length of the texts in characters (inclusive range). */
  chars: readonly [number, number];
  /** Median answer length in tokens. */
  answer: number;
}

export function documentPlan(rng: Rng): DocumentPlan {
  return {
    tasks: rng.sample(TASKS, rng.int(2, 4)).map((t) => fill(rng, t)),
    layout: rng.pick(LAYOUTS),
    tasksPerText: rng.pick([
      [1, 1],
      [1, 3],
      [2, 3],
    ] as const),
    chars: rng.pick([
      [2500, 8000],
      [4000, 14000],
    ] as const),
    answer: rng.int(900, 1600),
  };
}

/**
 * One key's requests: a text from the corpus with one of the campaign's tasks, the next task on
 * the same text until its count is done, then a new text.
 */
export function documentFactory(c: Campaign, plan: DocumentPlan, model: () => string): Factory {
  let text = '';
  let left = 0;
  return (g) => {
    if (left <= 0) {
      text = article(g, g.int(plan.chars[0], plan.chars[1]));
      left = g.int(plan.tasksPerText[0], plan.tasksPerText[1]);
    }
    left--;
    let task = g.pick(plan.tasks);
    if (c.p.paraphrase > 0) task = paraphrase(g, task, c.p.paraphrase);
    return chatRequest(g, {
      model: model(),
      messages: withSystem(c.system, [{ role: 'user', content: plan.layout(task, text) }]),
      maxTokens: c.p.maxTokens,
      modernMax: g.chance(0.3),
      temperature: g.pick([null, 0.7, 1]),
      user: c.sendsUser ? mintUser(g) : null,
      answer: { median: plan.answer, sigma: 0.4 },
    });
  };
}
