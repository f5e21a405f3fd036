/**
 * The three plots over the run's time axis as Lines: in-flight requests
 * (step), output tokens/s (1 s bins) and TTFT by request start (scatter),
 * then the server's own running / waiting / KV cache series when scraped.
 * All share x = 0..T s so they line up; each labels its y range.
 */
import type { TaskSeries } from '../../metrics/types.js';
import type { ThemeToken } from '../theme.js';
import { renderLineChart, seriesBounds, type ChartKind, type Series } from '../plots/line-chart.js';
import { formatSeconds, formatShort } from './format.js';
import { seg, type Line } from './lines.js';

/** End of the run's time axis in seconds (at least 1). */
export function seriesDuration(s: TaskSeries): number {
  const lastConc = s.concurrency.at(-1)?.[0] ?? 0;
  const lastTtft = s.ttftByStart.reduce((m, p) => Math.max(m, p[0]), 0);
  // Throughput bins round the run up to whole seconds: only a fallback.
  const t = Math.max(lastConc, lastTtft);
  return t > 0 ? t : Math.max(1, s.outputTokPerSec.length);
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
function yLabels(p: PlotSpec, duration: number): [string, string] {
  const b = seriesBounds(p.series, { xMin: 0, xMax: duration, fromZero: p.fromZero });
  return [formatShort(b.yMax), formatShort(b.yMin)];
}

/** `lw` is the y label width shared by all plots, so their x axes line up. */
function plotLines(p: PlotSpec, width: number, rows: number, duration: number, lw: number): Line[] {
  const b = seriesBounds(p.series, { xMin: 0, xMax: duration, fromZero: p.fromZero });
  const [top, bottom] = yLabels(p, duration);
  const chartWidth = Math.max(4, width - lw - 1);
  const title: Line = [
    seg(p.title, p.token, { bold: true }),
    seg(`  ${bottom}..${top}${p.unit ? ` ${p.unit}` : ''}`, 'muted'),
  ];
  if (p.series.length === 0) return [title, [seg('  (no data)', 'muted')]];
  const chart = renderLineChart(p.series, chartWidth, rows, {
    kind: p.kind,
    xMin: 0,
    xMax: duration,
    yMin: b.yMin,
    yMax: b.yMax,
  });
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

/** 1 s bins as points at their centres (the last, partial bin at the run's end). */
function binCentres(bins: readonly number[], duration: number): Array<[number, number]> {
  return bins.map((v, i) => [Math.min(i + 0.5, duration), v]);
}

/**
 * The server's own series (--server-metrics), on the same time axis: running
 * and waiting requests and KV cache use, from the scrapes inside the run;
 * failed scrapes leave gaps and are named in the title.
 */
function serverSpecs(series: TaskSeries, duration: number): PlotSpec[] {
  const pts = (series.server ?? []).filter((p) => p.t >= 0 && p.t <= duration);
  const gap = pts.some((p) => p.missing) ? ' (scrapes missing)' : '';
  const of = (k: 'running' | 'waiting' | 'kv_pct'): Array<[number, number]> =>
    pts.filter((p) => !p.missing && typeof p[k] === 'number').map((p) => [p.t, p[k] as number]);
  const out: PlotSpec[] = [];
  const add = (title: string, unit: string, data: Array<[number, number]>, token: ThemeToken): void => {
    if (data.length > 0) out.push({ title: `${title}${gap}`, unit, series: data, kind: 'line', token, fromZero: true });
  };
  add('Server running', '', of('running'), 'plot.concurrency');
  add('Server waiting', '', of('waiting'), 'plot.concurrency');
  add('Server KV cache', '%', of('kv_pct'), 'plot.throughput');
  return out;
}

/** All three plots (and the server's, when scraped), each `rows` character rows tall, within `width` columns. */
export function plotsLines(series: TaskSeries, width: number, rows: number): Line[] {
  const duration = seriesDuration(series);
  const specs: PlotSpec[] = [
    {
      title: 'In-flight requests',
      unit: '',
      series: series.concurrency,
      kind: 'step',
      token: 'plot.concurrency',
      fromZero: true,
    },
    {
      title: 'Output tokens/s',
      unit: 'token/s',
      series: binCentres(series.outputTokPerSec, duration),
      kind: 'line',
      token: 'plot.throughput',
      fromZero: true,
    },
    {
      title: 'TTFT by request start',
      unit: 'ms',
      series: series.ttftByStart,
      kind: 'scatter',
      token: 'plot.ttft',
      fromZero: false,
    },
  ];
  specs.push(...serverSpecs(series, duration));
  const lw = Math.max(...specs.flatMap((p) => yLabels(p, duration).map((l) => l.length)));
  return specs.flatMap((p) => plotLines(p, width, rows, duration, lw));
}
