/** The Performance Parameters table (metrics × stats, Stage, N) as Lines, sortable by any stat column or N. */
import type { PerfRow, PerfTable } from '../../metrics/types.js';
import { compactNumber, unitSuffix } from './format.js';
import type { Line } from './lines.js';
import { sortRows, type SortState } from './sort.js';
import { renderTable } from './table.js';

/** Data columns of the perf table: one per stat, then N. */
export function perfColumnCount(table: PerfTable): number {
  return table.stats.length + 1;
}

/** The numeric key of a row in data column `col` (N after the stats). */
export function perfKey(row: PerfRow, col: number): number {
  return col < row.values.length ? (row.values[col] ?? NaN) : row.n;
}

export function perfTableLines(table: PerfTable, width: number, cursor: number, sort: SortState | null): Line[] {
  const rows = sortRows(table.rows, sort, perfKey);
  return renderTable({
    labels: [
      { header: 'Performance Parameters', align: 'left' },
      { header: 'Stage', align: 'left' },
    ],
    // Units in the row label, numbers right-aligned and compact, so every default stat fits 120 columns.
    data: [...table.stats.map((s) => ({ header: s, align: 'right' as const })), { header: 'N', align: 'right' }],
    rows: rows.map((r) => [
      `${r.metric}${unitSuffix(r.unit)}`,
      r.stage,
      ...table.stats.map((_, i) => compactNumber(r.values[i] ?? NaN)),
      compactNumber(r.n, true),
    ]),
    width,
    cursor,
    sort,
  });
}
