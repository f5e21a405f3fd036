import { describe, expect, it } from 'vitest';
import { sweepInflight } from '../src/metrics/inflight.js';

describe('sweepInflight (the one in-flight sweep)', () => {
  it('visits every event in time order, ends before starts at equal times', () => {
    const seen: Array<[number, number, boolean]> = [];
    // Requests [0, 10), [10, 20), [5, 10): at t=10 two end (2 -> 1 -> 0) before one starts (-> 1).
    sweepInflight([0, 5, 10], [10, 10, 20], (t, c, isEnd) => seen.push([t, c, isEnd]));
    expect(seen).toEqual([
      [0, 1, false],
      [5, 2, false],
      [10, 1, true],
      [10, 0, true],
      [10, 1, false],
      [20, 0, true],
    ]);
  });

  it('visits nothing for no requests', () => {
    let calls = 0;
    sweepInflight([], [], () => calls++);
    expect(calls).toBe(0);
  });
});
