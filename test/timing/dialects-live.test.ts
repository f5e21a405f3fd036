/**
 * Against the simulator sending 3 tokens per SSE event every 30 ms (itl 10 ms,
 * tokensPerChunk 3): the aisbench dialect pools one ITL value per event gap
 * (30 ms), per-token splits each gap over its 3 tokens (10 ms), and the
 * differences view names the tokens per chunk. Timing project: the bound is
 * ±0.5 ms on means.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../../src/sim/index.js';
import { TaskAccumulator } from '../../src/metrics/accumulator.js';
import { DialectComparison } from '../../src/metrics/differences.js';
import { chatPlan, runPlan } from '../engine-helpers.js';

describe('3 tokens per event every 30 ms', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 20, itlMs: 10, tokensPerChunk: 3 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('aisbench ITL 30 ± 0.5 ms, per-token 10 ± 0.5 ms; differences name the tokens per chunk', async () => {
    // 30 tokens = 10 events of 3; 32 requests, 16 at a time.
    const p = chatPlan(sim.url, 32, 30, (id) => `request ${id}`, { maxConcurrency: 16, warmups: 8 });
    const { records } = await runPlan(p, ['Average']);
    const measured = records.filter((r) => !r.warmup);
    expect(measured.every((r) => r.ok && r.outTok === 30)).toBe(true);
    const itl = (dialect: 'aisbench' | 'per-token') => {
      const acc = new TaskAccumulator({ maxConcurrency: 16, dialect });
      measured.forEach((r) => acc.add(r));
      const res = acc.finalize({
        key: 'k',
        abbr: 'a',
        dataset: 'd',
        model: 'm',
        stats: ['Average'],
        interrupted: false,
      });
      return res.perf.rows.find((x) => x.metric === 'ITL' && x.stage === 'total')!.values[0]!;
    };
    const ais = itl('aisbench');
    const per = itl('per-token');
    console.info(`ITL mean: aisbench ${ais.toFixed(3)} ms, per-token ${per.toFixed(3)} ms`);
    expect(Math.abs(ais - 30)).toBeLessThan(0.5);
    expect(Math.abs(per - 10)).toBeLessThan(0.5);
    const cmp = new DialectComparison({ maxConcurrency: 16 });
    measured.forEach((r) => cmp.add(r));
    const row = cmp.finish().rows.find((r) => r.metric === 'ITL')!;
    expect(row.cause).toContain('3.0 tokens per chunk');
  }, 60_000);
});
