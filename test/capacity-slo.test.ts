import { describe, expect, test } from 'vitest';
import { parseObjective } from '../src/core/slo.js';
import { evaluateObjectives, sloMet } from '../src/metrics/slo-rows.js';
import { parseSlo } from '../src/core/slo.js';
import { TaskAccumulator } from '../src/metrics/accumulator.js';
import { rec } from './metrics-helpers.js';

describe('--slo objectives', () => {
  test('parses bounds and objectives side by side', () => {
    expect(parseSlo('ttft:500,ttft:p99<=400,tpot:p90<=50,e2el:avg<=3000,ttft:median<=100')).toEqual({
      ttftMs: 500,
      objectives: [
        { metric: 'ttft', stat: 99, limitMs: 400 },
        { metric: 'tpot', stat: 90, limitMs: 50 },
        { metric: 'e2el', stat: 'avg', limitMs: 3000 },
        { metric: 'ttft', stat: 50, limitMs: 100 },
      ],
    });
  });

  test.each([
    ['itl:p99<=5', /unknown SLO metric 'itl'/],
    ['ttft:p100<=5', /unknown SLO statistic 'p100'/],
    ['ttft:p0<=5', /unknown SLO statistic 'p0'/],
    ['ttft:q99<=5', /unknown SLO statistic 'q99'/],
    ['ttft:p99<=0', /positive number of ms/],
    ['ttft:p99<=abc', /positive number of ms/],
  ])('%s is one clear line', (text, msg) => {
    expect(() => parseSlo(text)).toThrow(msg);
    const o = parseObjective(text);
    expect(typeof o).toBe('string');
  });

  test('value, attainment and met, by hand', () => {
    const acc = new TaskAccumulator({
      maxConcurrency: 4,
      slo: {
        objectives: [
          { metric: 'ttft', stat: 50, limitMs: 250 },
          { metric: 'ttft', stat: 90, limitMs: 250 },
          { metric: 'tpot', stat: 'avg', limitMs: 15 },
        ],
      },
    });
    // TTFT 100, 200, 300, 400 ms; 3 output tokens with gaps of 10 and 20 ms → TPOT = 30/2 = 15 ms each.
    for (const ttft of [100, 200, 300, 400]) acc.add(rec({ t0: 0, ttft, gaps: [10_000, 20_000] }));
    const r = acc.finalize({ key: 'a/b', abbr: 'a', dataset: 'b', model: 'm', stats: ['Average'], interrupted: false });
    const row = (n: string) => r.common.find((c) => c.name === n)?.value;
    // p50 of 100,200,300,400: rank 1.5 → 200 + 0.5 × 100 = 250 ≤ 250: met; 2 of 4 ≤ 250 → 50 %.
    expect(row('SLO ttft:p50<=250')).toBe(250);
    expect(row('SLO ttft:p50<=250 Attainment')).toBe(50);
    // p90: rank 2.7 → 300 + 0.7 × 100 = 370 > 250: not met.
    expect(row('SLO ttft:p90<=250')).toBeCloseTo(370, 9);
    expect(row('SLO tpot:avg<=15')).toBeCloseTo(15, 9);
    expect(row('SLO tpot:avg<=15 Attainment')).toBe(100);
    expect(row('SLO Met')).toBe(0);
    expect(sloMet(r.common)).toBe(false);
  });

  test('a failed request counts as infinitely slow for a percentile', () => {
    const cols = (oks: boolean[], ttfts: number[]) => {
      const acc = new TaskAccumulator({ maxConcurrency: 1 });
      oks.forEach((ok, i) => acc.add(rec({ t0: 0, ttft: ttfts[i], ok, gaps: [1000] })));
      // The columns are private: evaluate through finalize-free access by re-reading.
      return (acc as unknown as { store: { columns(): import('../src/metrics/columns.js').Columns } }).store.columns();
    };
    // 4 successes at 10 ms and 1 failure: p75 over [10,10,10,10,∞] is rank 3 → 10 (met);
    // p90 is rank 3.6 → between 10 and ∞ (not met). Attainment 4/5 = 80 %.
    const c = cols([true, true, true, true, false], [10, 10, 10, 10, 0]);
    const [p75, p90] = evaluateObjectives(c, null, [
      { metric: 'ttft', stat: 75, limitMs: 20 },
      { metric: 'ttft', stat: 90, limitMs: 20 },
    ]);
    expect(p75!.met).toBe(true);
    expect(p75!.attainment).toBe(80);
    expect(p90!.met).toBe(false);
    expect(p90!.value).toBe(10);
  });
});
