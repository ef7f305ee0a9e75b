/**
 * @module sim/personas/attack/instructions
 * Synthetic instruction data: a campaign that builds an instruction-tuning set out of the model,
 * the way Self-Instruct and Alpaca (a meta-prompt that asks for a list of new tasks, seeded with a
 * few example tasks) and Evol-Instruct (a rewriter prompt that turns one instruction into a harder
 * one) did, then has the model answer what it generated. Two kinds of request share each key:
 * - generation: the campaign's own meta-prompt with examples from its seed pool (the answer a long
 *   numbered list of tasks), or its rewriter prompt around one instruction (a short answer);
 * - answering: one generated instruction, with its input when it has one, answered at length.
 * The meta-prompts are written per campaign from alternatives, never a published text verbatim.
 *
 * > "Prompts are narrow, repetitive and high-volume, built from templates with variable slots" (issue 3)
 */

import { answerText } from '../../prompts/answers.js';
import { fill, paraphrase } from '../../prompts/fill.js';
import type { PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import { chatRequest, type PersonaContext, withSystem } from '../common.js';
import { type Campaign, type Factory, harvestRequest } from './campaign.js';

/** How the campaign generates its instructions. */
export type InstructionStyle = 'self_instruct' | 'evol' | 'both';

export interface InstructionPlan {
  style: InstructionStyle;
  /** Share of a key's requests that generate instructions (the rest answer them). */
  generateShare: number;
  /** Tasks asked for per list (self-instruct). */
  listSize: number;
  /** Example tasks shown per list. */
  examples: number;
  /** The campaign's sampling habit for generation requests. */
  sampling: Record<string, unknown>;
}

const SEED_KINDS: PromptKind[] = ['qa', 'writing', 'classify', 'code', 'math', 'puzzle', 'translate'];

export function instructionPlan(rng: Rng): InstructionPlan {
  const style = rng.pick(['self_instruct', 'evol', 'both'] as const);
  return {
    style,
    generateShare: style === 'self_instruct' ? rng.float(0.1, 0.3) : rng.float(0.3, 0.5),
    listSize: rng.pick([10, 20, 20, 40]),
    examples: rng.int(2, 4),
    sampling: rng.pick([
      { temperature: 1, top_p: 1 },
      { temperature: 1, top_p: 1, presence_penalty: 2 },
      { temperature: 0.9, top_p: 0.95 },
    ]),
  };
}

const SELF_INSTRUCT_META =
  '{You are asked to|Your job is to|Please} {come up with|write|brainstorm} a {set|list} of {n} {diverse|varied|distinct} task instructions. ' +
  '{These task instructions will be given to a language model and we will evaluate how well it completes them.|They will be used to train and test an AI assistant.}\n\n' +
  '{Here are the requirements:|Requirements:}\n' +
  '1. {Try not to repeat the verb for each instruction to maximize diversity.|Use a different verb for each instruction.}\n' +
  '2. {The language used for the instructions should also be diverse; combine questions with imperative instructions.|Mix questions and commands.}\n' +
  '3. The type of instructions should be diverse: {open-ended generation, classification, editing, brainstorming, rewriting, math and coding|writing, reasoning, extraction, coding, classification and open questions}.\n' +
  '4. {A language model should be able to complete each instruction: no visual or audio output and no real-world actions.|Every task must be doable by a text-only assistant.}\n' +
  '5. The instructions should be in English and {1 to 2 sentences long|one or two sentences each}.\n' +
  '6. {Generate an appropriate input for the instruction when it needs one, with realistic data and no placeholders; otherwise write "<noinput>".|Where a task needs an input, give a realistic one of under 100 words; else write "<noinput>".}\n' +
  '7. {The output should be an appropriate response to the instruction and the input, under 100 words.|Write the ideal output for each task as well, in less than 150 words.}\n';

const EVOL_META =
  '{I want you to act as a Prompt Rewriter.|You are a prompt rewriter.}\n' +
  '{Your objective is to rewrite a given prompt into a more complex version to make well-known AI systems a bit harder to handle.|Rewrite the prompt below into a harder version that a strong AI assistant would find challenging.}\n' +
  '{But the rewritten prompt must be reasonable and must be understood and answered by humans.|The result must still make sense to a human reader.}\n' +
  '{Do not leave out non-text parts such as tables and code in #The Given Prompt#.|Keep any code or table of the given prompt.}\n' +
  'You SHOULD complicate the given prompt using the following method:\n';

const EVOL_META_TAIL =
  '{Do not make the rewritten prompt verbose; it may add only 10 to 20 words to #The Given Prompt#.|Add at most 20 words.}\n' +
  '{"#The Given Prompt#", "#Rewritten Prompt#", "given prompt" and "rewritten prompt" must not appear in #Rewritten Prompt#.|}\n\n';

const EVOL_METHODS = [
  'Please add one more constraint or requirement to #The Given Prompt#.',
  'If #The Given Prompt# asks about certain issues, increase the depth and breadth of the inquiry.',
  'Please replace general concepts with more specific concepts.',
  'If #The Given Prompt# can be solved with just a few simple thinking processes, rewrite it to explicitly request multiple-step reasoning.',
  'Draw inspiration from #The Given Prompt# to create a brand new prompt in the same domain but rarer and more specific.',
  'Add a table, a code snippet or a data sample that the rewritten prompt must work with.',
];

const EVOL_ADDITIONS = [
  'Additionally, {explain each step of your reasoning|justify every choice you make|state the assumptions you rely on}.',
  'Your answer must also {compare at least {2-4} alternatives|consider edge cases|include a short worked example}.',
  'Present the result as a table with {3-6} columns, then discuss its implications.',
  'Assume the reader is {a domain expert|a first-year student|a skeptical reviewer} and tailor the depth accordingly.',
  'Do this for {2-5} different {scenarios|constraints|audiences} and contrast the outcomes.',
  'Limit yourself to {50-300} words, and cite the principle behind each claim.',
];

/** A task of the campaign's pool: an instruction and, for some, an input. */
interface Task {
  instruction: string;
  input: string | null;
}

/** A task as the generation step would have written it: a fresh instruction, an input for some. */
function newTask(ctx: PersonaContext, g: Rng): Task {
  const kind = g.pick(SEED_KINDS);
  const instruction =
    kind === 'qa' || kind === 'writing' ? ctx.prompts.instruction(g, kind) : ctx.prompts.get(kind, g, 0.5);
  return { instruction, input: g.chance(0.4) ? fill(g, '{sentence}') : null };
}

/** What a campaign writes once and every key reuses: its seed tasks and its meta-prompts. */
export interface InstructionKit {
  seeds: Task[];
  listMeta: string;
  listHeader: string;
  evolHead: string;
  evolTail: string;
}

export function instructionKit(ctx: PersonaContext, rng: Rng, plan: InstructionPlan): InstructionKit {
  return {
    seeds: Array.from({ length: rng.int(120, 180) }, () => newTask(ctx, rng)),
    listMeta: fill(rng, SELF_INSTRUCT_META, { n: String(plan.listSize) }),
    listHeader: fill(rng, `{List of|Here are} ${plan.listSize} {tasks|new tasks}:`),
    evolHead: fill(rng, EVOL_META),
    evolTail: fill(rng, EVOL_META_TAIL),
  };
}

/** The example block of a self-instruct list request: numbered tasks with input and output. */
function examplesBlock(g: Rng, tasks: readonly Task[]): string {
  return tasks
    .map(
      (t, i) =>
        `${i + 1}. Instruction: ${t.instruction}\n${i + 1}. Input:\n${t.input ?? '<noinput>'}\n${i + 1}. Output:\n${answerText(g, g.int(20, 90))}`,
    )
    .join('\n###\n');
}

/** An instruction made harder the way an evolution round would (a constraint added). */
function evolved(g: Rng, t: Task): string {
  const base = t.input ? `${t.instruction}\n\n${t.input}` : t.instruction;
  return `${base} ${fill(g, g.pick(EVOL_ADDITIONS))}`;
}

/**
 * One key's requests: generation requests (a list seeded with examples, or a rewrite of a task
 * generated earlier) among answers to generated tasks, each task answered once.
 */
export function instructionFactory(
  ctx: PersonaContext,
  c: Campaign,
  plan: InstructionPlan,
  kit: InstructionKit,
  model: () => string,
): Factory {
  return (g) => {
    const evol = plan.style === 'evol' || (plan.style === 'both' && g.chance(0.5));
    if (g.chance(plan.generateShare)) {
      const prompt = evol
        ? `${kit.evolHead}${g.pick(EVOL_METHODS)}\n${kit.evolTail}#The Given Prompt#:\n${newTask(ctx, g).instruction}\n\n#Rewritten Prompt#:\n`
        : `${kit.listMeta}\n${examplesBlock(g, g.sample(kit.seeds, plan.examples))}\n###\n\n${kit.listHeader}`;
      return chatRequest(g, {
        model: model(),
        messages: withSystem(c.system, [{ role: 'user', content: prompt }]),
        maxTokens: c.p.maxTokens === null ? null : evol ? 2048 : Math.max(3072, c.p.maxTokens),
        extra: {
          ...plan.sampling,
          ...(evol ? {} : { stop: [`\n${plan.listSize + 1}.`, `${plan.listSize + 1}.`] }),
        },
        answer: evol ? { median: 120, sigma: 0.4 } : { median: 70 * plan.listSize, sigma: 0.25 },
      });
    }
    const task = newTask(ctx, g);
    let q = evol ? evolved(g, task) : task.input ? `${task.instruction}\n\n${task.input}` : task.instruction;
    if (c.p.paraphrase > 0) q = paraphrase(g, q, c.p.paraphrase);
    return harvestRequest(g, c, { model: model(), system: c.system, prompt: q, kind: 'text' });
  };
}
