// One client process of bench/connections-multi.mjs: a TaskRunner (the real
// engine: worker threads, undici) with its share of the streams against one
// simulator. After opening its connections it tells the parent (IPC) and
// waits for the common start instant (the engine's start gate, as
// --processes children do). Prints one JSON line: counts, CPU, peak RSS, and every
// request's [send, end] on CLOCK_MONOTONIC (shared by all processes), so the
// parent can count how many streams were open at once across processes.
import path from 'node:path';
import { root } from './lib-sim.mjs';
const { TaskRunner } = await import(path.join(root, 'dist/engine/task-runner.js'));

const { url, streams, idOffset, tokens } = JSON.parse(process.argv[2]);
const units = Array.from({ length: streams }, (_, i) => [
  { id: idOffset + i, messages: [{ role: 'user', content: 'hello world' }], maxOutLen: tokens },
]);
let ok = 0;
let failed = 0;
const codes = {};
const spans = [];
const rss0 = process.memoryUsage().rss;
let rssMax = rss0;
const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 100);
const u = new URL(url);
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
    maxConcurrency: streams,
    retry: 0,
    timeoutMs: 180_000,
    firstByteTimeoutMs: 0,
    warmups: 0,
    workers: 0,
    logPath: 'bench.log',
    startGate: () =>
      new Promise((resolve) => {
        process.on('message', (m) => m?.type === 'go' && resolve(m.at));
        process.send({ type: 'ready' });
      }),
  },
  {
    onRecords(rs) {
      for (const r of rs) {
        if (r.warmup) continue;
        spans.push(Math.round(r.t0 * 10) / 10, Math.round(r.end * 10) / 10);
        if (r.ok && r.outTok === tokens) ok++;
        else {
          failed++;
          const c = r.ok ? 'E_SHORT' : r.code;
          codes[c] = (codes[c] ?? 0) + 1;
        }
      }
    },
    log() {},
  },
);
const cpu0 = process.cpuUsage();
await runner.run();
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
rssMax = Math.max(rssMax, process.memoryUsage().rss);
const c = runner.counts;
process.send(
  {
    ok,
    failed,
    codes,
    post: c.post,
    finish: c.finish,
    fail: c.fail,
    cpuS: (cpu.user + cpu.system) / 1e6,
    rss0MB: rss0 / 2 ** 20,
    rssMaxMB: rssMax / 2 ** 20,
    runStart: runner.runStart,
    spans,
  },
  () => process.disconnect(),
);
