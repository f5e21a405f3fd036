/**
 * --adaptive on the batch simulator, through the built CLI. M = 8, step =
 * 20 + 2 × n ms, 32 tokens a request: at c ≤ 8 every request is admitted at
 * the next step, TTFT ≤ 2 steps = 72 ms; at c = 9 a request waits for a
 * running one to finish: at best a 1/8 of an answer (32 × 36 / 8 = 144 ms),
 * so ttft:p99<=180 holds up to c = 8, the predicted boundary (c = 9 at best
 * 144 + 36 = 180 ms; c = 10 at least 288 ms); the margin at c = 8 absorbs a
 * loaded machine's stalls.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startBatchSimulator } from '../src/sim/index.js';
import { runCli } from './capacity-cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-adapt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('--adaptive', () => {
  test('settles within 15% of the boundary and holds it; decisions are logged', async () => {
    const sim = await startBatchSimulator({ maxNumSeqs: 8, stepBaseMs: 20, stepPerSeqMs: 2 });
    try {
      const data = path.join(tmp, 'p.jsonl');
      writeFileSync(
        data,
        Array.from({ length: 16 }, (_, i) => JSON.stringify({ prompt: `hi ${i}`, max_out_len: 32 })).join('\n') + '\n',
      );
      const work = path.join(tmp, 'w');
      const r = await runCli(
        [
          '--models',
          'vllm_api_stream_chat',
          '--datasets',
          'custom',
          '--dataset-path',
          data,
          '--url',
          sim.url,
          '--num-warmups',
          '0',
          '--retry',
          '0',
          '--no-tui',
          '-w',
          work,
          '--slo',
          'ttft:p99<=180',
          '--adaptive',
          '--search-min',
          '2',
          '--search-max',
          '32',
          '--pressure-time',
          '6',
        ],
        tmp,
        150_000,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const run = path.join(work, readdirSync(work)[0]!);
      const a = JSON.parse(readFileSync(path.join(run, 'summary', 'adaptive.json'), 'utf8')).tasks[0];
      // Within 15 % of 8: 6.8 .. 9.2
      expect(a.boundary).toBeGreaterThanOrEqual(6.8);
      expect(a.boundary).toBeLessThanOrEqual(9.2);
      expect(a.holdMean).toBeGreaterThanOrEqual(6.8);
      expect(a.holdMean).toBeLessThanOrEqual(9.2);
      const phases = a.events.map((e: { phase: string }) => e.phase);
      expect(phases[0]).toBe('ramp');
      expect(phases).toContain('hold');
      expect(a.events.at(-1).why).toBe('done');
      // The hold lasted about --pressure-time (6 s): the last event is at least 5 s after the hold began.
      expect(a.events.at(-1).tS - a.holdStartS).toBeGreaterThan(5);
      const log = readFileSync(path.join(run, 'logs', 'performance', 'vllm-api-stream-chat', 'custom.out'), 'utf8');
      expect(log).toMatch(
        /adaptive ramp t=[\d.]+s: concurrency 2 → 4 \(held; window of \d+: ttft:p99<=180 [\d.]+ ms\)/,
      );
      expect(log).toMatch(/adaptive (ramp|refine) .*broke/);
      expect(r.stdout).toMatch(/adaptive concurrency settled at \d+ for ttft:p99<=180/);
    } finally {
      await sim.close();
    }
  }, 180_000);
});
