/**
 * Each metric dialect over hand-typed records, expected values computed by
 * hand in the comments (never with the product's functions).
 *
 * Records (ms since run start; event times relative to t0):
 *   F1 t0=0   failed E_HTTP_500 at 2 (a failure at the start)
 *   R1 t0=1   role-only @10, text @50 (3 tok), @80 (3), @110 (3), empty finish @111,
 *             usage-only @112; usage: 9 out, 20 in; stream closed at abs 114
 *   R2 t0=5   role-only @10, text @40 (1 tok), usage-only @41; 1 out, 10 in; closed at abs 47
 *   F2 t0=100 failed E_TIMEOUT at 1000 (a request hanging to its timeout at the end)
 */
import { describe, expect, it } from 'vitest';
import { TaskAccumulator } from '../src/metrics/accumulator.js';
import type { Dialect } from '../src/metrics/dialects.js';
import type { TaskResult } from '../src/metrics/types.js';
import { rec } from './metrics-helpers.js';

const records = () => [
  rec({ t0: 0, ok: false, end: 2 }),
  rec({
    t0: 1,
    ttft: 50,
    gaps: [40000, 30000, 30000, 1000, 1000],
    ev: 'o3teu',
    k: [0, 3, 3, 3, 0, 0],
    outTok: 9,
    inTok: 20,
    end: 114,
  }),
  rec({ t0: 5, ttft: 40, gaps: [30000, 1000], ev: 'otu', outTok: 1, inTok: 10, end: 47 }),
  rec({ t0: 100, ok: false, code: 'E_TIMEOUT', end: 1000 }),
];

function run(d: Dialect, stats = ['Average']): TaskResult {
  const acc = new TaskAccumulator({ maxConcurrency: 4, dialect: d });
  records().forEach((r) => acc.add(r));
  return acc.finalize({ key: 'k', abbr: 'a', dataset: 'd', model: 'm', stats, interrupted: false });
}
const row = (r: TaskResult, m: string) => r.perf.rows.find((x) => x.metric === m && x.stage === 'total')!;
const avg = (r: TaskResult, m: string) => row(r, m).values[0]!;
const common = (r: TaskResult, n: string, stage = 'total') =>
  r.common.find((c) => c.name === n && c.stage === stage)?.value;

describe('aisbench (default): AISBench formulas over token-bearing events', () => {
  const r = run('aisbench');
  it('TTFT/E2EL from the first/last text event, not the role chunk', () => {
    expect(avg(r, 'TTFT')).toBeCloseTo(45, 9); // (50 + 40) / 2
    expect(avg(r, 'E2EL')).toBeCloseTo(75, 9); // (110 + 40) / 2
  });
  it('ITL: one value per event gap, not per token', () => {
    expect(avg(r, 'ITL')).toBeCloseTo(30, 9); // R1 gaps 30, 30; R2 none
    expect(row(r, 'ITL').n).toBe(1); // requests with a non-zero ITL
  });
  it('TPOT of a one-token answer is 0 and included; N counts requests with ITL', () => {
    expect(avg(r, 'TPOT')).toBeCloseTo(3.75, 9); // R1 (110 − 50) / (9 − 1) = 7.5, R2 0 → 3.75
    expect(row(r, 'TPOT').n).toBe(1);
    expect(row(r, 'E2EL').n).toBe(2); // successes
  });
  it('duration over successful requests; no Common Prefill Token Throughput row', () => {
    expect(common(r, 'Benchmark Duration')).toBeCloseTo(110, 9); // last token event 1 + 110 = 111 − first ok start 1
    expect(common(r, 'Request Throughput')).toBeCloseTo(2 / 0.11, 6); // 18.1818 req/s
    expect(common(r, 'Concurrency')).toBeCloseTo(150 / 110, 9); // (110 + 40) / 110
    expect(common(r, 'Prefill Token Throughput')).toBeUndefined();
    expect(common(r, 'Failed Requests')).toBe(2);
    expect(r.dialect).toBe('aisbench');
  });
});

describe('per-token: the earlier definitions', () => {
  const r = run('per-token');
  it('ITL = gap / k per token; TPOT leaves one-token answers out; duration includes failures', () => {
    expect(avg(r, 'ITL')).toBeCloseTo(10, 9); // 30 / 3 six times
    expect(avg(r, 'TPOT')).toBeCloseTo(7.5, 9); // R1 only
    expect(row(r, 'TPOT').n).toBe(1);
    expect(common(r, 'Benchmark Duration')).toBeCloseTo(1000, 9); // F1 start 0 → F2 end 1000
    expect(common(r, 'Prefill Token Throughput')).toBeCloseTo(30000 / 90, 6); // (20 + 10) / (50 + 40) ms
  });
});

describe('aisbench-exact: every event AISBench timestamps, its rounding', () => {
  const r = run('aisbench-exact');
  it('the role chunk is the TTFT, usage and finish chunks are ITL gaps', () => {
    expect(avg(r, 'TTFT')).toBe(10); // (10 + 10) / 2
    expect(avg(r, 'E2EL')).toBe(76.5); // (112 + 41) / 2
    expect(avg(r, 'ITL')).toBe(19); // R1 40,30,30,1,1 + R2 30,1 = 133 / 7
    expect(common(r, 'Benchmark Duration')).toBe(112); // 1 + 112 − 1
    // Common values to 4 decimals: 2 successes / 0.112 s = 17.857142… → 17.8571
    expect(common(r, 'Request Throughput')).toBe(17.8571);
  });
  it('rounds latency stats to 0.1 ms', () => {
    const p = run('aisbench-exact', ['P25']);
    // ITL sorted 1,1,1,30,30,30,40: P25 rank 1.5 → 1; TTFT P25 10
    expect(row(p, 'ITL').values[0]).toBe(1);
    expect(row(p, 'E2EL').values[0]).toBe(58.8); // 41 + 0.25 × (112 − 41) = 58.75 → 58.8
  });
});

describe('vllm: events with choices; usage only on a chunk without choices', () => {
  const r = run('vllm');
  it('role chunk is TTFT, the usage-only chunk is not timed, one-token answers leave TPOT', () => {
    expect(avg(r, 'TTFT')).toBe(10);
    expect(avg(r, 'E2EL')).toBeCloseTo(75.5, 9); // (111 + 40) / 2
    expect(avg(r, 'ITL')).toBeCloseTo(26.2, 9); // 40,30,30,1 + 30 = 131 / 5
    expect(avg(r, 'TPOT')).toBeCloseTo(12.625, 9); // (111 − 10) / 8, R2 left out
    expect(common(r, 'Benchmark Duration')).toBeCloseTo(1000, 9); // the whole run, failures in
  });
});

describe('evalscope: floor-index percentiles, 2 decimals, end at the last event', () => {
  const r = run('evalscope', ['Average', 'P50']);
  it('E2EL to the usage chunk, TPOT 0 for one token, configured concurrency', () => {
    expect(avg(r, 'E2EL')).toBe(76.5); // (112 + 41) / 2 (an average keeps 0.1 ms)
    expect(row(r, 'E2EL').values[1]).toBe(110); // P50: int(2 × 0.5) = 1 → 112, rounded to 0.01 s → 110 ms
    expect(avg(r, 'TPOT')).toBe(6.4); // (12.75 + 0) / 2 = 6.375 → 0.1 ms
  });
  it('P50 is data[int(n·p/100)]', () => {
    // ITL sorted 1,30,30,30,40: int(5 × 0.5) = 2 → 30. TPOT values 0, 12.75: int(2 × 0.5) = 1 → 12.75
    expect(row(r, 'ITL').values[1]).toBe(30);
    expect(row(r, 'TPOT').values[1]).toBe(12.75);
    expect(common(r, 'Benchmark Duration')).toBeCloseTo(113, 9); // last event of a success (1 + 112) − first start of any (0)
    expect(common(r, 'Concurrency')).toBe(4);
  });
});

describe('aiperf: ITL is one value a request, (latency − TTFT) / (OSL − 1)', () => {
  const r = run('aiperf');
  it('one ITL value a request; duration over successful requests', () => {
    expect(avg(r, 'ITL')).toBeCloseTo(7.5, 9); // R1 only: (110 − 50) / 8
    expect(row(r, 'ITL').n).toBe(1);
    expect(avg(r, 'TTFT')).toBeCloseTo(45, 9);
    // Valid records only (AIPerf's BenchmarkDurationMetric): last token event of R1 (1 + 110) − first ok start 1.
    expect(common(r, 'Benchmark Duration')).toBeCloseTo(110, 9);
  });
});

describe("AISBench's documented stable case: batch 8, 64 requests of ~12.3 s", () => {
  // Wave w (0..7), slot s (0..7): start 12300·w + s ms, last token at 12300·(w+1) − 0.5 ms
  // (e2el 12299.5 − s). t2 = second start that brings in-flight to 8 = wave 1, slot 7 = 12307;
  // t4 = last start that refills to 8 = wave 7, slot 7 = 86107. Window 73800 ms. In it:
  // wave 1 slot 7 (1) + waves 2..7 (48) = 49. Σ E2EL = 12292.5 + 6 × (8 × 12299.5 − 28)
  // = 602500.5 ms; / 73800 = 8.164 → capped at 8.
  const documented = (d: Dialect): TaskResult => {
    const acc = new TaskAccumulator({ maxConcurrency: 8, stable: true, dialect: d });
    for (let w = 0; w < 8; w++) {
      for (let s = 0; s < 8; s++) {
        const t0 = 12300 * w + s;
        const e2el = 12299.5 - s;
        acc.add(rec({ t0, ttft: 100, gaps: [(e2el - 100) * 1000], outTok: 2, end: t0 + e2el + 0.2 }));
      }
    }
    return acc.finalize({ key: 'k', abbr: 'a', dataset: 'd', model: 'm', stats: ['Average'], interrupted: false });
  };
  const r = documented('aisbench');
  it('window 73.8 s, 49 requests, Concurrency capped at Max Concurrency', () => {
    expect(common(r, 'Benchmark Duration', 'stable')).toBeCloseTo(73800, 6);
    expect(common(r, 'Total Requests', 'stable')).toBe(49);
    expect(common(r, 'Concurrency', 'stable')).toBe(8);
    expect(common(r, 'Request Throughput', 'stable')).toBeCloseTo(49 / 73.8, 6);
  });
  it('per-token keeps its own window: 86.1 s, 56 requests (the issue\'s "ours")', () => {
    // Ends of wave w at 12300·w + s + 12299.5 − s + 0.2 = 12300·(w+1) − 0.3, all 8 at once.
    // In-flight first reaches 8 at wave 0 slot 7 (t = 7); t2 = first start after it = 12300.
    // t4 = the last end taken while 8 were in flight = wave 7's ends, 98399.7.
    // Window 98399.7 − 12300 = 86099.7 ms; waves 1..7 start in it: 56 requests.
    const p = documented('per-token');
    expect(common(p, 'Benchmark Duration', 'stable')).toBeCloseTo(86099.7, 6);
    expect(common(p, 'Total Requests', 'stable')).toBe(56);
  });
});

describe("evalscope: EvalScope's own summary layout (seed 003)", () => {
  const r = run('evalscope');
  it('Benchmarking summary, in seconds', () => {
    const s = Object.fromEntries(r.evalscope!.summary);
    expect(s['Time taken for tests (seconds)']).toBe(0.113); // 1 + 112 − 0
    expect(s['Number of concurrency']).toBe(4);
    expect([s['Total requests'], s['Succeed requests'], s['Failed requests']]).toEqual([4, 2, 2]);
    expect(s['Average QPS']).toBe(17.6991); // 2 / 0.113
    expect(s['Average latency (s)']).toBe(0.0765); // (112 + 41) / 2 ms
    expect(s['Average time to first token (s)']).toBe(0.01);
    expect(s['Throughput (average output tokens per second)']).toBe(88.4956); // 10 / 0.113
    expect(s['Average time per output token (s)']).toBe(0.00638); // (12.75 + 0) / 2 ms = 0.006375 s
    expect(s['Average package per request']).toBe(3.5); // (4 + 1 gaps + 2) / 2
    expect(s['Average package latency (s)']).toBe(0.0262); // 131 / 5 ms
    expect([s['Average input tokens per request'], s['Average output tokens per request']]).toEqual([15, 5]);
  });
  it('Percentile results at data[int(n·p/100)]', () => {
    const p = r.evalscope!.percentiles;
    expect(p.labels).toEqual(['10%', '25%', '50%', '66%', '75%', '80%', '90%', '95%', '98%', '99%']);
    const col = (h: string) => p.columns.find(([name]) => name === h)![1];
    // Latency sorted 41, 112 ms: index int(2p/100) = 0 below 50 %, else 1.
    expect(col('Latency (s)')).toEqual([0.041, 0.041, 0.112, 0.112, 0.112, 0.112, 0.112, 0.112, 0.112, 0.112]);
    // ITL sorted 1, 30, 30, 30, 40: int(5p/100) = 0, 1, 2, 3, 3, 4, 4, 4, 4, 4.
    expect(col('ITL (ms)')).toEqual([1, 30, 30, 30, 30, 40, 40, 40, 40, 40]);
  });
  it('no EvalScope layout in other dialects', () => {
    expect(run('aisbench').evalscope).toBeUndefined();
  });
});
