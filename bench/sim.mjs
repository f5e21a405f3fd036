#!/usr/bin/env node
// Throughput of the embedded simulator at zero latency: it must stream
// >= 1,000,000 tokens/s so it never limits a benchmark.
//
// The simulator runs in a child process (its own core); this process is a
// minimal consumer: an undici Pool of N streaming chat requests x T tokens,
// counting SSE events by their line feeds (each event ends with "\n\n" and has
// no other LF, so events = LFs / 2 whatever the TCP chunking). Needs a build:
// `npm run build` (or AISBENCH_DIST=<dir with sim/index.js>).
// Usage: node bench/sim.mjs [--concurrency 128] [--tokens 1000] [--seconds 5]
//   [--ttft MS --itl MS]   latency profile (default 0: the throughput test)
//   [--once]               one request per lane (e.g. --concurrency 10000 --tokens 20 --itl 100 --once)
//   [--engine batch]       the load-aware engine, steps of --ttft MS + --itl MS per sequence (0: back to back)
// PROF=<dir> writes a V8 CPU profile of the simulator process into <dir>.
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.AISBENCH_DIST ?? resolve(here, '../dist'));

if (process.argv[2] === '--child') {
  const { startSimulator } = await import(pathToFileURL(resolve(dist, 'sim/index.js')).href);
  const batch = process.argv[5] === 'batch';
  const sim = await startSimulator(
    batch
      ? {
          engine: 'batch',
          stepBaseMs: Number(process.argv[3]),
          stepPerSeqMs: Number(process.argv[4]),
          maxNumSeqs: 100_000,
          kvBlocks: 10_000_000,
          logLimit: 1000,
        }
      : { ttftMs: Number(process.argv[3]), itlMs: Number(process.argv[4]), logLimit: 1000 },
  );
  process.send({ url: sim.url });
  process.on('message', async () => {
    const cpu = process.cpuUsage();
    await sim.close();
    process.send({ cpuUs: cpu.user + cpu.system, stats: sim.stats() }, () => process.exit(0));
  });
} else {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const concurrency = arg('concurrency', 128);
  const tokens = arg('tokens', 1000);
  const seconds = arg('seconds', 5);
  const ttft = arg('ttft', 0);
  const itl = arg('itl', 0);
  const once = process.argv.includes('--once');
  const engine = process.argv.includes('--engine') ? process.argv[process.argv.indexOf('--engine') + 1] : 'fixed';
  const { Pool } = await import('undici');

  const child = fork(fileURLToPath(import.meta.url), ['--child', String(ttft), String(itl), engine], {
    execArgv: process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] : [],
    stdio: 'inherit',
    env: { ...process.env, AISBENCH_DIST: dist },
  });
  const next = () => new Promise((ok) => child.once('message', ok));
  const { url } = await next();
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const body = JSON.stringify({
    model: 'sim-model',
    stream: true,
    ignore_eos: true,
    max_tokens: tokens,
    messages: [{ role: 'user', content: 'count to one thousand' }],
  });

  let events = 0;
  let requests = 0;
  let bytes = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const cpu0 = process.cpuUsage();

  async function lane() {
    for (let n = 0; once ? n < 1 : performance.now() < deadline; n++) {
      try {
        const res = await pool.request({
          path: '/v1/chat/completions',
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        let lf = 0;
        for await (const chunk of res.body) {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lf++;
        }
        if (res.statusCode !== 200) failures++;
        events += lf / 2;
        requests++;
      } catch {
        failures++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  child.send('stop');
  const { cpuUs, stats } = await next();

  // Each answer is: role event, `tokens` token events, [DONE].
  const streamed = events - 2 * requests;
  const perSecond = streamed / elapsed;
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  console.log(
    `${engine} engine, concurrency ${concurrency}, ${tokens} tokens/request, ttft ${ttft} ms, itl ${itl} ms, ${elapsed.toFixed(2)} s`,
  );
  console.log(
    `requests ${fmt(requests)} (failed ${failures}), tokens ${fmt(streamed)} (simulator counted ${fmt(stats.tokens)}), ${(bytes / elapsed / 1e6).toFixed(0)} MB/s`,
  );
  console.log(
    `simulator CPU ${(cpuUs / Math.max(1, stats.tokens)).toFixed(3)} us/token, consumer CPU ${((cpu.user + cpu.system) / Math.max(1, streamed)).toFixed(3)} us/token`,
  );
  // On a shared box the measured rate depends on the CPU share we get; the
  // simulator's CPU per token says what one free core would sustain.
  console.log(
    `simulator capacity ~${fmt(1e6 / Math.max(1e-9, cpuUs / Math.max(1, stats.tokens)))} tokens/s per core of CPU (load average ${os.loadavg()[0].toFixed(1)})`,
  );
  console.log(`sim: tokens_per_s=${Math.round(perSecond)}`);
  process.exitCode = streamed === requests * tokens && failures === 0 ? 0 : 1;
}
