/**
 * Metric definitions that test/dialects.test.ts's fixtures did not pin
 * (bench/mutate-dialects.mjs broke each one on purpose and no test failed).
 * Hand-typed records, expected values by hand in the comments.
 * Event letters (details format): t text, o role-only, e empty, u usage
 * without choices, x other (error object); upper case = also carried usage.
 */
import { describe, expect, it } from 'vitest';
import { TaskAccumulator } from '../src/metrics/accumulator.js';
import type { Dialect } from '../src/metrics/dialects.js';
import { aisbenchStableWindow, stableWindowSorted } from '../src/metrics/stable.js';
import { DialectComparison } from '../src/metrics/differences.js';
import type { RequestRecord } from '../src/engine/types.js';
import type { TaskResult } from '../src/metrics/types.js';
import { rec } from './metrics-helpers.js';

function run(d: Dialect, records: RequestRecord[], opts: { max?: number; stable?: boolean } = {}): TaskResult {
  const acc = new TaskAccumulator({ maxConcurrency: opts.max ?? 4, dialect: d, stable: opts.stable });
  records.forEach((r) => acc.add(r));
  return acc.finalize({ key: 'k', abbr: 'a', dataset: 'd', model: 'm', stats: ['Average'], interrupted: false });
}
const row = (r: TaskResult, m: string) => r.perf.rows.find((x) => x.metric === m && x.stage === 'total')!;
const common = (r: TaskResult, n: string, stage = 'total') =>
  r.common.find((c) => c.name === n && c.stage === stage)?.value;
const f64 = (a: number[]) => Float64Array.from(a);

describe('which events and which tokens', () => {
  it('vllm ignores usage on a chunk that still has choices (0 output tokens); aisbench reads it', () => {
    // text @10, text @20, empty finish chunk carrying usage @21; usage says 2 output tokens.
    const recs = () => [rec({ t0: 0, ttft: 10, gaps: [10000, 1000], ev: 'ttE', outTok: 2 })];
    expect(common(run('vllm', recs()), 'Total Generated Tokens')).toBe(0);
    expect(common(run('aisbench', recs()), 'Total Generated Tokens')).toBe(2);
  });

  it('evalscope times a choices event from the previous event of any kind; vllm from the previous choices event', () => {
    // text @10, usage-only @15, text @40: EvalScope's gap 40 − 15 = 25 ms; vLLM's 40 − 10 = 30 ms.
    const recs = () => [rec({ t0: 0, ttft: 10, gaps: [5000, 25000], ev: 'tut', outTok: 2 })];
    expect(row(run('evalscope', recs()), 'ITL').values[0]).toBe(25);
    expect(row(run('vllm', recs()), 'ITL').values[0]).toBe(30);
  });

  it('aisbench N of ITL/TPOT counts requests with a non-zero ITL; vllm every request with a gap', () => {
    // A: two text events in one read (gap 0). B: gap 10 ms.
    const recs = () => [rec({ t0: 0, ttft: 10, gaps: [0] }), rec({ t0: 1, ttft: 10, gaps: [10000] })];
    expect(row(run('aisbench', recs()), 'ITL').n).toBe(1);
    expect(row(run('aisbench', recs()), 'TPOT').n).toBe(1);
    expect(row(run('vllm', recs()), 'ITL').n).toBe(2);
  });
});

describe('vllm: output tokens vLLM would count with its tokenizer (serve.py `if not output_len:`)', () => {
  // A: usage only on the finish chunk that still has choices (vLLM ignores it): usage 2, local count 3.
  // B: no usage at all: 2 token events, local count 5.
  // C: usage on a usage-only chunk (vLLM reads it): 4, local count 3.
  const recs = (local: boolean) => [
    { ...rec({ t0: 0, ttft: 10, gaps: [10000, 1000], ev: 'ttE', outTok: 2 }), ...(local ? { localOut: 3 } : {}) },
    { ...rec({ t0: 1, ttft: 10, gaps: [10000], outTok: 2 }), usage: false, ...(local ? { localOut: 5 } : {}) },
    { ...rec({ t0: 2, ttft: 10, gaps: [10000, 1000], ev: 'ttu', outTok: 4 }), ...(local ? { localOut: 3 } : {}) },
  ];
  it('with --tokenizer: the local count where vLLM reads no usage', () => {
    expect(common(run('vllm', recs(true)), 'Total Generated Tokens')).toBe(12); // 3 + 5 + 4
    expect(common(run('aisbench', recs(true)), 'Total Generated Tokens')).toBe(8); // 2 + 2 + 4
  });
  it('without: 0 for the ignored usage, the events for no usage; the differences view says vLLM would tokenize', () => {
    expect(common(run('vllm', recs(false)), 'Total Generated Tokens')).toBe(6); // 0 + 2 + 4
    const cmp = new DialectComparison({ maxConcurrency: 4 });
    recs(false).forEach((r) => cmp.add(r));
    const { facts, rows } = cmp.finish();
    expect(facts.vllmUntokenized).toBe(2); // A and B
    expect(rows.find((x) => x.metric === 'OutputTokens')!.cause).toContain(
      'vLLM would count 2 answers with its tokenizer (no usage it reads): give --tokenizer',
    );
    const withLocal = new DialectComparison({ maxConcurrency: 4 });
    recs(true).forEach((r) => withLocal.add(r));
    expect(withLocal.finish().facts.vllmUntokenized).toBe(0);
  });
});

describe("aiperf: OSL and ISL are its own tokenizer's counts (inference_result_parser.py)", () => {
  it('the --tokenizer counts replace usage; ITL = (latency − TTFT) / (OSL − 1) follows them', () => {
    // ttft 10, one gap of 40 ms → latency 50; usage 9 out / 20 in; local counts 5 out / 12 in.
    const recs = () => [{ ...rec({ t0: 0, ttft: 10, gaps: [40000], outTok: 9, inTok: 20 }), localOut: 5, localIn: 12 }];
    const a = run('aiperf', recs());
    expect(common(a, 'Total Generated Tokens')).toBe(5);
    expect(common(a, 'Total Input Tokens')).toBe(12);
    expect(row(a, 'ITL').values[0]).toBe(10); // (50 − 10) / (5 − 1)
    expect(common(run('aisbench', recs()), 'Total Generated Tokens')).toBe(9);
  });
});

describe('success rules of the references', () => {
  // An error object after one text event: text @10, error @30 (failed E_SERVER_ERROR for us).
  const afterText = () => [
    rec({ t0: 0, ok: false, code: 'E_SERVER_ERROR', gaps: [20000], ev: 'tx', first: 10, end: 40 }),
  ];
  // An error object as the only event @10.
  const alone = () => [rec({ t0: 0, ok: false, code: 'E_SERVER_ERROR', gaps: [], ev: 'x', first: 10, end: 12 })];

  it('aisbench-exact and vllm count an error after some events a success; aisbench does not', () => {
    const exact = run('aisbench-exact', afterText());
    expect(common(exact, 'Success Requests')).toBe(1);
    expect(row(exact, 'TTFT').values[0]).toBe(10); // first event
    expect(row(exact, 'E2EL').values[0]).toBe(30); // last event: 10 + 20
    expect(common(run('vllm', afterText()), 'Success Requests')).toBe(1);
    expect(common(run('aisbench', afterText()), 'Success Requests')).toBe(0);
  });

  it('evalscope counts even an error without any choices event a success; vllm does not', () => {
    expect(common(run('evalscope', alone()), 'Success Requests')).toBe(1);
    expect(common(run('vllm', alone()), 'Success Requests')).toBe(0);
  });
});

describe('stable stage', () => {
  it('aisbench leaves failed requests out of the window', () => {
    // Max 2. A t0 0 last 10; B t0 1 last 11; C t0 10.5 last 20; D t0 11.5 last 21; F t0 11 failed.
    // Over successes (ends first): s0 c1, s1 c2 (1st start to 2), e10 c1, s10.5 c2 (2nd → t2 = 10.5),
    // e11 c1, s11.5 c2 (t4 = 11.5), e20, e21. Window [10.5, 11.5]: C and D; F starts in it but failed.
    const recs = [
      rec({ t0: 0, ttft: 10 }),
      rec({ t0: 1, ttft: 10 }),
      rec({ t0: 10.5, ttft: 9.5 }),
      rec({ t0: 11.5, ttft: 9.5 }),
      rec({ t0: 11, ok: false, end: 11.2 }),
    ];
    const r = run('aisbench', recs, { max: 2, stable: true });
    expect(common(r, 'Total Requests', 'stable')).toBe(2);
    expect(common(r, 'Benchmark Duration', 'stable')).toBeCloseTo(1, 9); // 11.5 − 10.5
  });

  it('#464: in-flight exactly max, the second such start, the last event of any kind', () => {
    // Max 2. starts 0,1,5,6; ends 4,8,9,12: s0 c1, s1 c2 (1st), e4 c1, s5 c2 (2nd → t2 = 5),
    // s6 c3, e8 c2 (t4 = 8, an end), e9 c1, e12 c0 → [5, 8].
    expect(aisbenchStableWindow(f64([0, 1, 5, 6]), f64([4, 8, 9, 12]), 2)).toEqual({ startMs: 5, endMs: 8 });
    // starts 0,1,2,6; ends 4,5,8,9: s0 c1, s1 c2 (1st), s2 c3 (not exactly 2), e4 c2 (t4 = 4),
    // e5 c1, s6 c2 (2nd → t2 = 6, t4 = 6), e8, e9 → [6, 6].
    expect(aisbenchStableWindow(f64([0, 1, 2, 6]), f64([4, 5, 8, 9]), 2)).toEqual({ startMs: 6, endMs: 6 });
    // An end and a start at 3: the end first. s0 c1, s1 c2 (1st), e3 c1, s3 c2 (2nd → t2 = 3), e6, e7 → [3, 3].
    expect(aisbenchStableWindow(f64([0, 1, 3]), f64([3, 6, 7]), 2)).toEqual({ startMs: 3, endMs: 3 });
  });

  it('per-token: the request that completes the ramp-up is not in the window', () => {
    // Max 2. starts 0,1,2; ends 5,6,7. In-flight reaches 2 at start 1; t2 = first start after it = 2.
    // Ends: e5 with 3 in flight, e6 with 2 (≥ max: t4 = 6), e7 with 1 → [2, 6].
    expect(stableWindowSorted(f64([0, 1, 2]), f64([5, 6, 7]), 2)).toEqual({ startMs: 2, endMs: 6 });
  });
});
