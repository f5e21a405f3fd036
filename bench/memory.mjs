#!/usr/bin/env node
// Memory over a long run (issue 7): 200,000 requests at zero latency (16
// output tokens each, 64 concurrent) through the TaskRunner and the
// TaskAccumulator as a real run uses them (workers append the details file
// on disk, the accumulator keeps its columns), against the simulator in its
// own process. RSS (this process: main thread + workers) is sampled after a
// GC at 20,000 finished requests and at the end. Floor: end within 20 % of
// the 20k value.
// Ends with: memory: rss_20k_mb=A rss_200k_mb=B ratio=C
// Needs `npm run build` first. Only 127.0.0.1 is loaded; the run is bounded.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import path from 'node:path';

import { arg, root, startSimProcess } from './lib-sim.mjs';
const { TaskRunner } = await import(path.join(root, 'dist/engine/task-runner.js'));
const { TaskAccumulator } = await import(path.join(root, 'dist/metrics/accumulator.js'));

const REQUESTS = arg('requests', 200_000);
const FIRST = arg('first', 20_000);
const TOKENS = arg('tokens', 16);
const CONC = arg('concurrency', 64);

// A GC before each sample, so the figures compare live memory, not GC timing.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const mb = (b) => b / 2 ** 20;
function sample(label, done) {
  gc();
  const m = process.memoryUsage();
  console.log(
    `  ${label}: ${done} finished, rss ${mb(m.rss).toFixed(1)} MB, heap used ${mb(m.heapUsed).toFixed(1)} MB, external+buffers ${mb(m.external + m.arrayBuffers).toFixed(1)} MB`,
  );
  return m.rss;
}

const startSim = (args) => startSimProcess({ args });

// The simulator keeps only a short request log: its memory is not ours to measure.
const sim = await startSim(['--ttft', '0', '--itl', '0']);
const dir = mkdtempSync(path.join(tmpdir(), 'aisbench-memory-'));
const detailsPath = path.join(dir, 'memory_details.jsonl');
const u = new URL(sim.url);
const units = Array.from({ length: REQUESTS }, (_, id) => [
  { id, messages: [{ role: 'user', content: 'hello world' }], maxOutLen: TOKENS },
]);
const acc = new TaskAccumulator({ maxConcurrency: CONC });
let done = 0;
let rssFirst = 0;
let rssLast = 0;
let nextMark = FIRST;
const runner = new TaskRunner(
  {
    key: 'bench/memory',
    abbr: 'bench',
    dataset: 'memory',
    origin: u.origin,
    path: '/v1/chat/completions',
    api: 'chat',
    headers: { 'content-type': 'application/json' },
    baseBody: { model: 'sim-model', stream: true, stream_options: { include_usage: true }, ignore_eos: true },
    units,
    schedule: null,
    maxConcurrency: CONC,
    retry: 0,
    timeoutMs: 60_000,
    firstByteTimeoutMs: 0,
    warmups: 1,
    workers: 0,
    detailsPath,
    logPath: 'bench.log',
  },
  {
    onRecords(rs) {
      for (const r of rs) {
        acc.add(r);
        if (!r.warmup) done++;
      }
      // Sampled while the workers still run (they hold their own heaps).
      if (done >= nextMark) {
        const last = done >= REQUESTS;
        const rss = sample(last ? 'last delta' : 'mark', done);
        if (!rssFirst) rssFirst = rss;
        if (last) rssLast = rss;
        nextMark = Math.min(nextMark + FIRST * 2, REQUESTS);
        if (last) nextMark = Infinity;
      }
    },
    log() {},
  },
);
console.log(`${REQUESTS} requests x ${TOKENS} tokens, ${CONC} concurrent, zero latency`);
const t0 = performance.now();
await runner.run();
const wall = (performance.now() - t0) / 1000;
sample('workers ended', done);
const rssEnd = rssLast;
const result = acc.finalize({
  key: 'bench/memory',
  abbr: 'bench',
  dataset: 'memory',
  model: 'sim-model',
  stats: ['Average', 'P99'],
  interrupted: false,
});
await sim.stop();
const ok = result.common.find((c) => c.name === 'Success Requests' && c.stage === 'total').value;
console.log(
  `  ${ok} ok, ${runner.counts.fail} failed in ${wall.toFixed(1)} s (${Math.round(done / wall)} req/s); details ${(statSync(detailsPath).size / 2 ** 20).toFixed(1)} MB on disk`,
);
rmSync(dir, { recursive: true, force: true });
const ratio = rssEnd / rssFirst;
console.log(`  floor: rss at the end within 20 % of rss at ${FIRST}: ${ratio <= 1.2 ? 'ok' : 'NOT MET'}`);
console.log(
  `memory: rss_20k_mb=${mb(rssFirst).toFixed(1)} rss_200k_mb=${mb(rssEnd).toFixed(1)} ratio=${ratio.toFixed(3)}`,
);
