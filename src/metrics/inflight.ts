/**
 * The one in-flight sweep: +1 at each send time, −1 at each end time, visited
 * in time order. At equal times ends come first, as a closed loop frees a
 * slot before refilling it, so a request ending as another starts is never
 * counted as two in flight (AISBench's stable_stage counts the same way).
 *
 * Issue 19: the TaskSeries concurrency plot (series.ts), the steady-state
 * window (stable.ts) and the HTML report's step series (report/concurrency.ts)
 * each had their own copy of this loop. They keep their own output shapes on
 * purpose: TaskSeries is [seconds, level] decimated to MAX_POINTS for the
 * terminal's plots, the report keeps every change in ms for uPlot's zoom,
 * and the window needs only two instants.
 */

/**
 * Calls `visit(tMs, inflight, isEnd)` after each of the 2n events, where
 * `inflight` is the count once that event is applied.
 * @param starts send times, ms, sorted ascending
 * @param ends end times, ms, sorted ascending, same length as `starts`
 */
export function sweepInflight(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  visit: (tMs: number, inflight: number, isEnd: boolean) => void,
): void {
  const n = starts.length;
  let i = 0;
  let j = 0;
  let inflight = 0;
  while (i < n || j < n) {
    const isEnd = j < n && (i >= n || ends[j]! <= starts[i]!);
    const t = isEnd ? ends[j++]! : starts[i++]!;
    inflight += isEnd ? -1 : 1;
    visit(t, inflight, isEnd);
  }
}
