/**
 * EvalScope's own summary layout (seed 003; evalscope/perf/utils/benchmark_util.py
 * `MetricsAccumulator.to_result`, utils/db_util.py `get_percentile_results`),
 * computed under the evalscope dialect's definitions: the "Benchmarking
 * summary" key/value table (seconds, as EvalScope prints them) and the
 * "Percentile results" table (data[int(n·p/100)], no interpolation).
 */
import type { Columns } from './columns.js';
import type { ItlHistogram } from './itl-histogram.js';
import { percentileFloorSorted, sortedFinite } from './stats.js';

export interface EvalScopeSummary {
  summary: Array<[string, number]>;
  percentiles: { labels: string[]; columns: Array<[string, number[]]> };
}

/** The seed's percentiles. */
export const EVALSCOPE_PERCENTILES = [10, 25, 50, 66, 75, 80, 90, 95, 98, 99] as const;

const r = (x: number, d: number): number => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : NaN);

export function evalscopeSummary(
  cols: Columns,
  itl: ItlHistogram,
  durationMs: number,
  concurrency: number,
): EvalScopeSummary {
  const n = cols.n;
  let ok = 0;
  let sumLat = 0;
  let sumTtft = 0;
  let sumTpot = 0;
  let inTok = 0;
  let outTok = 0;
  const take = (f: (i: number) => number): Float64Array => {
    const out = new Float64Array(n).fill(NaN);
    for (let i = 0; i < n; i++) if (cols.ok[i] === 1) out[i] = f(i);
    return sortedFinite(out);
  };
  for (let i = 0; i < n; i++) {
    if (cols.ok[i] !== 1) continue;
    ok++;
    sumLat += cols.e2el[i]!;
    sumTtft += cols.ttft[i]!;
    if (Number.isFinite(cols.tpot[i]!)) sumTpot += cols.tpot[i]!;
    inTok += cols.inTok[i]!;
    outTok += cols.outTok[i]!;
  }
  const t = durationMs / 1000;
  const avg = (x: number): number => (ok > 0 ? x / ok : NaN);
  const summary: Array<[string, number]> = [
    ['Time taken for tests (seconds)', r(t, 4)],
    ['Number of concurrency', concurrency],
    ['Total requests', n],
    ['Succeed requests', ok],
    ['Failed requests', n - ok],
    ['Average QPS', r(t > 0 ? ok / t : NaN, 4)],
    ['Average latency (s)', r(avg(sumLat) / 1000, 4)],
    ['Average time to first token (s)', r(avg(sumTtft) / 1000, 4)],
    ['Throughput (average output tokens per second)', r(t > 0 ? outTok / t : NaN, 4)],
    ['Average time per output token (s)', r(avg(sumTpot) / 1000, 5)],
    // Packages = events with choices (the evalscope dialect's timed events): gaps + 1 a request.
    ['Average package per request', r(ok > 0 ? (itl.count + ok) / ok : NaN, 4)],
    ['Average package latency (s)', r(itl.count > 0 ? itl.sumUs / itl.count / 1e6 : NaN, 4)],
    ['Average input tokens per request', r(avg(inTok), 4)],
    ['Average output tokens per request', r(avg(outTok), 4)],
  ];
  const pct = (sorted: Float64Array, scale: number, d: number): number[] =>
    EVALSCOPE_PERCENTILES.map((p) => r(percentileFloorSorted(sorted, p) * scale, d));
  const stats = EVALSCOPE_PERCENTILES.map((p) => `P${p}`);
  const columns: Array<[string, number[]]> = [
    [
      'First Chunk Latency (s)',
      pct(
        take((i) => cols.ttft[i]!),
        1 / 1000,
        4,
      ),
    ],
    [
      'Latency (s)',
      pct(
        take((i) => cols.e2el[i]!),
        1 / 1000,
        4,
      ),
    ],
    ['ITL (ms)', itl.statsMs(stats, 'floor').map((v) => r(v, 2))],
    [
      'TPOT (ms)',
      pct(
        take((i) => cols.tpot[i]!),
        1,
        2,
      ),
    ],
    [
      'Input tokens',
      pct(
        take((i) => cols.inTok[i]!),
        1,
        0,
      ),
    ],
    [
      'Output tokens',
      pct(
        take((i) => cols.outTok[i]!),
        1,
        0,
      ),
    ],
    [
      'Output (tok/s)',
      pct(
        take((i) => (cols.e2el[i]! > 0 ? (cols.outTok[i]! * 1000) / cols.e2el[i]! : NaN)),
        1,
        2,
      ),
    ],
    [
      'Total (tok/s)',
      pct(
        take((i) => (cols.e2el[i]! > 0 ? ((cols.inTok[i]! + cols.outTok[i]!) * 1000) / cols.e2el[i]! : NaN)),
        1,
        2,
      ),
    ],
  ];
  return { summary, percentiles: { labels: EVALSCOPE_PERCENTILES.map((p) => `${p}%`), columns } };
}

/** The two tables as EvalScope prints them (plain text, one string each). */
export function evalscopeTablesText(s: EvalScopeSummary, render: (h: string[], rows: string[][]) => string): string {
  const fmt = (v: number): string => (Number.isFinite(v) ? String(v) : '-');
  const a = render(
    ['Key', 'Value'],
    s.summary.map(([k, v]) => [k, fmt(v)]),
  );
  const headers = ['Percentile', ...s.percentiles.columns.map(([h]) => h)];
  const rows = s.percentiles.labels.map((l, i) => [l, ...s.percentiles.columns.map(([, vals]) => fmt(vals[i]!))]);
  return `Benchmarking summary:\n${a}\n\nPercentile results:\n${render(headers, rows)}`;
}

/** `<dataset>_evalscope.json`: the summary as key → value and the percentile table as EvalScope's JSON has it. */
export function evalscopeJson(s: EvalScopeSummary): Record<string, unknown> {
  const pct: Record<string, Array<string | number | null>> = { Percentiles: s.percentiles.labels };
  for (const [h, vals] of s.percentiles.columns) pct[h] = vals.map((v) => (Number.isFinite(v) ? v : null));
  return {
    'Benchmarking summary': Object.fromEntries(s.summary.map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
    'Percentile results': pct,
  };
}
