/** The Common Metric table and the failure table as Lines. */
import type { CommonRow, FailureRow } from '../../metrics/types.js';
import { sanitizeText } from '../../core/sanitize.js';
import { compactNumber, unitSuffix } from './format.js';
import { isCountRow } from '../../metrics/common.js';
import type { Line } from './lines.js';
import { renderTable } from './table.js';

export function commonTableLines(rows: readonly CommonRow[], width: number): Line[] {
  return renderTable({
    labels: [
      { header: 'Common Metric', align: 'left' },
      { header: 'Stage', align: 'left' },
    ],
    data: [{ header: 'Value', align: 'right' }],
    rows: rows.map((r) => [`${r.name}${unitSuffix(r.unit)}`, r.stage, compactNumber(r.value, isCountRow(r))]),
    width,
    cursor: -1,
    sort: null,
  });
}

export function failureTableLines(rows: readonly FailureRow[], width: number): Line[] {
  const exampleWidth = Math.max(10, width - 30);
  return renderTable({
    labels: [{ header: 'Failure', align: 'left' }],
    data: [
      { header: 'Count', align: 'right' },
      { header: 'Example', align: 'left' },
    ],
    // The example is a server's text (or read back from a details file): no terminal control gets through.
    rows: rows.map((r) => {
      const ex = sanitizeText(r.example);
      return [
        sanitizeText(r.code),
        String(r.count),
        ex.length > exampleWidth ? `${ex.slice(0, exampleWidth - 1)}…` : ex,
      ];
    }),
    width,
    cursor: -1,
    sort: null,
  }).map((l, i) => (i >= 2 ? l.map((s, k) => (k === 0 ? { ...s, token: 'error' as const } : s)) : l));
}
