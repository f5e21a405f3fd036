/**
 * Shards end to end: one simulator, a single run, then the same plan as
 * --shard 0/3, 1/3, 2/3 started together, then `merge`. The merged counts
 * and token totals equal the single run's; every request id appears once;
 * the merged TTFT percentiles equal those computed here from the union of
 * the shards' details lines. Mismatched shards: one line, exit 2.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { cli, commonRaw, csvRow, detailsLines, percentileLinear, runFolders, type CliOut } from './shard-cli.js';

const TASK = path.join('performances', 'vllm-api-stream-chat');
let tmp: string;
let sim: SimServer;
let args: string[];
let single: CliOut;
let shards: CliOut[];
let merged: CliOut;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'aisb-shard-'));
  sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 1 });
  // 45 requests, cap 6 (shards: 2 each), Poisson arrivals at 60 req/s.
  args = [
    '--models',
    'vllm_api_stream_chat',
    '--datasets',
    'synthetic_gen',
    '--url',
    sim.url,
    '--num-prompts',
    '45',
    '--max-concurrency',
    '6',
    '--request-rate',
    '60',
    '--burstiness',
    '1',
    '--max-out-len',
    '16',
    '--no-tui',
  ];
  single = await cli([...args, '-w', path.join(tmp, 'single')]);
  // The machine may be loaded: the start instant leaves the processes 8 s to start.
  const at = new Date(Date.now() + 8000).toISOString();
  shards = await Promise.all(
    [0, 1, 2].map((i) => cli([...args, '--shard', `${i}/3`, '--start-at', at, '-w', path.join(tmp, 'sh')])),
  );
  merged = await cli(['merge', path.join(tmp, 'sh')]);
}, 240_000);
afterAll(async () => {
  await sim?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('--shard I/N and merge', () => {
  it('every process exits 0', () => {
    expect(single.code, single.stderr).toBe(0);
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/merged 3 shards into .*merged/);
  });

  it('each shard takes every 3rd request and 1/3 of the cap, and writes a manifest', () => {
    const dirs = runFolders(path.join(tmp, 'sh'));
    expect(dirs).toHaveLength(3);
    const seen = new Set<number>();
    for (const d of dirs) {
      const m = JSON.parse(readFileSync(path.join(d, 'shard.json'), 'utf8'));
      const ids = detailsLines(path.join(d, TASK, 'synthetic_details.jsonl'))
        .filter((r) => !r.warm)
        .map((r) => r.id as number);
      // 45 / 3 = 15 requests each, ids ≡ index (mod 3): global ids.
      expect(ids).toHaveLength(15);
      for (const id of ids) expect(id % 3).toBe(m.index);
      seen.add(m.index);
      expect(m.tasks[0].maxConcurrency).toBe(2); // 6 / 3
      expect(m.finished).toBe(true);
      expect(typeof m.tasks[0].startLagMs).toBe('number');
      // Each shard offers 60 / 3 = 20 req/s (its rps plot's planned rate).
      expect(JSON.parse(readFileSync(path.join(d, TASK, 'synthetic_meta.json'), 'utf8')).requestRate).toBe(20);
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('merged counts and token totals equal the single run exactly', () => {
    const a = commonRaw(path.join(runFolders(path.join(tmp, 'single'))[0]!, TASK, 'synthetic.json'));
    const b = commonRaw(path.join(tmp, 'sh', 'merged', TASK, 'synthetic.json'));
    for (const k of [
      'Total Requests',
      'Success Requests',
      'Failed Requests',
      'Total Input Tokens',
      'Total Generated Tokens',
      'Max Concurrency',
    ]) {
      expect(b[k], k).toBe(a[k]);
    }
    expect(b['Total Requests']).toBe(45);
    expect(JSON.parse(readFileSync(path.join(tmp, 'sh', 'merged', TASK, 'synthetic_meta.json'), 'utf8'))).toMatchObject(
      { requestRate: 60, maxConcurrency: 6 },
    );
  });

  it('every request id appears once in the merged details', () => {
    const ids = detailsLines(path.join(tmp, 'sh', 'merged', TASK, 'synthetic_details.jsonl'))
      .filter((r) => !r.warm)
      .map((r) => r.id as number);
    expect(ids.sort((x, y) => x - y)).toEqual(Array.from({ length: 45 }, (_, i) => i));
  });

  it('merged TTFT percentiles equal those of the union of the shards details', () => {
    const ttft = runFolders(path.join(tmp, 'sh'))
      .flatMap((d) => detailsLines(path.join(d, TASK, 'synthetic_details.jsonl')))
      .filter((r) => !r.warm && r.ok)
      .map((r) => r.ttft as number)
      .sort((x, y) => x - y);
    expect(ttft).toHaveLength(45);
    const got = csvRow(path.join(tmp, 'sh', 'merged', TASK, 'synthetic.csv'), 'TTFT');
    // The CSV rounds to 4 decimals (0.0001 ms).
    expect(got.Median).toBeCloseTo(percentileLinear(ttft, 50), 3);
    expect(got.P90).toBeCloseTo(percentileLinear(ttft, 90), 3);
    expect(got.P99).toBeCloseTo(percentileLinear(ttft, 99), 3);
    expect(got.Min).toBeCloseTo(ttft[0]!, 3);
    expect(got.Max).toBeCloseTo(ttft.at(-1)!, 3);
  });

  it('writes the single-run files plus a per-shard breakdown', () => {
    for (const f of [
      'synthetic.csv',
      'synthetic.json',
      'synthetic_plot.html',
      'synthetic_rps_distribution_plot.html',
      'synthetic_shards.csv',
    ]) {
      expect(existsSync(path.join(tmp, 'sh', 'merged', TASK, f)), f).toBe(true);
    }
    expect(merged.stdout).toMatch(/shard\s+host\s+requests\s+ok\s+req\/s\s+out tok\/s\s+TTFT p99 ms\s+start lag ms/);
    expect(merged.stdout.match(/^vllm-api-stream-chat\/synthetic\s+\d\s+\S+\s+15\s+15\s/gm)).toHaveLength(3);
  });

  it('perf_viz --reuse over the folder of shard folders merges them too', async () => {
    const r = await cli(['--mode', 'perf_viz', '--reuse', '-w', path.join(tmp, 'sh'), '--no-tui', '--stats', 'P99']);
    expect(r.code, r.stderr).toBe(0);
    expect(commonRaw(path.join(tmp, 'sh', 'merged', TASK, 'synthetic.json'))['Total Requests']).toBe(45);
  });
});

describe('mismatched shards: one line, exit 2', () => {
  const oneLine = (r: CliOut): void => {
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  };

  it('a missing shard', async () => {
    const [a, b] = runFolders(path.join(tmp, 'sh'));
    const r = await cli(['merge', a!, b!, '--out', path.join(tmp, 'm1')]);
    oneLine(r);
    expect(r.stderr).toMatch(/^aisbench-tui: merge: missing shard \d of 3$/m);
  });

  it('two copies of one shard', async () => {
    const dirs = runFolders(path.join(tmp, 'sh'));
    cpSync(dirs[0]!, path.join(tmp, 'copy'), { recursive: true });
    const r = await cli(['merge', ...dirs, path.join(tmp, 'copy'), '--out', path.join(tmp, 'm2')]);
    oneLine(r);
    expect(r.stderr).toMatch(/merge: shard \d of 3 appears twice/);
  });

  it('shards of different plans', async () => {
    // A real shard of another plan: 9 prompts instead of 45.
    const other = await cli([
      ...args.map((a) => (a === '45' ? '9' : a)),
      '--shard',
      '0/3',
      '-w',
      path.join(tmp, 'other'),
    ]);
    expect(other.code, other.stderr).toBe(0);
    const dirs = runFolders(path.join(tmp, 'sh'));
    const zero = dirs.find((d) => readFileSync(path.join(d, 'shard.json'), 'utf8').includes('"index": 0'))!;
    const r = await cli([
      'merge',
      ...dirs.filter((d) => d !== zero),
      runFolders(path.join(tmp, 'other'))[0]!,
      '--out',
      path.join(tmp, 'm3'),
    ]);
    oneLine(r);
    expect(r.stderr).toMatch(
      /merge: shards of different plans: task vllm-api-stream-chat\/synthetic has plan [0-9a-f]{16} in .* and [0-9a-f]{16} in /,
    );
  });

  it('a folder that is not a shard', async () => {
    const r = await cli(['merge', path.join(tmp, 'single')]);
    oneLine(r);
    expect(r.stderr).toMatch(/is not a shard folder and holds none/);
  });
});
