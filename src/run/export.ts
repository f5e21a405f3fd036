/** `--export txt,ansi,svg`: write the final results screen of every task without interaction. */
import type { PerfOptions } from '../cli/options.js';
import type { TaskResult } from '../metrics/types.js';
import { exportScreens } from '../output/export-screen.js';

export async function exportIfAsked(runDir: string, results: TaskResult[], opts: PerfOptions): Promise<string[]> {
  if (!opts.export?.length || results.length === 0) return [];
  const width = process.stdout.isTTY ? process.stdout.columns || 120 : 120;
  return exportScreens(runDir, results, opts.export, width);
}
