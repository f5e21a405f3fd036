/** Reasoning models: TTFT of any token vs the first answer token, reasoning vs answer tokens. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskAccumulator } from '../src/metrics/accumulator.js';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { chatPlan, runPlan } from './engine-helpers.js';
import { rec } from './metrics-helpers.js';

const common = (r: { common: Array<{ name: string; stage: string; value: number }> }, n: string) =>
  r.common.find((c) => c.name === n && c.stage === 'total')?.value;

describe('reasoning rows from hand-typed records', () => {
  it('first token of any kind vs first answer token; server reasoning_tokens win', () => {
    // R: role @5, reasoning @20 and @30, text @50 and @60, usage @61 (ms after t0); 4 tokens, the server says 2 reasoning.
    const r = rec({ t0: 0, ttft: 20, gaps: [15000, 10000, 20000, 10000, 1000], ev: 'o2r2tu', outTok: 4 });
    r.reasoningTokens = 2;
    // P: no reasoning: leaves the reasoning rows alone.
    const p = rec({ t0: 1, ttft: 10, gaps: [5000], outTok: 2 });
    const acc = new TaskAccumulator({ maxConcurrency: 2 });
    acc.add(r);
    acc.add(p);
    const res = acc.finalize({ key: 'k', abbr: 'a', dataset: 'd', model: 'm', stats: ['Average'], interrupted: false });
    expect(common(res, 'Reasoning Requests')).toBe(1);
    expect(common(res, 'TTFT Any Token Mean')).toBe(20);
    expect(common(res, 'First Answer Token Mean')).toBe(50); // 5 + 15 + 10 + 20
    expect(common(res, 'Reasoning Tokens')).toBe(2);
    expect(common(res, 'Answer Tokens')).toBe(2); // 4 − 2
  });

  it('no reasoning events, no reasoning rows', () => {
    const acc = new TaskAccumulator({ maxConcurrency: 1 });
    acc.add(rec({ t0: 0, ttft: 10, gaps: [1000] }));
    const res = acc.finalize({ key: 'k', abbr: 'a', dataset: 'd', model: 'm', stats: ['Average'], interrupted: false });
    expect(common(res, 'Reasoning Requests')).toBeUndefined();
  });
});

describe('against the simulator with --reasoning-tokens', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 20, itlMs: 50, reasoningTokens: 6 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('6 reasoning then 4 answer tokens: the answer starts ~300 ms after the first token', async () => {
    const { result, records } = await runPlan(chatPlan(sim.url, 8, 10, (i) => `q ${i}`));
    expect(records.every((r) => r.ok && r.outTok === 10 && r.reasoningTokens === 6)).toBe(true);
    expect(common(result, 'Reasoning Requests')).toBe(8);
    expect(common(result, 'Reasoning Tokens')).toBe(48);
    expect(common(result, 'Answer Tokens')).toBe(32);
    // Nominal: first token at 20 ms, first answer token at 20 + 6 × 50 = 320 ms. Loose: on a loaded
    // machine a stalled simulator writes every event already due in one write.
    const gap = common(result, 'First Answer Token Mean')! - common(result, 'TTFT Any Token Mean')!;
    expect(gap).toBeGreaterThan(150);
    expect(gap).toBeLessThan(1000);
  });
});
