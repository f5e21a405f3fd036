/**
 * A schedule faster than the server: sends wait for a concurrency slot, the
 * cap holds across worker threads, TTFT is measured from the real send, and
 * the wait shows as the send delay in the Common Metric table. Asserts only
 * invariants (no wall-clock bounds), so it runs beside the other suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import type { TaskPlan } from '../src/engine/task-runner.js';
import { buildSchedule } from '../src/engine/arrival.js';
import { collectingRunner } from './engine-helpers.js';
import { EARLY_SLACK_MS } from '../src/sim/timer-heap.js';

const CAP = 4;

/** Most intervals [start, end) open at once. */
function maxOverlap(spans: Array<[number, number]>): number {
  const ev = spans.flatMap(([a, b]) => [[a, 1] as const, [b, -1] as const]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let n = 0;
  let max = 0;
  for (const [, d] of ev) max = Math.max(max, (n += d));
  return max;
}

describe('concurrency cap under a schedule faster than the server', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 20, itlMs: 2 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('sends wait for slots: t0 ≥ sched, never more than batch_size in flight, send delay reported', async () => {
    const n = 60;
    // 500 req/s against ~4 / 34 ms = ~120 req/s of capacity.
    const schedule = buildSchedule(n, { requestRate: 500 });
    const plan: TaskPlan = {
      key: 'sim/cap',
      abbr: 'sim',
      dataset: 'cap',
      origin: new URL(sim.url).origin,
      path: '/v1/chat/completions',
      api: 'chat',
      headers: { 'content-type': 'application/json' },
      baseBody: { model: 'sim-model', stream: true, stream_options: { include_usage: true }, ignore_eos: true },
      units: Array.from({ length: n }, (_, id) => [
        { id, messages: [{ role: 'user' as const, content: 'a b c' }], maxOutLen: 8 },
      ]),
      schedule,
      maxConcurrency: CAP,
      retry: 0,
      timeoutMs: 10_000,
      firstByteTimeoutMs: 0,
      warmups: 0,
      workers: 2,
      logPath: 'x.log',
    };
    const { runner, records, acc } = collectingRunner(plan);
    const from = sim.requestLog().length;
    let sampledMax = 0;
    const sampler = setInterval(() => (sampledMax = Math.max(sampledMax, runner.inflight)), 2);
    try {
      await runner.run();
    } finally {
      clearInterval(sampler);
    }
    expect(records).toHaveLength(n);
    expect(records.every((r) => r.ok)).toBe(true);
    for (const r of records) expect(r.t0).toBeGreaterThanOrEqual(r.sched - 0.01);
    expect(sampledMax).toBe(CAP);
    expect(maxOverlap(records.map((r) => [r.t0, r.end]))).toBeLessThanOrEqual(CAP);
    // The server's view agrees: never more than CAP requests open at once.
    const seen = sim
      .requestLog()
      .slice(from)
      .filter((e) => e.path.endsWith('/completions'));
    expect(seen).toHaveLength(n);
    expect(maxOverlap(seen.map((e) => [e.receivedAt, e.endedAt!]))).toBeLessThanOrEqual(CAP);

    const result = acc.finalize({
      key: plan.key,
      abbr: 'sim',
      dataset: 'cap',
      model: 'sim-model',
      stats: ['Average', 'Max'],
      interrupted: false,
    });
    const common = (name: string) => result.common.find((c) => c.stage === 'total' && c.name === name);
    const delays = records.map((r) => r.t0 - r.sched);
    const meanDelay = delays.reduce((a, b) => a + b, 0) / n;
    expect(common('Send Delay Mean')!.value).toBeCloseTo(meanDelay, 6);
    expect(common('Send Delay Mean')!.unit).toBe('ms');
    expect(common('Send Delay P99')!.value).toBeGreaterThan(meanDelay);
    // The last sends waited for slots far longer than a request takes, and TTFT
    // is measured from the real send, so it does not include that wait.
    expect(Math.max(...delays)).toBeGreaterThan(200);
    const ttftMax = result.perf.rows.find((r) => r.stage === 'total' && r.metric === 'TTFT')!.values[1]!;
    expect(ttftMax).toBeLessThan(Math.max(...delays));
    // The simulator may write up to its early slack before the due time.
    for (const r of records) expect(r.ttft).toBeGreaterThanOrEqual(20 - EARLY_SLACK_MS - 0.01);
  }, 30_000);
});
