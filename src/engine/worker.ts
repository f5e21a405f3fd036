/**
 * A load worker (worker_threads). It claims units (a request, or a whole
 * multi-turn conversation) and concurrency slots from shared memory, sends
 * them through its own undici Pool, and posts batched deltas every tick.
 * Its state is one WorkerState per task (worker-state.ts); slots and pacing
 * are in worker-slots.ts, sending in worker-send.ts.
 */
import { parentPort } from 'node:worker_threads';
import { CTL, type FromWorker, type ToWorker } from './protocol.js';
import { loadTokenizer } from './tokenizer.js';
import { preconnect, runUnit, warmup } from './worker-send.js';
import { acquire, sleepUntil, warmPacing } from './worker-slots.js';
import { WorkerState } from './worker-state.js';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;
const post = (msg: FromWorker): void => port.postMessage(msg);

/** Set by 'init'; one task per worker. */
let st: WorkerState | null = null;

async function loop(st: WorkerState): Promise<void> {
  const { ctl, units, schedule, init } = st;
  const n = units.length;
  const running = new Set<Promise<void>>();
  for (;;) {
    if (st.stopped) break;
    const i = Atomics.add(ctl, CTL.NEXT, 1);
    if (!init.recycle && i >= n) break;
    const sched = schedule && i < schedule.length ? (schedule[i] ?? -1) : -1;
    if (sched >= 0) await sleepUntil(st, st.runStart + sched);
    if (!(await acquire(st))) break;
    const p = runUnit(st, units.get(i % n), (init.idOffset ?? 0) + i * (init.idStride ?? 1), sched);
    running.add(p);
    void p.finally(() => running.delete(p));
  }
  await Promise.all(running);
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    const s = new WorkerState(msg, post);
    st = s;
    setInterval(() => s.flush(), msg.tickMs).unref();
    // The main thread loaded this tokenizer already; should this load fail, the output audit is left out.
    const tk = msg.tokenizerPath
      ? loadTokenizer(msg.tokenizerPath).then(
          (t) => void (s.tokenizer = t),
          () => undefined,
        )
      : Promise.resolve();
    void tk
      .then(() => preconnect(s, msg.preconnect))
      .then(() => (s.schedule ? warmPacing(s) : undefined))
      .then(() => {
        post({ type: 'ready', workerIndex: msg.workerIndex });
        if (msg.warmups > 0) void warmup(s);
      });
    return;
  }
  if (!st) return;
  const s = st;
  if (msg.type === 'go') {
    s.runStart = msg.runStart;
    // Shards start at a common instant: 'go' may come a little before t = 0.
    void sleepUntil(s, s.runStart)
      .then(() => loop(s))
      .catch((err: Error) => post({ type: 'fatal', message: err.message }))
      .finally(async () => {
        s.flush();
        post({ type: 'done', workerIndex: s.init.workerIndex });
        await s.pool.close().catch(() => undefined);
      });
  } else if (msg.type === 'keepWarm') {
    void preconnect(s, s.init.preconnect);
  } else if (msg.type === 'abort') {
    s.abort();
  }
});
