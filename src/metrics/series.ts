/** Time series for plots (TaskSeries), x in seconds since run start. */
import type { Columns } from './columns.js';

/** Plots never need more points than this. */
export const MAX_POINTS = 2000;

/**
 * Exact step function of in-flight requests ([t_s, inflight] at each change;
 * ends before starts at equal times), decimated to ≤ maxPoints keeping each
 * time bucket's maximum (so peaks survive).
 */
export function concurrencySeries(t0: Float64Array, end: Float64Array, maxPoints = MAX_POINTS): Array<[number, number]> {
  const n = t0.length;
  if (n === 0) return [];
  const starts = t0.slice().sort();
  const ends = end.slice().sort();
  const pts: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  let c = 0;
  while (i < n || j < n) {
    const isEnd = j < n && (i >= n || ends[j]! <= starts[i]!);
    const t = isEnd ? ends[j++]! : starts[i++]!;
    c += isEnd ? -1 : 1;
    const last = pts[pts.length - 1];
    if (last && last[0] === t / 1000) last[1] = c;
    else pts.push([t / 1000, c]);
  }
  if (pts.length <= maxPoints) return pts;
  const t0s = pts[0]![0];
  const span = pts[pts.length - 1]![0] - t0s || 1;
  const buckets = maxPoints - 1;
  const out: Array<[number, number]> = [];
  let cur = -1;
  for (let k = 0; k < pts.length - 1; k++) {
    const [t, v] = pts[k]!;
    const b = Math.min(buckets - 1, Math.floor(((t - t0s) / span) * buckets));
    if (b !== cur) {
      out.push([t, v]);
      cur = b;
    } else if (v > out[out.length - 1]![1]) out[out.length - 1]![1] = v;
  }
  out.push(pts[pts.length - 1]!);
  return out;
}

/** [start_s, ttft_ms] of successful requests by start; above maxPoints, the max TTFT of each group. */
export function ttftByStart(cols: Columns, maxPoints = MAX_POINTS): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < cols.n; i++) if (cols.ok[i] === 1 && Number.isFinite(cols.ttft[i]!)) pts.push([cols.t0[i]! / 1000, cols.ttft[i]!]);
  pts.sort((a, b) => a[0] - b[0]);
  if (pts.length <= maxPoints) return pts;
  const out: Array<[number, number]> = [];
  const per = pts.length / maxPoints;
  for (let g = 0; g < maxPoints; g++) {
    let best: [number, number] | null = null;
    for (let k = Math.floor(g * per); k < Math.floor((g + 1) * per); k++) if (!best || pts[k]![1] > best[1]) best = pts[k]!;
    if (best) out.push(best);
  }
  return out;
}

/**
 * Spread one request's output tokens over 1 s bins at its chunk times:
 * chunk 0 at t0 + ttft, chunk i after i gaps. `add(bin, tokens)`.
 */
export function binTokens(
  firstMs: number,
  gapsUs: ArrayLike<number>,
  chunkTokens: ArrayLike<number> | null,
  add: (bin: number, tokens: number) => void,
): void {
  if (!Number.isFinite(firstMs)) return;
  let bin = Math.max(0, Math.floor(firstMs / 1000));
  // Integer µs from the first chunk to the next bin boundary, then whole µs steps.
  let toNext = Math.round((bin + 1) * 1e6 - firstMs * 1000);
  let tokens = chunkTokens ? chunkTokens[0] ?? 1 : 1;
  const n = gapsUs.length;
  for (let i = 0; i < n; i++) {
    toNext -= gapsUs[i]!;
    if (toNext <= 0) {
      add(bin, tokens);
      tokens = 0;
      do {
        bin++;
        toNext += 1e6;
      } while (toNext <= 0);
    }
    tokens += chunkTokens === null ? 1 : chunkTokens[i + 1] ?? 1;
  }
  add(bin, tokens);
}
