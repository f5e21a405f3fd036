/**
 * Exact in-flight count over time: a step series with one point per change.
 * A request is in flight on [start, end): at a time where one request ends
 * and another starts, the count nets both (no false spike).
 */
export interface StepSeries {
  /** Change times, ms since run start, ascending and unique. */
  t: number[];
  /** In-flight requests from t[i] until t[i + 1]. */
  v: number[];
}

/**
 * @param starts send times (ms), any order
 * @param ends end times (ms), same length; an end before its start is treated as the start
 */
export function concurrencySteps(starts: readonly number[], ends: readonly number[]): StepSeries {
  const n = starts.length;
  const s = Float64Array.from(starts).sort();
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) e[i] = Math.max(starts[i]!, ends[i]!);
  e.sort();
  const t: number[] = [];
  const v: number[] = [];
  if (n === 0) return { t, v };
  if (s[0]! > 0) {
    t.push(0);
    v.push(0);
  }
  let i = 0;
  let j = 0;
  let level = 0;
  while (i < n || j < n) {
    const now = j >= n || (i < n && s[i]! <= e[j]!) ? s[i]! : e[j]!;
    while (i < n && s[i] === now) {
      level++;
      i++;
    }
    while (j < n && e[j] === now) {
      level--;
      j++;
    }
    if (v.length > 0 && v[v.length - 1] === level) continue;
    t.push(now);
    v.push(level);
  }
  return { t, v };
}
