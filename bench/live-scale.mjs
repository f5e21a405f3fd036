#!/usr/bin/env node
// A live run through the real CLI (issue 8): R requests x T output tokens against
// the zero-latency embedded simulator, sampling the process's RSS every second to
// show that memory stays flat, and reporting tokens/s and how soon the results
// were ready after the last request ended.
// Usage: npm run bench:live -- --requests 20000 --output-tokens 1024 --concurrency 256
// Ends with: live: requests=R tokens=T tokens_per_s=X rss_10pct_mb=A rss_end_mb=B results_lag_ms=C
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const R = arg('requests', 20000);
const T = arg('output-tokens', 1024);
const C = arg('concurrency', 256);

const dir = mkdtempSync(path.join(tmpdir(), 'aisbench-live-'));
mkdirSync(path.join(dir, 'cfg/models'), { recursive: true });
mkdirSync(path.join(dir, 'cfg/datasets'), { recursive: true });
writeFileSync(
  path.join(dir, 'cfg/models/sim_zero.yaml'),
  `abbr: sim-zero\napi: chat\nmodel: sim-model\nstream: true\nbatch_size: ${C}\nmax_out_len: ${T}\n` +
    `generation_kwargs:\n  ignore_eos: true\nsim:\n  ttft_ms: 0\n  itl_ms: 0\n  jitter_ms: 0\n  tokens_per_chunk: 1\n  prefill_tokens_per_ms: 0\n`,
);
writeFileSync(
  path.join(dir, 'cfg/datasets/synth.yaml'),
  `abbr: synth\ntype: synthetic\nsynthetic:\n  Type: string\n  RequestCount: ${R}\n  StringConfig:\n` +
    `    Input: { Method: uniform, Params: { MinValue: 16, MaxValue: 32 } }\n` +
    `    Output: { Method: uniform, Params: { MinValue: ${T}, MaxValue: ${T} } }\n`,
);

const child = spawn(
  process.execPath,
  [
    path.join(root, 'bin/aisbench-tui.mjs'),
    '--config-dir',
    'cfg',
    '--models',
    'sim_zero',
    '--datasets',
    'synth',
    '--no-tui',
    '-w',
    'out',
  ],
  {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let out = '';
child.stdout.on('data', (d) => (out += d));
const samples = []; // [done, rssMb]
const rss = () => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
};
const timer = setInterval(() => {
  const m = [...out.matchAll(/inferencing (\d+)\//g)].pop();
  samples.push([m ? Number(m[1]) : 0, rss()]);
}, 1000);
const code = await new Promise((r) => child.once('exit', r));
clearInterval(timer);

const pick = (re) => Number((re.exec(out) ?? [])[1]);
const tps = pick(/Output Token Throughput\s+│\s+total\s+│\s+([\d.]+) token\/s/);
const runDir = path.join(dir, 'out', readdirSync(path.join(dir, 'out'))[0]);
const logDir = path.join(runDir, 'logs/performance/sim-zero');
const log = readFileSync(path.join(logDir, readdirSync(logDir)[0]), 'utf8');
const lag = Number((/results ready (\d+) ms after/.exec(log) ?? [])[1]);
const valid = samples.filter(([d, m]) => d > 0 && Number.isFinite(m));
const at10 = valid.find(([d]) => d >= R / 10) ?? valid[0] ?? [0, NaN];
const end = valid[valid.length - 1] ?? [0, NaN];
console.log(`exit ${code}; RSS by progress (done requests: MB):`);
console.log('  ' + valid.map(([d, m]) => `${d}:${m.toFixed(0)}`).join('  '));
console.log(`output tokens/s ${tps}; results ready ${lag} ms after the last request ended`);
console.log(
  `live: requests=${R} tokens=${T} tokens_per_s=${Math.round(tps)} rss_10pct_mb=${at10[1].toFixed(0)} rss_end_mb=${end[1].toFixed(0)} results_lag_ms=${lag}`,
);
rmSync(dir, { recursive: true, force: true });
