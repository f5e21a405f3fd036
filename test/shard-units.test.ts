import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import type { TaskPlan } from '../src/engine/task-runner.js';
import { parseShard, parseStartAt, planHash, shardConcurrency, shardPlan } from '../src/run/shard-plan.js';
import { childArgv } from '../src/shard/processes.js';
import { mergeTaskSnapshots, mergeDigests } from '../src/shard/live-merge.js';
import { makeTask } from './board-fixtures.js';
const snapshot = (over: Parameters<typeof makeTask>[2]) => makeTask(0, 0, over);

const plan = (n: number, cap: number): TaskPlan => ({
  key: 'm/d',
  abbr: 'm',
  dataset: 'd',
  origin: 'http://127.0.0.1:1',
  path: '/v1/chat/completions',
  api: 'chat',
  headers: { authorization: 'Bearer sk-x' },
  baseBody: { model: 'x' },
  units: Array.from({ length: n }, (_, id) => [{ id, prompt: `p${id}`, maxOutLen: 4 }]),
  schedule: Float64Array.from({ length: n }, (_, i) => i * 10),
  maxConcurrency: cap,
  retry: 0,
  timeoutMs: 0,
  firstByteTimeoutMs: 0,
  warmups: 0,
  workers: 0,
  logPath: 'x.log',
});

describe('--shard I/N', () => {
  it('parses I/N, an index from an environment variable, and rejects the rest with one line', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard('JOB_COMPLETION_INDEX/4', { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('3/3')).toThrow('--shard: index 3 is not below the shard count 3');
    expect(() => parseShard('0/0')).toThrow(/N must be in 1\.\./);
    expect(() => parseShard('a-b')).toThrow(UsageError);
    expect(() => parseShard('JOB_COMPLETION_INDEX/4', {})).toThrow(
      'environment variable JOB_COMPLETION_INDEX is not set',
    );
  });

  it('--start-at: ISO with or without zone (UTC), or +seconds', () => {
    expect(parseStartAt('2026-01-31T12:00:00Z')).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseStartAt('2026-01-31T12:00:00')).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseStartAt('2026-01-31T14:00:00+02:00')).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseStartAt('+30', 1000)).toBe(31_000);
    expect(() => parseStartAt('tomorrow')).toThrow(/--start-at must be/);
  });

  it('splits the cap so the parts add up (8 over 3: 3 + 3 + 2) and never to 0', () => {
    expect([0, 1, 2].map((index) => shardConcurrency(8, { index, count: 3 }))).toEqual([3, 3, 2]);
    expect([0, 1, 2].map((index) => shardConcurrency(1, { index, count: 3 }))).toEqual([1, 1, 1]);
  });

  it('every N-th unit with its planned send time; the union is the plan, each unit once', () => {
    const p = plan(10, 4);
    const parts = [0, 1, 2].map((index) => shardPlan(p, { index, count: 3 }));
    // Shard 1 of 3 takes units 1, 4, 7 and their send times 10, 40, 70 ms.
    expect(parts[1]!.plan.units.map((u) => u[0]!.id)).toEqual([1, 4, 7]);
    expect([...parts[1]!.plan.schedule!]).toEqual([10, 40, 70]);
    expect(parts[1]!.plan).toMatchObject({ idOffset: 1, idStride: 3, maxConcurrency: 1 });
    const union = parts.flatMap((s) => s.plan.units.map((u) => u[0]!.id)).sort((a, b) => a - b);
    expect(union).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const times = parts.flatMap((s) => [...s.plan.schedule!]).sort((a, b) => a - b);
    expect(times).toEqual([...p.schedule!]);
    expect(new Set(parts.map((s) => s.hash)).size).toBe(1);
  });

  it('the plan hash changes with the data, schedule, cap or shard count, not with the API key', () => {
    const h = planHash(plan(10, 4), { index: 0, count: 3 });
    expect(planHash({ ...plan(10, 4), headers: { authorization: 'Bearer other' } }, { index: 0, count: 3 })).toBe(h);
    expect(planHash(plan(11, 4), { index: 0, count: 3 })).not.toBe(h);
    expect(planHash(plan(10, 5), { index: 0, count: 3 })).not.toBe(h);
    expect(planHash(plan(10, 4), { index: 0, count: 2 })).not.toBe(h);
    const later = plan(10, 4);
    later.schedule![9] = 95;
    expect(planHash(later, { index: 0, count: 3 })).not.toBe(h);
  });
});

describe('--processes', () => {
  it("children get the parent's arguments with their own shard, start instant and work dir", () => {
    const a = childArgv(
      ['--demo', '--processes', '3', '-w', 'out', '--start-at=+5'],
      1,
      3,
      Date.UTC(2026, 0, 1),
      '/r/shards',
    );
    expect(a).toEqual([
      '--demo',
      '--shard',
      '1/3',
      '--start-at',
      '2026-01-01T00:00:00.000Z',
      '--work-dir',
      '/r/shards',
      '--no-tui',
      '--ipc-progress',
    ]);
  });

  it('live snapshots add up and TTFT digests merge (percentiles of the union)', () => {
    // Child A saw TTFTs 1..50 ms, child B 51..100 ms: the union's median is 50.5, its p99 99.01 (numpy);
    // a t-digest of 100 points keeps them exactly enough for ±1 ms.
    const a = Array.from({ length: 50 }, (_, i) => ({ mean: i + 1, n: 1 }));
    const b = Array.from({ length: 50 }, (_, i) => ({ mean: i + 51, n: 1 }));
    const q = mergeDigests([a, b]);
    expect(Math.abs(q.p50 - 50.5)).toBeLessThan(1);
    expect(Math.abs(q.p99 - 99.01)).toBeLessThan(1);
    const s = mergeTaskSnapshots(
      [
        snapshot({ status: 'inferencing', total: 10, counts: { post: 5, recv: 4, finish: 3, fail: 1 }, inflight: 2 }),
        snapshot({ status: 'finish', total: 11, counts: { post: 11, recv: 11, finish: 11, fail: 0 }, inflight: 0 }),
      ],
      [a, b],
    );
    expect(s).toMatchObject({
      status: 'inferencing',
      total: 21,
      counts: { post: 16, recv: 15, finish: 14, fail: 1 },
      inflight: 2,
    });
    expect(Math.abs(s.ttftP50 - 50.5)).toBeLessThan(1);
  });
});
