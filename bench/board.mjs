#!/usr/bin/env node
// What the live board costs the benchmark (issue 3). One task, 512 concurrency,
// zero-latency embedded simulator, 20,000 requests, run twice with the built CLI:
//  - with the board, in a real terminal (tmux 160x40; 'q' leaves the results view),
//  - with --no-tui.
// The pair is repeated (--repeat, default 4, alternating which runs first) and the median of the per-pair
// differences is reported: runs next to each other share the machine's load. Throughput and mean TTFT come from the run folders.
//
// render_cpu_pct: inside the board runs (AISBENCH_TUI_PROFILE, see
// src/ui/render-profile.ts), the main-thread wall time of the synchronous
// re-render on each snapshot over the time the board is on screen (median;
// an upper bound of CPU since wall time includes preemption). Printed for
// context: the built Board rendered here into a fake 160x40 terminal, CPU ms
// per frame x 4 Hz, and the whole-process CPU of both runs (bash `time`, all
// threads), which also counts Ink's start-up and the results view. Ends with:
//   board: throughput_delta_pct=X ttft_delta_pct=Y render_cpu_pct=Z
// Needs `npm run build` and tmux. Flags: --requests N (20000), --concurrency N (512), --repeat N (4), --tokens N (256).
if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { arg, root } from './lib-sim.mjs';

const bin = path.join(root, 'bin', 'aisbench-tui.mjs');
const REQUESTS = arg('requests', 20_000);
const CONCURRENCY = arg('concurrency', 512);
const REPEAT = arg('repeat', 4);
// Output tokens per request, mean (uniform from 2/3 to 4/3 of it). 256 is a
// usual answer length; with 48, a run lasts about 3 s and the board's fixed
// costs (Ink start-up, the first frames before the JIT warms) weigh on it.
const TOKENS = arg('tokens', 256);
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
max_out_len: ${Math.round((TOKENS * 4) / 3)}
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
      Params: {MinValue: ${Math.round((TOKENS * 2) / 3)}, MaxValue: ${Math.round((TOKENS * 4) / 3)}}
`,
);

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const cliArgs = (outDir) =>
  [
    '--config-dir',
    cfg,
    '--models',
    'bench_board_sim',
    '--datasets',
    'bench_board_requests',
    '--num-warmups',
    '0',
    '-w',
    outDir,
  ]
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

function plainRun(i) {
  const out = path.join(work, `plain${i}`);
  const timeFile = path.join(work, `plain${i}.time`);
  const cmd = `node ${q(bin)} ${cliArgs(out)} --no-tui > ${q(path.join(work, `plain${i}.log`))}`;
  const r = spawnSync('bash', ['-c', timed(cmd, timeFile)], { stdio: 'inherit', timeout: RUN_LIMIT_MS });
  if (r.status !== 0) throw new Error(`--no-tui run failed (exit ${r.status}); see ${work}/plain.log`);
  return { out, ...readTimes(timeFile) };
}

async function boardRun(i) {
  const out = path.join(work, `board${i}`);
  const timeFile = path.join(work, `board${i}.time`);
  const flag = path.join(work, `board${i}.done`);
  const profile = path.join(work, `board${i}.profile.json`);
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

/** CPU ms per frame of the real Board (built) rendering a bench-shaped snapshot. */
async function renderCostMs(frames = 120) {
  const { EventEmitter } = await import('node:events');
  const React = (await import('react')).default;
  const { render } = await import('ink');
  const { Board } = await import(path.join(root, 'dist/ui/board/Board.js'));
  const { loadTheme } = await import(path.join(root, 'dist/ui/theme.js'));
  class FakeTty extends EventEmitter {
    isTTY = true;
    columns = 160;
    rows = 40;
    write() {
      return true;
    }
  }
  class FakeStdin extends EventEmitter {
    isTTY = false;
    setEncoding() {}
    setRawMode() {}
    resume() {}
    pause() {}
    ref() {}
    unref() {}
    read() {
      return null;
    }
  }
  let finish = 0;
  const history = [];
  const listeners = new Set();
  const build = () => ({
    runDir: work,
    updatedAt: Date.now(),
    done: false,
    stopping: false,
    tasks: [
      {
        key: 'bench-board/board-requests',
        abbr: 'bench-board',
        dataset: 'board-requests',
        status: 'inferencing',
        total: REQUESTS,
        counts: { post: finish + CONCURRENCY, recv: finish + CONCURRENCY, finish, fail: 0 },
        threads: [1, 2],
        elapsedMs: finish * 2,
        itPerSec: 1500 + (finish % 97),
        inflight: CONCURRENCY,
        inflightHistory: history.slice(-60),
        ttftP50: 400 + (finish % 13),
        ttftP99: 900 + (finish % 31),
        outTokPerSec: 40_000 + (finish % 1000),
        logPath: 'logs/performance/bench-board/board-requests.out',
      },
    ],
  });
  let snap = build();
  const source = { subscribe: (cb) => (listeners.add(cb), () => listeners.delete(cb)), getSnapshot: () => snap };
  const app = render(
    React.createElement(Board, {
      source,
      theme: loadTheme('default', {}),
      width: 160,
      height: 40,
      onStop() {},
      onForceExit() {},
    }),
    { stdout: new FakeTty(), stdin: new FakeStdin(), exitOnCtrlC: false, patchConsole: false },
  );
  await sleep(100);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < frames; i++) {
    finish += 137;
    history.push(CONCURRENCY - (i % 7));
    snap = build();
    for (const cb of listeners) cb();
    await sleep(40);
  }
  const cpu = process.cpuUsage(cpu0);
  app.unmount();
  return (cpu.user + cpu.system) / 1000 / frames;
}

const pct = (a, b) => ((a - b) / b) * 100;
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'NaN');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const show = (label, m, cpuS) =>
  console.log(
    `  ${label} ${f(m.tokPerS, 0)} tok/s, TTFT mean ${f(m.ttftMs, 3)} ms, ${m.success} ok, duration ${f(m.durationMs / 1000)} s, CPU ${f(cpuS)} s`,
  );

try {
  console.log(
    `bench/board: ${REQUESTS} requests x ${TOKENS} output tokens (mean), concurrency ${CONCURRENCY}, zero-latency simulator, ${REPEAT} pair(s) (work dir ${work})`,
  );
  const plain = [];
  const board = [];
  for (let i = 0; i < REPEAT; i++) {
    const runPlain = () => {
      const p = plainRun(i);
      plain.push({ ...metrics(p.out), cpuS: p.cpuS });
      show('--no-tui:', plain.at(-1), p.cpuS);
    };
    const runBoard = async () => {
      const b = await boardRun(i);
      board.push({ ...metrics(b.out), cpuS: b.cpuS });
      show('board:   ', board.at(-1), b.cpuS);
      if (b.prof) {
        board.at(-1).renderPct = (b.prof.tickMs / b.prof.boardMs) * 100;
        console.log(
          `  (board on screen ${f(b.prof.boardMs / 1000)} s: ${b.prof.ticks} snapshot re-renders took ${f(b.prof.tickMs, 0)} ms of the main thread = ${f(board.at(-1).renderPct)} %)`,
        );
      }
    };
    // Alternate which goes first, so a trend in the machine's load does not favour one.
    if (i % 2 === 0) {
      runPlain();
      await runBoard();
    } else {
      await runBoard();
      runPlain();
    }
  }
  const deltas = (k) => median(board.map((b, i) => pct(b[k], plain[i][k])));
  const cpuPerS = (runs) => median(runs.map((r) => r.cpuS / (r.durationMs / 1000)));
  const frameMs = await renderCostMs();
  const hz = 4;
  console.log(
    `  whole-process CPU per benchmark second (includes Ink start-up and the results view): board ${f(cpuPerS(board) * 100, 0)} %, plain ${f(cpuPerS(plain) * 100, 0)} %`,
  );
  console.log(
    `  isolated board render: ${f(frameMs, 3)} ms CPU per frame at 160x40, x ${hz} Hz = ${f((frameMs * hz) / 10)} % of a core`,
  );
  const inSitu = median(board.map((b) => b.renderPct ?? NaN));
  console.log(
    `board: throughput_delta_pct=${f(deltas('tokPerS'))} ttft_delta_pct=${f(deltas('ttftMs'))} render_cpu_pct=${f(inSitu)}`,
  );
} finally {
  if (!process.env.KEEP_BENCH) rmSync(work, { recursive: true, force: true });
}
