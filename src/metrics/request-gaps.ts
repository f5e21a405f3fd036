/**
 * What one successful request's event gaps add to a task's ITL histogram and
 * its per-second output token bins (TaskSeries.outputTokPerSec): the part of
 * TaskAccumulator.add (accumulator.ts) that runs per token.
 */
import { isTokenKind } from '../engine/sse.js';
import type { RequestRecord } from '../engine/types.js';
import type { F64List } from './f64-list.js';
import type { ItlHistogram } from './itl-histogram.js';
import { binTokens } from './series.js';

/** Per-second output token bins from the token-bearing events (for the plots). */
export function binRecord(r: RequestRecord, addBin: (bin: number, tokens: number) => void): void {
  if (!Number.isFinite(r.ttft)) return;
  const kinds = r.kinds;
  if (kinds === null) {
    binTokens(r.t0 + r.ttft, r.gapsUs, r.chunkTokens, addBin);
    return;
  }
  const gaps: number[] = [];
  const k: number[] = [];
  let acc = 0;
  let seen = false;
  for (let i = 0; i < kinds.length; i++) {
    if (i > 0) acc += r.gapsUs[i - 1]!;
    if (!isTokenKind(kinds[i]!)) continue;
    if (seen) gaps.push(acc);
    seen = true;
    acc = 0;
    k.push(r.chunkTokens ? Math.max(1, r.chunkTokens[i]!) : 1);
  }
  binTokens(r.t0 + r.ttft, gaps, k, addBin);
}

/**
 * The hot path (one token a chunk, every event a text delta): ITL histogram
 * `h` and per-second token bins in one pass over the gaps `g` (µs), the first
 * chunk at `firstMs`; same results as h.addRequest + binTokens.
 */
export function addPlainGaps(h: ItlHistogram, tokBins: F64List, g: Uint32Array, firstMs: number): void {
  let d = h.dense;
  let bin = Math.max(0, Math.floor(firstMs / 1000));
  // µs from the first chunk to the next 1 s boundary (rounded as binTokens does).
  let next = Math.round((bin + 1) * 1e6 - firstMs * 1000);
  let cum = 0; // µs from the first chunk to chunk i + 1
  let last = 0; // chunks already binned
  const n = g.length;
  for (let i = 0; i < n; i++) {
    const x = g[i]!;
    cum += x;
    if (x < d.length)
      d[x]!++; // `!`: bounds checked on this line
    else {
      h.addValue(x, 1);
      d = h.dense;
    }
    if (cum >= next) {
      tokBins.addAt(bin, i + 1 - last);
      last = i + 1;
      do {
        bin++;
        next += 1e6;
      } while (cum >= next);
    }
  }
  tokBins.addAt(bin, n + 1 - last);
  h.count += n;
  h.sumUs += cum;
}
