/**
 * The three plots over the run's time axis as Lines: in-flight requests
 * (step), output tokens/s (1 s bins) and TTFT by request start (scatter).
 * All share x = 0..T s so they line up; each labels its y range.
 */
import type { TaskSeries } from '../../metrics/types.js';
import type { ThemeToken } from '../theme.js';
import { renderLineChart, seriesBounds, type ChartKind, type Series } from '../plots/line-chart.js';
import { formatSeconds, formatShort } from './format.js';
import { seg, type Line } from './lines.js';

/** End of the run's time axis in seconds (at least 1). */
export function seriesDuration(s: TaskSeries): number {
  const lastConc = s.concurrency.length ? s.concurrency[s.concurrency.length - 1]![0] : 0;
  const lastTtft = s.ttftByStart.reduce((m, p) => Math.max(m, p[0]), 0);
  return Math.max(1, lastConc, s.outputTokPerSec.length, lastTtft);
}

interface PlotSpec {
  title: string;
  unit: string;
  series: Series;
  kind: ChartKind;
  token: ThemeToken;
  /** y axis from 0 (counts, rates) or from the data's minimum (latencies). */
  fromZero: boolean;
}

/** Lines of one chart: a title with the y range, `rows` chart rows, and the x range. */
function plotLines(p: PlotSpec, width: number, rows: number, duration: number): Line[] {
  const b = seriesBounds(p.series, { xMin: 0, xMax: duration, fromZero: p.fromZero });
  const top = formatShort(b.yMax);
  const bottom = formatShort(b.yMin);
  const lw = Math.max(top.length, bottom.length);
  const chartWidth = Math.max(4, width - lw - 1);
  const title: Line = [seg(p.title, p.token, { bold: true }), seg(`  ${bottom}..${top}${p.unit ? ` ${p.unit}` : ''}`, 'muted')];
  if (p.series.length === 0) return [title, [seg('  (no data)', 'muted')]];
  const chart = renderLineChart(p.series, chartWidth, rows, { kind: p.kind, xMin: 0, xMax: duration, yMin: b.yMin, yMax: b.yMax });
  const out: Line[] = [title];
  chart.forEach((row, i) => {
    const label = i === 0 ? top : i === chart.length - 1 ? bottom : '';
    out.push([seg(label.padStart(lw), 'plot.axis'), seg(label ? '┤' : '│', 'plot.axis'), seg(row, p.token)]);
  });
  const left = '0 s';
  const right = formatSeconds(duration);
  const pad = Math.max(1, chartWidth - left.length - right.length);
  out.push([seg(`${' '.repeat(lw)}└${left}${'─'.repeat(pad)}${right}`, 'plot.axis')]);
  return out;
}

/** All three plots, each `rows` character rows tall, within `width` columns. */
export function plotsLines(series: TaskSeries, width: number, rows: number): Line[] {
  const duration = seriesDuration(series);
  const specs: PlotSpec[] = [
    { title: 'In-flight requests', unit: '', series: series.concurrency, kind: 'step', token: 'plot.concurrency', fromZero: true },
    { title: 'Output tokens/s', unit: 'token/s', series: series.outputTokPerSec, kind: 'line', token: 'plot.throughput', fromZero: true },
    { title: 'TTFT by request start', unit: 'ms', series: series.ttftByStart, kind: 'scatter', token: 'plot.ttft', fromZero: false },
  ];
  return specs.flatMap((p) => plotLines(p, width, rows, duration));
}
