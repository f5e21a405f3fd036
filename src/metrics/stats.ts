/**
 * Stats lists and exact percentiles (definitions.ts states the method).
 */
import { UsageError } from '../core/errors.js';

export const DEFAULT_STATS: readonly string[] = ['Average', 'Min', 'Max', 'Median', 'P75', 'P90', 'P99'];
export const MAX_STATS = 8;

const PCT = /^p(\d+(?:\.\d+)?)$/i;
const NAMED: Record<string, string> = { average: 'Average', min: 'Min', max: 'Max', median: 'Median' };

/**
 * Validate a stats list (`'Average,P95'` or an array). Names are
 * case-insensitive and returned canonical ('p95' → 'P95'). Throws UsageError
 * with a one-line message on an unknown name, a duplicate, P0/P100 or more
 * than 8 entries.
 */
export function parseStats(input: string | readonly string[]): string[] {
  const parts = (typeof input === 'string' ? input.split(',') : [...input])
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError('--stats: give at least one stat (e.g. Average,P99)');
  if (parts.length > MAX_STATS) throw new UsageError(`--stats: at most ${MAX_STATS} stats, got ${parts.length}`);
  const out: string[] = [];
  for (const p of parts) {
    const named = NAMED[p.toLowerCase()];
    let name: string;
    if (named) name = named;
    else {
      const m = PCT.exec(p);
      if (!m) throw new UsageError(`--stats: unknown stat '${p}' (use Average, Min, Max, Median or P1..P99)`);
      const v = Number(m[1]);
      if (!(v > 0 && v < 100)) throw new UsageError(`--stats: percentile '${p}' out of range (0 < xx < 100)`);
      name = `P${m[1]}`;
    }
    if (out.includes(name)) throw new UsageError(`--stats: '${name}' given twice`);
    out.push(name);
  }
  return out;
}

/** The percentile (0..100) a stat name asks for, or NaN for Average. */
export function statPercent(name: string): number {
  switch (name) {
    case 'Min':
      return 0;
    case 'Max':
      return 100;
    case 'Median':
      return 50;
    case 'Average':
      return NaN;
    default:
      return Number(name.slice(1));
  }
}

/** Linear-interpolation percentile (numpy default) of ascending values; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, pct: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * pct) / 100;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = sorted[lo]!;
  if (frac === 0 || lo + 1 >= n) return a;
  return a + frac * (sorted[lo + 1]! - a);
}

/** Finite values of `values`, sorted ascending (a copy). */
export function sortedFinite(values: Float64Array): Float64Array {
  let n = 0;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/**
 * EvalScope's percentile (evalscope/perf/utils/db_util.py
 * `calculate_percentiles`): the value at index int(n·p/100) of the sorted
 * data, no interpolation (its P99 at n = 100 is the maximum).
 */
export function percentileFloorSorted(sorted: ArrayLike<number>, pct: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[Math.min(n - 1, Math.floor((n * pct) / 100))]!;
}

/**
 * Nearest-rank percentile: the value at rank ceil(n·p/100) (1-based) of the
 * sorted data, always a measured value. The HTML report's arrival chart uses
 * it for its gap p50 / p99 (report/rps-data.ts). The three methods here are
 * different definitions on purpose, not copies: linear for AISBench's
 * tables, floor for EvalScope's, nearest rank for the report's labels.
 */
export function percentileNearestRankSorted(sorted: ArrayLike<number>, pct: number): number {
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil((pct / 100) * sorted.length) - 1));
  return sorted[k]!;
}

/** One value per stat from ascending values (NaN for each when empty). */
export function statsOfSorted(
  sorted: Float64Array,
  stats: readonly string[],
  method: 'linear' | 'floor' = 'linear',
): number[] {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return stats.map((s) => {
    if (s === 'Average') return sorted.length ? sum / sorted.length : NaN;
    const p = statPercent(s);
    return method === 'floor' && p > 0 ? percentileFloorSorted(sorted, p) : percentileSorted(sorted, p);
  });
}
