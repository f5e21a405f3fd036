/**
 * Number formatting for the results view. Table cells are compact
 * (compactNumber: 3-4 significant digits, units in the headers); the plain
 * printout keeps AISBench's formatValue ('12300.2 ms'); the rest is for axes.
 */
import { COUNT_METRICS, type CommonMetricId } from '../../core/metric-ids.js';
import { formatValue } from '../../output/tables.js';

/** A Performance Parameters cell: '12300.2 ms', '41.6254 token/s', '512.0' (the plain printout's formatter). */
export function formatPerfValue(v: number, unit: string): string {
  return formatValue(v, unit);
}

/** A Common Metric value: counts stay integers ('8', '12100'), others as floats, like the plain printout. */
export function formatCommonValue(v: number, unit: string, id?: CommonMetricId): string {
  return formatValue(v, unit, id === undefined ? Number.isInteger(v) : COUNT_METRICS.has(id));
}

/**
 * A table number that reads at a glance: 3-4 significant digits, thousands
 * separators, no unit (the unit is in the row or column header):
 * 2410.3394 → '2,410', 241.33 → '241.3', 24.133 → '24.13', 0.00021 → '0.00021', NaN → '-'.
 * Counts (`integer`) print whole: 24483 → '24,483'.
 */
export function compactNumber(v: number, integer = false): string {
  if (!Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  if (integer || a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a === 0) return '0';
  // 4 significant digits, trailing zeros dropped ('512.0' → '512').
  return String(Number(v.toPrecision(a >= 1 ? 4 : 3)));
}

/** A unit as a header suffix: 'ms' → ' (ms)', 'token/s' → ' (tok/s)', '' → ''. */
export function unitSuffix(unit: string): string {
  if (!unit) return '';
  return ` (${unit === 'token/s' ? 'tok/s' : unit})`;
}

/** Seconds for axis labels: '0 s', '12.5 s', '98 s'. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '- s';
  return `${s >= 100 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}

/** Short number for axis labels: at most ~6 characters ('1234', '12.3k', '0.25'). */
export function formatShort(v: number): string {
  if (!Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  if (a >= 100 || Number.isInteger(v)) return String(Math.round(v));
  if (a >= 10) return String(+v.toFixed(1));
  return String(+v.toFixed(2));
}

/** Pads or cuts a string to exactly w columns: the board's fit (one copy for both views). */
export { fit } from '../board/format.js';

/** 'a/b_screen.txt', 'a/b_screen.ansi' → 'a/b_screen.{txt,ansi}' (fits a status line). */
export function compactPaths(paths: readonly string[]): string {
  const base = paths[0]?.replace(/\.[^.]+$/, '') ?? '';
  if (paths.length < 2 || !paths.every((p) => p.startsWith(`${base}.`))) return paths.join(' ');
  return `${base}.{${paths.map((p) => p.slice(base.length + 1)).join(',')}}`;
}
