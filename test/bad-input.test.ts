/**
 * Bad input, end to end: each case runs the BUILT CLI (`npx tsc -p .` first)
 * with stdin closed in a temp dir, and expects the exit code (2 usage/config,
 * 1 runtime), exactly one line on stderr naming the problem, and no stack
 * trace. The cases run concurrently (vitest's maxConcurrency, 5 by default):
 * one after another they were the slowest file of the suite.
 *
 * Cases marked [integration] go through modules other than the parser and
 * config resolution (datasets, metrics stats, simulator, engine, run
 * folder wiring in main.ts); they pass once main.ts dispatches to them.
 * Everything else needs only main.ts → parseCli/resolveTasks/reportError.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Override to try another entry point (e.g. a scratch main) against the same table. */
const BIN = process.env.AISBENCH_TUI_BIN ?? path.join(ROOT, 'bin', 'aisbench-tui.mjs');

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-bad-'));
let heldServer: net.Server;
let heldPort = 0;
let closedPort = 0;

function listen(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer((sock) => sock.destroy());
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

function file(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** A --config-dir holding one model task file `bad.<ext>`. */
function badModelDir(name: string, text: string, ext = 'yaml'): string {
  file(path.join(name, 'models', `bad.${ext}`), text);
  return path.join(tmp, name);
}

beforeAll(async () => {
  if (!existsSync(path.join(path.dirname(BIN), '..', 'dist', 'cli', 'main.js'))) {
    throw new Error(`${BIN} needs a build: run \`npx tsc -p .\` first`);
  }
  heldServer = await listen();
  heldPort = (heldServer.address() as net.AddressInfo).port;
  // A port that was free a moment ago and now refuses connections.
  const s = await listen();
  closedPort = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));

  file('data/good.jsonl', '{"prompt":"a"}\n{"prompt":"b"}\n');
  file('data/malformed.jsonl', '{"prompt":"a"}\n{"prompt":"b"}\n{"prompt": "c"\n{"prompt":"d"}\n');
  file('data/empty.jsonl', '');
  file('plain-file', 'not a directory');
  badModelDir('cfg-batch0', 'batch_size: 0\n');
  badModelDir('cfg-type', 'batch_size: "eight"\n');
  badModelDir('cfg-unknown', 'batch_size: 4\nbach_size: 8\n');
  badModelDir('cfg-url', 'url: 127.0.0.1:8000\n');
  badModelDir('cfg-port', 'host_port: 70000\n');
  badModelDir('cfg-yaml', 'batch_size: [1\nretry: 2\n');
  badModelDir('cfg-json', '{"batch_size": 4,}', 'json');
  badModelDir('cfg-ramp', 'traffic_cfg: {ramp_up_strategy: linear, ramp_up_start_rps: 5}\n');
  file(
    'cfg-zipf/datasets/bad.yaml',
    'type: synthetic\nsynthetic:\n  Type: string\n  RequestCount: 5\n  StringConfig:\n' +
      '    Input: {Method: zipf, Params: {Alpha: 0.5, MinValue: 1, MaxValue: 9}}\n' +
      '    Output: {Method: uniform, Params: {MinValue: 1, MaxValue: 9}}\n',
  );
  file(
    'cfg-count/datasets/bad.yaml',
    'type: synthetic\nsynthetic:\n  Type: string\n  RequestCount: 0\n  StringConfig:\n' +
      '    Input: {Method: uniform, Params: {MinValue: 1, MaxValue: 9}}\n' +
      '    Output: {Method: uniform, Params: {MinValue: 1, MaxValue: 9}}\n',
  );
});

afterAll(async () => {
  await new Promise<void>((r) => heldServer.close(() => r()));
  rmSync(tmp, { recursive: true, force: true });
});

interface Case {
  name: string;
  /** Built lazily: ports and files exist only after beforeAll. */
  args: () => string[];
  exit: 1 | 2;
  /** What the one stderr line must contain (lazy when it names a port). */
  says: RegExp | (() => RegExp);
}

const M = ['--models', 'vllm_api_stream_chat'];
const D = ['--datasets', 'synthetic_gen'];
const SIM = ['--models', 'sim_stream_chat', '--no-tui', '--num-warmups', '0'];
const md = (extra: string[]) => () => [...M, ...D, ...extra];
const cfg = (dir: string) => () => ['--config-dir', path.join(tmp, dir), '--models', 'bad', ...D];

const cases: Case[] = [
  // Names
  {
    name: 'unknown model',
    args: () => ['--models', 'nosuch', ...D],
    exit: 2,
    says: /unknown model task 'nosuch' \(known: .*vllm_api_stream_chat/,
  },
  {
    name: 'unknown dataset',
    args: () => [...M, '--datasets', 'nosuch'],
    exit: 2,
    says: /unknown dataset task 'nosuch' \(known: .*synthetic_gen/,
  },
  { name: 'unknown option', args: () => ['--foo'], exit: 2, says: /unknown option '--foo'/ },
  {
    name: 'misspelt option',
    args: () => ['--modles', 'x'],
    exit: 2,
    says: /unknown option '--modles' \(Did you mean --models\?\)/,
  },
  {
    name: 'missing option value',
    args: () => ['--models'],
    exit: 2,
    says: /option '--models <names\.\.\.>' argument missing/,
  },
  { name: 'stray argument', args: () => ['perf', '--demo'], exit: 2, says: /unexpected argument 'perf'/ },
  { name: '--models without --datasets', args: () => [...M], exit: 2, says: /--datasets is required/ },
  {
    name: 'eval without a run',
    args: () => ['--mode', 'eval', ...M, ...D],
    exit: 2,
    says: /--mode eval works on an earlier run: add --reuse/,
  },
  {
    name: 'unknown mode',
    args: () => ['-m', 'fast'],
    exit: 2,
    says: /--mode must be perf, perf_viz, all, infer, eval or viz \(got "fast"\)/,
  },
  // Numbers
  {
    name: 'non-numeric concurrency',
    args: md(['--max-concurrency', 'abc']),
    exit: 2,
    says: /--max-concurrency must be a positive integer \(got "abc"\)/,
  },
  {
    name: 'negative concurrency',
    args: md(['--max-concurrency', '-3']),
    exit: 2,
    says: /--max-concurrency must be a positive integer \(got "-3"\)/,
  },
  {
    name: 'fractional concurrency',
    args: md(['--max-concurrency', '2.5']),
    exit: 2,
    says: /--max-concurrency must be a positive integer \(got "2\.5"\)/,
  },
  {
    name: 'zero requests',
    args: md(['--num-prompts', '0']),
    exit: 2,
    says: /--num-prompts must be a positive integer \(got "0"\)/,
  },
  {
    name: 'negative request rate',
    args: md(['--request-rate', '-1']),
    exit: 2,
    says: /--request-rate must be a number ≥ 0 \(got "-1"\)/,
  },
  {
    name: 'non-numeric retry',
    args: md(['--retry', 'twice']),
    exit: 2,
    says: /--retry must be an integer ≥ 0 \(got "twice"\)/,
  },
  {
    name: 'zero max-out-len',
    args: md(['--max-out-len', '0']),
    exit: 2,
    says: /--max-out-len must be a positive integer \(got "0"\)/,
  },
  {
    name: 'negative warmups',
    args: md(['--num-warmups', '-1']),
    exit: 2,
    says: /--num-warmups must be an integer ≥ 0 \(got "-1"\)/,
  },
  {
    name: 'non-numeric timeout',
    args: md(['--timeout', '10s']),
    exit: 2,
    says: /--timeout must be a number of seconds in \[0, 2147483\] .*\(got "10s"\)/,
  },
  {
    name: 'zero demo tasks',
    args: () => ['--demo-tasks', '0'],
    exit: 2,
    says: /--demo-tasks must be a positive integer \(got "0"\)/,
  },
  // Syntax of structured options
  {
    name: 'url without scheme',
    args: md(['--url', 'localhost:8000']),
    exit: 2,
    says: /--url must start with http:\/\/ or https:\/\/ .*\(got "localhost:8000"\)/,
  },
  {
    name: 'url with a bad port',
    args: md(['--url', 'http://127.0.0.1:99999']),
    exit: 2,
    says: /--url must have a port in 1\.\.65535 \(got "http:\/\/127\.0\.0\.1:99999"\)$/,
  },
  {
    name: 'url with another scheme',
    args: md(['--url', 'ftp://127.0.0.1:21']),
    exit: 2,
    says: /--url must use http or https, not ftp/,
  },
  {
    name: 'ramp-up syntax',
    args: md(['--ramp-up', 'linear:10']),
    exit: 2,
    says: /--ramp-up must be 'linear:START:END'.*\(got "linear:10"\)/,
  },
  {
    name: 'slo syntax',
    args: md(['--slo', 'ttft=500']),
    exit: 2,
    says: /--slo must be a list like 'ttft:500,tpot:50,e2el:3000'.*\(got "ttft=500"\)/,
  },
  {
    name: 'export format',
    args: md(['--export', 'pdf']),
    exit: 2,
    says: /--export must be a list of txt, ansi, svg, html \(got "pdf"\)/,
  },
  { name: 'config subcommand', args: () => ['config', 'frob'], exit: 2, says: /unknown config action 'frob'/ },
  // Config files
  {
    name: 'batch_size 0 in a config',
    args: cfg('cfg-batch0'),
    exit: 2,
    says: /config .*cfg-batch0\/models\/bad\.yaml: field 'batch_size': expected a positive integer \(or set it with --max-concurrency on the command line\)$/,
  },
  {
    name: 'wrong type in a config',
    args: cfg('cfg-type'),
    exit: 2,
    says: /cfg-type\/models\/bad\.yaml: field 'batch_size': expected a positive integer \(or set it with --max-concurrency on the command line\)$/,
  },
  {
    name: 'unknown field in a config',
    args: cfg('cfg-unknown'),
    exit: 2,
    says: /cfg-unknown\/models\/bad\.yaml: unknown field 'bach_size'$/,
  },
  {
    name: 'url without scheme in a config',
    args: cfg('cfg-url'),
    exit: 2,
    says: /cfg-url\/models\/bad\.yaml: field 'url': must start with http:\/\/ or https:\/\//,
  },
  {
    name: 'bad port in a config',
    args: cfg('cfg-port'),
    exit: 2,
    says: /cfg-port\/models\/bad\.yaml: field 'host_port': expected a port 1\.\.65535/,
  },
  {
    name: 'ramp-up without end rate in a config',
    args: cfg('cfg-ramp'),
    exit: 2,
    says: /field 'traffic_cfg\.ramp_up_end_rps': required when ramp_up_strategy is set/,
  },
  { name: 'YAML syntax error', args: cfg('cfg-yaml'), exit: 2, says: /cfg-yaml\/models\/bad\.yaml: line \d+: / },
  { name: 'JSON syntax error', args: cfg('cfg-json'), exit: 2, says: /cfg-json\/models\/bad\.json: .*JSON/ },
  {
    name: 'zipf Alpha ≤ 1',
    args: () => ['--config-dir', path.join(tmp, 'cfg-zipf'), ...M, '--datasets', 'bad'],
    exit: 2,
    says: /field 'synthetic\.StringConfig\.Input\.Params\.Alpha': expected a number > 1/,
  },
  {
    name: 'RequestCount 0',
    args: () => ['--config-dir', path.join(tmp, 'cfg-count'), ...M, '--datasets', 'bad'],
    exit: 2,
    says: /field 'synthetic\.RequestCount': expected a positive integer \(or set it with --num-prompts on the command line\)/,
  },
  {
    name: 'missing config dir',
    args: () => ['--config-dir', path.join(tmp, 'nope'), ...M, ...D],
    exit: 2,
    says: /--config-dir .*nope: no such directory/,
  },
  // Datasets
  {
    name: 'missing --dataset-path',
    args: () => [...M, '--datasets', 'custom'],
    exit: 2,
    says: /dataset 'custom' needs --dataset-path/,
  },
  {
    name: 'dataset file not found',
    args: () => [...M, '--datasets', 'custom', '--dataset-path', path.join(tmp, 'data', 'nope.jsonl')],
    exit: 2,
    says: /no such file .*nope\.jsonl/,
  },
  // [integration] src/datasets reads the file.
  {
    name: 'malformed JSONL line',
    args: () => [...SIM, '--datasets', 'custom', '--dataset-path', path.join(tmp, 'data', 'malformed.jsonl')],
    exit: 2,
    says: /malformed\.jsonl.*line 3/,
  },
  // [integration] src/datasets reads the file.
  {
    name: 'empty dataset',
    args: () => [...SIM, '--datasets', 'custom', '--dataset-path', path.join(tmp, 'data', 'empty.jsonl')],
    exit: 2,
    says: /empty/,
  },
  // Run folder
  // [integration] main.ts → runPerf → createRunFolder.
  {
    name: 'non-writable work dir',
    args: () => ['--demo', '--no-tui', '-w', path.join(tmp, 'plain-file', 'out')],
    exit: 1,
    says: /cannot write to work dir .*plain-file\/out/,
  },
  // [integration] main.ts → runViz → findRun.
  {
    name: '--reuse of a missing timestamp',
    args: () => ['--mode', 'perf_viz', '--reuse', '20250101_000000'],
    exit: 2,
    says: /no run 20250101_000000 in outputs\/default/,
  },
  {
    name: '--reuse outside perf_viz',
    args: () => [...M, ...D, '--reuse'],
    exit: 2,
    says: /--reuse needs --mode perf_viz/,
  },
  // Stats: [integration] validated by src/metrics parseStats before any request is sent.
  { name: 'unknown stat', args: () => ['--demo', '--no-tui', '--stats', 'Average,P100'], exit: 2, says: /P100/ },
  {
    name: 'nine stats',
    args: () => ['--demo', '--no-tui', '--stats', 'Average,Min,Max,Median,P50,P75,P90,P95,P99'],
    exit: 2,
    says: /at most 8/,
  },
  // Runtime failures (exit 1).
  // [integration] src/sim binds the port.
  {
    name: 'simulator port in use',
    args: () => ['sim', '--port', String(heldPort)],
    exit: 1,
    says: () => new RegExp(`port ${heldPort}.*in use`),
  },
  // [integration] the engine fails to connect; every request fails → exit 1 naming the URL.
  {
    name: 'unreachable host',
    args: () => [
      ...M,
      ...D,
      '--url',
      `http://127.0.0.1:${closedPort}`,
      '--no-tui',
      '--num-prompts',
      '3',
      '--retry',
      '0',
      '--num-warmups',
      '0',
    ],
    exit: 1,
    says: () => new RegExp(`http://127\\.0\\.0\\.1:${closedPort}`),
  },
];

describe('bad input: one line, the right exit code, no stack trace', () => {
  test('the table has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test.concurrent.for(cases)('$name', { timeout: 40_000 }, async (c, { expect }) => {
    const cwd = mkdtempSync(path.join(tmp, 'cwd-'));
    const r = await runCli(c.args(), cwd);
    const err = r.stderr;
    expect(err, 'stack trace on stderr').not.toMatch(/ {4}at /);
    const lines = err.split('\n').filter((l) => l.trim() !== '');
    expect(lines, `stderr: ${err}\nstdout: ${r.stdout.slice(-500)}`).toHaveLength(1);
    expect(lines[0]).toMatch(/^aisbench-tui: /);
    expect(lines[0]).toMatch(typeof c.says === 'function' ? c.says() : c.says);
    expect(r.status, `stderr: ${err}`).toBe(c.exit);
  });
});

/** The built CLI with stdin closed; killed after 30 s (status null then, which fails the exit-code check). */
function runCli(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
