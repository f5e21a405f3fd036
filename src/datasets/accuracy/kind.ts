/** Which evaluator a dataset task needs; perf-only datasets have no reference answers. */
import { UsageError } from '../../core/errors.js';
import type { DatasetTask } from '../../config/types.js';
import type { AccuracyKind } from './samples.js';

export function accuracyKind(d: DatasetTask): AccuracyKind {
  switch (d.type) {
    case 'gsm8k':
      return 'gsm8k';
    case 'mmlu':
    case 'ceval':
      return 'choice';
    case 'custom_qa':
      return 'qa';
    default:
      throw new UsageError(
        `dataset ${d.abbr} (type ${d.type}) has no reference answers: the accuracy modes need a gsm8k, mmlu, ceval or custom_qa dataset`,
        'E_DATASET',
      );
  }
}
