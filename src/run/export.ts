/** `--export txt,ansi,svg`: write the final results screen of every task without interaction. */
import type { PerfOptions } from '../config/options.js';
import type { TaskResult } from '../metrics/types.js';

export async function exportIfAsked(runDir: string, results: TaskResult[], opts: Pick<PerfOptions, 'export'>): Promise<string[]> {
  if (!opts.export?.length || results.length === 0) return [];
  // Imported here, not at the top: they load Ink and React (~1,400 modules),
  // which every start of `perf` (including each error path) would otherwise pay for.
  const { exportScreens } = await import('../ui/results/export-screen.js');
  const { linesWidth } = await import('../ui/results/lines.js');
  const { perfTableLines } = await import('../ui/results/perf-table.js');
  // Without a terminal there is no width to respect: wide enough for every stat column.
  const width = process.stdout.isTTY ? process.stdout.columns || 120 : Math.max(120, ...results.map((r) => linesWidth(perfTableLines(r.perf, 10_000, -1, null))));
  return exportScreens(runDir, results, opts.export, width);
}
