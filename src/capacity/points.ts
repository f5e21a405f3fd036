/**
 * One number per metric per finished task of a capacity run: the rows of
 * summary/sweep.csv, the input of repeats, search and curves. Values are
 * read from the task's results (metrics/definitions.ts defines them).
 */
import type { TaskConfig } from '../config/types.js';
import type { PerfTable, TaskResult } from '../metrics/types.js';
import { sloMet } from '../metrics/slo-rows.js';
import type { CapacityTag } from './sweep.js';
import { commonValueOf } from '../metrics/common.js';
import type { CommonMetricId } from '../core/metric-ids.js';

/** The metrics a capacity run reports per point, with units and which way is better. */
export const POINT_METRICS = [
  { id: 'reqPerS', label: 'Request Throughput', unit: 'req/s', better: 'higher' },
  { id: 'outTokPerS', label: 'Output Token Throughput', unit: 'token/s', better: 'higher' },
  { id: 'perUserTokPerS', label: 'Output Token Throughput per user (avg)', unit: 'token/s', better: 'higher' },
  { id: 'ttftAvg', label: 'TTFT avg', unit: 'ms', better: 'lower' },
  { id: 'ttftP50', label: 'TTFT p50', unit: 'ms', better: 'lower' },
  { id: 'ttftP99', label: 'TTFT p99', unit: 'ms', better: 'lower' },
  { id: 'tpotAvg', label: 'TPOT avg', unit: 'ms', better: 'lower' },
  { id: 'tpotP99', label: 'TPOT p99', unit: 'ms', better: 'lower' },
  { id: 'itlP99', label: 'ITL p99', unit: 'ms', better: 'lower' },
  { id: 'e2elAvg', label: 'E2EL avg', unit: 'ms', better: 'lower' },
  { id: 'e2elP99', label: 'E2EL p99', unit: 'ms', better: 'lower' },
  { id: 'concurrency', label: 'Concurrency (achieved)', unit: '', better: 'none' },
  { id: 'failed', label: 'Failed Requests', unit: '', better: 'lower' },
] as const;

export type PointMetric = (typeof POINT_METRICS)[number]['id'];

export interface PointRow extends Record<PointMetric, number> {
  key: string;
  base: string;
  kind?: CapacityTag['kind'];
  value?: number;
  run?: number;
  success: number;
  /** SLO Met (undefined without objectives). */
  sloMet?: boolean;
  /** Relative paths of the task's files. */
  files: Record<string, string>;
}

const STATS = ['Average', 'Median', 'P90', 'P99'];

function pick(t: PerfTable, metric: string, stat: string): number {
  const i = t.stats.indexOf(stat);
  const row = t.rows.find((r) => r.metric === metric && r.stage === 'total');
  return i >= 0 && row ? (row.values[i] ?? NaN) : NaN;
}

export function pointRow(task: TaskConfig, r: TaskResult): PointRow {
  const table = r.recompute ? r.recompute(STATS) : r.perf;
  const common = (id: CommonMetricId): number => commonValueOf(r.common, id) ?? NaN;
  const tag = task.capacity;
  return {
    key: r.key,
    base: tag?.base ?? r.key,
    kind: tag?.kind,
    value: tag?.value,
    run: tag?.run,
    reqPerS: common('request_throughput'),
    outTokPerS: common('output_token_throughput'),
    perUserTokPerS: pick(table, 'OutputTokenThroughput', 'Average'),
    ttftAvg: pick(table, 'TTFT', 'Average'),
    ttftP50: pick(table, 'TTFT', 'Median'),
    ttftP99: pick(table, 'TTFT', 'P99'),
    tpotAvg: pick(table, 'TPOT', 'Average'),
    tpotP99: pick(table, 'TPOT', 'P99'),
    itlP99: pick(table, 'ITL', 'P99'),
    e2elAvg: pick(table, 'E2EL', 'Average'),
    e2elP99: pick(table, 'E2EL', 'P99'),
    concurrency: common('concurrency'),
    failed: common('failed_requests'),
    success: common('success_requests'),
    sloMet: sloMet(r.common),
    files: { ...r.files },
  };
}
