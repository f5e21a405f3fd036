#!/usr/bin/env node
// How steadily this machine runs a thread that never sleeps: threads that only
// read the clock in a loop record every gap between two readings over 1 ms
// (the thread lost its CPU that long). First one such thread, then one per
// core. A sub-ms timing floor (TTFT error p99, send gaps) cannot be met by any
// client when the machine itself takes the CPU away for longer than that.
// Ends with: machine: one_stalls_over_1ms=A one_max_ms=B all_stalls_over_1ms=C all_max_ms=D
// Bounded: --seconds S (default 10) per step. Loads no network.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { arg } from './lib-sim.mjs';

const SECONDS = arg('seconds', 10);
const code = `
const { parentPort, workerData } = require('node:worker_threads');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const end = now() + workerData * 1000;
let last = now(), over = 0, max = 0;
for (;;) { const t = now(); const d = t - last; if (d > 1) over++; if (d > max) max = d; last = t; if (t > end) break; }
parentPort.postMessage({ over, max });`;

function spin(threads) {
  return Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: SECONDS });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  ).then((rs) => ({ over: rs.reduce((a, r) => a + r.over, 0), max: Math.max(...rs.map((r) => r.max)) }));
}

const cores = availableParallelism();
const one = await spin(1);
console.log(`1 spinning thread for ${SECONDS} s: ${one.over} stalls over 1 ms, longest ${one.max.toFixed(2)} ms`);
const all = await spin(cores);
console.log(
  `${cores} spinning threads (one per core) for ${SECONDS} s: ${all.over} stalls over 1 ms, longest ${all.max.toFixed(2)} ms`,
);
console.log(
  `machine: one_stalls_over_1ms=${one.over} one_max_ms=${one.max.toFixed(2)} all_stalls_over_1ms=${all.over} all_max_ms=${all.max.toFixed(2)}`,
);
