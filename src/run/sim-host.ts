/** Starts the embedded simulators of `sim_*` tasks in one worker thread. */
import { Worker } from 'node:worker_threads';
import { RuntimeError } from '../core/errors.js';
import type { SimProfile } from '../config/types.js';
import { distFile } from '../engine/dist-file.js';
import type { SimOptions } from '../sim/index.js';

/**
 * A model task's `sim:` profile (YAML, snake_case) as the simulator's options: the one mapping, used by perf and the
 * accuracy modes (which add the answer key). A new profile field goes here once.
 */
export function simOptionsOf(s: SimProfile, model: string, seed: number | undefined): SimOptions {
  return {
    ttftMs: s.ttft_ms,
    itlMs: s.itl_ms,
    jitterMs: s.jitter_ms,
    tokensPerChunk: s.tokens_per_chunk,
    prefillTokensPerMs: s.prefill_tokens_per_ms,
    engine: s.engine,
    stepBaseMs: s.step_base_ms,
    stepPerSeqMs: s.step_per_seq_ms,
    maxNumSeqs: s.max_num_seqs,
    maxBatchedTokens: s.max_batched_tokens,
    kvBlocks: s.kv_blocks,
    blockSize: s.block_size,
    specTokens: s.spec_tokens,
    specAccept: s.spec_accept,
    model: model || 'sim-model',
    seed,
  };
}

export interface SimHost {
  urls: string[];
  close(): Promise<void>;
}

export async function startSimHost(opts: SimOptions[]): Promise<SimHost> {
  const worker = new Worker(distFile(import.meta.url, 'run/sim-thread.js'));
  const next = () =>
    new Promise<any>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  worker.postMessage({ type: 'start', opts });
  const m = await next();
  if (m.type === 'error') {
    await worker.terminate();
    throw new RuntimeError(`cannot start the embedded simulator: ${m.message}`, 'E_SIM');
  }
  let closed = false;
  return {
    urls: m.urls as string[],
    async close() {
      if (closed) return;
      closed = true;
      // Ending the thread closes its listening and keep-alive sockets at once.
      await worker.terminate();
    },
  };
}
