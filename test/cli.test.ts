import { describe, expect, test } from 'vitest';
import { DEFAULT_STATS, parseCli, type PerfOptions } from '../src/cli/args.js';
import { UsageError } from '../src/core/errors.js';

function perf(argv: string[]): PerfOptions {
  const c = parseCli(argv);
  if (c.kind !== 'perf') throw new Error(`expected perf, got ${c.kind}`);
  return c.opts;
}

function usageError(argv: string[]): string {
  try {
    parseCli(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('parseCli', () => {
  test('defaults', () => {
    const o = perf(['--models', 'a', '--datasets', 'b']);
    expect(o).toEqual({
      models: ['a'],
      datasets: ['b'],
      workDir: 'outputs/default',
      maxNumWorkers: 1,
      numWarmups: 1,
      debug: false,
      noTui: false,
      search: false,
      pressure: false,
      dryRun: false,
      demo: false,
      stats: [...DEFAULT_STATS],
    });
  });

  test('every option', () => {
    const c = parseCli([
      '--models',
      'm1',
      'm2,m3',
      '--datasets',
      'd1',
      '-m',
      'perf',
      '-w',
      'out',
      '--num-prompts',
      '5',
      '--max-num-workers',
      '2',
      '--num-warmups',
      '0',
      '--debug',
      '--no-tui',
      '--summarizer',
      'default_perf',
      '--pressure-time',
      '30',
      '--config-dir',
      'cfg',
      '--dry-run',
      '--stats',
      'Average,P95',
      '--theme',
      'mono',
      '--export',
      'svg,html',
      '--dataset-path',
      'x.jsonl',
      '--tokenizer',
      'tok',
      '--seed',
      '7',
      '--slo',
      'ttft:500,tpot:50,e2el:3000',
      '--timeout',
      '60',
      '--first-byte-timeout',
      '5',
      '--workers',
      '3',
      '--url',
      'http://127.0.0.1:8000/',
      '--api-key',
      'sk-1',
      '--max-concurrency',
      '64',
      '--request-rate',
      '2.5',
      '--burstiness',
      '1',
      '--ramp-up',
      'exponential:1:20',
      '--max-out-len',
      '128',
      '--retry',
      '0',
    ]);
    expect(c.kind).toBe('perf');
    if (c.kind !== 'perf') return;
    expect(c.mode).toBe('perf');
    expect(c.opts).toMatchObject({
      models: ['m1', 'm2', 'm3'],
      datasets: ['d1'],
      workDir: 'out',
      numPrompts: 5,
      maxNumWorkers: 2,
      numWarmups: 0,
      debug: true,
      noTui: true,
      summarizer: 'default_perf',
      pressure: true,
      pressureTime: 30,
      configDir: 'cfg',
      dryRun: true,
      stats: ['Average', 'P95'],
      theme: 'mono',
      export: ['svg', 'html'],
      datasetPath: 'x.jsonl',
      tokenizer: 'tok',
      seed: 7,
      slo: { ttftMs: 500, tpotMs: 50, e2elMs: 3000 },
      timeout: 60,
      firstByteTimeout: 5,
      workers: 3,
      url: 'http://127.0.0.1:8000',
      apiKey: 'sk-1',
      maxConcurrency: 64,
      requestRate: 2.5,
      burstiness: 1,
      rampUp: { strategy: 'exponential', startRps: 1, endRps: 20 },
      maxOutLen: 128,
      retry: 0,
    });
  });

  test('--api-key falls back to AISBENCH_TUI_API_KEY', () => {
    const prev = process.env.AISBENCH_TUI_API_KEY;
    process.env.AISBENCH_TUI_API_KEY = 'sk-env';
    try {
      expect(perf(['--demo']).apiKey).toBe('sk-env');
      expect(perf(['--demo', '--api-key', 'sk-cli']).apiKey).toBe('sk-cli');
    } finally {
      if (prev === undefined) delete process.env.AISBENCH_TUI_API_KEY;
      else process.env.AISBENCH_TUI_API_KEY = prev;
    }
  });

  test('repeated and comma-separated names accumulate', () => {
    expect(perf(['--models', 'a', '--datasets', 'x', '--models', 'b,c']).models).toEqual(['a', 'b', 'c']);
  });

  test('no arguments and --demo run the demo', () => {
    for (const argv of [[], ['--demo'], ['--demo', '--no-tui']]) {
      const o = perf(argv);
      expect(o.demo).toBe(true);
      expect(o.models).toEqual(['sim_stream_chat']);
      expect(o.datasets).toEqual(['synthetic_gen_demo']);
    }
    const o = perf(['--demo-tasks', '12']);
    expect(o).toMatchObject({ demo: true, demoTasks: 12, models: ['sim_stream_chat'], maxNumWorkers: 4 });
    expect(perf(['--demo-tasks', '2']).maxNumWorkers).toBe(2);
    expect(perf(['--demo-tasks', '12', '--max-num-workers', '1']).maxNumWorkers).toBe(1);
    expect(usageError(['--demo', '--models', 'x'])).toMatch(/--demo/);
  });

  test('perf_viz and --reuse', () => {
    const c = parseCli(['--mode', 'perf_viz', '--reuse']);
    expect(c).toMatchObject({ kind: 'perf', mode: 'perf_viz', opts: { reuse: true } });
    const d = parseCli(['-m', 'perf_viz', '-r', '20250101_000000', '--models', 'a', '--datasets', 'b']);
    expect(d).toMatchObject({ mode: 'perf_viz', opts: { reuse: '20250101_000000' } });
    expect(usageError(['--models', 'a', '--datasets', 'b', '--reuse'])).toMatch(/perf_viz/);
  });

  test('sim and config subcommands', () => {
    expect(parseCli(['sim', '--port', '8000', '--ttft', '50'])).toEqual({
      kind: 'sim',
      argv: ['--port', '8000', '--ttft', '50'],
    });
    expect(parseCli(['config', 'set', 'refreshHz', '2'])).toEqual({
      kind: 'config',
      action: 'set',
      key: 'refreshHz',
      value: '2',
    });
    expect(parseCli(['config', 'get', 'theme'])).toMatchObject({ action: 'get', key: 'theme' });
    expect(parseCli(['config', 'list'])).toMatchObject({ action: 'list' });
    expect(parseCli(['config', 'path'])).toMatchObject({ action: 'path' });
    expect(usageError(['config', 'set', 'x'])).toMatch(/usage: aisbench-tui config/);
    expect(usageError(['config', 'frob'])).toMatch(/unknown config action 'frob'/);
  });

  test('help and version', () => {
    const h = parseCli(['--help']);
    expect(h.kind).toBe('help');
    if (h.kind === 'help') expect(h.text).toMatch(/--max-concurrency/);
    expect(parseCli(['--version'])).toEqual({ kind: 'version', text: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  test.each([
    [['--foo'], "unknown option '--foo'"],
    [['--max-concurrency', 'abc'], '--max-concurrency must be a positive integer (got "abc")'],
    [['--max-concurrency', '-3'], '--max-concurrency must be a positive integer (got "-3")'],
    [['--max-concurrency', '1.5'], '--max-concurrency must be a positive integer (got "1.5")'],
    [['--num-prompts', '0'], '--num-prompts must be a positive integer (got "0")'],
    [['--request-rate', '-1'], '--request-rate must be a number ≥ 0 (got "-1")'],
    [['--request-rate', '12abc'], '--request-rate must be a number ≥ 0 (got "12abc")'],
    [['--retry', '-1'], '--retry must be an integer ≥ 0 (got "-1")'],
    [
      ['--timeout', 'x'],
      '--timeout must be a number of seconds in [0, 2147483] (the longest a timer holds, about 24.8 days) (got "x")',
    ],
    [['--mode', 'eval'], '--mode eval works on an earlier run: add --reuse [TIMESTAMP]'],
    [['--mode', 'all', '--reuse'], '--reuse needs --mode perf_viz, infer, eval or viz (not all)'],
    [
      ['--mode', 'infer', '--retest-failed', '--models', 'a', '--datasets', 'b'],
      '--retest-failed needs --mode infer --reuse [TIMESTAMP]',
    ],
    [
      ['--num-return', '4', '--models', 'a', '--datasets', 'b'],
      '--num-return and --accuracy belong to the accuracy modes (--mode all|infer|eval|viz)',
    ],
    [['--mode', 'all', '--demo', '--accuracy', '1.5'], '--accuracy must be a probability in [0, 1] (got "1.5")'],
    [['--mode', 'fast'], '--mode must be perf, perf_viz, all, infer, eval or viz (got "fast")'],
    [['--url', 'localhost:8000'], '--url must start with http:// or https://'],
    [['--url', '127.0.0.1:8000'], '--url must start with http:// or https://'],
    [['--url', 'ftp://h:21'], '--url must use http or https, not ftp'],
    [['--url', 'http://127.0.0.1:99999'], '--url must have a port in 1..65535 (got "http://127.0.0.1:99999")'],
    [['--url', 'http://127.0.0.1:0'], '--url must have a port in 1..65535 (got "http://127.0.0.1:0")'],
    [['--ramp-up', 'linear:10'], '--ramp-up must be'],
    [['--ramp-up', 'sideways:1:2'], '--ramp-up must be'],
    [['--ramp-up', 'linear:0:2'], '--ramp-up must be'],
    [['--slo', 'ttft=5'], '--slo must be'],
    [['--slo', 'foo:1'], '--slo must be'],
    [['--export', 'pdf'], '--export must be a list of txt, ansi, svg, html (got "pdf")'],
    [['--demo-tasks', '0'], '--demo-tasks must be a positive integer (got "0")'],
    [['--demo-tasks', '100000'], '--demo-tasks must be at most'],
    [['--models'], "option '--models <names...>' argument missing"],
    [['--models', 'a'], '--datasets is required'],
    [['--datasets', 'a'], '--models is required'],
    [['extra', '--demo'], "unexpected argument 'extra'"],
  ])('%j → %s', (argv, msg) => {
    expect(usageError(argv)).toContain(msg);
  });

  test('an unknown option gets a one-line suggestion', () => {
    expect(usageError(['--modles', 'a'])).toBe("unknown option '--modles' (Did you mean --models?)");
  });
});
