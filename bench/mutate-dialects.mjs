#!/usr/bin/env node
// "Each definition, broken on purpose, fails a test" (#13): applies one small
// source mutation at a time to a scratch copy of src/ (each metric definition
// of each dialect: which events are timed, ITL per gap / per token, the TPOT
// one-token rule, durations, the stable window, the Concurrency cap, success
// rules, percentile methods, rounding...), runs the metric test files on it
// and prints which tests kill each mutation; a survivor is a definition no
// test pins. Not part of `npm test` (one vitest run per mutation: minutes).
//   node bench/mutate-dialects.mjs [--only NAME-substring]
// Ends with: mutate-dialects: killed=K survived=S not_applied=N
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const TESTS = [
  'test/dialects.test.ts',
  'test/dialects-definitions.test.ts',
  'test/metrics.test.ts',
  'test/results-dialects.test.tsx',
  'test/sse.test.ts',
  'test/token-audit.test.ts',
  'test/stable.test.ts',
];

const D = 'src/metrics/dialects.ts';
const C = 'src/metrics/common.ts';
const S = 'src/metrics/stable.ts';
const ST = 'src/metrics/stats.ts';
const P = 'src/metrics/perf-table.ts';
const A = 'src/metrics/accumulator.ts';
const TA = 'src/metrics/token-audit.ts';
const SSE = 'src/engine/sse.ts';
/** [name, file, [[find, replace], ...]]: each find must occur exactly once in the file. */
const MUTATIONS = [
  [
    'aisbench: ITL per token (gap/k) instead of per event gap',
    D,
    [
      [
        "if (kinds !== null || (d === 'per-token' && r.chunkTokens !== null))",
        "if (kinds !== null || ((d === 'per-token' || d === 'aisbench') && r.chunkTokens !== null))",
      ],
      [
        "if (d === 'per-token' && r.chunkTokens) k =",
        "if ((d === 'per-token' || d === 'aisbench') && r.chunkTokens) k =",
      ],
    ],
  ],
  [
    'per-token: ITL per event gap instead of gap/k',
    D,
    [["if (d === 'per-token' && r.chunkTokens) k =", 'if (false) k =']],
  ],
  [
    'aisbench: times every event (role/empty/usage too)',
    D,
    [['const { idx, off } = pickEvents(r, isTokenKind);', 'const { idx, off } = pickEvents(r, () => true);']],
  ],
  [
    'aisbench-exact: TTFT at the first token event, not the first event',
    D,
    [['      ttft = r.first;\n', '      ttft = r.ttft;\n']],
  ],
  [
    'aisbench-exact: E2EL at the last token event, not the last event',
    D,
    [
      [
        '      ttft = r.first;\n      e2el = r.first + off[off.length - 1]! / 1000;',
        '      ttft = r.first;\n      e2el = r.e2el;',
      ],
    ],
  ],
  [
    'vllm/evalscope: usage-only events count as choices events',
    D,
    [['(kind & 7) !== EV_USAGE && (kind & 7) !== EV_OTHER', '(kind & 7) !== EV_OTHER']],
  ],
  ['vllm: usage on a choices chunk is read (not ignored)', D, [['    read = false;\n', '']]],
  [
    'vllm: no tokenizer fallback (local count unused)',
    D,
    [['  if (r.localOut !== undefined) return r.localOut;\n', '']],
  ],
  [
    'differences: no "give --tokenizer" cause',
    'src/metrics/differences.ts',
    [['if (r.localOut === undefined && (!r.usage || r.outTok === 0)) this.untok++;', '']],
  ],
  [
    'vllm: E2EL at the last event of any kind',
    D,
    [
      [
        "        if (d === 'vllm') {\n          e2el = r.first + off[idx[idx.length - 1]!]! / 1000;",
        "        if (d === 'vllm') {\n          e2el = r.first + off[off.length - 1]! / 1000;",
      ],
    ],
  ],
  [
    'evalscope: ITL gap to the previous choices event, not to the previous event',
    D,
    [['g.push(off[idx[j]!]! - off[idx[j]! - 1]!)', 'g.push(off[idx[j]!]! - off[idx[j - 1]!]!)']],
  ],
  [
    'evalscope: request ends at the last choices event',
    D,
    [
      [
        '          e2el = r.first + off[off.length - 1]! / 1000;\n          const g',
        '          e2el = r.first + off[idx[idx.length - 1]!]! / 1000;\n          const g',
      ],
    ],
  ],
  [
    'lenient success (E_EMPTY, E_SERVER_ERROR) off',
    D,
    [["new Set(['E_EMPTY', 'E_SERVER_ERROR'])", 'new Set<string>([])']],
  ],
  ['evalscope: a failure without choices events is not lenient', D, [["(some || d === 'evalscope')", '(some)']]],
  [
    'TPOT: (E2EL − TTFT) / out instead of / (out − 1)',
    D,
    [['if (out > 1) return (e2el - ttft) / (out - 1);', 'if (out > 1) return (e2el - ttft) / out;']],
  ],
  [
    'TPOT: aisbench leaves one-token answers out',
    D,
    [
      [
        "return d === 'aisbench' || d === 'aisbench-exact' || d === 'evalscope' ? 0 : NaN;",
        "return d === 'aisbench-exact' || d === 'evalscope' ? 0 : NaN;",
      ],
    ],
  ],
  [
    'TPOT: evalscope leaves one-token answers out',
    D,
    [
      [
        "return d === 'aisbench' || d === 'aisbench-exact' || d === 'evalscope' ? 0 : NaN;",
        "return d === 'aisbench' || d === 'aisbench-exact' ? 0 : NaN;",
      ],
    ],
  ],
  [
    'TPOT: vllm/per-token count one-token answers as 0',
    D,
    [["|| d === 'evalscope' ? 0 : NaN;", "|| d === 'evalscope' ? 0 : 0;"]],
  ],
  [
    'aiperf: ITL per request / OSL instead of / (OSL − 1)',
    D,
    [['? (e2el - ttft) / (outTok - 1) : NaN', '? (e2el - ttft) / outTok : NaN']],
  ],
  ['aisbench: N counts requests with any gap, not a non-zero ITL', D, [['? anyNonZero(gaps)', '? gaps.length > 0']]], // only aisbench's branch calls anyNonZero; holds across line breaks
  ['evalscope: linear percentiles', D, [["return d === 'evalscope' ? 'floor' : 'linear';", "return 'linear';"]]],
  [
    'aisbench-exact: no 0.1 ms rounding',
    D,
    [
      [
        "if (d === 'aisbench-exact') return unit === 'ms' ? Math.round(v * 10) / 10 : Math.round(v * 1e4) / 1e4;",
        "if (d === 'aisbench-exact') return v;",
      ],
    ],
  ],
  [
    'evalscope: percentiles not rounded to 2 decimals / 10 ms',
    D,
    [["return metric === 'E2EL' ? Math.round(v / 10) * 10 : Math.round(v * 100) / 100;", 'return v;']],
  ],
  [
    'evalscope: averages not rounded',
    D,
    [
      [
        "if (stat === 'Average') return unit === 'ms' ? Math.round(v * 10) / 10 : Math.round(v * 1e4) / 1e4;",
        "if (stat === 'Average') return v;",
      ],
    ],
  ],
  ['per-token uses the AISBench stable window', D, [["return d !== 'per-token';", 'return true;']]],
  [
    'duration: aisbench over every request',
    C,
    [
      [
        "if (d === 'aisbench' || d === 'aisbench-exact' || d === 'aiperf') return maxLastOk - minT0Ok;",
        "if (d === 'aiperf') return maxLastOk - minT0Ok;\n  if (d === 'aisbench' || d === 'aisbench-exact') return maxEndAll - minT0All;",
      ],
    ],
  ],
  [
    'duration: evalscope from the first successful start',
    C,
    [["if (d === 'evalscope') return maxLastOk - minT0All;", "if (d === 'evalscope') return maxLastOk - minT0Ok;"]],
  ],
  [
    'duration: aiperf over every request',
    C,
    [
      [
        "if (d === 'aisbench' || d === 'aisbench-exact' || d === 'aiperf') return",
        "if (d === 'aiperf') return Math.max(maxLastOk, maxEndAll) - minT0All;\n  if (d === 'aisbench' || d === 'aisbench-exact') return",
      ],
    ],
  ],
  [
    'aiperf: OSL from usage, not its tokenizer',
    D,
    [['    if (r.localOut !== undefined) outTok = r.localOut;\n    if (r.localIn', '    if (r.localIn']],
  ],
  ['aiperf: ISL from usage, not its tokenizer', D, [['    if (r.localIn !== undefined) inTok = r.localIn;\n', '']]],
  [
    'duration: vllm over successes only',
    C,
    [['  return maxEndAll - minT0All;\n}', '  return maxLastOk - minT0Ok;\n}']],
  ],
  [
    'stable Concurrency not capped at Max Concurrency',
    C,
    [["if (o.stage === 'stable' && d !== 'per-token') conc = Math.min(conc, o.maxConcurrency);", '']],
  ],
  [
    'evalscope: Concurrency = Σ E2EL / duration, not its configured concurrency',
    C,
    [["if (d === 'evalscope') conc = o.maxConcurrency;", '']],
  ],
  [
    'aisbench: Common Prefill Token Throughput row kept',
    C,
    [['if (!aisbench) rows.push(row(', 'if (true) rows.push(row(']],
  ],
  [
    'aisbench-exact: Common values not rounded to 4 decimals',
    C,
    [["(d === 'aisbench-exact' && Number.isFinite(x) ?", '(false && Number.isFinite(x) ?']],
  ],
  [
    '#464 window: t2 at the first start reaching max, not the second',
    S,
    [['if (!isEnd && ++maxStarts === 2) t2 = t;', 'if (!isEnd && ++maxStarts === 1) t2 = t;']],
  ],
  [
    '#464 window: t4 at the last START reaching max, not the last event',
    S,
    [
      [
        '      t4 = t;\n    }\n  }\n  if (Number.isNaN(t2)',
        '      if (!isEnd) t4 = t;\n    }\n  }\n  if (Number.isNaN(t2)',
      ],
    ],
  ],
  [
    '#464 window: in-flight ≥ max instead of exactly max',
    S,
    [['    if (c === maxConcurrency) {', '    if (c >= maxConcurrency) {']],
  ],
  [
    '#464 window: starts first at equal times',
    S,
    [['const isEnd = j < n && (i >= n || e[j]! <= s[i]!);', 'const isEnd = j < n && (i >= n || e[j]! < s[i]!);']],
  ],
  [
    'per-token window: includes the ramp-up request',
    S,
    [['while (k < n && starts[k]! <= reach) k++;', 'while (k < n && starts[k]! < reach) k++;']],
  ],
  [
    'window membership excludes its end',
    S,
    [['return t0 >= w.startMs && t0 <= w.endMs;', 'return t0 >= w.startMs && t0 < w.endMs;']],
  ],
  [
    'floor percentile: index n·p/100 − 1',
    ST,
    [
      [
        'return sorted[Math.min(n - 1, Math.floor((n * pct) / 100))]!;',
        'return sorted[Math.max(0, Math.min(n - 1, Math.floor((n * pct) / 100) - 1))]!;',
      ],
    ],
  ],
  [
    'floor ITL percentile (histogram): linear',
    'src/metrics/itl-histogram.ts',
    [["const h = method === 'floor' && p > 0 ?", 'const h = false ?']],
  ],
  [
    'aisbench N column: TPOT/ITL N = successes',
    P,
    [["(m.name === 'TPOT' || m.name === 'ITL' ? s.itlN : s.okN)", 's.okN']],
  ],
  [
    'stable stage: failed requests counted in the window',
    A,
    [["(d === 'per-token' || cols.ok[i] === 1) ? 1 : 0", '1']],
  ],
  [
    'token audit: worst keeps the first, not the largest magnitude',
    TA,
    [['  if (Math.abs(d) > Math.abs(a.worstDiff)) a.worstDiff = d;\n', '  if (a.n === 1) a.worstDiff = d;\n']],
  ],
  [
    'token audit: % of the server count, not of the local count',
    TA,
    [['const pct = (d * 100) / local;', 'const pct = (d * 100) / server;']],
  ],
  [
    'SSE: role-only chunk is a token event',
    SSE,
    [
      ["else if (d && typeof d === 'object' && 'role' in d) kind = EV_ROLE;", ''],
      ['let kind = EV_EMPTY;', 'let kind = EV_TEXT;'],
    ],
  ],
  [
    'SSE: reasoning deltas are answer text',
    SSE,
    [
      ['this.add(t, this.shapeKind,', 'this.add(t, EV_TEXT,'],
      [
        'else if ((text = str(d?.reasoning_content) ?? str(d?.reasoning)) !== null) kind = EV_REASONING;',
        'else if ((text = str(d?.reasoning_content) ?? str(d?.reasoning)) !== null) kind = EV_TEXT;',
      ],
    ],
  ],
  ['SSE: tool-call deltas are not tokens', SSE, [['kind = EV_TOOL;\n', 'kind = EV_EMPTY;\n']]],
  ['SSE: usage on a choices chunk not flagged', SSE, [['if (hasUsage && c !== undefined) kind |= USAGE_FLAG;', '']]],
];

const scratch = mkdtempSync(path.join(tmpdir(), 'mutate-dialects-'));
for (const p of ['src', 'test', 'fixtures', 'themes', 'package.json', 'tsconfig.json', 'tsconfig.test.json']) {
  try {
    cpSync(path.join(root, p), path.join(scratch, p), { recursive: true });
  } catch {
    // Optional folders.
  }
}
symlinkSync(path.join(root, 'node_modules'), path.join(scratch, 'node_modules'));
const tests = TESTS.filter((t) => {
  try {
    readFileSync(path.join(root, t));
    return true;
  } catch {
    return false;
  }
});

/** Failing test names of one vitest run over the metric test files. */
function failing() {
  const out = path.join(scratch, 'vitest.json');
  rmSync(out, { force: true });
  spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'test/vitest.config.ts',
      '--project',
      'unit',
      '--maxWorkers',
      '2',
      '--reporter',
      'json',
      '--outputFile',
      out,
      ...tests,
    ],
    { cwd: scratch, stdio: 'ignore', timeout: 300_000 },
  );
  let r;
  try {
    r = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    return ['(no report: the run crashed or did not compile)'];
  }
  const names = [];
  for (const f of r.testResults) {
    if (f.status === 'failed' && f.assertionResults.length === 0) names.push(`${path.basename(f.name)} (did not load)`);
    for (const a of f.assertionResults) if (a.status === 'failed') names.push(`${path.basename(f.name)} > ${a.title}`);
  }
  return names;
}

const base = failing();
if (base.length) {
  console.error(`the unmutated tests fail, nothing to measure: ${base.join('; ')}`);
  process.exit(1);
}
let killed = 0;
let survived = 0;
let notApplied = 0;
for (const [name, file, edits] of MUTATIONS) {
  if (only && !name.includes(only)) continue;
  const abs = path.join(scratch, file);
  const orig = readFileSync(abs, 'utf8');
  let text = orig;
  let bad = '';
  for (const [find, repl] of edits) {
    const at = text.indexOf(find);
    if (at === -1 || text.indexOf(find, at + 1) !== -1) bad = at === -1 ? 'text not found' : 'text not unique';
    else text = text.slice(0, at) + repl + text.slice(at + find.length);
  }
  if (bad) {
    notApplied++;
    console.log(`| ${name} | ${file} | NOT APPLIED (${bad}) |`);
    continue;
  }
  writeFileSync(abs, text);
  const f = failing();
  writeFileSync(abs, orig);
  if (f.length) killed++;
  else survived++;
  console.log(
    `| ${name} | ${file} | ${f.length ? `killed by ${f.length}: ${f.slice(0, 2).join('; ')}${f.length > 2 ? '; ...' : ''}` : 'SURVIVED'} |`,
  );
}
rmSync(scratch, { recursive: true, force: true });
console.log(`mutate-dialects: killed=${killed} survived=${survived} not_applied=${notApplied}`);
