/**
 * The acceptance on the load-aware simulator (src/sim/batch, README
 * "The load-aware simulator"), through the built CLI. With prefill free, a
 * step of n running sequences takes base + perSeq × n ms and gives each one
 * token, so with c ≤ max-num-seqs requests in flight the output rate is
 * c / (base + perSeq × c) tokens/ms, and above max-num-seqs it stays at
 * M / (base + perSeq × M): the requests beyond M wait in the queue.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { startBatchSimulator } from '../src/sim/index.js';
import { runCli } from './capacity-cli.js';

// Each case runs the built CLI against a live server: minutes on a loaded 2-core machine.
vi.setConfig({ testTimeout: 150_000, hookTimeout: 150_000 });

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A custom dataset of n short prompts, each asking for `out` tokens. */
function prompts(n: number, out: number): string {
  const f = path.join(tmp, `p${n}x${out}.jsonl`);
  writeFileSync(
    f,
    Array.from({ length: n }, (_, i) => JSON.stringify({ prompt: `hello there number ${i}`, max_out_len: out })).join(
      '\n',
    ) + '\n',
  );
  return f;
}

const args = (url: string, data: string, work: string) => [
  '--models',
  'vllm_api_stream_chat',
  '--datasets',
  'custom',
  '--dataset-path',
  data,
  '--url',
  url,
  '--num-warmups',
  '0',
  '--retry',
  '0',
  '--no-tui',
  '-w',
  work,
];
/** summary/index.html in headless Chromium: four curves, the SLO line, a link per task that resolves; a screenshot to look at. */
async function checkIndexHtml(run: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
    timeout: 30_000,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(path.join(run, 'summary', 'index.html')).href);
    expect(await page.locator('svg').count()).toBe(4);
    expect(await page.locator('line.slo').count()).toBe(1); // TTFT p99 against ttft:p99<=100
    const links = await page.locator('a').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(links).toHaveLength(4);
    for (const l of links) expect(existsSync(fileURLToPath(l)), l).toBe(true);
    // Sorting by a column reorders the rows (click twice: descending load).
    await page.locator('th', { hasText: 'load' }).click();
    await page.locator('th', { hasText: 'load' }).click();
    expect(await page.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(['64', '16', '4', '1']);
    await page.screenshot({ path: path.join(run, 'summary', 'index.png'), fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
}

const points = (work: string) => {
  const run = path.join(work, readdirSync(work)[0]!);
  return JSON.parse(readFileSync(path.join(run, 'summary', 'sweep.json'), 'utf8')).points as Array<
    Record<string, number>
  >;
};

describe('on the batch simulator', () => {
  test('--sweep concurrency=1,4,16,64: throughput grows up to --max-num-seqs 16, then flattens', async () => {
    const sim = await startBatchSimulator({ maxNumSeqs: 16, stepBaseMs: 4, stepPerSeqMs: 0.25 });
    try {
      const work = path.join(tmp, 'sweep');
      // 24 tokens a request: the step a new request waits for is small beside its 24 steps.
      const r = await runCli(
        [...args(sim.url, prompts(64, 24), work), '--sweep', 'concurrency=1,4,16,64', '--slo', 'ttft:p99<=100'],
        tmp,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const [p1, p4, p16, p64] = points(work).map((p) => p.outTokPerS!);
      // Predicted token/s = 1000 c / (4 + 0.25 c): 235, 800, 2000, 2000. Loose bounds for a busy machine:
      expect(p4!).toBeGreaterThan(p1! * 1.5);
      expect(p16!).toBeGreaterThan(p4! * 1.3);
      expect(p64! / p16!).toBeGreaterThan(0.7);
      // (a closed loop at exactly 16 leaves a slot idle while a new request reaches the next step: up to ~1.2x measured
      // quiet, 1.50 under load ~12 where p16 loses more to the stolen CPU; p4 → p16 grows 2.5x predicted)
      expect(p64! / p16!).toBeLessThan(1.8);
      // Beyond 16 the rest wait: TTFT p99 grows by whole answers (8 steps each).
      const [, , t16, t64] = points(work).map((p) => p.ttftP99!);
      expect(t64!).toBeGreaterThan(t16! * 3);
      await checkIndexHtml(path.join(work, readdirSync(work)[0]!));
    } finally {
      await sim.close();
    }
  });

  test('--slo-search concurrency lands within one step of max-num-seqs', async () => {
    // M = 8, step = 20 + 2 × n ms, 16 tokens: at c ≤ 8 every request is admitted at the next step,
    // TTFT ≤ 2 steps = 72 ms; at c = 9 one request per wave waits a whole answer (16 × 36 = 576 ms),
    // so ttft:p99<=250 holds up to c = 8: the predicted capacity is 8. (The margins absorb the
    // 100+ ms stalls a loaded 2-core machine gives a client now and then.)
    const sim = await startBatchSimulator({ maxNumSeqs: 8, stepBaseMs: 20, stepPerSeqMs: 2 });
    try {
      const work = path.join(tmp, 'search');
      const r = await runCli(
        [
          ...args(sim.url, prompts(24, 16), work),
          '--slo',
          'ttft:p99<=250',
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
      expect(Math.abs(s.answer - 8)).toBeLessThanOrEqual(1);
      // ⌈log2(31)⌉ + 3 = 8
      expect(s.probes.length).toBeLessThanOrEqual(8);
      expect(r.stdout).toMatch(/largest concurrency meeting ttft:p99<=250 is \d+ \(\d+ pass: .*; \d+ FAIL: /);
    } finally {
      await sim.close();
    }
  });
});
