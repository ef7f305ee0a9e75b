/**
 * @module sim/personas/benign/shared
 * The benign persona names and the helpers every benign builder uses (period length, rhythm).
 */
import type { Rng } from '../../rng.js';
import { DAY, type Rhythm, randomTz } from '../../time.js';
import type { PersonaContext } from '../common.js';

export const BENIGN_PERSONAS = [
  'chat_app',
  'coding_assistant',
  'rag_app',
  'enterprise_batch',
  'eval_harness',
  'agent',
  'researcher',
  'multimodal_docs',
  'framework_shared',
  'heavy_dev',
  'content_app',
  'tutor_app',
  'tenant_platform',
  'judge_service',
  'locale_app',
  'multilingual_eval',
  'companion_app',
  'refine_pipeline',
  'thread_app',
  'reasoning_app',
  'quiz_app',
  'test_data',
  'doc_assistant',
  'briefing_job',
] as const;
export type BenignPersona = (typeof BENIGN_PERSONAS)[number];

export const days = (ctx: PersonaContext) => (ctx.end - ctx.start) / DAY;
export const rhythm = (rng: Rng, kind: Rhythm['kind'], weekend: number): Rhythm => ({
  kind,
  tzOffsetH: randomTz(rng),
  weekend,
});
