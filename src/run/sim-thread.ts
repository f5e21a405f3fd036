/**
 * Worker-thread host of the embedded simulators, so their timers never share
 * an event loop with the UI, the merging of deltas or the load workers.
 */
import { parentPort } from 'node:worker_threads';
import { startSimulator, type SimOptions, type SimServer } from '../sim/index.js';

const servers: SimServer[] = [];
// The handler catches everything it awaits, so its promise never rejects.
// eslint-disable-next-line @typescript-eslint/no-misused-promises
parentPort!.on('message', async (msg: { type: 'start'; opts: SimOptions[] } | { type: 'close' }) => {
  try {
    if (msg.type === 'start') {
      const urls: string[] = [];
      for (const o of msg.opts) {
        const s = await startSimulator(o);
        servers.push(s);
        urls.push(s.url);
      }
      parentPort!.postMessage({ type: 'started', urls });
    } else {
      await Promise.all(servers.map((s) => s.close()));
      parentPort!.postMessage({ type: 'closed' });
    }
  } catch (err) {
    parentPort!.postMessage({ type: 'error', message: (err as Error).message });
  }
});
