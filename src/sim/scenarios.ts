/**
 * @module sim/scenarios
 * Named scenarios: a benign population (orgs per benign persona) plus attack campaigns, a
 * default period, and whether a new model is released mid-period. `standard` is the standard
 * mix (all benign personas, campaigns of most kinds, ~10% attack keys); the focused scenarios
 * put one attack family into a smaller benign background; `benign-only` is hard negatives only.
 */
import type { AttackPersona, CampaignParams } from './personas/attack/index.js';
import type { BenignPersona } from './personas/benign/index.js';

export interface AttackSpec {
  persona: AttackPersona;
  /** Multiplies the campaign's key count. */
  scale?: number;
  overrides?: Partial<CampaignParams>;
}

export interface Scenario {
  name: string;
  description: string;
  days: number;
  /** Organisations per benign persona. */
  benign: Partial<Record<BenignPersona, number>>;
  attacks: AttackSpec[];
  /** Day (offset from the start) a new model is released, if any. */
  newModelDay?: number;
}

const STANDARD_BENIGN: Partial<Record<BenignPersona, number>> = {
  chat_app: 110,
  coding_assistant: 30,
  rag_app: 60,
  enterprise_batch: 25,
  eval_harness: 20,
  agent: 40,
  researcher: 40,
  multimodal_docs: 25,
  framework_shared: 30,
  heavy_dev: 40,
};

/** The benign background of focused scenarios: every persona, fewer orgs. */
const BACKGROUND: Partial<Record<BenignPersona, number>> = Object.fromEntries(
  Object.entries(STANDARD_BENIGN).map(([k, v]) => [k, Math.max(3, Math.round(v * 0.2))]),
);

/** Overrides of campaigns that imitate a product's traffic (the `disguised` scenario). */
const DISGUISE: Partial<CampaignParams> = {
  diurnal: true,
  maxTokens: null,
  chatWrap: 0.5,
  fakeEndUsers: true,
  paraphrase: 0.6,
};

/** The standard mix's campaigns. */
const STANDARD_ATTACKS: AttackSpec[] = [
  { persona: 'hydra', scale: 0.2 },
  { persona: 'residential_proxy', scale: 0.12 },
  { persona: 'slow_low', scale: 0.15 },
  { persona: 'single_harvester' },
  { persona: 'cot_coercion', scale: 0.5 },
  { persona: 'rubric_grading', scale: 0.5 },
  { persona: 'capability_sweep', scale: 0.5 },
  { persona: 'logprob_extraction', scale: 0.6 },
  { persona: 'multimodal_extraction', scale: 0.5 },
  { persona: 'model_fanout', scale: 0.5 },
  { persona: 'model_pivot', scale: 0.4 },
  { persona: 'mixed_org' },
  { persona: 'mixed_org' },
];

const focused = (
  name: string,
  description: string,
  attacks: AttackSpec[],
  extra: Partial<Scenario> = {},
): Scenario => ({ name, description, days: 7, benign: BACKGROUND, attacks, ...extra });

export const SCENARIOS: Scenario[] = [
  {
    name: 'standard',
    description:
      'the standard mix: all benign personas (~550 keys) and 13 campaigns of 12 kinds (~10% of keys)',
    days: 7,
    benign: STANDARD_BENIGN,
    newModelDay: 4,
    attacks: STANDARD_ATTACKS,
  },
  focused('hydra', 'two hydra clusters: N keys round-robin under per-key limits, banned keys replaced', [
    { persona: 'hydra' },
    { persona: 'hydra', overrides: { churnDays: 2, fingerprints: 3, ipNets: 4, paraphrase: 0.6 } },
  ]),
  focused(
    'slow-low',
    'slow-and-low: many keys, a few requests a day each, office hours, over four weeks',
    [{ persona: 'slow_low' }],
    {
      days: 28,
      benign: Object.fromEntries(
        Object.entries(BACKGROUND).map(([k, v]) => [k, Math.max(3, Math.round(v * 0.5))]),
      ),
    },
  ),
  focused('mixed-org', 'harvest traffic mixed into three legitimate chat-app orgs at 5–50%', [
    { persona: 'mixed_org' },
    { persona: 'mixed_org' },
    { persona: 'mixed_org' },
  ]),
  focused('residential', 'residential-proxy spread: every key its own IP, diverse fingerprints', [
    { persona: 'residential_proxy' },
  ]),
  focused('cot', 'chain-of-thought coercion campaigns', [
    { persona: 'cot_coercion' },
    { persona: 'cot_coercion' },
  ]),
  focused('rubric', 'rubric grading: the model used as a reward model', [{ persona: 'rubric_grading' }]),
  focused('logprobs', 'logprob and logit-bias extraction of the output layer', [
    { persona: 'logprob_extraction' },
  ]),
  focused('multimodal', 'bulk multimodal extraction (describe images in detail)', [
    { persona: 'multimodal_extraction' },
  ]),
  focused('fanout', 'the same prompts fanned out to several models', [{ persona: 'model_fanout' }]),
  focused('pivot', 'a campaign that pivots to a new model on its release day', [{ persona: 'model_pivot' }], {
    newModelDay: 3,
  }),
  focused('sweep', 'capability sweeps over coding, tool use, math and multilingual', [
    { persona: 'capability_sweep' },
    { persona: 'capability_sweep' },
  ]),
  focused('single-harvester', 'one key harvesting in bulk', [{ persona: 'single_harvester' }]),
  focused(
    'own-prompts',
    'hydra and residential-proxy campaigns whose every key sends its own invented system prompt (an evasion of product identity)',
    [
      { persona: 'hydra', overrides: { ownSystems: true } },
      { persona: 'residential_proxy', overrides: { ownSystems: true } },
    ],
  ),
  focused(
    'disguised',
    'hydra, residential-proxy and capability-sweep campaigns that imitate a product: office-hours rhythm, no max_tokens, half their requests as follow-ups of an invented exchange, recurring end-user ids, paraphrased prompts (an evasion written after tuning)',
    [
      { persona: 'hydra', overrides: DISGUISE },
      { persona: 'residential_proxy', overrides: DISGUISE },
      { persona: 'capability_sweep', overrides: DISGUISE },
    ],
  ),
  focused(
    'agentic',
    'agentic trajectory harvesting: campaigns that drive tool-use trajectories through a sandbox harness (a task, the harness tool set, made-up tool results fed back step by step), harvesting each tool call and the final answer (written after engine 1.6.0, not tuned on)',
    [
      { persona: 'agentic_harvest' },
      { persona: 'agentic_harvest', overrides: { ipNets: 0, fingerprints: 6, paraphrase: 0.6 } },
    ],
  ),
  focused(
    'multilingual',
    'multilingual reasoning harvest: campaigns (one disguised as a product) whose tasks are written in Chinese, Japanese, Russian, Spanish or German and ask for the reasoning in that language, among local chat and tutoring products and multilingual eval harnesses (written after engine 1.7.0, not tuned on)',
    [
      { persona: 'multilingual_harvest' },
      { persona: 'multilingual_harvest', overrides: { ipNets: 0, fingerprints: 6, paraphrase: 0.6 } },
      { persona: 'multilingual_harvest', overrides: DISGUISE },
    ],
    { benign: { ...BACKGROUND, locale_app: 12, multilingual_eval: 4 } },
  ),
  focused(
    'dialogues',
    'self-chat dialogue harvest: campaigns (one disguised as a product) whose own user simulator holds multi-turn conversations with the model, sending each follow-up as soon as the answer is back and carrying every earlier answer in full, among companion apps and self-refine pipelines (written after engine 1.8.0, not tuned on)',
    [
      { persona: 'dialogue_harvest' },
      { persona: 'dialogue_harvest', overrides: { ipNets: 0, fingerprints: 6, paraphrase: 0.6 } },
      {
        persona: 'dialogue_harvest',
        overrides: { diurnal: true, maxTokens: null, fakeEndUsers: true, paraphrase: 0.6 },
      },
    ],
    { benign: { ...BACKGROUND, companion_app: 12, refine_pipeline: 8 } },
  ),
  focused(
    'threads',
    'self-chat dialogue harvest on the Responses API with the conversations kept by the upstream (previous_response_id: each turn sends only its new message, the history is billed unseen), among chat products that keep theirs the same way (written after engine 1.9.0, not tuned on)',
    [
      { persona: 'dialogue_harvest', overrides: { serverThreads: true } },
      {
        persona: 'dialogue_harvest',
        overrides: { serverThreads: true, ipNets: 0, fingerprints: 6, paraphrase: 0.6 },
      },
    ],
    { benign: { ...BACKGROUND, thread_app: 16, companion_app: 4 } },
  ),
  focused(
    'traces',
    'reasoning-trace harvest through the API: campaigns (one disguised as a product) that send plain hard tasks to a reasoning model and ask the API to return its reasoning (a detailed summary, include_reasoning, enable_thinking), among assistants that show their users a reasoning summary (written after engine 1.9.0, not tuned on)',
    [
      { persona: 'trace_harvest' },
      { persona: 'trace_harvest', overrides: { ipNets: 0, fingerprints: 6, paraphrase: 0.6 } },
      { persona: 'trace_harvest', overrides: DISGUISE },
    ],
    { benign: { ...BACKGROUND, reasoning_app: 12 } },
  ),
  focused(
    'instructions',
    'synthetic instruction data: campaigns (one disguised as a product) that have the model write an instruction-tuning set, Self-Instruct style (a meta-prompt asking for a list of new tasks, seeded with example tasks) or Evol-Instruct style (a rewriter prompt that makes a task harder), then answer each generated task, among quiz makers and test-data generators (written after engine 1.9.0, not tuned on)',
    [
      { persona: 'instruction_harvest' },
      { persona: 'instruction_harvest', overrides: { ipNets: 0, fingerprints: 6, paraphrase: 0.6 } },
      { persona: 'instruction_harvest', overrides: DISGUISE },
    ],
    { benign: { ...BACKGROUND, quiz_app: 12, test_data: 10 } },
  ),
  focused(
    'documents',
    'grounded synthesis over a scraped corpus: campaigns (one disguised as a product) that send long public texts one after another and have the model write question-answer pairs, study notes, explanations, critiques or lessons about each (long prompts, long answers), among document assistants and briefing jobs that do the same with their own documents (written after engine 1.10.0, not tuned on)',
    [
      { persona: 'document_harvest' },
      { persona: 'document_harvest', overrides: { ipNets: 0, fingerprints: 6, paraphrase: 0.6 } },
      { persona: 'document_harvest', overrides: DISGUISE },
    ],
    { benign: { ...BACKGROUND, doc_assistant: 12, briefing_job: 10 } },
  ),
  {
    name: 'products',
    description:
      'the standard mix plus consumer products the engine was not tuned on: 40 content generators and 40 tutoring apps',
    days: 7,
    benign: { ...STANDARD_BENIGN, content_app: 40, tutor_app: 40 },
    newModelDay: 4,
    attacks: STANDARD_ATTACKS,
  },
  {
    name: 'platforms',
    description:
      'the standard mix plus 12 white-label writing platforms, each one org giving 8–30 tenants their own key (not tuned on)',
    days: 7,
    benign: { ...STANDARD_BENIGN, tenant_platform: 12 },
    newModelDay: 4,
    attacks: STANDARD_ATTACKS,
  },
  {
    name: 'judges',
    description:
      "the standard mix plus 20 LLM-as-judge evaluation platforms grading their customers' outputs around the clock (not tuned on)",
    days: 7,
    benign: { ...STANDARD_BENIGN, judge_service: 20 },
    newModelDay: 4,
    attacks: STANDARD_ATTACKS,
  },
  {
    name: 'aggregators',
    description:
      'the standard mix plus 6 API resellers and model routers, each one org whose 2–4 regional keys carry the merged traffic of 60–300 customers worldwide (written after engine 1.11.0, not tuned on)',
    days: 7,
    benign: { ...STANDARD_BENIGN, aggregator: 6 },
    newModelDay: 4,
    attacks: STANDARD_ATTACKS,
  },
  {
    name: 'swarm',
    description:
      'hydras of hundreds of accounts ("20,000+ accounts at once"): a churning hydra of ~500 keys behind a few rented /24s and a residential-proxy hydra of ~100, among the standard benign population, three days',
    days: 3,
    benign: STANDARD_BENIGN,
    attacks: [
      {
        persona: 'hydra',
        scale: 25,
        overrides: { churnDays: 2, fingerprints: 3, ipNets: 4, paraphrase: 0.6 },
      },
      { persona: 'residential_proxy', scale: 5 },
    ],
  },
  {
    name: 'benign-only',
    description:
      'hard negatives only: the standard benign population, no attacks (every flag is a false positive)',
    days: 7,
    benign: STANDARD_BENIGN,
    attacks: [],
    newModelDay: 4,
  },
];

export function scenarioByName(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
