/**
 * The comparison table: one row per task, chosen stats of chosen metrics.
 * Values come from each task's current-preset table (or are recomputed), so
 * sorting compares numbers across tasks.
 */
import type { PerfMetricName, PerfTable, TaskResult } from '../../metrics/types.js';
import { compactNumber, unitSuffix } from './format.js';
import { COUNT_METRICS, type CommonMetricId } from '../../core/metric-ids.js';
import type { Line } from './lines.js';
import { sortOrder, type SortState } from './sort.js';
import { renderTable } from './table.js';
import { commonValue, statValue } from './tables-for.js';

export interface CompareColumn {
  header: string;
  unit: string;
  /** perf: a stat of a metric; common: a Common Metric by id. */
  source: { kind: 'perf'; metric: PerfMetricName; stat: string } | { kind: 'common'; id: CommonMetricId };
}

export const DEFAULT_COMPARE_COLUMNS: readonly CompareColumn[] = [
  { header: 'TTFT P99', unit: 'ms', source: { kind: 'perf', metric: 'TTFT', stat: 'P99' } },
  { header: 'TPOT P99', unit: 'ms', source: { kind: 'perf', metric: 'TPOT', stat: 'P99' } },
  { header: 'E2EL Median', unit: 'ms', source: { kind: 'perf', metric: 'E2EL', stat: 'Median' } },
  { header: 'Output', unit: 'token/s', source: { kind: 'common', id: 'output_token_throughput' } },
  { header: 'Throughput', unit: 'req/s', source: { kind: 'common', id: 'request_throughput' } },
  { header: 'Failed', unit: '', source: { kind: 'common', id: 'failed_requests' } },
];

/** The numbers of the comparison table: one array per task, one value per column. */
export function compareValues(
  results: readonly TaskResult[],
  tables: readonly PerfTable[],
  columns: readonly CompareColumn[] = DEFAULT_COMPARE_COLUMNS,
): number[][] {
  return results.map((r, i) =>
    columns.map((c) =>
      c.source.kind === 'perf'
        ? statValue(r, tables[i] ?? r.perf, c.source.metric, c.source.stat)
        : commonValue(r, c.source.id),
    ),
  );
}

/** Task indices in display order for a sort of the comparison table. */
export function compareOrder(values: readonly number[][], sort: SortState | null): number[] {
  if (!sort) return values.map((_, i) => i);
  return sortOrder(
    values.map((v) => v[sort.col] ?? NaN),
    sort.dir,
  );
}

export function comparisonLines(
  results: readonly TaskResult[],
  tables: readonly PerfTable[],
  width: number,
  cursor: number,
  sort: SortState | null,
  columns: readonly CompareColumn[] = DEFAULT_COMPARE_COLUMNS,
): Line[] {
  const values = compareValues(results, tables, columns);
  const order = compareOrder(values, sort);
  return renderTable({
    labels: [
      { header: '#', align: 'right' },
      { header: 'Task', align: 'left' },
    ],
    data: columns.map((c) => ({ header: `${c.header}${unitSuffix(c.unit)}`, align: 'right' as const })),
    rows: order.map((i) => [
      String(i + 1),
      results[i]!.key,
      ...columns.map((c, k) =>
        compactNumber(values[i]![k]!, c.source.kind === 'common' && COUNT_METRICS.has(c.source.id)),
      ),
    ]),
    width,
    cursor,
    sort,
  });
}
