import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { TaskAccumulator } from '../src/metrics/accumulator.js';
import { isGood, itlValuesUs, tpotOf } from '../src/metrics/definitions.js';
import { ItlHistogram } from '../src/metrics/itl-histogram.js';
import { DEFAULT_STATS, parseStats, percentileSorted, statsOfSorted } from '../src/metrics/stats.js';
import type { PerfRow, TaskResult } from '../src/metrics/types.js';
import { rec } from './metrics-helpers.js';

const ctx = { key: 'm/d', abbr: 'm', dataset: 'd', model: 'x', stats: [...DEFAULT_STATS], interrupted: false };
const row = (r: TaskResult, metric: string, stage = 'total'): PerfRow =>
  r.perf.rows.find((x) => x.metric === metric && x.stage === stage)!;
const common = (r: TaskResult, name: string, stage = 'total'): number =>
  r.common.find((x) => x.name === name && x.stage === stage)!.value;

describe('stats lists', () => {
  it('parses, canonicalises and validates', () => {
    expect(parseStats('Average,P95')).toEqual(['Average', 'P95']);
    expect(parseStats(' median , p99.9 ,MIN')).toEqual(['Median', 'P99.9', 'Min']);
    expect(parseStats(['Max', 'P1'])).toEqual(['Max', 'P1']);
    for (const bad of ['P0', 'P100', 'Foo', 'P', 'Average,Average', 'P1,P2,P3,P4,P5,P6,P7,P8,P9', '']) {
      expect(() => parseStats(bad)).toThrow(UsageError);
    }
    expect(() => parseStats('P100')).toThrow(/out of range/);
    expect(() => parseStats('Foo')).toThrow(/unknown stat 'Foo'/);
  });

  it('interpolates linearly between closest ranks (numpy default)', () => {
    const x = Float64Array.from([1, 2, 3, 4]);
    expect(percentileSorted(x, 50)).toBe(2.5);
    expect(percentileSorted(x, 75)).toBeCloseTo(3.25, 12);
    expect(percentileSorted(x, 90)).toBeCloseTo(3.7, 12);
    expect(percentileSorted(x, 99)).toBeCloseTo(3.97, 12);
    expect(percentileSorted(x, 0)).toBe(1);
    expect(percentileSorted(x, 100)).toBe(4);
    expect(percentileSorted(new Float64Array(0), 50)).toBeNaN();
    expect(statsOfSorted(x, ['Average', 'Min', 'Max', 'Median'])).toEqual([2.5, 1, 4, 2.5]);
  });
});

describe('per-request definitions', () => {
  it('TPOT is undefined for one output token', () => {
    expect(tpotOf(160, 100, 4)).toBe(20);
    expect(tpotOf(50, 50, 1)).toBeNaN();
  });
  it('a k-token chunk gives k values of gap/k; the first chunk gives none', () => {
    expect(itlValuesUs([30000, 60000], [2, 1, 3])).toEqual([30000, 20000, 20000, 20000]);
  });
  it('SLO: every given bound must hold; undefined TPOT passes', () => {
    expect(isGood({ ttftMs: 100, tpotMs: 10 }, 100, NaN, 5000)).toBe(true);
    expect(isGood({ ttftMs: 100 }, 100.1, 1, 1)).toBe(false);
    expect(isGood({ e2elMs: 10 }, 1, 1, 11)).toBe(false);
  });
});

describe('TaskAccumulator on hand-computed records', () => {
  // A: 4 one-token chunks; B: chunks of 2,1,3 tokens; C: one output token; D: failed; W: warmup.
  const acc = new TaskAccumulator({ maxConcurrency: 4, dialect: 'per-token' });
  acc.add(rec({ t0: 0, ttft: 100, gaps: [10000, 20000, 30000], inTok: 100, outTok: 4 }));
  acc.add(rec({ t0: 10, ttft: 200, gaps: [30000, 60000], k: [2, 1, 3], inTok: 50, outTok: 6 }));
  acc.add(rec({ t0: 20, ttft: 50, gaps: [], inTok: 10, outTok: 1 }));
  acc.add(rec({ t0: 30, ok: false, end: 40, message: 'boom' }));
  acc.add(rec({ t0: -500, ttft: 1, gaps: [1], warmup: true }));
  const r = acc.finalize(ctx);

  it('counts only non-warmup requests', () => {
    expect(acc.counted).toBe(4);
    expect(acc.warmups).toBe(1);
  });

  it('E2EL, TTFT, TPOT rows', () => {
    const e = row(r, 'E2EL'); // [50, 160, 290]
    expect(e.n).toBe(3);
    expect(e.values[0]).toBeCloseTo(500 / 3, 9);
    expect(e.values.slice(1, 4)).toEqual([50, 290, 160]);
    expect(e.values[4]).toBeCloseTo(225, 9); // P75: h = 1.5
    expect(e.values[5]).toBeCloseTo(264, 9); // P90: 160 + 0.8 × 130
    expect(e.values[6]).toBeCloseTo(287.4, 9);
    expect(row(r, 'TTFT').values.slice(0, 4)).toEqual([350 / 3, 50, 200, 100]);
    const t = row(r, 'TPOT'); // [18, 20]; C excluded
    expect(t.n).toBe(2);
    expect(t.values.slice(0, 4)).toEqual([19, 18, 20, 19]);
  });

  it('ITL over all gaps, multi-token chunks split evenly, N = requests', () => {
    const i = row(r, 'ITL'); // [10, 20, 20, 20, 20, 30, 30] ms
    expect(i.n).toBe(2);
    expect(i.values[0]).toBeCloseTo(150 / 7, 9);
    expect(i.values.slice(1)).toEqual([10, 30, 20, 25, 30, 30]);
  });

  it('token counts and per-request throughputs', () => {
    expect(row(r, 'InputTokens').values.slice(0, 3)).toEqual([160 / 3, 10, 100]);
    expect(row(r, 'OutputTokens').values.slice(1, 3)).toEqual([1, 6]);
    const otps = row(r, 'OutputTokenThroughput').values; // 4/0.16 = 25, 6/0.29, 1/0.05 = 20
    expect(otps[1]).toBeCloseTo(20, 9);
    expect(otps[2]).toBeCloseTo(25, 9);
    expect(row(r, 'PrefillTokenThroughput').values[2]).toBeCloseTo(1000, 9); // 100/0.1
  });

  it('Common Metric', () => {
    expect(common(r, 'Benchmark Duration')).toBe(300); // max end 300 − min t0 0
    expect(common(r, 'Total Requests')).toBe(4);
    expect(common(r, 'Failed Requests')).toBe(1);
    expect(common(r, 'Success Requests')).toBe(3);
    expect(common(r, 'Concurrency')).toBeCloseTo(500 / 300, 9);
    expect(common(r, 'Max Concurrency')).toBe(4);
    expect(common(r, 'Request Throughput')).toBeCloseTo(10, 9);
    expect(common(r, 'Total Input Tokens')).toBe(160);
    expect(common(r, 'Prefill Token Throughput')).toBeCloseTo(160 / 0.35, 9);
    expect(common(r, 'Total Generated Tokens')).toBe(11);
    expect(common(r, 'Input Token Throughput')).toBeCloseTo(160 / 0.3, 9);
    expect(common(r, 'Output Token Throughput')).toBeCloseTo(11 / 0.3, 9);
    expect(common(r, 'Total Token Throughput')).toBeCloseTo(171 / 0.3, 9);
    expect(r.common.some((c) => c.name === 'Goodput' || c.name === 'Send Delay Mean')).toBe(false);
    expect(r.failures).toEqual([{ code: 'E_HTTP_500', count: 1, example: 'boom' }]);
  });

  it('recompute gives another stats list from kept values', () => {
    const t = r.recompute!(['P50', 'Max']);
    expect(t.stats).toEqual(['P50', 'Max']);
    expect(t.rows.find((x) => x.metric === 'E2EL')!.values).toEqual([160, 290]);
    expect(t.rows.find((x) => x.metric === 'ITL')!.values).toEqual([20, 30]);
  });

  it('series: concurrency steps, tokens per second, ttft by start', () => {
    expect(r.series.concurrency[0]).toEqual([0, 1]);
    expect(r.series.concurrency.at(-1)).toEqual([0.3, 0]);
    expect(r.series.outputTokPerSec).toEqual([11]);
    expect(r.series.ttftByStart).toEqual([
      [0, 100],
      [0.01, 200],
      [0.02, 50],
    ]);
  });
});

describe('extra Common Metric rows', () => {
  it('send delay, goodput and retries', () => {
    const acc = new TaskAccumulator({ maxConcurrency: 2, slo: { ttftMs: 150 }, dialect: 'per-token' });
    acc.add(rec({ t0: 1, sched: 0, ttft: 100, gaps: [1000] }));
    acc.add(rec({ t0: 13, sched: 10, ttft: 200, gaps: [1000], attempts: 2 }));
    acc.add(rec({ t0: 20, sched: 20, ok: false, end: 1000 }));
    const r = acc.finalize(ctx);
    expect(common(r, 'Send Delay Mean')).toBeCloseTo(4 / 3, 9);
    expect(common(r, 'Send Delay P99')).toBeCloseTo(1 + 0.98 * 2, 9);
    expect(common(r, 'Benchmark Duration')).toBe(999);
    expect(common(r, 'Goodput')).toBeCloseTo(1 / 0.999, 9);
    expect(common(r, 'Good Requests')).toBeCloseTo(100 / 3, 9);
    expect(common(r, 'Retried Requests')).toBe(1);
  });

  it("the seed's Common Metric figures", () => {
    // 8 sequential requests, 12300.2 ms each, 512 output tokens, 12100 input tokens in all.
    const acc = new TaskAccumulator({ maxConcurrency: 1, dialect: 'per-token' });
    const step = (98409.4916 - 12300.2) / 7;
    for (let i = 0; i < 8; i++) {
      const base = rec({ t0: i * step, ttft: 2006.01, gaps: [], inTok: i % 2 ? 1513 : 1512, outTok: 512 });
      base.e2el = 12300.2;
      base.end = base.t0 + 12300.2;
      acc.add(base);
    }
    const r = acc.finalize(ctx);
    expect(common(r, 'Benchmark Duration')).toBeCloseTo(98409.4916, 6);
    expect(common(r, 'Concurrency')).toBeCloseTo(0.9999, 4);
    expect(common(r, 'Request Throughput')).toBeCloseTo(0.0813, 4);
    expect(common(r, 'Prefill Token Throughput')).toBeCloseTo(753.9843, 3);
    expect(common(r, 'Input Token Throughput')).toBeCloseTo(122.9556, 4);
    expect(common(r, 'Output Token Throughput')).toBeCloseTo(41.622, 4);
    expect(common(r, 'Total Token Throughput')).toBeCloseTo(164.5776, 4);
    expect(row(r, 'InputTokens').values.slice(0, 4)).toEqual([1512.5, 1512, 1513, 1512.5]);
  });
});

describe('ItlHistogram', () => {
  it('is exact above the dense range and with fractional values', () => {
    const h = new ItlHistogram();
    h.addRequest([5, 2_000_000, 7, 3], [1, 1, 1, 1, 2]); // 3 µs split in 2 → 1.5, 1.5
    expect(h.count).toBe(5);
    expect(h.statsMs(['Min', 'Max', 'Median', 'Average'])).toEqual([0.0015, 2000, 0.005, 2_000_015 / 5 / 1000]);
    const g = ItlHistogram.fromState(h.toState());
    g.removeRequest([7], [1, 1]);
    expect(g.count).toBe(4);
    expect(g.statsMs(['Median'])[0]).toBeCloseTo(0.00325, 12);
  });
});

describe('fast path', () => {
  it('one-token chunks (null chunkTokens) match the general k path', () => {
    const a = new TaskAccumulator({ maxConcurrency: 2, dialect: 'per-token' });
    const b = new TaskAccumulator({ maxConcurrency: 2, dialect: 'per-token' });
    const gaps = [999_999, 1, 2_500_000, 40, 1_048_576, 1_048_575, 7];
    for (let i = 0; i < 3; i++) {
      const r = rec({ t0: 700 * i + 0.5, ttft: 333.3, gaps: gaps.map((g) => g + i) });
      a.add(r);
      b.add({ ...r, chunkTokens: new Uint32Array(gaps.length + 1).fill(1) });
    }
    const ra = a.finalize(ctx);
    const rb = b.finalize(ctx);
    expect(ra.perf).toEqual(rb.perf);
    expect(ra.series.outputTokPerSec).toEqual(rb.series.outputTokPerSec);
    expect(ra.series.outputTokPerSec.reduce((x, y) => x + y, 0)).toBe(24);
  });
});

describe('parseSlo and series decimation', () => {
  it('parses any subset of ttft, tpot, e2el', async () => {
    const { parseSlo } = await import('../src/core/slo.js');
    expect(parseSlo('ttft:500,tpot:50.5')).toEqual({ ttftMs: 500, tpotMs: 50.5 });
    expect(parseSlo('E2EL:1000')).toEqual({ e2elMs: 1000 });
    for (const bad of ['', 'ttft', 'foo:1', 'ttft:0', 'ttft:-1']) expect(() => parseSlo(bad)).toThrow(UsageError);
  });

  it('concurrency keeps ≤ 2000 points and its peaks', async () => {
    const { concurrencySeries } = await import('../src/metrics/series.js');
    const n = 5000;
    const t0 = Float64Array.from({ length: n }, (_, i) => i * 10);
    const end = Float64Array.from({ length: n }, (_, i) => i * 10 + (i === 2500 ? 100 : 5));
    const exact = concurrencySeries(t0, end, Infinity);
    expect(exact.length).toBe(2 * n - 1); // one end and one start share t = 25.1 s
    expect(Math.max(...exact.map((p) => p[1]))).toBe(2);
    const dec = concurrencySeries(t0, end);
    expect(dec.length).toBeLessThanOrEqual(2000);
    expect(Math.max(...dec.map((p) => p[1]))).toBe(2);
    expect(dec.at(-1)).toEqual(exact.at(-1));
  });
});
