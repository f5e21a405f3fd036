/**
 * Stage 'stable' ITL when the window is only known at the end. Two ways
 * (TaskAccumulator, accumulator.ts): given `stableWindow` up front (a second
 * pass over a details file does), ITL goes to both histograms as it comes;
 * with only `stable: true`, each successful request's gaps are kept here
 * varint-coded (1–2 bytes a gap) and, at finalize, the requests outside the
 * window are subtracted from a copy of the total histogram.
 */
import { decodeGaps, encodeGaps } from '../engine/gap-varint.js';
import type { Dialect } from './dialects.js';
import { usesAisbenchStable } from './dialects.js';
import type { ItlHistogram } from './itl-histogram.js';
import { aisbenchStableWindow, stableWindowSorted, type StableWindow } from './stable.js';

interface Kept {
  row: number;
  gaps: Uint8Array;
  count: number;
  k: Uint32Array | null;
}

/** The gaps of every successful request, by column row, until the window is known. */
export class KeptGaps {
  private kept: Kept[] = [];
  private scratch: Uint8Array = new Uint8Array(1024);

  /** Keeps request `row`'s gaps `g` (µs) and per-event tokens `k`. */
  keep(row: number, g: ArrayLike<number>, k: Uint32Array | null): void {
    const enc = encodeGaps(g, this.scratch);
    this.scratch = enc.bytes;
    this.kept.push({ row, gaps: enc.bytes.slice(0, enc.length), count: g.length, k: k && k.slice() });
  }

  /** A copy of `total` without the kept requests whose row is not in `mask`. */
  stableOf(total: ItlHistogram, mask: Uint8Array): ItlHistogram {
    const h = total.clone();
    for (const k of this.kept) {
      if (mask[k.row] === 1) continue;
      const gaps = new Uint32Array(k.count);
      decodeGaps(k.gaps, 0, k.gaps.length, gaps);
      h.removeRequest(gaps, k.k);
    }
    return h;
  }
}

/**
 * The stable window of a dialect: AISBench's #464 window over the successful
 * requests' [start, last event] (every dialect but per-token: the others have
 * no stable stage of their own), or the earlier window over all requests.
 */
export function windowFor(
  d: Dialect,
  cols: { n: number; t0: Float64Array; last: Float64Array; ok: Float64Array },
  starts: Float64Array,
  ends: Float64Array,
  max: number,
): StableWindow | null {
  if (!usesAisbenchStable(d)) return stableWindowSorted(starts, ends, max);
  const s: number[] = [];
  const e: number[] = [];
  for (let i = 0; i < cols.n; i++) if (cols.ok[i] === 1) (s.push(cols.t0[i]!), e.push(cols.last[i]!));
  return aisbenchStableWindow(Float64Array.from(s), Float64Array.from(e), max);
}
