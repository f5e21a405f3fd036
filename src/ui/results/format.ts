/**
 * Number formatting for the results tables, following seed 000's printout:
 * values rounded to 4 decimals, floats keep a trailing '.0' ('512.0'),
 * counts print as integers ('8'), units follow a space ('12300.2 ms').
 * Kept local to the view so it does not depend on the CSV writers' helpers.
 */

/** Rounds to 4 decimals and prints like Python's str(round(v, 4)). */
export function formatFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '-' : v > 0 ? 'inf' : '-inf';
  const r = Math.round(v * 1e4) / 1e4;
  const s = String(Object.is(r, -0) ? 0 : r);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A Performance Parameters cell: '12300.2 ms', '41.6254 token/s', '512.0'. */
export function formatPerfValue(v: number, unit: string): string {
  const s = formatFloat(v);
  return unit && s !== '-' ? `${s} ${unit}` : s;
}

/** A Common Metric value: integers stay integers ('8', '12100'), others as floats. */
export function formatCommonValue(v: number, unit: string): string {
  const s = Number.isInteger(v) ? String(v) : formatFloat(v);
  return unit && s !== '-' ? `${s} ${unit}` : s;
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
