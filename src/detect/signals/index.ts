/**
 * @module detect/signals
 * The signal registry: every signal, in a fixed order, by name. Weights are in config.ts.
 */

import { coordination } from './coordination.js';
import { cotElicitation } from './cot.js';
import { modelFanout } from './fanout.js';
import { fixedConfig } from './fixed-config.js';
import { grading } from './grading.js';
import { harvestRatio } from './harvest-ratio.js';
import { logprobExtraction } from './logprobs.js';
import { multimodalBulk } from './multimodal.js';
import { newModelPivot } from './new-model.js';
import { sampling } from './sampling.js';
import { harvestSegment } from './segments.js';
import { singleTurn } from './single-turn.js';
import { sweep } from './sweep.js';
import { templateReuse } from './template-reuse.js';
import { machineTiming } from './timing.js';
import type { Signal } from './types.js';
import { volume } from './volume.js';

export const SIGNALS: readonly Signal[] = [
  volume,
  harvestRatio,
  harvestSegment,
  singleTurn,
  sweep,
  templateReuse,
  cotElicitation,
  grading,
  logprobExtraction,
  sampling,
  machineTiming,
  fixedConfig,
  multimodalBulk,
  modelFanout,
  newModelPivot,
  coordination,
];

export type { Signal, SignalContext } from './types.js';
