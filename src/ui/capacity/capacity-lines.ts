/**
 * The capacity view as Lines (pure): the curves of a sweep/search as braille
 * charts with the SLO line, a sortable table of the points, the answer.
 */
import type { AdaptiveEvent, CapacityReport, PointRow } from '../../capacity/campaign.js';
import { capacityCurves, type Curve } from '../../capacity/curves.js';
import { fmt } from '../../capacity/summary.js';
import { renderLineChart, seriesBounds } from '../plots/line-chart.js';
import { seg, type Line } from '../results/lines.js';

const BLANK = ' ';

export const TABLE_COLUMNS: Array<{ title: string; get: (p: PointRow) => number | string }> = [
  { title: 'task', get: (p) => p.key },
  { title: 'load', get: (p) => p.value ?? NaN },
  { title: 'req/s', get: (p) => p.reqPerS },
  { title: 'out tok/s', get: (p) => p.outTokPerS },
  { title: 'tok/s/user', get: (p) => p.perUserTokPerS },
  { title: 'TTFT p99', get: (p) => p.ttftP99 },
  { title: 'TPOT p99', get: (p) => p.tpotP99 },
  { title: 'E2EL avg', get: (p) => p.e2elAvg },
  { title: 'fail', get: (p) => p.failed },
  { title: 'SLO', get: (p) => (p.sloMet === undefined ? '-' : p.sloMet ? 'pass' : 'FAIL') },
];

/** One chart: title, `rows` braille rows (log2 x for geometric loads), the SLO row dashed. */
export function chartLines(c: Curve, width: number, rows: number): Line[] {
  const pts = c.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = pts.map((p) => p[0]);
  const log = !c.scatter && xs.length > 2 && Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 8;
  const series = pts.map(([x, y]) => [log ? Math.log2(x) : x, y] as [number, number]);
  const b = seriesBounds(series, { fromZero: true });
  const yMax = Math.max(b.yMax, c.slo !== undefined ? c.slo * 1.1 : -Infinity);
  const lw = Math.max(fmt(yMax).length, 1);
  const cw = Math.max(8, width - lw - 1);
  const title: Line = [
    seg(c.title, 'accent', { bold: true }),
    seg(`  ${c.yUnit}${c.slo !== undefined ? `  ╌ SLO ${fmt(c.slo)}` : ''}`, 'muted'),
  ];
  if (series.length === 0) return [title, [seg('  (no data)', 'muted')]];
  const chart = renderLineChart(series, cw, rows, { kind: c.scatter ? 'scatter' : 'line', yMin: 0, yMax });
  const sloRow =
    c.slo === undefined ? -1 : Math.min(rows - 1, Math.max(0, Math.floor(((yMax - c.slo) / (yMax || 1)) * rows)));
  const out: Line[] = [title];
  chart.forEach((row, i) => {
    const label = i === 0 ? fmt(yMax) : i === rows - 1 ? '0' : '';
    const line: Line = [seg(label.padStart(lw), 'plot.axis'), seg(label ? '┤' : '│', 'plot.axis')];
    if (i !== sloRow) line.push(seg(row, 'plot.throughput'));
    else {
      // Dashes where the chart is empty, the data over them.
      for (const ch of row) {
        const s = ch === BLANK ? seg('╌', 'error') : seg(ch, 'plot.throughput');
        const last = line.at(-1);
        if (last && last.token === s.token && line.length > 2) last.text += s.text;
        else line.push(s);
      }
    }
    out.push(line);
  });
  const left = fmt(Math.min(...xs));
  const right = fmt(Math.max(...xs));
  const axis = `${left}${'─'.repeat(Math.max(1, cw - left.length - right.length))}${right}`;
  out.push([seg(`${' '.repeat(lw)}└${axis}`, 'plot.axis')]);
  out.push([seg(`${' '.repeat(lw + 1)}${c.xLabel}${log ? ' (log2)' : ''}`, 'muted')]);
  return out;
}

/** Two blocks of lines side by side. */
function beside(a: Line[], b: Line[], width: number): Line[] {
  const n = Math.max(a.length, b.length);
  const text = (l: Line) => l.map((s) => s.text).join('');
  return Array.from({ length: n }, (_, i) => {
    const l = a[i] ?? [];
    const pad = Math.max(1, width - [...text(l)].length);
    return [...l, seg(' '.repeat(pad)), ...(b[i] ?? [])];
  });
}

export interface CapacityViewState {
  sortCol: number;
  desc: boolean;
}

export function sortedPoints(points: readonly PointRow[], st: CapacityViewState): PointRow[] {
  const col = TABLE_COLUMNS[st.sortCol]!;
  return [...points].sort((x, y) => {
    const a = col.get(x);
    const b = col.get(y);
    const c =
      typeof a === 'number' && typeof b === 'number'
        ? Number.isNaN(a)
          ? 1
          : Number.isNaN(b)
            ? -1
            : a - b
        : String(a).localeCompare(String(b));
    return st.desc ? -c : c;
  });
}

export function capacityLines(report: CapacityReport, width: number, st: CapacityViewState, chartRows = 6): Line[] {
  const out: Line[] = [];
  const what = report.extra.search
    ? 'SLO search'
    : report.extra.adaptive
      ? 'adaptive'
      : report.kind
        ? `${report.kind} sweep`
        : 'repeated runs';
  out.push([
    seg(`Capacity: ${what}`, 'header', { bold: true }),
    seg(report.objectives.length ? `   SLO ${report.objectives.join(', ')}` : '', 'muted'),
  ]);
  const two = width >= 96;
  const cw = two ? Math.floor(width / 2) - 2 : width - 2;
  for (const { base, curves } of capacityCurves(report)) {
    if ((curves[0]?.points.length ?? 0) < 2) continue;
    out.push([], [seg(base, 'accent', { bold: true })]);
    const blocks = curves.map((c) => chartLines(c, cw, chartRows));
    for (let i = 0; i < blocks.length; i += two ? 2 : 1) {
      const left = blocks[i] ?? [];
      const right = two ? blocks[i + 1] : undefined;
      out.push(...(right ? beside(left, right, cw + 2) : left));
    }
  }
  // The adaptive controller: its cap over time, each decision a mark (▲ up, ▼ down, ■ hold) under the chart.
  const adaptive = (report.extra.adaptive ?? []) as Array<{
    task: string;
    boundary: number;
    capSeries: Array<[number, number]>;
    events: AdaptiveEvent[];
  }>;
  for (const a of adaptive) {
    const end = a.events.at(-1)?.tS ?? 0;
    const pts = [...a.capSeries, [end, a.capSeries.at(-1)?.[1] ?? 0] as [number, number]];
    out.push([], [seg(`${a.task}: adaptive, settled at ${a.boundary}`, 'accent', { bold: true })]);
    const chart = chartLines(
      { title: 'Concurrency cap over time', xLabel: 's since start', yUnit: 'requests', points: pts, scatter: false },
      width - 2,
      chartRows,
    );
    out.push(...chart.slice(0, -2));
    const lw = (chart[1]?.[0]?.text.length ?? 0) + 1;
    const cw = Math.max(8, width - 2 - lw);
    const marks = Array.from({ length: cw }, () => ' ');
    for (const e of a.events) {
      const col = Math.min(cw - 1, Math.max(0, Math.round((e.tS / (end || 1)) * (cw - 1))));
      marks[col] = e.to > e.from ? '▲' : e.to < e.from ? '▼' : '■';
    }
    out.push([seg(' '.repeat(lw) + marks.join(''), 'warning')], ...chart.slice(-2));
    for (const e of a.events) out.push([seg(`  t=${e.tS}s ${e.phase}: ${e.from} → ${e.to} (${e.why})`, 'muted')]);
  }
  const rows = sortedPoints(report.points, st).map((p) =>
    TABLE_COLUMNS.map((c) => {
      const v = c.get(p);
      return typeof v === 'number' ? fmt(v) : v;
    }),
  );
  const head = TABLE_COLUMNS.map((c, i) => (i === st.sortCol ? `${c.title}${st.desc ? '▼' : '▲'}` : c.title));
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const cell = (x: string, i: number) => (i === 0 ? x.padEnd(w[i]!) : x.padStart(w[i]!));
  out.push([], [seg('Points', 'accent', { bold: true }), seg('  Left/Right column, s sort, r reverse', 'muted')]);
  out.push(
    head.map((h, i) => seg(cell(h, i) + '  ', i === st.sortCol ? 'table.sorted' : 'table.header', { bold: true })),
  );
  for (const r of rows) {
    out.push(
      r.map((x, i) =>
        seg(
          cell(x, i) + '  ',
          i === TABLE_COLUMNS.length - 1 ? (x === 'pass' ? 'success' : x === 'FAIL' ? 'error' : undefined) : undefined,
        ),
      ),
    );
  }
  const answers = report.lines.filter((l) => /largest|settled|: \d+ runs/.test(l));
  if (answers.length) out.push([], ...answers.map((l): Line => [seg(l, 'success')]));
  return out;
}
