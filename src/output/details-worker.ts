/**
 * worker_threads entry for recomputeFromDetails: reads one byte range of a
 * details file into its own TaskAccumulator and posts the mergeable state.
 * Must run as compiled JS (dist/output/details-worker.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TaskAccumulator, type AccumulatorOptions } from '../metrics/accumulator.js';
import { DetailsFormatError, readDetails } from './details-reader.js';

interface Job {
  path: string;
  start: number;
  end: number;
  acc: AccumulatorOptions;
}

const job = workerData as Job;
const acc = new TaskAccumulator(job.acc);
try {
  const res = await readDetails(job.path, (r) => acc.add(r), { start: job.start, end: job.end });
  const state = acc.toState();
  const transfer = [...Object.values(state.columns).map((a) => a.buffer), state.itl.dense.buffer];
  if (state.itlStable) transfer.push(state.itlStable.dense.buffer);
  parentPort!.postMessage({ ok: true, res, state }, transfer as ArrayBuffer[]);
} catch (err) {
  const e = err as Error;
  parentPort!.postMessage({
    ok: false,
    message: e.message,
    line: err instanceof DetailsFormatError ? err.line : undefined,
  });
}
