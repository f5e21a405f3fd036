/**
 * --slo-search end to end against a server whose TTFT is 50 + 100 × open ms
 * (capacity-server.ts): with ttft:p99<=500 the predicted capacity is
 * ⌊(500 − 50) / 100⌋ = 4 (c = 4 → 450 ms, c = 5 → 550 ms).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startLoadServer, type LoadServer } from './capacity-server.js';
import { runCli } from './capacity-cli.js';

// Each case runs the built CLI against a live server: minutes on a loaded 2-core machine.
vi.setConfig({ testTimeout: 150_000, hookTimeout: 150_000 });

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-search-'));
let server: LoadServer;
beforeAll(async () => {
  server = await startLoadServer({ baseMs: 50, perOpenMs: 100, itlMs: 2, tokens: 8 });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('--slo-search concurrency', () => {
  test('lands within one step of the predicted capacity in at most ceil(log2(range)) + 3 probes', async () => {
    const work = path.join(tmp, 'w');
    const r = await runCli(
      [
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
        '-w',
        work,
        '--num-prompts',
        '16',
        '--slo',
        'ttft:p99<=500',
        '--slo-search',
        'concurrency',
        '--search-min',
        '1',
        '--search-max',
        '32',
      ],
      tmp,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const run = path.join(work, readdirSync(work)[0]!);
    const s = JSON.parse(readFileSync(path.join(run, 'summary', 'search.json'), 'utf8')).searches[0];
    expect(s.kind).toBe('concurrency');
    expect(Math.abs(s.answer - 4)).toBeLessThanOrEqual(1);
    // ⌈log2(32 − 1)⌉ + 3 = 8
    expect(s.probes.length).toBeLessThanOrEqual(8);
    expect(s.pass.pass).toBe(true);
    expect(s.fail.pass).toBe(false);
    expect(s.fail.value - s.pass.value).toBeLessThanOrEqual(1);
    // Each probe is a task row with its own files, marked pass/fail in sweep.json.
    const pts = JSON.parse(readFileSync(path.join(run, 'summary', 'sweep.json'), 'utf8')).points as Array<{
      key: string;
      value: number;
      sloMet: boolean;
    }>;
    expect(pts.map((p) => p.value)).toEqual(s.probes.map((p: { value: number }) => p.value));
    expect(pts.map((p) => p.sloMet)).toEqual(s.probes.map((p: { pass: boolean }) => p.pass));
    expect(pts[0]!.key).toBe('vllm-api-stream-chat/synthetic @c=1');
    expect(r.stdout).toMatch(
      new RegExp(
        `vllm-api-stream-chat/synthetic: largest concurrency meeting ttft:p99<=500 is ${s.answer} \\(${s.pass.value} pass: TTFT p99 [\\d.]+ ms, TPOT p99 [\\d.]+ ms; ${s.fail.value} FAIL: TTFT p99`,
      ),
    );
  });
});
