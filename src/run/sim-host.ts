/** Starts the embedded simulators of `sim_*` tasks in one worker thread. */
import { Worker } from 'node:worker_threads';
import { RuntimeError } from '../core/errors.js';
import { distFile } from '../engine/dist-file.js';
import type { SimOptions } from '../sim/index.js';

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
