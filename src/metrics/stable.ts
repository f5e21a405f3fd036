/**
 * The steady-state window (AISBench's stable_stage).
 *
 * In-flight concurrency is the step function +1 at each t0, −1 at each end
 * (all non-warmup requests, failed ones too; at equal times ends count
 * first, as a closed loop frees a slot before refilling it). Let T_reach be
 * the first moment it reaches `maxConcurrency`. The window starts at t2, the
 * send time of the first request sent strictly after T_reach (the request
 * that completed the ramp-up is not steady-state), and ends at t4, the last
 * moment the concurrency is held at the maximum (the end that first drops it
 * below, for the last time). Stable requests are those with t2 ≤ t0 ≤ t4.
 */
import { sweepInflight } from './inflight.js';

export interface StableWindow {
  /** t2, ms since run start. */
  startMs: number;
  /** t4, ms since run start. */
  endMs: number;
}

/** The window, or null when the maximum is never reached (or nothing follows it). */
export function stableWindow(t0: Float64Array, end: Float64Array, maxConcurrency: number): StableWindow | null {
  return stableWindowSorted(t0.slice().sort(), end.slice().sort(), maxConcurrency);
}

/** stableWindow over already sorted send and end times (ms). */
export function stableWindowSorted(
  starts: Float64Array,
  ends: Float64Array,
  maxConcurrency: number,
): StableWindow | null {
  const n = starts.length;
  if (n === 0 || maxConcurrency < 1) return null;
  let reach = NaN;
  let last = NaN;
  sweepInflight(starts, ends, (t, inflight, isEnd) => {
    // An end that leaves the maximum (inflight + 1 before it) moves t4 on.
    if (isEnd) {
      if (inflight + 1 >= maxConcurrency) last = t;
    } else if (inflight >= maxConcurrency && Number.isNaN(reach)) reach = t;
  });
  if (Number.isNaN(reach)) return null;
  let k = 0;
  while (k < n && starts[k]! <= reach) k++;
  if (k >= n) return null;
  const startMs = starts[k]!;
  if (!(startMs <= last)) return null;
  return { startMs, endMs: last };
}

export function inWindow(w: StableWindow, t0: number): boolean {
  return t0 >= w.startMs && t0 <= w.endMs;
}

/**
 * AISBench's stable window after its PR #464
 * (calculators/stable_perf_metric_calculator.py `_get_requests_id`): over the
 * successful requests' [start, last event] intervals, sorted by time (at equal
 * times ends first, as a closed loop frees a slot before refilling it), t2 is
 * the time of the SECOND start after which in-flight equals max exactly (the
 * first one finishes the ramp-up), t4 the time of the last event of any kind
 * after which in-flight equals max. Requests with t2 ≤ start ≤ t4 are in.
 */
export function aisbenchStableWindow(
  starts: Float64Array,
  ends: Float64Array,
  maxConcurrency: number,
): StableWindow | null {
  const s = starts.slice().sort();
  const e = ends.slice().sort();
  const n = s.length;
  if (n === 0 || maxConcurrency < 1) return null;
  let i = 0;
  let j = 0;
  let c = 0;
  let maxStarts = 0;
  let t2 = NaN;
  let t4 = NaN;
  while (i < n || j < n) {
    const isEnd = j < n && (i >= n || e[j]! <= s[i]!);
    const t = isEnd ? e[j++]! : s[i++]!;
    c += isEnd ? -1 : 1;
    if (c === maxConcurrency) {
      if (!isEnd && ++maxStarts === 2) t2 = t;
      t4 = t;
    }
  }
  if (Number.isNaN(t2) || !(t2 <= t4)) return null;
  return { startMs: t2, endMs: t4 };
}
