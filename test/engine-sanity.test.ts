/**
 * Loose sanity bounds for the engine's timing against the live simulator,
 * in `npm test`: these must pass on a loaded 2-core machine (another process
 * spinning on both cores), so every bound is tens of milliseconds or tens of
 * percent. The sub-millisecond accuracy checks are `npm run test:timing`
 * (test/timing/) and the figures `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { buildSchedule } from '../src/engine/arrival.js';
import { chatPlan, runPlan } from './engine-helpers.js';
import type { TaskResult } from '../src/metrics/types.js';

const avg = (r: TaskResult, metric: string) =>
  r.perf.rows.find((x) => x.metric === metric && x.stage === 'total')!.values[0]!;

describe('engine timing, loose bounds (loaded machine)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 50, itlMs: 10 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('TTFT near 50 ms and ITL/TPOT near 10 ms, every token counted', async () => {
    const { records, result } = await runPlan(
      chatPlan(sim.url, 32, 16, (id) => `request ${id}`, { maxConcurrency: 8, warmups: 2 }),
      ['Average'],
    );
    const measured = records.filter((r) => !r.warmup);
    expect(measured).toHaveLength(32);
    expect(measured.every((r) => r.ok && r.outTok === 16)).toBe(true);
    // A response is never early (the simulator's timers never fire early);
    // late by at most 50 % of 50 ms on average even on a busy box.
    expect(avg(result, 'TTFT')).toBeGreaterThanOrEqual(49);
    expect(avg(result, 'TTFT')).toBeLessThan(75);
    // ITL 10 ms: within ±5 ms on average (a stall delays one gap and shortens the next).
    expect(Math.abs(avg(result, 'ITL') - 10)).toBeLessThan(5);
    expect(Math.abs(avg(result, 'TPOT') - 10)).toBeLessThan(5);
  }, 60_000);

  it('a fixed-gap schedule at 20 req/s: mean gap 50 ms ± 10 %, no send more than 1 s late', async () => {
    const n = 40;
    const { records } = await runPlan(
      chatPlan(sim.url, n, 2, () => 'x', {
        maxConcurrency: 32,
        schedule: buildSchedule(n, { requestRate: 20, burstiness: 0 }),
      }),
    );
    const rs = records.filter((r) => !r.warmup).sort((a, b) => a.id - b.id);
    expect(rs).toHaveLength(n);
    // 39 gaps of 50 ms = 1950 ms from the first send to the last.
    const meanGap = (rs.at(-1)!.t0 - rs[0]!.t0) / (n - 1);
    expect(Math.abs(meanGap - 50)).toBeLessThan(5);
    // One send was 416 ms late under load ~12 on 2 cores (a full suite with two CPU burners):
    // a stall, not a schedule error; sub-ms accuracy is for `npm run bench`.
    expect(Math.max(...rs.map((r) => r.t0 - r.sched))).toBeLessThan(1000);
  }, 60_000);
});
