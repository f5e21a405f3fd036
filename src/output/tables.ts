/**
 * Box-drawing tables like AISBench's (tabulate "fancy_grid"): one space of
 * padding, columns at least header + 2 wide, text left-aligned, N centred.
 * Pure functions: the plain-mode printer, the results view and exporters
 * all call them.
 */
import { isCountRow } from '../metrics/common.js';
import type { CommonRow, FailureRow, PerfTable } from '../metrics/types.js';
import { sanitizeText } from '../core/sanitize.js';

/** Terminal columns of a string (wide East Asian characters count 2, combining marks 0). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x300 && c <= 0x36f) || c === 0x200b || (c >= 0xfe00 && c <= 0xfe0f)) continue;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/**
 * A number as AISBench prints it: rounded to 4 decimals, trailing zeros
 * trimmed but one decimal kept ('12300.2 ms', '41.6254 token/s', '512.0');
 * `integer` prints counts bare ('8'). NaN/∞ print as '-'.
 */
export function formatValue(v: number, unit: string, integer = false): string {
  if (!Number.isFinite(v)) return '-';
  let s: string;
  if (integer && Number.isInteger(v)) s = String(v);
  else {
    s = (Math.round(v * 1e4) / 1e4).toFixed(4).replace(/0+$/, '');
    if (s.endsWith('.')) s += '0';
    if (s === '-0.0') s = '0.0';
  }
  return unit ? `${s} ${unit}` : s;
}

type Align = 'left' | 'center';

/** Render a table; `aligns[i]` per column (default left). */
export function renderTable(headers: string[], rows: string[][], aligns: Align[] = []): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h) + 2, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (s: string, i: number): string => {
    const gap = widths[i]! - displayWidth(s);
    if (aligns[i] === 'center') {
      const left = Math.floor(gap / 2);
      return ' '.repeat(left) + s + ' '.repeat(gap - left);
    }
    return s + ' '.repeat(gap);
  };
  const line = (l: string, fill: string, mid: string, r: string): string =>
    l + widths.map((w) => fill.repeat(w + 2)).join(mid) + r;
  const row = (cells: string[]): string => '│ ' + cells.map((c, i) => pad(c, i)).join(' │ ') + ' │';
  const out = [line('╒', '═', '╤', '╕'), row(headers), line('╞', '═', '╪', '╡')];
  rows.forEach((r, k) => {
    if (k > 0) out.push(line('├', '─', '┼', '┤'));
    out.push(row(r));
  });
  out.push(line('╘', '═', '╧', '╛'));
  return out.join('\n');
}

/** The Performance Parameters table. */
export function formatPerfTable(t: PerfTable): string {
  const headers = ['Performance Parameters', 'Stage', ...t.stats, 'N'];
  const rows = t.rows.map((r) => [r.metric, r.stage, ...r.values.map((v) => formatValue(v, r.unit)), String(r.n)]);
  return renderTable(
    headers,
    rows,
    headers.map((_, i) => (i === headers.length - 1 ? 'center' : 'left')),
  );
}

/** The Common Metric table. */
export function formatCommonTable(rows: CommonRow[]): string {
  return renderTable(
    ['Common Metric', 'Stage', 'Value'],
    rows.map((r) => [r.name, r.stage, formatValue(r.value, r.unit, isCountRow(r))]),
  );
}

/** The failures table (code, count, one example message). */
export function formatFailureTable(f: FailureRow[]): string {
  const clip = (s: string): string => (s.length > 80 ? s.slice(0, 79) + '…' : s);
  return renderTable(
    ['Failure', 'Count', 'Example'],
    f.map((r) => [r.code, String(r.count), clip(sanitizeText(r.example).replace(/\s+/g, ' '))]),
  );
}
