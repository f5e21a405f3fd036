#!/usr/bin/env node
// Scale of connections (issue 7): 10,000 concurrent streams against the
// simulator in its own process (ITL 100 ms, 20 output tokens each) through the
// real engine (TaskRunner, worker threads, undici). Checks that nothing is
// lost: one record per request and POST = FINISH + FAIL.
// Ends with: connections: streams=N ok=X failed=Y wall_s=Z
// Needs `npm run build` first. Only 127.0.0.1 is loaded; the run is bounded
// (N requests, a 120 s request timeout).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { arg, root, startSimProcess } from './lib-sim.mjs';
// Past one process's open-file limit (or with --processes): client and simulator processes.
if (arg('streams', 10_000) > 15_000 || process.argv.includes('--processes')) {
  await import('./connections-multi.mjs');
  process.exit(process.exitCode ?? 0);
}
const { TaskRunner } = await import(path.join(root, 'dist/engine/task-runner.js'));

const STREAMS = arg('streams', 10_000);
const TOKENS = arg('tokens', 20);
const ITL = arg('itl', 100);

const nofile = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
console.log(`open-file limit: soft ${nofile?.[1]} hard ${nofile?.[2]} (client and simulator are separate processes)`);

/**
 * The simulator in its own process; on SIGINT it prints a summary of its
 * request log (same monotonic clock as ours), so a slow run can be told apart:
 * late sends (client) or late tokens (simulator).
 */
function startSim(ttftMs, itlMs) {
  return new Promise((resolve, reject) => {
    const code = `
      const m = await import(${JSON.stringify(path.join(root, 'dist/sim/index.js'))});
      const s = await m.startSimulator({ port: 0, ttftMs: ${ttftMs}, itlMs: ${itlMs}, logLimit: ${STREAMS + 1000} });
      console.log(s.url);
      process.on('SIGINT', async () => {
        const log = s.requestLog().filter((e) => e.path === '/v1/chat/completions');
        const pick = (f) => log.map(f).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
        const q = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))];
        const rec = pick((e) => e.receivedAt);
        const ttft = pick((e) => e.firstTokenAt - e.receivedAt);
        const last = pick((e) => e.lastTokenAt - e.receivedAt);
        const line = 'SIMSTATS ' + JSON.stringify({
          spread: rec[rec.length - 1] - rec[0],
          ttft50: q(ttft, 0.5), ttft99: q(ttft, 0.99), last50: q(last, 0.5),
        }) + '\\n';
        await new Promise((r) => process.stdout.write(line, r));
        await s.close();
        process.exit(0);
      });`;
    startSimProcess({ code }).then(
      (sim) =>
        resolve({
          url: sim.url,
          stop: async () => {
            await sim.stop();
            return JSON.parse(/SIMSTATS (.*)/.exec(sim.output())?.[1] ?? 'null');
          },
        }),
      reject,
    );
  });
}

const sim = await startSim(ITL, ITL);
const u = new URL(sim.url);
const units = Array.from({ length: STREAMS }, (_, id) => [
  { id, messages: [{ role: 'user', content: 'hello world' }], maxOutLen: TOKENS },
]);
let records = 0;
let ok = 0;
let failed = 0;
let tokens = 0;
let maxInflight = 0;
const codes = new Map();
const sends = [];
const ttfts = [];
const runner = new TaskRunner(
  {
    key: 'bench/connections',
    abbr: 'bench',
    dataset: 'connections',
    origin: u.origin,
    path: '/v1/chat/completions',
    api: 'chat',
    headers: { 'content-type': 'application/json' },
    baseBody: { model: 'sim-model', stream: true, stream_options: { include_usage: true }, ignore_eos: true },
    units,
    schedule: null,
    maxConcurrency: STREAMS,
    retry: 0,
    timeoutMs: 120_000,
    firstByteTimeoutMs: 0,
    warmups: 0,
    workers: 0,
    logPath: 'bench.log',
  },
  {
    onRecords(rs) {
      for (const r of rs) {
        if (r.warmup) continue;
        records++;
        sends.push(r.t0);
        if (r.ok) {
          ttfts.push(r.ttft);
          ok++;
          tokens += r.outTok;
        } else {
          failed++;
          codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        }
      }
    },
    log() {},
  },
);
const sampler = setInterval(() => (maxInflight = Math.max(maxInflight, runner.inflight)), 50);
const rss0 = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const outcome = await runner.run();
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
const simStats = await sim.stop();
const c = runner.counts;
console.log(
  `${STREAMS} streams x ${TOKENS} tokens, ITL ${ITL} ms, ${TaskRunner.workerCount({ workers: 0, maxConcurrency: STREAMS, units })} worker thread(s)`,
);
console.log(
  `  records ${records}, ok ${ok}, failed ${failed}${codes.size ? ' ' + JSON.stringify(Object.fromEntries(codes)) : ''}; tokens ${tokens} (expected ${ok * TOKENS})`,
);
console.log(
  `  POST ${c.post} RECV ${c.recv} FINISH ${c.finish} FAIL ${c.fail}; max in flight ${maxInflight}; wall ${wall.toFixed(2)} s incl. ${STREAMS} preconnects, measured phase ${(outcome.wallMs / 1000).toFixed(2)} s (ideal ${((TOKENS * ITL) / 1000).toFixed(1)} s); client CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (all threads); rss ${(rss0 / 2 ** 20).toFixed(0)} -> ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
);
const pct = (a, p) => (a.length ? a[Math.min(a.length - 1, Math.floor(p * a.length))] : NaN);
const f1 = (x) => x.toFixed(1);
sends.sort((a, b) => a - b);
ttfts.sort((a, b) => a - b);
console.log(
  `  client: sends spread over ${f1(sends.at(-1) - sends[0])} ms after run start (p50 ${f1(pct(sends, 0.5))}); TTFT p50 ${f1(pct(ttfts, 0.5))} ms, p99 ${f1(pct(ttfts, 0.99))} ms (scheduled ${ITL})`,
);
if (simStats) {
  const { spread, ttft50, ttft99, last50 } = simStats;
  console.log(
    `  simulator: requests received over ${f1(spread)} ms; its own TTFT p50 ${f1(ttft50)} ms, p99 ${f1(ttft99)} ms; last token after p50 ${f1(last50)} ms (scheduled ${ITL + (TOKENS - 1) * ITL})`,
  );
}
const lost = records !== STREAMS || c.post !== c.finish + c.fail || c.post !== STREAMS;
if (lost) console.log('  LOST REQUESTS: records or counters do not add up');
console.log(`connections: streams=${STREAMS} ok=${ok} failed=${failed} wall_s=${wall.toFixed(2)}`);
process.exitCode = lost ? 1 : 0;
