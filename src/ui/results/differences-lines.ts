/** The differences view: each headline metric under every dialect, and why two differ (metrics/differences.ts). */
import { DIALECTS } from '../../metrics/dialects.js';
import type { DiffRow } from '../../metrics/differences.js';
import { formatValue } from '../../output/tables.js';
import { seg, type Line } from './lines.js';

const pad = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

export function differencesLines(key: string, rows: readonly DiffRow[] | undefined, current: string): Line[] {
  const out: Line[] = [
    [seg(`${key}`, 'accent', { bold: true }), seg('  metric dialects side by side (d: back)', 'muted')],
  ];
  if (!rows) return [...out, [seg('computing the differences from the details file...', 'muted')]];
  const names = ['Metric', ...DIALECTS];
  const cells = rows.map((r) => [
    `${r.metric}${r.unit ? ` (${r.unit})` : ''}`,
    ...r.values.map((v) => formatValue(v, '', r.unit === '')),
  ]);
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((c) => c[i]!.length)));
  out.push(
    names.map((n, i) =>
      seg((i === 0 ? n.padEnd(widths[i]!) : pad(n, widths[i]!)) + '  ', n === current ? 'accent' : 'header', {
        bold: true,
      }),
    ),
  );
  rows.forEach((r, k) => {
    const c = cells[k]!;
    out.push(
      c.map((t, i) =>
        seg(
          (i === 0 ? t.padEnd(widths[i]!) : pad(t, widths[i]!)) + '  ',
          i === 0 ? undefined : r.cause ? 'warning' : undefined,
        ),
      ),
    );
    if (!r.cause) return;
    out.push([seg(`  ${r.spreadPct === Infinity ? 'apart' : `${r.spreadPct.toFixed(1)} % apart`}:`, 'muted')]);
    for (const c of r.cause.split('; ')) out.push([seg(`    ${c}`, 'muted')]);
  });
  return out;
}
