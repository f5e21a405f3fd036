/**
 * Performance Parameters rows from the kept per-request values. The sorted
 * arrays are built once per stage, so another stats list (the results view's
 * `recompute`) costs only the percentile lookups.
 */
import { PERF_METRICS, perSecond, tpotOf } from './definitions.js';
import type { Columns } from './columns.js';
import type { ItlHistogram } from './itl-histogram.js';
import { sortedFinite, statsOfSorted } from './stats.js';
import type { PerfMetricName, PerfRow, Stage } from './types.js';

/** Everything a stage's rows need, values sorted ascending. */
export interface StageValues {
  stage: Stage;
  sorted: Partial<Record<PerfMetricName, Float64Array>>;
  itl: ItlHistogram;
  /** Requests with at least one ITL value. */
  itlN: number;
}

/** Sort the per-request metrics of the successful requests selected by `mask` (null = all). */
export function stageValues(cols: Columns, mask: Uint8Array | null, itl: ItlHistogram, stage: Stage): StageValues {
  const n = cols.n;
  const take = (f: (i: number) => number): Float64Array => {
    const out = new Float64Array(n).fill(NaN);
    for (let i = 0; i < n; i++) if (cols.ok[i] === 1 && (mask === null || mask[i] === 1)) out[i] = f(i);
    return sortedFinite(out);
  };
  let itlN = 0;
  for (let i = 0; i < n; i++) if (cols.ok[i] === 1 && (mask === null || mask[i] === 1) && cols.itlN[i]! > 0) itlN++;
  return {
    stage,
    itl,
    itlN,
    sorted: {
      E2EL: take((i) => cols.e2el[i]!),
      TTFT: take((i) => cols.ttft[i]!),
      TPOT: take((i) => tpotOf(cols.e2el[i]!, cols.ttft[i]!, cols.outTok[i]!)),
      InputTokens: take((i) => cols.inTok[i]!),
      OutputTokens: take((i) => cols.outTok[i]!),
      OutputTokenThroughput: take((i) => perSecond(cols.outTok[i]!, cols.e2el[i]!)),
      PrefillTokenThroughput: take((i) => perSecond(cols.inTok[i]!, cols.ttft[i]!)),
    },
  };
}

/** Rows of the Performance Parameters table, per metric then per stage. */
export function perfRows(stages: readonly StageValues[], stats: readonly string[]): PerfRow[] {
  const rows: PerfRow[] = [];
  for (const m of PERF_METRICS) {
    for (const s of stages) {
      if (m.name === 'ITL') {
        rows.push({ metric: m.name, stage: s.stage, unit: m.unit, values: s.itl.statsMs(stats), n: s.itlN });
        continue;
      }
      const sorted = s.sorted[m.name]!;
      rows.push({ metric: m.name, stage: s.stage, unit: m.unit, values: statsOfSorted(sorted, stats), n: sorted.length });
    }
  }
  return rows;
}
