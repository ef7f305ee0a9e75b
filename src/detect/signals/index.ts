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
  { name: 'volume', fn: volume },
  { name: 'harvest_ratio', fn: harvestRatio },
  { name: 'harvest_segment', fn: harvestSegment },
  { name: 'single_turn', fn: singleTurn },
  { name: 'sweep', fn: sweep },
  { name: 'template_reuse', fn: templateReuse },
  { name: 'cot_elicitation', fn: cotElicitation },
  { name: 'grading', fn: grading },
  { name: 'logprob_extraction', fn: logprobExtraction },
  { name: 'sampling', fn: sampling },
  { name: 'machine_timing', fn: machineTiming },
  { name: 'fixed_config', fn: fixedConfig },
  { name: 'multimodal_bulk', fn: multimodalBulk },
  { name: 'model_fanout', fn: modelFanout },
  { name: 'new_model_pivot', fn: newModelPivot },
  { name: 'coordination', fn: coordination },
];

export type { Signal, SignalContext, SignalFn, SignalResult } from './types.js';
