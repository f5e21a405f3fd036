/**
 * SLO objectives evaluated over a task's requests (the spec and its parser:
 * core/slo.ts).
 *
 * Definitions (following vLLM's `bench sweep serve_sla` and AIPerf's SLO
 * filters: a percentile of a latency metric compared with a limit; and
 * attainment as DistServe's "SLO attainment", the share of requests that
 * meet the target):
 * - value      = the objective's statistic over the successful requests
 *                (avg = mean; pNN = exact percentile, linear interpolation
 *                as numpy, see stats.ts). TPOT of one-token answers is
 *                undefined and left out, as in the TPOT row.
 * - attainment = % of all measured requests whose own value is ≤ the limit;
 *                a failed request never meets it (denominator: every
 *                non-warmup request, failed ones included).
 * - met        = for pNN: the pNN over all requests, failed ones counted as
 *                infinitely slow, is ≤ the limit (without failures: value ≤
 *                limit); for avg: value ≤ limit and no request failed.
 * A task meets the SLO when every objective is met.
 */
import { percentileSorted } from './stats.js';
import type { Columns } from './columns.js';
import type { CommonRow, Stage } from './types.js';
import { COMMON_METRIC_NAMES } from '../core/metric-ids.js';
import { objectiveLabel, type SloMetric, type SloObjective } from '../core/slo.js';

export interface ObjectiveOutcome {
  objective: SloObjective;
  label: string;
  /** ms (NaN without successful requests). */
  value: number;
  /** % of requests meeting the limit. */
  attainment: number;
  met: boolean;
}

/** Per-request values of one metric over the successful requests (NaN-free). */
function valuesOf(cols: Columns, mask: Uint8Array | null, metric: SloMetric): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < cols.n; i++) {
    if ((mask !== null && mask[i] !== 1) || cols.ok[i] !== 1) continue;
    const ttft = cols.ttft[i]!;
    const e2el = cols.e2el[i]!;
    const v =
      metric === 'ttft'
        ? ttft
        : metric === 'e2el'
          ? e2el
          : cols.outTok[i]! > 1
            ? (e2el - ttft) / (cols.outTok[i]! - 1)
            : NaN;
    if (Number.isFinite(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** Evaluate objectives over the requests of a stage (mask null = all). */
export function evaluateObjectives(
  cols: Columns,
  mask: Uint8Array | null,
  objectives: readonly SloObjective[],
): ObjectiveOutcome[] {
  let total = 0;
  let failed = 0;
  for (let i = 0; i < cols.n; i++) {
    if (mask !== null && mask[i] !== 1) continue;
    total++;
    if (cols.ok[i] !== 1) failed++;
  }
  return objectives.map((o) => {
    const sorted = valuesOf(cols, mask, o.metric);
    let sum = 0;
    let within = 0;
    for (const v of sorted) {
      sum += v;
      if (v <= o.limitMs) within++;
    }
    const value = sorted.length === 0 ? NaN : o.stat === 'avg' ? sum / sorted.length : percentileSorted(sorted, o.stat);
    // Requests without a value for this metric (one-token TPOT) do not count against it.
    const counted = sorted.length + failed;
    const attainment = counted > 0 ? (within * 100) / counted : NaN;
    let met = total > 0 && sorted.length > 0;
    if (met && o.stat === 'avg') met = value <= o.limitMs && failed === 0;
    else if (met) {
      const all = new Float64Array(sorted.length + failed).fill(Infinity);
      all.set(sorted);
      // ∞ − ∞ inside the interpolation gives NaN: that rank is a failure too.
      const p = percentileSorted(all, o.stat as number);
      met = !Number.isNaN(p) && p <= o.limitMs;
    }
    return { objective: o, label: objectiveLabel(o), value, attainment, met };
  });
}

/** Common Metric rows: each objective's value and attainment, and whether the task met the SLO. */
export function sloRows(
  cols: Columns,
  mask: Uint8Array | null,
  objectives: readonly SloObjective[],
  stage: Stage,
): CommonRow[] {
  if (objectives.length === 0) return [];
  const out = evaluateObjectives(cols, mask, objectives);
  const rows: CommonRow[] = [];
  for (const r of out) {
    rows.push({ name: `SLO ${r.label}`, stage, value: r.value, unit: 'ms' });
    rows.push({ name: `SLO ${r.label} Attainment`, stage, value: r.attainment, unit: '%' });
  }
  rows.push({
    id: 'slo_met',
    name: COMMON_METRIC_NAMES.slo_met,
    stage,
    value: out.every((r) => r.met) ? 1 : 0,
    unit: '',
  });
  return rows;
}

/** Read "SLO Met" back from a result's rows: true, false, or undefined without objectives. */
export function sloMet(common: readonly CommonRow[], stage: Stage = 'total'): boolean | undefined {
  const r = common.find((c) => c.id === 'slo_met' && c.stage === stage);
  return r ? r.value === 1 : undefined;
}

/** One line for plain output: `SLO met (ttft:p99<=500 412.3 ms, 99.4 % within; ...)`, or '' without objectives. */
export function sloLine(common: readonly CommonRow[]): string {
  const met = sloMet(common);
  if (met === undefined) return '';
  const parts: string[] = [];
  for (const c of common) {
    if (c.stage !== 'total' || !c.name.startsWith('SLO ') || c.id === 'slo_met' || c.name.endsWith(' Attainment'))
      continue;
    const att = common.find((a) => a.stage === 'total' && a.name === `${c.name} Attainment`)?.value ?? NaN;
    parts.push(
      `${c.name.slice(4)} ${Number.isFinite(c.value) ? c.value.toFixed(1) : '-'} ms, ${Number.isFinite(att) ? att.toFixed(1) : '-'} % within`,
    );
  }
  return `SLO ${met ? 'met' : 'NOT met'} (${parts.join('; ')})`;
}
