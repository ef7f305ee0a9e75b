/**
 * @module sim/personas/benign
 * Benign personas: the customers detection must leave alone. Each draws heavy-tailed volumes
 * (log-normal across orgs), a diurnal rhythm in the org's own timezone with weekday effects,
 * realistic clients and IP behaviour (a few stable egress IPs, often shared cloud ranges).
 * Each builder returns the key plans of `orgs` organisations of one persona.
 */
import type { KeyPlan } from '../../types.js';
import type { PersonaContext } from '../common.js';
import { aggregator } from './aggregator.js';
import { enterpriseBatch, multimodalDocs, ragApp } from './apps.js';
import { chatApp, codingAssistant, frameworkShared, reasoningApp, threadApp } from './chat.js';
import { quizApp, testDataJob } from './datagen.js';
import { companionApp, refinePipeline } from './dialogue.js';
import { briefingJob, docAssistant } from './docwork.js';
import { judgeService } from './evaluation.js';
import { localeApp, multilingualEval } from './locale.js';
import { agent, evalHarness, heavyDev, researcher } from './power.js';
import { contentApp, tenantPlatform, tutorApp } from './products.js';
import type { BenignPersona } from './shared.js';

export { BENIGN_PERSONAS, type BenignPersona } from './shared.js';
export {
  agent,
  aggregator,
  briefingJob,
  chatApp,
  codingAssistant,
  companionApp,
  contentApp,
  docAssistant,
  enterpriseBatch,
  evalHarness,
  frameworkShared,
  heavyDev,
  judgeService,
  localeApp,
  multilingualEval,
  multimodalDocs,
  quizApp,
  ragApp,
  reasoningApp,
  refinePipeline,
  researcher,
  tenantPlatform,
  testDataJob,
  threadApp,
  tutorApp,
};

export const BENIGN_BUILDERS: Record<BenignPersona, (ctx: PersonaContext, orgs: number) => KeyPlan[]> = {
  chat_app: chatApp,
  coding_assistant: codingAssistant,
  rag_app: ragApp,
  enterprise_batch: enterpriseBatch,
  eval_harness: evalHarness,
  agent,
  researcher,
  multimodal_docs: multimodalDocs,
  framework_shared: frameworkShared,
  heavy_dev: heavyDev,
  content_app: contentApp,
  tutor_app: tutorApp,
  tenant_platform: tenantPlatform,
  judge_service: judgeService,
  locale_app: localeApp,
  multilingual_eval: multilingualEval,
  companion_app: companionApp,
  refine_pipeline: refinePipeline,
  thread_app: threadApp,
  reasoning_app: reasoningApp,
  quiz_app: quizApp,
  test_data: testDataJob,
  doc_assistant: docAssistant,
  briefing_job: briefingJob,
  aggregator,
};
