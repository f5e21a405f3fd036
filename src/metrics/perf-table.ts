/**
 * Performance Parameters rows from the kept per-request values. The sorted
 * arrays are built once per stage, so another stats list (the results view's
 * `recompute`) costs only the percentile lookups.
 */
import { PERF_METRICS, perSecond } from './definitions.js';
import { percentileMethod, roundStat, type Dialect } from './dialects.js';
import type { Columns } from './columns.js';
import type { ItlHistogram } from './itl-histogram.js';
import { sortedFinite, statsOfSorted } from './stats.js';
import type { PerfMetricName, PerfRow, Stage } from './types.js';

/** Everything a stage's rows need, values sorted ascending. */
export interface StageValues {
  stage: Stage;
  sorted: Partial<Record<PerfMetricName, Float64Array>>;
  itl: ItlHistogram;
  /** Requests counted in the ITL (and, for AISBench, TPOT) N. */
  itlN: number;
  /** Successful requests (AISBench's N for every other row). */
  okN: number;
  dialect: Dialect;
}

/** Sort the per-request metrics of the successful requests selected by `mask` (null = all). */
export function stageValues(
  cols: Columns,
  mask: Uint8Array | null,
  itl: ItlHistogram,
  stage: Stage,
  dialect: Dialect = 'aisbench',
): StageValues {
  const n = cols.n;
  const take = (f: (i: number) => number): Float64Array => {
    const out = new Float64Array(n).fill(NaN);
    for (let i = 0; i < n; i++) if (cols.ok[i] === 1 && (mask === null || mask[i] === 1)) out[i] = f(i);
    return sortedFinite(out);
  };
  let itlN = 0;
  let okN = 0;
  for (let i = 0; i < n; i++) {
    if (cols.ok[i] !== 1 || (mask !== null && mask[i] !== 1)) continue;
    okN++;
    if (cols.itlN[i]! > 0) itlN++;
  }
  // AISBench's per-request Prefill Token Throughput is 0 (and kept) when TTFT ≤ 0
  // (base_perf_metric_calculator.py `convert_result`).
  const zeroPrefill = dialect === 'aisbench' || dialect === 'aisbench-exact';
  return {
    stage,
    itl,
    itlN,
    okN,
    dialect,
    sorted: {
      E2EL: take((i) => cols.e2el[i]!),
      TTFT: take((i) => cols.ttft[i]!),
      TPOT: take((i) => cols.tpot[i]!),
      ...(dialect === 'aiperf' ? { ITL: take((i) => cols.itlReq[i]!) } : {}),
      InputTokens: take((i) => cols.inTok[i]!),
      OutputTokens: take((i) => cols.outTok[i]!),
      OutputTokenThroughput: take((i) => perSecond(cols.outTok[i]!, cols.e2el[i]!)),
      PrefillTokenThroughput: take((i) =>
        zeroPrefill && !(cols.ttft[i]! > 0) ? 0 : perSecond(cols.inTok[i]!, cols.ttft[i]!),
      ),
    },
  };
}

/** Rows of the Performance Parameters table, per metric then per stage. */
export function perfRows(
  stages: readonly StageValues[],
  stats: readonly string[],
  dialect: Dialect = 'aisbench',
): PerfRow[] {
  const rows: PerfRow[] = [];
  const method = percentileMethod(dialect);
  const aisN = dialect === 'aisbench' || dialect === 'aisbench-exact';
  for (const m of PERF_METRICS) {
    for (const s of stages) {
      const round = (vals: number[]): number[] => vals.map((v, i) => roundStat(dialect, m.name, m.unit, v, stats[i]));
      const sorted = s.sorted[m.name];
      if (m.name === 'ITL' && !sorted) {
        rows.push({
          metric: m.name,
          stage: s.stage,
          unit: m.unit,
          values: round(s.itl.statsMs(stats, method)),
          n: s.itlN,
        });
        continue;
      }
      // AISBench's N: successes for every row, requests with a non-zero ITL
      // for TPOT and ITL (base_perf_metric_calculator.py `_calc_metrics`).
      const n = aisN ? (m.name === 'TPOT' || m.name === 'ITL' ? s.itlN : s.okN) : sorted!.length;
      rows.push({
        metric: m.name,
        stage: s.stage,
        unit: m.unit,
        values: round(statsOfSorted(sorted!, stats, method)),
        n,
      });
    }
  }
  return rows;
}
