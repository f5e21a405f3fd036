/**
 * Sweeps and repeats end to end: the built CLI against a small server whose
 * TTFT grows with open requests (capacity-server.ts), then the files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startLoadServer, type LoadServer } from './capacity-server.js';
import { runCli } from './capacity-cli.js';

// Each case runs the built CLI against a live server: minutes on a loaded 2-core machine.
vi.setConfig({ testTimeout: 150_000, hookTimeout: 150_000 });

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-sweep-'));
let server: LoadServer;
beforeAll(async () => {
  // TTFT = 20 + 20 × open ms; 8 tokens 2 ms apart.
  server = await startLoadServer({ baseMs: 20, perOpenMs: 20, itlMs: 2, tokens: 8 });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const common = () => [
  '--models',
  'vllm_api_stream_chat',
  '--datasets',
  'synthetic_gen',
  '--url',
  server.url,
  '--num-warmups',
  '0',
  '--retry',
  '0',
  '--no-tui',
];
const runDirOf = (work: string) => path.join(work, readdirSync(work)[0]!);

describe('--sweep', () => {
  test('one task per point, own files, sweep.csv/json, SLO per point', async () => {
    const work = path.join(tmp, 'sweep');
    const r = await runCli(
      [...common(), '-w', work, '--num-prompts', '48', '--sweep', 'concurrency=1,4,16', '--slo', 'ttft:p99<=220'],
      tmp,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const run = runDirOf(work);
    for (const c of [1, 4, 16]) {
      expect(r.stdout).toContain(`vllm-api-stream-chat/synthetic @c=${c}`);
      for (const ext of ['.csv', '.json', '_details.jsonl'])
        expect(existsSync(path.join(run, 'performances', 'vllm-api-stream-chat', `synthetic_c${c}${ext}`))).toBe(true);
    }
    const json = JSON.parse(readFileSync(path.join(run, 'summary', 'sweep.json'), 'utf8'));
    expect(json.kind).toBe('concurrency');
    expect(json.slo).toEqual(['ttft:p99<=220']);
    const pts = json.points as Array<{
      value: number;
      reqPerS: number;
      ttftP99: number;
      sloMet: boolean;
      failed: number;
    }>;
    expect(pts.map((p) => p.value)).toEqual([1, 4, 16]);
    // Expected by the server's model: throughput ≈ c / (20 + 20c + 16 ms): 17.9, 34.5, 44.9 req/s; loose: rising.
    expect(pts[1]!.reqPerS).toBeGreaterThan(pts[0]!.reqPerS * 1.3);
    expect(pts[2]!.reqPerS).toBeGreaterThan(pts[1]!.reqPerS * 1.1);
    // p99 TTFT ≈ 20 + 20c: 40, 100, 340 ms against 220 ms → pass, pass, fail (120 ms margins for stalls).
    expect(pts.map((p) => p.sloMet)).toEqual([true, true, false]);
    expect(pts.every((p) => p.failed === 0)).toBe(true);
    const csv = readFileSync(path.join(run, 'summary', 'sweep.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^task,base,load,value,run,reqPerS,/);
    expect(csv).toHaveLength(4);
    expect(r.stdout).toMatch(/SLO NOT met \(ttft:p99<=220 \d+\.\d ms, [\d.]+ % within\)/);
  });

  test('--sweep rate=4:8:x2: one row per offered rate, the rate reached', async () => {
    const work = path.join(tmp, 'rate');
    const r = await runCli(
      [...common(), '-w', work, '--num-prompts', '16', '--max-concurrency', '32', '--sweep', 'rate=4:8:x2'],
      tmp,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(path.join(runDirOf(work), 'summary', 'sweep.json'), 'utf8'));
    expect(json.kind).toBe('rate');
    const pts = json.points as Array<{ key: string; value: number; reqPerS: number }>;
    expect(pts.map((p) => p.key)).toEqual([
      'vllm-api-stream-chat/synthetic @r=4',
      'vllm-api-stream-chat/synthetic @r=8',
    ]);
    // 16 requests at fixed gaps of 1/r s end about 15/r s + one answer (~0.1 s) after the first:
    // ≈ 4.2 and 8.0 req/s; loose.
    expect(pts[0]!.reqPerS).toBeGreaterThan(2.5);
    expect(pts[0]!.reqPerS).toBeLessThan(5.5);
    expect(pts[1]!.reqPerS).toBeGreaterThan(pts[0]!.reqPerS * 1.4);
  });

  test('--num-runs 3 prints mean ± CI and writes repeats.csv', async () => {
    const work = path.join(tmp, 'runs');
    const r = await runCli(
      [...common(), '-w', work, '--num-prompts', '16', '--max-concurrency', '2', '--num-runs', '3'],
      tmp,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/vllm-api-stream-chat\/synthetic: 3 runs/);
    // e.g. "TTFT avg  35.12 ± 1.20 ms (95% CI, n=3, sd 0.48, CV 1.4%)"
    expect(r.stdout).toMatch(/TTFT avg +\d+\.\d+ ± \d+\.\d+ ms \(95% CI, n=3, sd [\d.]+, CV [\d.]+%\)/);
    const rows = readFileSync(path.join(runDirOf(work), 'summary', 'repeats.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(rows[0]).toBe('task,metric,unit,n,mean,sd,cv_pct,ci95_low,ci95_high,cv_flag');
    const ttft = rows.find((l) => l.includes(',ttftAvg,'))!.split(',');
    const [mean, lo, hi] = [Number(ttft[4]), Number(ttft[7]), Number(ttft[8])];
    // TTFT ≈ 20 + 20 × (1..2 open) = 40-60 ms; loose on a busy machine.
    expect(mean).toBeGreaterThan(35);
    expect(mean).toBeLessThan(160);
    expect(lo).toBeLessThanOrEqual(mean);
    expect(hi).toBeGreaterThanOrEqual(mean);
  });
});

describe('bad capacity input: one line, exit 2', () => {
  test.each([
    [['--sweep', 'concurrency='], /--sweep concurrency: the list is empty/],
    [['--sweep', 'concurrency=0,4'], /every point must be a number > 0 \(got "0"\)/],
    [['--sweep', 'rate=-1'], /option '--sweep <spec>' argument missing|every point must be a number > 0/],
    [
      ['--slo', 'ttft:p99<=100', '--slo-search', 'concurrency', '--search-min', '64', '--search-max', '2'],
      /--search-min 64 must be below --search-max 2/,
    ],
    [['--slo', 'qps:p99<=5'], /unknown SLO metric 'qps'/],
    [['--slo', 'ttft:p100<=5'], /unknown SLO statistic 'p100'/],
  ])('%s', async (args, msg) => {
    const r = await runCli(
      [
        '--models',
        'vllm_api_stream_chat',
        '--datasets',
        'synthetic_gen',
        '--no-tui',
        '-w',
        path.join(tmp, 'bad'),
        ...args,
      ],
      tmp,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
