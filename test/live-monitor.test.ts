/**
 * engine/live-monitor.ts: the board's live statistics from the workers'
 * deltas, apart from TaskRunner. Expected values worked by hand below; the
 * end-to-end path (TaskRunner posting real deltas into it) is covered by
 * test/engine-sanity.test.ts and the board tests, which read runner.snapshot().
 */
import { describe, expect, it } from 'vitest';
import { LiveMonitor, type LiveDelta } from '../src/engine/live-monitor.js';

const delta = (over: Partial<LiveDelta>): LiveDelta => ({
  post: 0,
  recv: 0,
  finish: 0,
  fail: 0,
  ttftCentroids: [],
  outTokens: 0,
  ...over,
});

describe('LiveMonitor', () => {
  it('adds counts, keeps 5 s of output tokens, rates over the elapsed time', () => {
    const m = new LiveMonitor();
    m.add(delta({ post: 3, recv: 2, finish: 1, fail: 1, ttftCentroids: [{ mean: 100, n: 1 }], outTokens: 50 }), 1000);
    m.add(delta({ post: 1, finish: 1, ttftCentroids: [{ mean: 100, n: 1 }], outTokens: 30 }), 4000);
    const s = m.stats({ running: true, inflight: 2, startedAt: 500, endedAt: 0 }, 7000);
    expect(s.counts).toEqual({ post: 4, recv: 2, finish: 2, fail: 1 });
    // elapsed 7000 - 500 = 6500 ms; done = 2 + 1 = 3 -> 3 / 6.5 s.
    expect(s.elapsedMs).toBe(6500);
    expect(s.itPerSec).toBeCloseTo(3 / 6.5, 12);
    // The 50 tokens at t = 1000 are 6 s old (> 5 s): only 30 tokens over a 5 s window = 6 tok/s.
    expect(s.outTokPerSec).toBe(6);
    expect(s.inflightHistory).toEqual([2]);
    // Two TTFTs of 100 ms.
    expect(s.ttftP50).toBe(100);
    expect(s.ttftP99).toBe(100);
    expect(m.ttftCentroids()).toEqual([{ mean: 100, n: 2 }]);
  });

  it('samples in-flight once a second, keeps 60 samples; a stopped task shows no token rate', () => {
    const m = new LiveMonitor();
    const c = { running: true, inflight: 1, startedAt: 1, endedAt: 0 };
    m.stats(c, 1000);
    // 500 ms later: no new sample.
    expect(m.stats({ ...c, inflight: 9 }, 1500).inflightHistory).toEqual([1]);
    expect(m.stats({ ...c, inflight: 5 }, 2000).inflightHistory).toEqual([1, 5]);
    for (let k = 1; k <= 60; k++) m.stats({ ...c, inflight: 100 + k }, 2000 + k * 1000);
    const h = m.stats({ ...c, running: false }, 70_000).inflightHistory;
    // 62 samples in all (1, 5, 101..160): the last 60 are 101..160.
    expect(h).toHaveLength(60);
    expect(h[0]).toBe(101);
    expect(h[59]).toBe(160);
    m.add(delta({ outTokens: 10 }), 70_000);
    expect(m.stats({ ...c, running: false }, 70_000).outTokPerSec).toBe(0);
  });

  it('before the start: nothing elapsed, no rate, no TTFT', () => {
    const m = new LiveMonitor();
    const s = m.stats({ running: false, inflight: 0, startedAt: 0, endedAt: 0 }, 5000);
    expect(s).toMatchObject({ elapsedMs: 0, itPerSec: 0, outTokPerSec: 0, inflightHistory: [] });
    expect(s.ttftP50).toBeNaN();
    expect(m.ttftCentroids()).toEqual([]);
  });

  it('a finished task keeps its elapsed time at the end, not now', () => {
    const m = new LiveMonitor();
    m.add(delta({ finish: 4 }), 100);
    const s = m.stats({ running: false, inflight: 0, startedAt: 1000, endedAt: 3000 }, 9000);
    // 3000 - 1000 = 2000 ms; 4 done / 2 s = 2 it/s.
    expect(s.elapsedMs).toBe(2000);
    expect(s.itPerSec).toBe(2);
  });
});
