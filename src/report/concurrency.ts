/**
 * Exact in-flight count over time: a step series with one point per change.
 * A request is in flight on [start, end): at a time where one request ends
 * and another starts, the count nets both (no false spike). The sweep is
 * metrics/inflight.ts, shared with the terminal's series and the stable window.
 */
import { sweepInflight } from '../metrics/inflight.js';

export interface StepSeries {
  /** Change times, ms since run start, ascending and unique. */
  t: number[];
  /** In-flight requests from t[i] until t[i + 1]. */
  v: number[];
}

/**
 * @param starts send times (ms), any order; non-finite ones are left out
 * @param ends end times (ms), same length; an end before its start (or not finite) is the start
 */
export function concurrencySteps(starts: readonly number[], ends: readonly number[]): StepSeries {
  const keep: number[] = [];
  for (let i = 0; i < starts.length; i++) if (Number.isFinite(starts[i])) keep.push(i);
  const n = keep.length;
  const s = Float64Array.from(keep, (i) => starts[i]!).sort();
  const e = Float64Array.from(keep, (i) =>
    Number.isFinite(ends[i]) ? Math.max(starts[i]!, ends[i]!) : starts[i]!,
  ).sort();
  const t: number[] = [];
  const v: number[] = [];
  if (n === 0) return { t, v };
  if (s[0]! > 0) {
    t.push(0);
    v.push(0);
  }
  // Net level at each distinct time (inflight.ts visits every event; the
  // last visit at a time is the net), then only the changes are kept.
  let lastT = NaN;
  let net = 0;
  const flush = (): void => {
    if (Number.isNaN(lastT) || (v.length > 0 && v[v.length - 1] === net)) return;
    t.push(lastT);
    v.push(net);
  };
  sweepInflight(s, e, (now, level) => {
    if (now !== lastT) flush();
    lastT = now;
    net = level;
  });
  flush();
  return { t, v };
}
