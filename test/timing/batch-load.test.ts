// The batch simulator through the real client (TaskRunner, worker threads,
// undici): latency grows with load as the model predicts (batch/model.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { startBatchSimulator, stepMs, type SimServer } from '../../src/sim/index.js';
import { chatPlan, runPlan } from '../engine-helpers.js';

const sims: SimServer[] = [];
afterAll(() => Promise.all(sims.map((s) => s.close())));
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

async function run(url: string, n: number, concurrency: number, tokens: number) {
  const { records } = await runPlan(
    chatPlan(url, n, tokens, (id) => `prompt ${id} one two three`, { maxConcurrency: concurrency }),
  );
  expect(records.filter((r) => r.ok)).toHaveLength(n);
  const gaps: number[] = [];
  for (const r of records) for (const g of r.gapsUs) gaps.push(g / 1000);
  return { ttft: mean(records.map((r) => r.ttft)), itl: mean(gaps) };
}

describe('batch simulator under load', () => {
  it('TTFT at 64 concurrent is at least 3x TTFT at 8 (max-num-seqs 16, step 10 ms + 0.5 ms/seq)', async () => {
    const sim = await startBatchSimulator({ maxNumSeqs: 16, stepBaseMs: 10, stepPerSeqMs: 0.5 });
    sims.push(sim);
    const at8 = await run(sim.url, 16, 8, 16);
    const at64 = await run(sim.url, 64, 64, 16);
    // At 8: one prefill step, 10 + 0.5 x 8 = 14 ms. At 64: waves of 16, each 16 steps of
    // 10 + 0.5 x 16 = 18 ms, so the 4 waves wait about 18, 306, 594, 882 ms: mean ~450 ms.
    expect(at8.ttft).toBeLessThan(100);
    expect(at64.ttft).toBeGreaterThan(3 * at8.ttft);
    expect(at64.ttft).toBeGreaterThan(300);
  });

  it('ITL is the step time of 8, 16 and 32 running sequences within 10 %', async () => {
    const sim = await startBatchSimulator({ maxNumSeqs: 64, stepBaseMs: 10, stepPerSeqMs: 0.5 });
    sims.push(sim);
    for (const n of [8, 16, 32]) {
      const { itl } = await run(sim.url, n, n, 64);
      // Every step decodes all n: 10 + 0.5 n = 14, 18, 26 ms.
      const predicted = stepMs(
        { stepBaseMs: 10, stepPerSeqMs: 0.5, prefillRate: 0 } as Parameters<typeof stepMs>[0],
        n,
      );
      expect(predicted).toBe(10 + 0.5 * n);
      expect(Math.abs(itl / predicted - 1), `${n} running: ITL ${itl.toFixed(2)} ms vs ${predicted} ms`).toBeLessThan(
        0.1,
      );
    }
  });
});
