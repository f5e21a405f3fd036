/** Helpers of the shard tests: run the built CLI, read details files by hand. */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
export const bin = path.join(root, 'bin', 'aisbench-tui.mjs');

export interface CliOut {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI; env replaces the environment when given (a pod's view), else NO_COLOR is added. */
export function cli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliOut> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: opts.cwd ?? root,
        timeout: opts.timeoutMs ?? 120_000,
        env: opts.env ?? { ...process.env, NO_COLOR: '1' },
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The records of a details file, parsed as plain JSON lines (no product code). */
export function detailsLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The only run folder (timestamp name) under dir. */
export function runFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^\d{8}_\d{6}(_\d+)?$/.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/** numpy's default percentile (linear interpolation between closest ranks), written out for the test. */
export function percentileLinear(sorted: readonly number[], p: number): number {
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** A metric row of a Performance Parameters CSV: stat name → number. */
export function csvRow(file: string, metric: string): Record<string, number> {
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const head = lines[0]!;
  const row = lines.find((l) => l[0] === metric && l[1] === 'total')!;
  return Object.fromEntries(head.slice(2).map((h, i) => [h, parseFloat(row[i + 2]!)]));
}

/** Common Metric totals from a result JSON (`_raw`). */
export function commonRaw(file: string): Record<string, number> {
  const j = JSON.parse(readFileSync(file, 'utf8')) as { _raw: Record<string, { total: number }> };
  return Object.fromEntries(Object.entries(j._raw).map(([k, v]) => [k, v.total]));
}
