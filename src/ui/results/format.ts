/**
 * Number formatting for the results view. Table cells use the plain
 * printout's formatValue (seed 000: 4 decimals, '512.0', counts as '8',
 * '12300.2 ms'), so the view and the printout agree; the rest is for axes.
 */
import { COUNT_ROWS } from '../../metrics/common.js';
import { formatValue } from '../../output/tables.js';

/** A Performance Parameters cell: '12300.2 ms', '41.6254 token/s', '512.0' (the plain printout's formatter). */
export function formatPerfValue(v: number, unit: string): string {
  return formatValue(v, unit);
}

/** A Common Metric value: counts stay integers ('8', '12100'), others as floats, like the plain printout. */
export function formatCommonValue(v: number, unit: string, name?: string): string {
  return formatValue(v, unit, name === undefined ? Number.isInteger(v) : COUNT_ROWS.has(name));
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

/** Pads or cuts `s` to exactly `w` columns (cut strings end with '…'). */
export function fit(s: string, w: number, align: 'left' | 'right' = 'left'): string {
  if (w <= 0) return '';
  if (s.length > w) return w === 1 ? '…' : `${s.slice(0, w - 1)}…`;
  return align === 'left' ? s.padEnd(w) : s.padStart(w);
}

/** 'a/b_screen.txt', 'a/b_screen.ansi' → 'a/b_screen.{txt,ansi}' (fits a status line). */
export function compactPaths(paths: readonly string[]): string {
  const base = paths[0]?.replace(/\.[^.]+$/, '') ?? '';
  if (paths.length < 2 || !paths.every((p) => p.startsWith(`${base}.`))) return paths.join(' ');
  return `${base}.{${paths.map((p) => p.slice(base.length + 1)).join(',')}}`;
}
