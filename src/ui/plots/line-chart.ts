/**
 * Pure braille charts: a series becomes `height` strings of `width` braille
 * characters (2 × 4 dots each). Series longer than the canvas are binned to
 * one value per dot column; shorter ones get one dot column per point.
 */
import { BrailleCanvas } from './braille-canvas.js';

/** Values at x = 0, 1, 2… or explicit [x, y] points (x ascending for line/step). */
export type Series = readonly number[] | ReadonlyArray<readonly [number, number]>;

/**
 * 'line' joins consecutive points (bins average), 'step' holds each value until
 * the next point (bins keep their maximum, so short spikes stay visible),
 * 'scatter' draws every point alone.
 */
export type ChartKind = 'line' | 'step' | 'scatter';

export interface ChartOptions {
  kind?: ChartKind;
  /** Axis ranges; by default x spans the data and y spans min(0, data)..max(data). */
  xMin?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
  /** Default y range starts at min(0, data) (true, the default) or at the data's minimum. */
  fromZero?: boolean;
}

export interface ChartBounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** The series as [x, y] points, non-finite y values dropped. */
export function toPoints(series: Series): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  series.forEach((p: number | readonly [number, number], i: number) => {
    const [x, y] = typeof p === 'number' ? [i, p] : p;
    if (Number.isFinite(x) && Number.isFinite(y)) out.push([x, y]);
  });
  return out;
}

/** Axis ranges for a series (never empty: a flat series gets a range of 1). */
export function seriesBounds(series: Series, opts: ChartOptions = {}): ChartBounds {
  const pts = toPoints(series);
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = opts.fromZero === false ? Infinity : 0;
  let yMax = -Infinity;
  for (const [x, y] of pts) {
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  if (pts.length === 0) [xMin, xMax, yMin, yMax] = [0, 1, 0, 1];
  const b = { xMin: opts.xMin ?? xMin, xMax: opts.xMax ?? xMax, yMin: opts.yMin ?? yMin, yMax: opts.yMax ?? yMax };
  if (!(b.xMax > b.xMin)) b.xMax = b.xMin + 1;
  if (!(b.yMax > b.yMin)) b.yMax = b.yMin + 1;
  return b;
}

/** Dot column of x on a canvas `dots` wide. */
function colOf(x: number, b: ChartBounds, dots: number): number {
  return Math.min(dots - 1, Math.max(0, Math.round(((x - b.xMin) / (b.xMax - b.xMin)) * (dots - 1))));
}

/** Dot row of y (0 = top) on a canvas `dots` tall. */
function rowOf(y: number, b: ChartBounds, dots: number): number {
  return Math.min(dots - 1, Math.max(0, Math.round(((b.yMax - y) / (b.yMax - b.yMin)) * (dots - 1))));
}

/**
 * One y per dot column (NaN where no data): 'line' averages the points in a
 * column, 'step' takes the maximum of the value in force and the changes
 * inside the column, carried forward to the last change.
 */
export function resample(
  points: ReadonlyArray<readonly [number, number]>,
  cols: number,
  b: ChartBounds,
  kind: ChartKind,
): number[] {
  const sum = new Array<number>(cols).fill(0);
  const cnt = new Array<number>(cols).fill(0);
  const max = new Array<number>(cols).fill(NaN);
  let lastCol = -1;
  for (const [x, y] of points) {
    const c = colOf(x, b, cols);
    sum[c] = (sum[c] ?? 0) + y;
    cnt[c] = (cnt[c] ?? 0) + 1;
    max[c] = Number.isNaN(max[c] ?? NaN) ? y : Math.max(max[c] ?? y, y);
    lastCol = Math.max(lastCol, c);
  }
  if (kind !== 'step') return sum.map((s, c) => ((cnt[c] ?? 0) > 0 ? s / (cnt[c] ?? 1) : NaN));
  // Step: the last value of the previous column holds until the next change.
  const out = new Array<number>(cols).fill(NaN);
  let held = NaN;
  let pi = 0;
  for (let c = 0; c <= lastCol; c++) {
    let m = held;
    while (pi < points.length && colOf(points[pi]![0], b, cols) === c) {
      held = points[pi]![1];
      m = Number.isNaN(m) ? held : Math.max(m, held);
      pi++;
    }
    out[c] = m;
  }
  return out;
}

/** The dots a chart sets, as [column, row] pairs before drawing (joins not included). */
export function chartDots(
  series: Series,
  width: number,
  height: number,
  opts: ChartOptions = {},
): Array<[number, number]> {
  const kind = opts.kind ?? 'line';
  const b = seriesBounds(series, opts);
  const cols = Math.max(1, width) * 2;
  const rows = Math.max(1, height) * 4;
  const pts = toPoints(series);
  if (kind === 'scatter' || (kind === 'line' && pts.length <= cols)) {
    const seen = new Set<number>();
    const out: Array<[number, number]> = [];
    for (const [x, y] of pts) {
      const d: [number, number] = [colOf(x, b, cols), rowOf(y, b, rows)];
      const k = d[0] * rows + d[1];
      if (!seen.has(k)) {
        seen.add(k);
        out.push(d);
      }
    }
    return out;
  }
  const ys = resample(pts, cols, b, kind);
  const out: Array<[number, number]> = [];
  ys.forEach((y, c) => {
    if (!Number.isNaN(y)) out.push([c, rowOf(y, b, rows)]);
  });
  return out;
}

/**
 * Renders `series` as a braille chart of `width` × `height` character cells.
 * Returns `height` strings of exactly `width` characters.
 */
export function renderLineChart(series: Series, width: number, height: number, opts: ChartOptions = {}): string[] {
  const canvas = new BrailleCanvas(Math.max(1, width), Math.max(1, height));
  const dots = chartDots(series, width, height, opts);
  if ((opts.kind ?? 'line') === 'scatter') {
    for (const [x, y] of dots) canvas.set(x, y);
  } else {
    let prev: [number, number] | undefined;
    for (const d of dots) {
      if (prev) {
        if (opts.kind === 'step') {
          // Hold the previous level, then rise or fall at the change.
          canvas.line(prev[0], prev[1], d[0], prev[1]);
          canvas.line(d[0], prev[1], d[0], d[1]);
        } else canvas.line(prev[0], prev[1], d[0], d[1]);
      } else canvas.set(d[0], d[1]);
      prev = d;
    }
  }
  return canvas.lines();
}
