/**
 * Starting a load-aware simulator from tests and benchmarks: the batch engine
 * with the model's knobs named as on the command line. The time of a step of
 * `running` sequences is stepMs(config, running, prefillTokens) (model.ts).
 */
import { startSimulator, type SimServer } from '../server.js';
import type { SimOptions } from '../options.js';

export type BatchSimOptions = Omit<SimOptions, 'engine' | 'ttftMs' | 'itlMs' | 'jitterMs' | 'tokensPerChunk'>;

/** startSimulator({ engine: 'batch', ...opts }): GET /metrics is served, answers follow batch/model.ts. */
export function startBatchSimulator(opts: BatchSimOptions = {}): Promise<SimServer> {
  return startSimulator({ ...opts, engine: 'batch' });
}
