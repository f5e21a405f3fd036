/**
 * A text table as Lines: label columns stay put, data columns scroll
 * horizontally so the cursor column is always visible at any width. The
 * cursor's header is highlighted and the sorted column carries ▲ or ▼.
 */
import { fit } from './format.js';
import { seg, type Line } from './lines.js';
import type { SortState } from './sort.js';

export interface TableColumn {
  header: string;
  align: 'left' | 'right';
}

export interface TableInput {
  /** Label columns (shown always, never sortable), then data columns. */
  labels: readonly TableColumn[];
  data: readonly TableColumn[];
  /** Cells per row: labels first, then data, as formatted strings. */
  rows: ReadonlyArray<readonly string[]>;
  /** Available width in characters. */
  width: number;
  /** Data column under the cursor (-1 = no cursor). */
  cursor: number;
  sort: SortState | null;
}

const GAP = '  ';

/** Renders a header line, a rule and one line per row. */
export function renderTable(t: TableInput): Line[] {
  const nl = t.labels.length;
  const cols = [...t.labels, ...t.data];
  const widths = cols.map((c, i) => {
    const marker = i >= nl && t.sort?.col === i - nl ? 2 : 0;
    return Math.max(c.header.length + marker, ...t.rows.map((r) => (r[i] ?? '').length));
  });
  const labelWidth = widths.slice(0, nl).reduce((a, w) => a + w + GAP.length, 0);
  // The window of data columns: the first start that keeps the cursor visible.
  // When some data columns stay hidden on the right, the ' ›' marker needs room too:
  // nothing is cut without a mark.
  const fits = (start: number, end: number): boolean =>
    labelWidth + widths.slice(nl + start, nl + end).reduce((a, w) => a + w + GAP.length, 0) <=
    t.width + GAP.length - (end < t.data.length ? 2 : 0);
  let start = 0;
  const cur = Math.max(0, t.cursor);
  while (start < cur && !fits(start, cur + 1)) start++;
  let end = start;
  while (end < t.data.length && fits(start, end + 1)) end++;
  if (end === start && start < t.data.length) end = start + 1;
  const shown = [...Array(nl).keys(), ...Array.from({ length: end - start }, (_, k) => nl + start + k)];

  const header: Line = [];
  shown.forEach((ci, k) => {
    const col = cols[ci]!;
    const di = ci - nl;
    const sorted = di >= 0 && t.sort?.col === di;
    const text = sorted ? `${col.header} ${t.sort!.dir === 'asc' ? '▲' : '▼'}` : col.header;
    if (k > 0) header.push(seg(k === nl && start > 0 ? '‹ ' : GAP, 'table.border'));
    header.push(
      seg(fit(text, widths[ci]!, col.align), sorted ? 'table.sorted' : 'table.header', {
        bold: true,
        ...(di >= 0 && di === t.cursor ? { inverse: true } : {}),
      }),
    );
  });
  if (end < t.data.length) header.push(seg(' ›', 'table.border'));
  const ruleWidth = shown.reduce((a, ci) => a + widths[ci]! + GAP.length, -GAP.length);
  const lines: Line[] = [header, [seg('─'.repeat(Math.max(0, Math.min(ruleWidth, t.width))), 'table.border')]];
  for (const row of t.rows) {
    const line: Line = [];
    shown.forEach((ci, k) => {
      if (k > 0) line.push(seg(GAP));
      const di = ci - nl;
      const token = di >= 0 && t.sort?.col === di ? 'table.sorted' : undefined;
      line.push(seg(fit(row[ci] ?? '', widths[ci]!, cols[ci]!.align), token));
    });
    lines.push(line);
  }
  return lines;
}
