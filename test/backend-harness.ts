/**
 * One demo-sized run of the built CLI against a simulator for a given model
 * task, and the number checks every backend must pass (the same as chat):
 * every request answered, token totals equal to the simulator's log, and the
 * client's mean TTFT / E2EL no smaller than the server's own and not much larger.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { SimServer } from '../src/sim/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');

export function cli(args: string[], timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);

export interface BackendRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Performance Parameters CSV rows by `metric,stage`. */
  csv: Map<string, string[]>;
  common: Record<string, { total: string }>;
  details: Array<Record<string, any>>;
  runDir: string;
}

/** Runs `--models model --datasets synthetic_gen_demo --num-prompts n` against sim; extra args appended. */
export async function runBackend(sim: SimServer, model: string, n: number, extra: string[] = []): Promise<BackendRun> {
  const work = mkdtempSync(path.join(tmpdir(), 'aisbench-backend-'));
  try {
    const r = await cli([
      '--models',
      model,
      '--datasets',
      'synthetic_gen_demo',
      '--url',
      sim.url,
      '--num-prompts',
      String(n),
      '--num-warmups',
      '0',
      '--max-concurrency',
      '8',
      '--no-tui',
      '-w',
      work,
      ...extra,
    ]);
    const runDir = path.join(work, readdirSync(work)[0] ?? '');
    const perf = path.join(runDir, 'performances');
    const abbr = readdirSync(perf)[0]!;
    const dir = path.join(perf, abbr);
    const csv = new Map<string, string[]>();
    for (const line of readFileSync(path.join(dir, 'synthetic-demo.csv'), 'utf8').trim().split('\n').slice(1)) {
      const cells = line.split(',');
      csv.set(`${cells[0]},${cells[1]}`, cells.slice(2));
    }
    const common = JSON.parse(readFileSync(path.join(dir, 'synthetic-demo.json'), 'utf8'));
    const details = readFileSync(path.join(dir, 'synthetic-demo_details.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    return { ...r, csv, common, details, runDir };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The checks chat passes: n successes; input/output token totals equal the
 * simulator's; mean E2EL (and TTFT when streamed) within [server's, 2 x server's + 100 ms].
 */
export function expectNumbers(run: BackendRun, sim: SimServer, path: string, n: number, stream: boolean): void {
  expect(run.code, run.stderr).toBe(0);
  expect(run.common['Total Requests']!.total).toBe(String(n));
  expect(run.common['Success Requests']!.total).toBe(String(n));
  const log = sim.requestLog().filter((e) => e.path === path && e.status === 200);
  expect(log).toHaveLength(n);
  const simOut = log.reduce((a, e) => a + e.tokens, 0);
  const simIn = log.reduce((a, e) => a + e.promptTokens, 0);
  expect(run.common['Total Generated Tokens']!.total).toBe(String(simOut));
  expect(run.common['Total Input Tokens']!.total).toBe(String(simIn));
  const ok = run.details.filter((d) => d.ok);
  expect(ok).toHaveLength(n);
  // The client's clock starts before the server receives and stops after the server writes.
  const serverE2el = mean(log.map((e) => e.lastTokenAt! - e.receivedAt));
  const clientE2el = mean(ok.map((d) => d.e2el));
  expect(clientE2el).toBeGreaterThanOrEqual(serverE2el - 1);
  // Upper bound loose enough for a loaded 2-core machine (client and server share it):
  // 1.3 x + 60 ms failed at 274 vs 251 ms under load ~12 (full suite, other engineers' runs).
  expect(clientE2el).toBeLessThan(serverE2el * 2 + 100);
  if (stream) {
    const serverTtft = mean(log.map((e) => e.firstTokenAt! - e.receivedAt));
    const clientTtft = mean(ok.map((d) => d.ttft));
    expect(clientTtft).toBeGreaterThanOrEqual(serverTtft - 1);
    expect(clientTtft).toBeLessThan(serverTtft * 2 + 100);
    expect(run.csv.has('TTFT,total')).toBe(true);
    expect(run.csv.has('ITL,total')).toBe(true);
  } else {
    for (const m of ['TTFT', 'TPOT', 'ITL', 'PrefillTokenThroughput']) expect(run.csv.has(`${m},total`), m).toBe(false);
    expect(run.csv.has('E2EL,total')).toBe(true);
    expect(run.stdout).not.toMatch(/│ TTFT/);
  }
}
