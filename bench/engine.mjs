#!/usr/bin/env node
// Client cost and timing accuracy of the engine (issue 2):
//  1. zero-latency simulator (own process), 256 concurrent streams x 1,000 tokens:
//     client CPU us per streamed token (all threads of this process) and tokens/s;
//  2. simulator with TTFT 50 ms: TTFT error p50/p99 against the simulator's schedule.
// Ends with: bench: cpu_us_per_token=X tokens_per_s=Y ttft_err_p50_ms=A ttft_err_p99_ms=B
// Needs `npm run build` first. Only 127.0.0.1 is loaded; every loop is bounded.
import path from 'node:path';
import { arg, root, startSimProcess } from './lib-sim.mjs';

const { TaskRunner } = await import(path.join(root, 'dist/engine/task-runner.js'));

const CONC = arg('concurrency', 256);
const TOKENS = arg('tokens', 1000);
const REQUESTS = arg('requests', 3000);
const TTFT_REQUESTS = arg('ttft-requests', 512);
// The TTFT phase streams its tokens at a realistic pace (ms between tokens) and
// sends at a steady rate until 256 streams are open: with zero gaps, 256 x 1,000
// tokens every 50 ms is more than any client can parse, and a burst of 256 at
// once queues at the (single-threaded) simulator, so the error would measure
// backlogs instead of the timestamps.
const TTFT_ITL = arg('ttft-itl', 10);
const TTFT_RATE = arg('ttft-rate', 100);

const startSim = (args) => startSimProcess({ args });

async function runOnce(url, n, onRecord, rate = 0) {
  const u = new URL(url);
  const units = Array.from({ length: n }, (_, id) => [{ id, messages: [{ role: 'user', content: `req-${id} hello world` }], maxOutLen: TOKENS }]);
  let tokens = 0;
  let failed = 0;
  const runner = new TaskRunner(
    {
      key: 'bench/engine', abbr: 'bench', dataset: 'engine', origin: u.origin, path: '/v1/chat/completions', api: 'chat',
      headers: { 'content-type': 'application/json' },
      baseBody: { model: 'sim-model', stream: true, stream_options: { include_usage: true }, ignore_eos: true },
      units, schedule: rate > 0 ? Float64Array.from({ length: n }, (_, i) => (i * 1000) / rate) : null, maxConcurrency: CONC, retry: 0, timeoutMs: 60_000, firstByteTimeoutMs: 0, warmups: 0, workers: 0,
      logPath: 'bench.log',
    },
    {
      onRecords(records) {
        for (const r of records) {
          if (r.ok) { tokens += r.outTok; onRecord?.(r); } else failed++;
        }
      },
      log() {},
    },
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runner.run();
  runOnce.runStart = runner.runStart;
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { tokens, failed, wall, cpuUs: cpu.user + cpu.system };
}

const pct = (sorted, p) => {
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (i - lo);
};

// Phase 1: throughput and CPU per token.
const sim0 = await startSim(['--ttft', '0', '--itl', '0']);
await runOnce(sim0.url, Math.min(256, REQUESTS)); // warm the JIT and the connections
const a = await runOnce(sim0.url, REQUESTS);
await sim0.stop();
const cpuPerToken = a.cpuUs / a.tokens;
const tps = a.tokens / a.wall;
console.log(`zero-latency: ${REQUESTS} requests x ${TOKENS} tokens at ${CONC} concurrent: ${a.tokens} tokens in ${a.wall.toFixed(2)} s, failed ${a.failed}`);
console.log(`  client CPU ${cpuPerToken.toFixed(3)} us/token (floor <= 2), ${Math.round(tps)} tokens/s`);

// Phase 2: TTFT accuracy against a 50 ms schedule.
const sim1 = await startSim(['--ttft', '50', '--itl', String(TTFT_ITL)]);
const errs = [];
const recs = [];
await runOnce(sim1.url, 64, undefined, TTFT_RATE);
const b = await runOnce(sim1.url, TTFT_REQUESTS, (r) => { errs.push(r.ttft - 50); recs.push(r); }, TTFT_RATE);
// Ground truth from the simulator (same monotonic clock, another process):
// when it actually wrote each first token. The client-only error excludes
// the simulator's own lateness and receive queue.
const log = await (await fetch(`${sim1.url}/sim/log`)).json();
const byTag = new Map(log.map((e) => [e.tag, e]));
const own = [];
for (const r of recs) {
  const e = byTag.get(`req-${r.id} hello world`);
  if (e?.firstTokenAt) own.push(runOnce.runStart + r.t0 + r.ttft - e.firstTokenAt);
}
await sim1.stop();
errs.sort((x, y) => x - y);
own.sort((x, y) => x - y);
const e50 = pct(errs, 0.5);
const e99 = pct(errs, 0.99);
console.log(`ttft 50 ms, itl ${TTFT_ITL} ms, ${TTFT_RATE} req/s up to ${CONC} streams: ${errs.length} requests (failed ${b.failed}):`);
console.log(`  error vs the configured 50 ms: p50 ${e50.toFixed(3)} ms, p99 ${e99.toFixed(3)} ms (floor p99 <= 2), min ${errs[0].toFixed(3)} ms`);
console.log(`  client-only error vs the simulator's actual first-token write (${own.length} joined): p50 ${pct(own, 0.5).toFixed(3)} ms, p99 ${pct(own, 0.99).toFixed(3)} ms`);
console.log(`bench: cpu_us_per_token=${cpuPerToken.toFixed(3)} tokens_per_s=${Math.round(tps)} ttft_err_p50_ms=${e50.toFixed(3)} ttft_err_p99_ms=${e99.toFixed(3)} client_err_p50_ms=${pct(own, 0.5).toFixed(3)} client_err_p99_ms=${pct(own, 0.99).toFixed(3)}`);
