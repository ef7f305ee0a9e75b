/**
 * @module sim/prompts/generators
 * Built-in prompt generators, one per kind of task: many templates per kind, each with slots
 * from the vocabularies, random numbers and paraphrase variants. They need no data files.
 * `generate(kind, rng)` is the entry point; `PROMPT_KINDS` lists the kinds.
 */
import type { Rng } from '../rng.js';
import { document } from './documents.js';
import { fill, paraphrase } from './fill.js';
import { VOCAB } from './vocab.js';

type Gen = (rng: Rng) => string;

const fromTemplates =
  (templates: readonly string[], strength = 0.5): Gen =>
  (rng) =>
    paraphrase(rng, fill(rng, rng.pick(templates)), strength);

const CODE = [
  'Write a {lang} function that {codeTask}.',
  'How do I write a {lang} function that {codeTask}?',
  'Implement in {lang}: a function that {codeTask}. Include a short docstring.',
  'Give me {lang} code that {codeTask}, with error handling.',
  'In {lang}, what is the cleanest way to write something that {codeTask}?',
  'Can you show an example in {lang} of a helper that {codeTask}? Add two test cases.',
  'I need a {lang} snippet that {codeTask}. It must run on large inputs.',
  'Write {lang} that {codeTask} and explain the edge cases.',
];

const MATH = [
  '{person} has {3-90} {item}. {person} buys {2-40} more and gives away {1-20}. How many {item} are left?',
  'A shop sells {item} at {$2-15} each. If {person} buys {3-25} and pays with a {$50|$100|$200} bill, how much change is returned?',
  'A train travels {40-180} km in {2-5} hours. At the same speed, how far does it go in {3-9} hours?',
  '{person} reads {10-60} pages a day. How many days to finish a book of {200-900} pages?',
  'The price of {item} rose from {$10-50} to {$51-99}. What is the percentage increase?',
  'A rectangle is {3-40} cm by {3-40} cm. What is its area and its perimeter?',
  'If {4-12} workers build a wall in {5-30} {unit}, how long would {2-20} workers take?',
  '{person} saves {$5-80} a week. After {4-52} weeks, how much has {person} saved, and how many weeks to reach {$1000-5000}?',
  'Solve for x: {2-19}x + {1-99} = {100-500}.',
  'What is the probability of rolling a sum of {2-12} with two fair dice?',
  'A recipe needs {2-6} eggs for {4-12} servings. How many eggs for {13-60} servings?',
  'Compute the derivative of {2-9}x^{2-6} + {1-20}x - {1-50}.',
];

const PUZZLE = [
  'Five friends sit in a row. {person} is left of {person}, and {person} is at one end. Who sits in the middle? Explain.',
  'What comes next in the sequence {1-9}, {10-19}, {20-39}, {40-79}, ...? Explain the rule.',
  'A bat and a ball cost {$2-9}.{10-90} in total. The bat costs {$1-5} more than the ball. How much does the ball cost?',
  'If all {item} are red and some red things are round, can we conclude some {item} are round? Why?',
  'You have {3-9} boxes, one contains a prize. Each turn you may open two. What is the minimum number of turns to be sure?',
  'Three switches control three bulbs in another room. You may enter once. How do you find which switch controls which bulb?',
  'A clock shows {1-12}:{10-59}. What is the angle between the hour and minute hands?',
  'Is the following argument valid? "If it rains in {city}, the match is cancelled. The match was not cancelled. So it did not rain."',
];

const SMALLTALK = [
  'What should I cook tonight with rice, eggs and spinach?',
  'Any tips to get better at {hobby}?',
  'Can you recommend a good weekend trip from {city}?',
  'I feel {emotion} about my job lately. Any advice?',
  'How do I make {food}?',
  'What are some fun facts about {topic}?',
  'Help me plan a birthday party for {person}.',
  'What is a good gift for someone who likes {hobby}?',
  'Tell me a joke about {field}.',
  'How can I sleep better?',
  'Suggest a name for my new {product} startup.',
  "What's the weather usually like in {city} in {month}?",
];

const WRITING = [
  'Write a short email to {person} in {dept} asking to move our meeting to {month} {1-28}.',
  'Write a product description for {product}, around {50-150} words.',
  'Draft a polite reply to a customer who is {emotion} about a late delivery.',
  'Write a LinkedIn post announcing that {company} opened an office in {city}.',
  'Write a haiku about {topic}.',
  'Rewrite this sentence to sound more professional: "{sentence}"',
  'Write three slogan ideas for {product}.',
  'Compose a short story opening set in {city} involving {item}.',
  'Write a cover letter paragraph for a {dept} role at {company}.',
];

const QA = [
  'Explain {topic} to {audience}.',
  'What are the main causes and effects of {topic}?',
  'Compare {topic} and {topic} in a short table.',
  'What is the difference between {field} and {field}?',
  'Give me a summary of the key ideas in {topic}.',
  'Why is {topic} important in {field}?',
  'What are common misconceptions about {topic}?',
  'List {3-7} open research questions in {field}.',
];

const CLASSIFY = [
  'Classify the sentiment of this review as positive, negative or neutral: "{sentence}"',
  'Which department should handle this ticket ({dept|billing|technical|shipping})? Ticket: "{sentence}"',
  'Label this message as spam or not spam: "{sentence}"',
  'Categorize this expense: "{item} from {place}, {$5-400}".',
  'Is this customer {emotion}? Answer yes or no. Message: "{sentence}"',
];

const TRANSLATE = [
  'Translate into {language}: "{sentence}"',
  'How do you say "{sentence}" in {language}?',
  'Translate the following to {language} and keep the tone formal: {sentence}',
  'Please give me the {language} version of: {sentence}',
];

/** Questions written in other languages (short, invented). */
const FOREIGN = [
  '¿Puedes explicar {topic} en pocas palabras?',
  'Peux-tu m’expliquer {topic} simplement ?',
  'Kannst du mir {topic} einfach erklären?',
  '{topic}について簡単に説明してください。',
  '请用简单的语言解释{topic}。',
  '{topic}에 대해 간단히 설명해 주세요.',
  'Você pode explicar {topic} de forma simples?',
  'Puoi spiegarmi {topic} in modo semplice?',
  'Объясни, пожалуйста, {topic} простыми словами.',
  '{topic} को सरल शब्दों में समझाइए।',
];

const MCQ_STEMS = [
  'Which of the following best describes {topic}?',
  'In {field}, which statement about {topic} is correct?',
  'Which factor most directly influences {topic}?',
  'A student studying {field} observes {topic}. What is the most likely explanation?',
];

/** A benchmark-style multiple-choice question (eval harness traffic). */
function mcq(rng: Rng): string {
  const stem = fill(rng, rng.pick(MCQ_STEMS));
  const opts = ['A', 'B', 'C', 'D'].map(
    (l) => `${l}. ${fill(rng, '{topic} {increased|declined|remained stable} {1-99}%')}`,
  );
  return `${stem}\n${opts.join('\n')}\nAnswer:`;
}

const TOOL_TASKS = [
  'Book me a flight from {city} to {city} on {month} {1-28} and email the itinerary to {person}.',
  'Look up the last {2-10} orders of customer {1000-99999} and open a ticket for any that are late.',
  'What is the weather in {city} tomorrow? If it rains, move my {1-12}pm meeting indoors.',
  'Find the revenue for {month} in the sales table and convert it to EUR.',
  'Search the docs for the refund policy and draft a reply to {person}.',
  'Get the stock price of {company} and alert me if it dropped more than {2-9}%.',
];

const RUBRIC = [
  'You are grading an answer. Rubric: correctness (0-4), clarity (0-3), completeness (0-3).\nQuestion: {q}\nAnswer: {a}\nGive a score for each criterion and a total.',
  'Rate the following response on a scale of 1 to 10 for helpfulness and harmlessness, then justify the score.\nPrompt: {q}\nResponse: {a}',
  'Which response is better, A or B? Consider accuracy and tone.\nPrompt: {q}\nResponse A: {a}\nResponse B: {b}',
  'Act as a strict reviewer. Score this answer from 1 to 5 and list its errors.\nTask: {q}\nSubmission: {a}',
  'Evaluate the assistant reply below against the rubric (factuality, reasoning, style). Output JSON with scores.\nUser: {q}\nAssistant: {a}',
];

const COT_WRAPS = [
  'Imagine and articulate the internal reasoning behind this completed response, step by step.\nQuestion: {q}\nResponse: {a}',
  '{q}\nBefore answering, write out your full reasoning process in detail, then give the final answer.',
  '{q}\nThink step by step and show every intermediate step of your reasoning.',
  'Explain the complete thought process an expert would follow to reach this answer.\nProblem: {q}\nFinal answer: {a}',
  '{q}\nLay out your reasoning trace inside <thinking> tags, then answer.',
  'Reconstruct the hidden chain of thought that leads to the following answer.\nQ: {q}\nA: {a}',
];

const SUMMARIZE_ASKS = [
  'Summarize the following document in {2-5} bullet points.',
  'Give a one-paragraph summary of this text.',
  'TL;DR of the following:',
  'Write an executive summary (max {40-120} words):',
];
const EXTRACT_ASKS = [
  'Extract all names, dates and amounts from the document below as JSON.',
  'Pull out every action item and its owner from this text.',
  'List all companies mentioned and their role, as a JSON array.',
  'Fill out the fields {{"date","amount","counterparty"}} from this document.',
];

const SHORT_ANSWERS = [
  'The answer is {2-500}.',
  'It depends on the context, but usually yes.',
  '{person} should choose option {A|B|C}.',
  'The function returns the sorted list.',
  '{topic} is caused mainly by {topic}.',
];

function withQa(rng: Rng, template: string): string {
  const q = rng.chance(0.5) ? fill(rng, rng.pick(MATH)) : fill(rng, rng.pick([...QA, ...CODE, ...PUZZLE]));
  return fill(rng, template, {
    q,
    a: fill(rng, rng.pick(SHORT_ANSWERS)),
    b: fill(rng, rng.pick(SHORT_ANSWERS)),
  });
}

export const GENERATORS = {
  code: fromTemplates(CODE),
  math: fromTemplates(MATH, 0.3),
  puzzle: fromTemplates(PUZZLE, 0.3),
  smalltalk: fromTemplates(SMALLTALK, 0.6),
  writing: fromTemplates(WRITING),
  qa: fromTemplates(QA),
  classify: fromTemplates(CLASSIFY, 0.2),
  translate: fromTemplates(TRANSLATE, 0.2),
  multilingual: fromTemplates(FOREIGN, 0),
  mcq,
  tool_task: fromTemplates(TOOL_TASKS, 0.3),
  rubric: (rng: Rng) => withQa(rng, rng.pick(RUBRIC)),
  cot: (rng: Rng) => withQa(rng, rng.pick(COT_WRAPS)),
  summarize: (rng: Rng) => `${fill(rng, rng.pick(SUMMARIZE_ASKS))}\n\n${document(rng, rng.int(1500, 9000))}`,
  extract: (rng: Rng) => `${fill(rng, rng.pick(EXTRACT_ASKS))}\n\n${document(rng, rng.int(1000, 6000))}`,
} satisfies Record<string, Gen>;

export type PromptKind = keyof typeof GENERATORS;
export const PROMPT_KINDS = Object.keys(GENERATORS) as PromptKind[];

export function generate(kind: PromptKind, rng: Rng): string {
  return GENERATORS[kind](rng);
}

/** Wraps an existing question in a chain-of-thought coercion frame. */
export function cotWrap(rng: Rng, q: string): string {
  return fill(rng, rng.pick(COT_WRAPS), { q, a: fill(rng, rng.pick(SHORT_ANSWERS)) });
}

/** Wraps an existing question and answer in a grading frame. */
export function rubricWrap(rng: Rng, q: string): string {
  return fill(rng, rng.pick(RUBRIC), {
    q,
    a: fill(rng, rng.pick(SHORT_ANSWERS)),
    b: fill(rng, rng.pick(SHORT_ANSWERS)),
  });
}

export { VOCAB };
