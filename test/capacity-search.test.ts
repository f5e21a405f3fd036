import { describe, expect, test } from 'vitest';
import { SloSearch } from '../src/capacity/search.js';

/** Run a search against an oracle that passes every load ≤ capacity. */
function search(min: number, max: number, res: number, capacity: number, kind: 'concurrency' | 'rate' = 'concurrency') {
  const s = new SloSearch(kind, min, max, res);
  const seen: number[] = [];
  for (let v = s.next(); v !== null; v = s.next()) {
    seen.push(v);
    s.record(v, v <= capacity);
  }
  return { out: s.outcome(), seen };
}

describe('SloSearch', () => {
  test('bracketing then bisection, by hand', () => {
    // [1, 64], capacity 9: 1 pass, 64 fail, then 32 F, 16 F, 8 P, 12 F, 10 F, 9 P → bracket 9..10.
    const { out, seen } = search(1, 64, 1, 9);
    expect(seen).toEqual([1, 64, 32, 16, 8, 12, 10, 9]);
    expect(out.answer).toBe(9);
    expect(out.pass?.value).toBe(9);
    expect(out.fail?.value).toBe(10);
  });

  test('lands within one resolution step in at most ceil(log2(range)) + 3 probes', () => {
    for (const [min, max] of [
      [1, 64],
      [1, 256],
      [4, 100],
      [1, 2],
    ] as const) {
      for (let cap = min; cap < max; cap += Math.max(1, Math.floor((max - min) / 23))) {
        const { out, seen } = search(min, max, 1, cap);
        expect(Math.abs(out.answer! - cap)).toBeLessThanOrEqual(1);
        expect(seen.length).toBeLessThanOrEqual(Math.ceil(Math.log2(max - min)) + 3);
      }
    }
    // Rate with a fractional resolution: capacity 7.3 req/s in [0.5, 64] at resolution 0.25.
    const { out, seen } = search(0.5, 64, 0.25, 7.3, 'rate');
    expect(out.answer!).toBeLessThanOrEqual(7.3);
    expect(out.answer!).toBeGreaterThan(7.3 - 0.25);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(Math.log2((64 - 0.5) / 0.25)) + 3);
  });

  test('edges: min fails → no answer; max passes → max', () => {
    const low = search(4, 64, 1, 2);
    expect(low.seen).toEqual([4]);
    expect(low.out.answer).toBeNull();
    expect(low.out.note).toMatch(/even concurrency 4 misses/);
    const high = search(1, 64, 1, 1000);
    expect(high.seen).toEqual([1, 64]);
    expect(high.out.answer).toBe(64);
    expect(high.out.note).toMatch(/raise --search-max/);
  });
});

describe('adaptive window judge', () => {
  const s = (ttft: number, ok = true) => ({ ok, ttft, tpot: 5, e2el: ttft + 100 });
  test('waits for the target, then held/broke by the pNN; breaks early when the misses exceed what pNN allows', async () => {
    const { judge } = await import('../src/capacity/adaptive.js');
    const obj = [{ metric: 'ttft' as const, stat: 90, limitMs: 100 }];
    // 5 of a target of 10, all fine: no verdict yet.
    expect(
      judge(
        [10, 20, 30, 40, 50].map((x) => s(x)),
        obj,
        10,
      ).verdict,
    ).toBeNull();
    // 10 samples 10..100 ms: p90 at rank 8.1 → 90 + 0.1 × 10 = 91 ≤ 100: held.
    const ten = Array.from({ length: 10 }, (_, i) => s(10 * (i + 1)));
    const j = judge(ten, obj, 10);
    expect(j.verdict).toBe('held');
    expect(j.values['ttft:p90<=100']).toBeCloseTo(91, 9);
    // p90 over a target of 10 allows ⌊10 × 10 %⌋ = 1 miss; two misses (one a failure) break at once.
    expect(judge([s(500), s(10)], obj, 10).verdict).toBeNull();
    expect(judge([s(500), s(10), s(0, false)], obj, 10).verdict).toBe('broke');
  });
});
