#!/usr/bin/env node
// What the live board costs the benchmark (issue 3). One task, 512 concurrency,
// zero-latency embedded simulator, 20,000 requests, run twice with the built CLI:
//  - with the board, in a real terminal (tmux 160x40; 'q' leaves the results view),
//  - with --no-tui.
// Compares output token throughput and mean TTFT from the run folders, and
// estimates the board's render CPU as (CPU of the board run - CPU of the plain
// run) / benchmark duration, CPU measured by bash's `time` over the whole
// process (all threads). The board run also writes Ink's own frame totals
// (AISBENCH_TUI_PROFILE). Ends with:
//   board: throughput_delta_pct=X ttft_delta_pct=Y render_cpu_pct=Z
// Needs `npm run build` and tmux. Flags: --requests N (default 20000), --concurrency N (512).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const REQUESTS = arg('requests', 20_000);
const CONCURRENCY = arg('concurrency', 512);
const RUN_LIMIT_MS = 10 * 60_000;

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench/board: build first (npm run build)');
  process.exit(1);
}
if (spawnSync('tmux', ['-V']).status !== 0) {
  console.error('bench/board: needs tmux for the board run');
  process.exit(1);
}

const work = mkdtempSync(path.join(tmpdir(), 'aisbench-bench-board-'));
const cfg = path.join(work, 'configs');
mkdirSync(path.join(cfg, 'models'), { recursive: true });
mkdirSync(path.join(cfg, 'datasets'), { recursive: true });
writeFileSync(
  path.join(cfg, 'models', 'bench_board_sim.yaml'),
  `abbr: bench-board
api: chat
model: sim-model
url: ""
stream: true
request_rate: 0
retry: 0
max_out_len: 64
batch_size: ${CONCURRENCY}
generation_kwargs:
  ignore_eos: true
sim:
  ttft_ms: 0
  itl_ms: 0
  jitter_ms: 0
  tokens_per_chunk: 1
  prefill_tokens_per_ms: 0
`,
);
writeFileSync(
  path.join(cfg, 'datasets', 'bench_board_requests.yaml'),
  `abbr: board-requests
type: synthetic
seed: 7
synthetic:
  Type: string
  RequestCount: ${REQUESTS}
  StringConfig:
    Input:
      Method: uniform
      Params: {MinValue: 50, MaxValue: 100}
    Output:
      Method: uniform
      Params: {MinValue: 32, MaxValue: 64}
`,
);

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const cliArgs = (outDir) =>
  ['--config-dir', cfg, '--models', 'bench_board_sim', '--datasets', 'bench_board_requests', '--num-warmups', '0', '-w', outDir]
    .map(q)
    .join(' ');
/** A bash command that runs the CLI under `time` and leaves "real user sys" in timeFile. */
const timed = (cmd, timeFile) => `TIMEFORMAT='%R %U %S'; { time ${cmd} ; } 2> ${q(timeFile)}`;
const readTimes = (file) => {
  const last = readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '';
  const [real, user, sys] = last.split(/\s+/).map(Number);
  return { realS: real, cpuS: user + sys };
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function plainRun() {
  const out = path.join(work, 'plain');
  const timeFile = path.join(work, 'plain.time');
  const cmd = `node ${q(bin)} ${cliArgs(out)} --no-tui > ${q(path.join(work, 'plain.log'))}`;
  const r = spawnSync('bash', ['-c', timed(cmd, timeFile)], { stdio: 'inherit', timeout: RUN_LIMIT_MS });
  if (r.status !== 0) throw new Error(`--no-tui run failed (exit ${r.status}); see ${work}/plain.log`);
  return { out, ...readTimes(timeFile) };
}

async function boardRun() {
  const out = path.join(work, 'board');
  const timeFile = path.join(work, 'board.time');
  const flag = path.join(work, 'board.done');
  const profile = path.join(work, 'board.profile.json');
  const socket = `aisbench-bench-${process.pid}`;
  const tmux = (...a) => spawnSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const cmd = `AISBENCH_TUI_PROFILE=${q(profile)} node ${q(bin)} ${cliArgs(out)}`;
  const script = `${timed(cmd, timeFile)}; echo $? > ${q(flag)}`;
  tmux('new-session', '-d', '-x', '160', '-y', '40', '-s', 'bench', 'bash', '--norc', '--noprofile', '-c', script);
  const started = Date.now();
  try {
    while (!existsSync(flag)) {
      if (Date.now() - started > RUN_LIMIT_MS) throw new Error('board run took too long');
      const screen = tmux('capture-pane', '-p', '-t', 'bench').stdout ?? '';
      // The results view waits for the user: leave it once it shows.
      if (/^Results/m.test(screen)) tmux('send-keys', '-t', 'bench', 'q');
      await sleep(500);
    }
  } finally {
    tmux('kill-server');
  }
  const code = Number(readFileSync(flag, 'utf8').trim());
  if (code !== 0) throw new Error(`board run exited with ${code}`);
  const prof = existsSync(profile) ? JSON.parse(readFileSync(profile, 'utf8')) : null;
  return { out, prof, ...readTimes(timeFile) };
}

function findFile(dir, suffix) {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) {
      const hit = findFile(p, suffix);
      if (hit) return hit;
    } else if (p.endsWith(suffix)) return p;
  }
  return null;
}

/** Output token throughput (token/s), mean TTFT (ms) and duration (ms) from a run folder. */
function metrics(out) {
  const json = JSON.parse(readFileSync(findFile(out, 'board-requests.json'), 'utf8'));
  const raw = json._raw ?? {};
  const num = (name) => Number(raw[name]?.total ?? String(json[name]?.total ?? 'NaN').split(' ')[0]);
  const csv = readFileSync(findFile(out, 'board-requests.csv'), 'utf8').split('\n');
  const head = csv[0].split(',');
  const ttftRow = csv.find((l) => l.startsWith('TTFT,total'))?.split(',') ?? [];
  const ttftMean = Number.parseFloat(ttftRow[head.indexOf('Average')] ?? 'NaN');
  return {
    tokPerS: num('Output Token Throughput'),
    ttftMs: ttftMean,
    durationMs: num('Benchmark Duration'),
    success: num('Success Requests'),
  };
}

const pct = (a, b) => ((a - b) / b) * 100;
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'NaN');

try {
  console.log(`bench/board: ${REQUESTS} requests, concurrency ${CONCURRENCY}, zero-latency simulator (work dir ${work})`);
  const plain = plainRun();
  const pm = metrics(plain.out);
  console.log(`  --no-tui: ${f(pm.tokPerS, 0)} tok/s, TTFT mean ${f(pm.ttftMs, 3)} ms, ${pm.success} ok, duration ${f(pm.durationMs / 1000)} s, CPU ${f(plain.cpuS)} s`);
  const board = await boardRun();
  const bm = metrics(board.out);
  console.log(`  board:    ${f(bm.tokPerS, 0)} tok/s, TTFT mean ${f(bm.ttftMs, 3)} ms, ${bm.success} ok, duration ${f(bm.durationMs / 1000)} s, CPU ${f(board.cpuS)} s`);
  if (board.prof) {
    console.log(`  ink: ${board.prof.frames} frames, ${f(board.prof.inkRenderMs, 0)} ms in Ink's render+write over ${f(board.prof.wallMs / 1000)} s on screen`);
  }
  const renderCpu = (Math.max(0, board.cpuS - plain.cpuS) / (bm.durationMs / 1000)) * 100;
  console.log(
    `board: throughput_delta_pct=${f(pct(bm.tokPerS, pm.tokPerS))} ttft_delta_pct=${f(pct(bm.ttftMs, pm.ttftMs))} render_cpu_pct=${f(renderCpu)}`,
  );
} finally {
  if (!process.env.KEEP_BENCH) rmSync(work, { recursive: true, force: true });
}
