/** Time series for plots (TaskSeries), x in seconds since run start. */
import type { Columns } from './columns.js';
import { sweepInflight } from './inflight.js';

/** Plots never need more points than this. */
export const MAX_POINTS = 2000;

/**
 * Exact step function of in-flight requests ([t_s, inflight] at each change;
 * ends before starts at equal times: inflight.ts), decimated to ≤ maxPoints keeping each
 * time bucket's maximum (so peaks survive).
 */
export function concurrencySeries(
  t0: Float64Array,
  end: Float64Array,
  maxPoints = MAX_POINTS,
): Array<[number, number]> {
  return concurrencyFromSorted(t0.slice().sort(), end.slice().sort(), maxPoints);
}

/** concurrencySeries over already sorted send and end times (ms). */
export function concurrencyFromSorted(
  starts: Float64Array,
  ends: Float64Array,
  maxPoints = MAX_POINTS,
): Array<[number, number]> {
  const n = starts.length;
  if (n === 0) return [];
  const first = Math.min(starts[0]!, ends[0]!);
  const span = Math.max(starts[n - 1]!, ends[n - 1]!) - first || 1;
  const exact = 2 * n <= maxPoints;
  const buckets = Math.max(1, maxPoints - 1);
  const out: Array<[number, number]> = [];
  let cur = -1;
  let lastT = NaN;
  let c = 0;
  sweepInflight(starts, ends, (t, inflight) => {
    c = inflight;
    const last = out[out.length - 1];
    if (exact) {
      if (last && t === lastT) last[1] = c;
      else out.push([t / 1000, c]);
      lastT = t;
      return;
    }
    const b = Math.min(buckets - 1, Math.floor(((t - first) / span) * buckets));
    if (b !== cur) {
      out.push([t / 1000, c]);
      cur = b;
    } else if (c > last![1]) last![1] = c;
  });
  if (!exact) out.push([Math.max(starts[n - 1]!, ends[n - 1]!) / 1000, c]);
  return out;
}

/**
 * [start_s, ttft_ms] of successful requests by start. Above maxPoints, the
 * run is cut into maxPoints equal time buckets and each keeps its request
 * with the largest TTFT (O(n), no sort of the full set).
 */
export function ttftByStart(cols: Columns, maxPoints = MAX_POINTS): Array<[number, number]> {
  let count = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < cols.n; i++) {
    if (cols.ok[i] !== 1 || !Number.isFinite(cols.ttft[i]!)) continue;
    count++;
    lo = Math.min(lo, cols.t0[i]!);
    hi = Math.max(hi, cols.t0[i]!);
  }
  if (count <= maxPoints) {
    const pts: Array<[number, number]> = [];
    for (let i = 0; i < cols.n; i++)
      if (cols.ok[i] === 1 && Number.isFinite(cols.ttft[i]!)) pts.push([cols.t0[i]! / 1000, cols.ttft[i]!]);
    return pts.sort((a, b) => a[0] - b[0]);
  }
  const best = new Int32Array(maxPoints).fill(-1);
  const span = hi - lo || 1;
  for (let i = 0; i < cols.n; i++) {
    if (cols.ok[i] !== 1 || !Number.isFinite(cols.ttft[i]!)) continue;
    const b = Math.min(maxPoints - 1, Math.floor(((cols.t0[i]! - lo) / span) * maxPoints));
    if (best[b] === -1 || cols.ttft[i]! > cols.ttft[best[b]!]!) best[b] = i;
  }
  const out: Array<[number, number]> = [];
  for (const i of best) if (i >= 0) out.push([cols.t0[i]! / 1000, cols.ttft[i]!]);
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
  let tokens = chunkTokens ? (chunkTokens[0] ?? 1) : 1;
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
    tokens += chunkTokens === null ? 1 : (chunkTokens[i + 1] ?? 1);
  }
  add(bin, tokens);
}
