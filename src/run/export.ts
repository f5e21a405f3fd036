/** `--export txt,ansi,svg`: write the final results screen of every task without interaction. */
import type { PerfOptions } from '../config/options.js';
import type { TaskResult } from '../metrics/types.js';

export async function exportIfAsked(
  runDir: string,
  results: TaskResult[],
  opts: Pick<PerfOptions, 'export'>,
): Promise<string[]> {
  if (!opts.export?.length || results.length === 0) return [];
  // Imported here, not at the top: it loads Ink and React (~1,400 modules),
  // which every start of `perf` (including each error path) would otherwise pay for.
  const { exportScreens, unattendedWidth } = await import('../ui/results/export-screen.js');
  const width = process.stdout.isTTY ? process.stdout.columns || 120 : unattendedWidth(results);
  return exportScreens(runDir, results, opts.export, width);
}
