/** The Performance Parameters table (metrics × stats, Stage, N) as Lines, sortable by any stat column or N. */
import type { PerfRow, PerfTable } from '../../metrics/types.js';
import { formatPerfValue } from './format.js';
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
    data: [...table.stats.map((s) => ({ header: s, align: 'left' as const })), { header: 'N', align: 'right' }],
    rows: rows.map((r) => [r.metric, r.stage, ...table.stats.map((_, i) => formatPerfValue(r.values[i] ?? NaN, r.unit)), String(r.n)]),
    width,
    cursor,
    sort,
  });
}
