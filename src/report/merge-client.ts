/**
 * Browser code (source text) merging the requests of each pixel row, so a
 * 100k-request timeline costs one segment pair per pixel row to draw.
 * Kept apart so tests can evaluate it in Node (`new Function`).
 *
 * mergeRows(ex, lo, hi, pxOf, nPx): ex = the exact rows (t0, ttft, dur, ok);
 * rows lo..hi; pxOf(row) = pixel row index (0..nPx-1, others skipped).
 * Returns per pixel row: n (successes merged), start (earliest send, ms),
 * split (start + TTFT share of the span), end (latest last token, ms);
 * nFail (failures), fStart / fEnd (their earliest send, latest end, ms).
 */
export const MERGE_CLIENT_JS = String.raw`
function mergeRows(ex, lo, hi, pxOf, nPx) {
  var start = new Float64Array(nPx).fill(Infinity), end = new Float64Array(nPx).fill(-Infinity);
  var sumT = new Float64Array(nPx), sumD = new Float64Array(nPx), n = new Uint32Array(nPx), split = new Float64Array(nPx);
  var nFail = new Uint32Array(nPx), fStart = new Float64Array(nPx).fill(Infinity), fEnd = new Float64Array(nPx).fill(-Infinity);
  for (var r = lo; r <= hi; r++) {
    var p = pxOf(r);
    if (p < 0 || p >= nPx) continue;
    var t0 = ex.t0[r], d = ex.dur[r], tt = ex.ttft[r];
    if (!ex.ok[r]) {
      nFail[p]++;
      if (t0 < fStart[p]) fStart[p] = t0;
      if (t0 + d > fEnd[p]) fEnd[p] = t0 + d;
      continue;
    }
    if (t0 < start[p]) start[p] = t0;
    if (t0 + d > end[p]) end[p] = t0 + d;
    sumT[p] += tt >= 0 ? Math.min(tt, d) : 0;
    sumD[p] += d;
    n[p]++;
  }
  for (var i = 0; i < nPx; i++) if (n[i]) split[i] = start[i] + (sumD[i] > 0 ? sumT[i] / sumD[i] : 0) * (end[i] - start[i]);
  return { n: n, start: start, split: split, end: end, nFail: nFail, fStart: fStart, fEnd: fEnd };
}
`;
