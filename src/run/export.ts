/** `--export txt,ansi,svg`: write the final results screen of every task without interaction. */
import type { PerfOptions } from '../cli/options.js';
import type { TaskResult } from '../metrics/types.js';
import { exportScreens } from '../output/export-screen.js';
import { linesWidth } from '../ui/results/lines.js';
import { perfTableLines } from '../ui/results/perf-table.js';

export async function exportIfAsked(runDir: string, results: TaskResult[], opts: PerfOptions): Promise<string[]> {
  if (!opts.export?.length || results.length === 0) return [];
  // Without a terminal there is no width to respect: wide enough for every stat column.
  const width = process.stdout.isTTY ? process.stdout.columns || 120 : Math.max(120, ...results.map((r) => linesWidth(perfTableLines(r.perf, 10_000, -1, null))));
  return exportScreens(runDir, results, opts.export, width);
}
