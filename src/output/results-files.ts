/**
 * The result files of a task, AISBench's layout under the run folder:
 *   performances/<abbr>/<dataset>.csv   Performance Parameters (the table's cells)
 *   performances/<abbr>/<dataset>.json  Common Metric: {"<name>": {"<stage>": "<value unit>"}},
 *                                       plus "_raw": the same with plain numbers
 */
import { mkdirSync } from 'node:fs';
import { replaceFileSync } from './safe-write.js';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { isCountRow } from '../metrics/common.js';
import type { CommonRow, PerfTable, TaskResult } from '../metrics/types.js';
import { formatValue } from './tables.js';
import { evalscopeJson } from '../metrics/evalscope-summary.js';
import { RunLayout } from '../core/run-layout.js';

export function perfCsv(t: PerfTable, dialect?: string): string {
  const rows = [['Performance Parameters', 'Stage', ...t.stats, 'N']];
  for (const r of t.rows) rows.push([r.metric, r.stage, ...r.values.map((v) => formatValue(v, r.unit)), String(r.n)]);
  // #13: the metric dialect the numbers follow (src/metrics/dialects.ts), as a last row.
  if (dialect) rows.push(['Metric Dialect', dialect]);
  return stringify(rows, { relax_column_count: true } as never);
}

export function commonJson(rows: CommonRow[], dialect?: string): Record<string, unknown> {
  const out: Record<string, Record<string, string>> = {};
  const raw: Record<string, Record<string, number | null>> = {};
  for (const r of rows) {
    (out[r.name] ??= {})[r.stage] = formatValue(r.value, r.unit, isCountRow(r));
    (raw[r.name] ??= {})[r.stage] = Number.isFinite(r.value) ? r.value : null;
  }
  return { ...out, ...(dialect ? { 'Metric Dialect': dialect } : {}), _raw: raw };
}

/** Write both files; returns their paths relative to runDir. */
export function writeTaskResultFiles(runDir: string, r: TaskResult): { csv: string; json: string } {
  mkdirSync(join(runDir, RunLayout.taskDir(r.abbr)), { recursive: true });
  const csv = RunLayout.taskFile(r.abbr, r.dataset, 'csv');
  const json = RunLayout.taskFile(r.abbr, r.dataset, 'json');
  // perf_viz rewrites them: a temp file and a rename, so a full disk keeps the old ones.
  replaceFileSync(join(runDir, csv), perfCsv(r.perf, r.dialect));
  replaceFileSync(join(runDir, json), JSON.stringify(commonJson(r.common, r.dialect), null, 2) + '\n');
  if (r.evalscope) {
    // #13: EvalScope's summary layout beside AISBench's files.
    const es = RunLayout.taskFile(r.abbr, r.dataset, 'evalscope');
    replaceFileSync(join(runDir, es), JSON.stringify(evalscopeJson(r.evalscope), null, 2) + '\n');
    return { csv, json, evalscope: es } as { csv: string; json: string };
  }
  return { csv, json };
}
