// Connections past one process (issue 20): N concurrent streams from K client
// processes (bench/connections-client.mjs, the real engine) against K
// simulator processes, each simulator on its own loopback address
// 127.0.1.k, so every client-simulator pair has its own ~28k ephemeral
// ports and every process stays under its open-file limit. Clients open
// their connections one after another, then all start at one instant.
// Checks the machine's limits first and names the one that stops a count.
// Ends with: connections: streams=N ok=X failed=Y max_open=M processes=K
//   client_rss_mb=R rss_kb_per_stream=S cpu_ms_per_stream=C wall_s=W
import { fork, spawn } from 'node:child_process';
import { freemem } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { arg, root } from './lib-sim.mjs';

const STREAMS = arg('streams', 50_000);
const TOKENS = arg('tokens', 20);
const ITL = arg('itl', 200);
const PER_PROCESS = arg('per-process', 12_500);

const nofile = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
const soft = Number(nofile?.[1]);
const hard = Number(nofile?.[2]);
const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
const ports = hi - lo + 1;
// Per process: its streams' sockets plus ~300 for threads, pipes and files.
const perProcess = Math.min(PER_PROCESS, soft - 300, ports - 500);
const K = Math.ceil(STREAMS / perProcess);
// Measured at 2,000 streams: ~100 KB per stream in a client; count 200 for client and simulator, and keep 2 GB for the others on this machine.
const memNeedMB = (STREAMS * 200) / 1024 + K * 200;
console.log(
  `limits: open files soft ${soft} hard ${hard} per process; ephemeral ports ${ports} per destination; free memory ${(freemem() / 2 ** 30).toFixed(1)} GB`,
);
console.log(
  `plan: ${STREAMS} streams = ${K} client processes x <= ${perProcess} against ${K} simulator processes on 127.0.1.1..${K}, ${TOKENS} tokens each at ITL ${ITL} ms`,
);
if (memNeedMB > freemem() / 2 ** 20 - 2048) {
  const fits = Math.floor(((freemem() / 2 ** 20 - 2048 - K * 200) * 1024) / 200);
  console.log(
    `limit: memory: ${STREAMS} streams need about ${memNeedMB.toFixed(0)} MB; the largest count that fits is about ${fits}`,
  );
  console.log(`connections: streams=${STREAMS} ok=0 failed=0 limit=memory largest_fitting=${fits}`);
  process.exit(1);
}

function startSim(host) {
  const code = `
    const m = await import(${JSON.stringify(path.join(root, 'dist/sim/index.js'))});
    const s = await m.startSimulator({ host: ${JSON.stringify(host)}, port: 0, ttftMs: ${ITL}, itlMs: ${ITL}, logLimit: 1000 });
    console.log(s.url);
    process.on('SIGINT', async () => { await s.close(); process.exit(0); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/[\d.]+:\d+/.exec(out);
      if (m) resolve({ url: m[0], child });
    });
    child.once('exit', (c) => reject(new Error(`simulator on ${host} exited with ${c}`)));
  });
}

const sims = await Promise.all(Array.from({ length: K }, (_, k) => startSim(`127.0.1.${k + 1}`)));
const t0 = performance.now();
const share = (k) => Math.floor(STREAMS / K) + (k < STREAMS % K ? 1 : 0);
// Clients open their connections one after another (a burst of 12,500 connects
// at once overflows the listen backlog, somaxconn), then all start together.
const clients = [];
const procs = [];
const readies = [];
let offset = 0;
for (let k = 0; k < K; k++) {
  const job = { url: sims[k].url, streams: share(k), idOffset: offset, tokens: TOKENS };
  offset += job.streams;
  const child = fork(path.join(root, 'bench/connections-client.mjs'), [JSON.stringify(job)], {
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  procs.push(child);
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
  let ready;
  readies.push(new Promise((r) => (ready = r)));
  clients.push(
    new Promise((resolve) => {
      let result = null;
      child.on('message', (m) => {
        if (m?.type === 'ready') ready();
        else if (m && 'spans' in m) result = m;
      });
      child.once('exit', (code) => {
        ready();
        resolve(
          result ?? {
            ok: 0,
            failed: job.streams,
            codes: { [`exit ${code}: ${err.trim().split('\n').at(-1)}`]: job.streams },
            cpuS: 0,
            rss0MB: 0,
            rssMaxMB: 0,
            runStart: 0,
            spans: [],
          },
        );
      });
    }),
  );
  await readies[k];
  console.log(`  client ${k}: ${job.streams} connections open after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const at = Date.now() + 1000;
for (const c of procs) if (c.connected) c.send({ type: 'go', at });
const res = await Promise.all(clients);
const wall = (performance.now() - t0) / 1000;
for (const s of sims) s.child.kill('SIGINT');

// Streams open at once across all processes: sweep over [send, end] on the shared monotonic clock.
const ev = [];
for (const r of res)
  for (let i = 0; i < r.spans.length; i += 2) ev.push([r.runStart + r.spans[i], 1], [r.runStart + r.spans[i + 1], -1]);
ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
let open = 0;
let maxOpen = 0;
for (const [, d] of ev) maxOpen = Math.max(maxOpen, (open += d));
const ok = res.reduce((a, r) => a + r.ok, 0);
const failed = STREAMS - ok;
const cpuS = res.reduce((a, r) => a + r.cpuS, 0);
const rssMB = res.reduce((a, r) => a + r.rssMaxMB, 0);
const rssGrowMB = res.reduce((a, r) => a + (r.rssMaxMB - r.rss0MB), 0);
const codes = {};
for (const r of res) for (const [c, n] of Object.entries(r.codes)) codes[c] = (codes[c] ?? 0) + n;
res.forEach((r, k) =>
  console.log(
    `  client ${k}: ok ${r.ok} failed ${r.failed} cpu ${r.cpuS.toFixed(1)} s rss ${r.rss0MB.toFixed(0)} -> ${r.rssMaxMB.toFixed(0)} MB`,
  ),
);
if (failed) console.log(`  failures: ${JSON.stringify(codes)}; the largest count that passed: ${ok} streams`);
console.log(
  `connections: streams=${STREAMS} ok=${ok} failed=${failed} max_open=${maxOpen} processes=${K}+${K} client_rss_mb=${rssMB.toFixed(0)} ` +
    `rss_kb_per_stream=${((rssGrowMB * 1024) / STREAMS).toFixed(1)} cpu_ms_per_stream=${((cpuS * 1000) / STREAMS).toFixed(2)} wall_s=${wall.toFixed(1)}`,
);
process.exitCode = failed ? 1 : 0;
