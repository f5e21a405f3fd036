/**
 * Many concurrent streams through the real engine (the 10,000-stream figure
 * is bench/connections.mjs): 1,000 requests all in flight at once, none lost,
 * every token counted. In the timing project so parallel suites do not
 * starve it. Needs dist/ (`npx tsc -p .`).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type SimServer } from '../../src/sim/index.js';
import { TaskRunner, type TaskPlan } from '../../src/engine/task-runner.js';
import type { RequestRecord } from '../../src/engine/types.js';

const N = 1000;
const TOKENS = 10;

describe('1,000 concurrent streams', () => {
  let sim: SimServer;
  beforeAll(async () => {
    // A long TTFT keeps every request in flight until the last one is sent.
    sim = await startSimulator({ ttftMs: 1500, itlMs: 20 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('are all in flight at once and all complete, nothing lost', async () => {
    const u = new URL(sim.url);
    const plan: TaskPlan = {
      key: 'sim/conn',
      abbr: 'sim',
      dataset: 'conn',
      origin: u.origin,
      path: '/v1/chat/completions',
      api: 'chat',
      headers: { 'content-type': 'application/json' },
      baseBody: { model: 'sim-model', stream: true, stream_options: { include_usage: true }, ignore_eos: true },
      units: Array.from({ length: N }, (_, id) => [
        { id, messages: [{ role: 'user' as const, content: 'hello' }], maxOutLen: TOKENS },
      ]),
      schedule: null,
      maxConcurrency: N,
      retry: 0,
      timeoutMs: 60_000,
      firstByteTimeoutMs: 0,
      warmups: 0,
      workers: 2,
      logPath: 'x.log',
    };
    const records: RequestRecord[] = [];
    const runner = new TaskRunner(plan, { onRecords: (rs) => records.push(...rs), log: () => undefined });
    const done = runner.run();
    await vi.waitFor(() => expect(runner.inflight).toBe(N), { timeout: 30_000, interval: 10 });
    await done;
    expect(records).toHaveLength(N);
    expect(new Set(records.map((r) => r.id)).size).toBe(N);
    expect(records.filter((r) => !r.ok).map((r) => r.code)).toEqual([]);
    expect(records.every((r) => r.outTok === TOKENS && r.gapsUs.length === TOKENS - 1)).toBe(true);
    expect(runner.counts).toEqual({ post: N, recv: N, finish: N, fail: 0 });
    const served = sim.requestLog().filter((e) => e.path === '/v1/chat/completions');
    expect(served).toHaveLength(N);
    expect(served.every((e) => e.tokens === TOKENS && !e.aborted)).toBe(true);
  });
});
