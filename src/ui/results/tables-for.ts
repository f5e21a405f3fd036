/**
 * Perf tables for a stats list: the task's own table when the list matches,
 * else `result.recompute(stats)` (cached per result and list), else the
 * task's own table flagged as not recomputed.
 */
import type { PerfRow, PerfTable, TaskResult } from '../../metrics/types.js';
import { commonValueOf } from '../../metrics/common.js';
import type { CommonMetricId } from '../../core/metric-ids.js';

export interface TableForStats {
  table: PerfTable;
  /** Why the table is not for the requested stats ('' when it is). */
  problem: string;
}

const cache = new WeakMap<TaskResult, Map<string, TableForStats>>();

export function perfTableFor(result: TaskResult, stats: readonly string[]): TableForStats {
  const key = stats.join(',');
  if (result.perf.stats.join(',') === key) return { table: result.perf, problem: '' };
  let byKey = cache.get(result);
  if (!byKey) cache.set(result, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  let out: TableForStats;
  if (!result.recompute) {
    out = { table: result.perf, problem: 'recompute unavailable (results loaded without details)' };
  } else {
    try {
      out = { table: result.recompute([...stats]), problem: '' };
    } catch (err) {
      out = {
        table: result.perf,
        problem: `recompute failed: ${String((err as Error).message ?? err).split('\n')[0]}`,
      };
    }
  }
  byKey.set(key, out);
  return out;
}

/** Value of `metric`'s `stat` (stage 'total'), looked up in `table`, then the task's own table, then recomputed. */
export function statValue(result: TaskResult, table: PerfTable, metric: PerfRow['metric'], stat: string): number {
  for (const t of [table, result.perf]) {
    const i = t.stats.indexOf(stat);
    const row = t.rows.find((r) => r.metric === metric && r.stage === 'total');
    if (i >= 0 && row) return row.values[i] ?? NaN;
  }
  const { table: extra, problem } = perfTableFor(result, [stat]);
  if (problem) return NaN;
  const row = extra.rows.find((r) => r.metric === metric && r.stage === 'total');
  return row?.values[0] ?? NaN;
}

/** A Common Metric value by id (stage 'total'); NaN when absent. */
export function commonValue(result: TaskResult, id: CommonMetricId): number {
  return commonValueOf(result.common, id) ?? NaN;
}
