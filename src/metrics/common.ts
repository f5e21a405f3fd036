/** The Common Metric rows of one stage (definitions.ts states each formula). */
import { isGood, tpotOf } from './definitions.js';
import type { Slo } from '../core/slo.js';
import type { Columns } from './columns.js';
import { F64List } from './f64-list.js';
import { percentileSorted } from './stats.js';
import type { CommonRow, Stage } from './types.js';
import { COMMON_METRIC_NAMES, COUNT_METRICS, type CommonMetricId } from '../core/metric-ids.js';
import type { Dialect } from './dialects.js';
import { sloRows } from './slo-rows.js';

export interface CommonOptions {
  stage: Stage;
  /** Configured batch_size. */
  maxConcurrency: number;
  slo?: Slo;
  /** Benchmark Duration to use (ms) instead of max(end) − min(t0): the stable window's length. */
  durationMs?: number;
  dialect?: Dialect;
}

/**
 * Benchmark Duration by dialect (ms):
 * - aisbench, aisbench-exact: max(last event) − min(start) over SUCCESSFUL
 *   requests (default_perf_metric_calculator.py `_process_result`; failed
 *   requests keep only a success flag, summarizers/default_perf.py).
 * - evalscope: latest completion of a success − earliest start of any request
 *   (benchmark_util.py `MetricsAccumulator.wall_time`; a failed request
 *   contributes its start).
 * - aiperf: max(start + request latency) − min(start) over valid records
 *   (BenchmarkDurationMetric over MaxResponseTimestampMetric /
 *   MinRequestTimestampMetric; failed records get error metrics only).
 * - vllm, per-token: first send → last end of any request, failures in
 *   (serve.py measures the wall clock around the whole run).
 */
function durationOf(d: Dialect, minT0All: number, maxEndAll: number, minT0Ok: number, maxLastOk: number): number {
  if (d === 'aisbench' || d === 'aisbench-exact' || d === 'aiperf') return maxLastOk - minT0Ok;
  if (d === 'evalscope') return maxLastOk - minT0All;
  return maxEndAll - minT0All;
}

export function commonRows(cols: Columns, mask: Uint8Array | null, o: CommonOptions): CommonRow[] {
  let total = 0;
  let ok = 0;
  let retried = 0;
  const d = o.dialect ?? 'aisbench';
  let minT0 = Infinity;
  let maxEnd = -Infinity;
  let minT0Ok = Infinity;
  let maxLastOk = -Infinity;
  let sumE2el = 0;
  let sumTtft = 0;
  let inTok = 0;
  let outTok = 0;
  let good = 0;
  const delays = new F64List();
  for (let i = 0; i < cols.n; i++) {
    if (mask !== null && mask[i] !== 1) continue;
    total++;
    const t0 = cols.t0[i]!;
    if (t0 < minT0) minT0 = t0;
    const end = cols.end[i]!;
    if (end > maxEnd) maxEnd = end;
    if (cols.attempts[i]! > 1) retried++;
    const sched = cols.sched[i]!;
    if (sched >= 0) delays.push(t0 - sched);
    if (cols.ok[i] !== 1) continue;
    ok++;
    if (t0 < minT0Ok) minT0Ok = t0;
    const last = cols.last[i]!;
    if (last > maxLastOk) maxLastOk = last;
    const e2el = cols.e2el[i]!;
    const ttft = cols.ttft[i]!;
    if (Number.isFinite(e2el)) sumE2el += e2el;
    if (Number.isFinite(ttft)) sumTtft += ttft;
    inTok += cols.inTok[i]!;
    outTok += cols.outTok[i]!;
    if (o.slo && isGood(o.slo, ttft, tpotOf(e2el, ttft, cols.outTok[i]!), e2el)) good++;
  }
  const full = total > 0 ? durationOf(d, minT0, maxEnd, minT0Ok, maxLastOk) : 0;
  const duration = o.durationMs ?? (Number.isFinite(full) ? full : 0);
  const aisbench = d === 'aisbench' || d === 'aisbench-exact';
  // AISBench rounds every Common Metric value to 4 decimals (base_perf_metric_calculator.py).
  const r4 = (x: number): number => (d === 'aisbench-exact' && Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x);
  const durS = duration / 1000;
  const rate = (x: number): number => (durS > 0 ? x / durS : NaN);
  const row = (id: CommonMetricId, value: number, unit = ''): CommonRow => ({
    id,
    name: COMMON_METRIC_NAMES[id],
    stage: o.stage,
    value,
    unit,
  });
  // Concurrency: Σ E2EL / duration (AISBench; capped at Max Concurrency in
  // the stable stage, stable_perf_metric_calculator.py `_calculate_concurrency`).
  // EvalScope reports its configured concurrency.
  let conc = duration > 0 ? sumE2el / duration : NaN;
  if (o.stage === 'stable' && d !== 'per-token') conc = Math.min(conc, o.maxConcurrency);
  if (d === 'evalscope') conc = o.maxConcurrency;
  const rows: CommonRow[] = [
    row('benchmark_duration', r4(duration), 'ms'),
    row('total_requests', total),
    row('failed_requests', total - ok),
    row('success_requests', ok),
    row('concurrency', r4(conc)),
    row('max_concurrency', o.maxConcurrency),
    row('request_throughput', r4(rate(ok)), 'req/s'),
    row('total_input_tokens', inTok),
  ];
  // Common "Prefill Token Throughput" (Σ input / Σ TTFT) was removed from
  // AISBench's Common Metric by its PR #427; per-token keeps it.
  if (!aisbench) rows.push(row('prefill_token_throughput', sumTtft > 0 ? (inTok * 1000) / sumTtft : NaN, 'token/s'));
  rows.push(
    row('total_generated_tokens', outTok),
    row('input_token_throughput', r4(rate(inTok)), 'token/s'),
    row('output_token_throughput', r4(rate(outTok)), 'token/s'),
    row('total_token_throughput', r4(rate(inTok + outTok)), 'token/s'),
  );
  if (delays.length > 0) {
    const sorted = delays.view().slice().sort();
    let sum = 0;
    for (const d of sorted) sum += d;
    rows.push(
      row('send_delay_mean', sum / sorted.length, 'ms'),
      row('send_delay_p99', percentileSorted(sorted, 99), 'ms'),
    );
  }
  if (o.slo && (o.slo.ttftMs !== undefined || o.slo.tpotMs !== undefined || o.slo.e2elMs !== undefined)) {
    rows.push(row('goodput', rate(good), 'req/s'), row('good_requests', total > 0 ? (good * 100) / total : NaN, '%'));
  }
  if (retried > 0) rows.push(row('retried_requests', retried));
  if (o.slo?.objectives?.length) rows.push(...sloRows(cols, mask, o.slo.objectives, o.stage));
  return rows;
}

const ID_BY_NAME: ReadonlyMap<string, CommonMetricId> = new Map(
  Object.entries(COMMON_METRIC_NAMES).map(([id, name]) => [name, id as CommonMetricId]),
);

/** A row's id: its own, else the id of its label (rows written with a label only). */
export function commonIdOf(r: CommonRow): CommonMetricId | undefined {
  return r.id ?? ID_BY_NAME.get(r.name);
}

/** Whether a row's value is a count (printed without decimals). */
export function isCountRow(r: CommonRow): boolean {
  const id = commonIdOf(r);
  return id !== undefined && COUNT_METRICS.has(id);
}

/** The value of Common Metric `id` in `stage` ('total' by default); undefined when the row is absent. */
export function commonValueOf(
  rows: readonly CommonRow[],
  id: CommonMetricId,
  stage: Stage = 'total',
): number | undefined {
  return rows.find((r) => r.stage === stage && commonIdOf(r) === id)?.value;
}

/**
 * "Every request failed" (exit code 1, run/perf.ts): no success and at least
 * one failure. By id, so relabelling a row cannot switch the rule off.
 */
export function allRequestsFailed(rows: readonly CommonRow[]): boolean {
  return (commonValueOf(rows, 'success_requests') ?? 0) === 0 && (commonValueOf(rows, 'failed_requests') ?? 0) > 0;
}
