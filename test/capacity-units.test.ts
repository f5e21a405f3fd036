import { describe, expect, test } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import { UsageError } from '../src/core/errors.js';
import { spread, t975 } from '../src/capacity/repeats.js';
import { expandTasks, parseSweep } from '../src/capacity/sweep.js';
import type { TaskConfig } from '../src/config/types.js';

const err = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('--sweep', () => {
  test('lists and start:stop:xfactor', () => {
    expect(parseSweep('concurrency=1,4,16,64')).toEqual({ kind: 'concurrency', points: [1, 4, 16, 64] });
    expect(parseSweep('rate=2, 4,8,16')).toEqual({ kind: 'rate', points: [2, 4, 8, 16] });
    // 1, ×4 = 4, 16, 64; next 256 > 64
    expect(parseSweep('concurrency=1:64:x4').points).toEqual([1, 4, 16, 64]);
    // 1, 2, 4, 8; 16 > 10
    expect(parseSweep('concurrency=1:10:2').points).toEqual([1, 2, 4, 8]);
    expect(parseSweep('rate=0.5:4:x2').points).toEqual([0.5, 1, 2, 4]);
    // sorted, duplicates dropped
    expect(parseSweep('concurrency=16,4,4,1').points).toEqual([1, 4, 16]);
  });

  test.each([
    ['concurrency=', /the list is empty/],
    ['concurrency=1,,4', /empty entry/],
    ['concurrency=0,4', /every point must be a number > 0 \(got "0"\)/],
    ['rate=-2,4', /every point must be a number > 0 \(got "-2"\)/],
    ['concurrency=1.5', /whole numbers/],
    ['concurrency=64:1:x2', /start 64 is above stop 1/],
    ['concurrency=1:64:x1', /factor must be > 1/],
    ['batch=1,2', /--sweep must be/],
  ])('%s → one line', (spec, msg) => {
    expect(err(() => parseSweep(spec))).toMatch(msg);
  });

  test('every task × point × run gets its own key and file name', () => {
    const t = {
      key: 'm/d',
      model: { abbr: 'm', batch_size: 8, request_rate: 0 },
      dataset: { abbr: 'd' },
    } as unknown as TaskConfig;
    const out = expandTasks([t], parseSweep('concurrency=1,16'), 2);
    expect(out.map((x) => x.key)).toEqual(['m/d @c=1 #1', 'm/d @c=1 #2', 'm/d @c=16 #1', 'm/d @c=16 #2']);
    expect(out.map((x) => x.dataset.abbr)).toEqual(['d_c1_run1', 'd_c1_run2', 'd_c16_run1', 'd_c16_run2']);
    expect(out.map((x) => x.model.batch_size)).toEqual([1, 1, 16, 16]);
    const r = expandTasks([t], parseSweep('rate=2.5'), 1)[0]!;
    expect([r.key, r.dataset.abbr, r.model.request_rate, r.model.batch_size]).toEqual(['m/d @r=2.5', 'd_r2.5', 2.5, 8]);
    expect(expandTasks([t], undefined, 1)).toEqual([t]);
  });
});

describe('capacity flags', () => {
  const base = ['--models', 'a', '--datasets', 'b'];
  test('parsed into opts.capacity', () => {
    const c = parseCli([...base, '--sweep', 'rate=1,2', '--num-runs', '3', '--cv-threshold', '5']);
    expect(c.kind === 'perf' && c.opts.capacity).toEqual({
      sweep: { kind: 'rate', points: [1, 2] },
      numRuns: 3,
      cvThresholdPct: 5,
    });
    const s = parseCli([
      ...base,
      '--slo',
      'ttft:p99<=200',
      '--slo-search',
      'concurrency',
      '--search-min',
      '1',
      '--search-max',
      '32',
    ]);
    expect(s.kind === 'perf' && s.opts.capacity?.search).toEqual({ kind: 'concurrency', min: 1, max: 32 });
  });
  test.each([
    [['--sweep', 'concurrency=1', '--slo-search', 'rate', '--slo', 'ttft:p99<=1'], /cannot be combined/],
    [['--slo-search', 'concurrency'], /needs SLO objectives/],
    [['--slo-search', 'concurrency', '--slo', 'ttft:500'], /needs SLO objectives/],
    [['--slo-search', 'load', '--slo', 'ttft:p99<=1'], /--slo-search must be concurrency or rate/],
    [
      ['--slo-search', 'rate', '--slo', 'ttft:p99<=1', '--search-min', '8', '--search-max', '2'],
      /--search-min 8 must be below --search-max 2/,
    ],
    [['--slo-search', 'concurrency', '--slo', 'ttft:p99<=1', '--search-max', '2.5'], /whole number/],
    [['--search-max', '8'], /need --slo-search or --adaptive/],
    [['--num-runs', '0'], /--num-runs must be a positive integer/],
  ])('%s → one line', (args, msg) => {
    expect(err(() => parseCli([...base, ...args]))).toMatch(msg);
  });
});

describe('repeats', () => {
  test('mean, sd, CV and Student-t CI by hand', () => {
    // 10, 12, 14: mean 12; squared deviations 4 + 0 + 4 = 8, / (3 − 1) = 4, sd 2; CV 2/12 = 16.67 %;
    // CI half-width t(0.975, 2) = 4.303 × 2 / √3 = 4.9687.
    const s = spread([10, 12, 14]);
    expect(s.mean).toBe(12);
    expect(s.sd).toBe(2);
    expect(s.cvPct).toBeCloseTo(16.6667, 3);
    expect(s.ci95).toBeCloseTo(4.9687, 3);
    expect(t975(1)).toBe(12.706);
    expect(t975(30)).toBe(2.042);
    expect(t975(60)).toBeCloseTo(2.0, 2); // table: 2.000
    expect(spread([5]).sd).toBeNaN();
  });
});
