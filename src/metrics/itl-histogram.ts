/**
 * An exact histogram of ITL values in microseconds.
 *
 * Why not a digest: a run of 250,000 requests × 4,096 tokens has 1e9 gaps,
 * and gaps are whole microseconds, so counting each distinct value is both
 * exact and small: a dense array of counts for 0..2^20 µs (≈ 1 s; grown on
 * demand, 8 MB at most) and a Map for the rest (longer gaps, and the
 * fractional gap/k values of multi-token chunks). Percentiles then walk the
 * distinct values in order. The sum is kept in whole µs, so the mean is exact
 * (the k values gap/k of a multi-token chunk add up to gap).
 */
import { statPercent } from './stats.js';

const DENSE_MAX = 1 << 20;

/** Plain, structured-cloneable form (for worker_threads). */
export interface ItlHistogramState {
  dense: Float64Array;
  sparse: Array<[number, number]>;
  count: number;
  sumUs: number;
}

export class ItlHistogram {
  /** Counts of whole-µs values 0..dense.length − 1 (read-only outside). */
  dense = new Float64Array(4096);
  private sparse = new Map<number, number>();
  /** Number of ITL values. */
  count = 0;
  /** Sum of all values, µs. */
  sumUs = 0;

  private grow(v: number): void {
    let size = this.dense.length;
    while (size <= v) size *= 2;
    const next = new Float64Array(Math.min(size, DENSE_MAX));
    next.set(this.dense);
    this.dense = next;
  }

  /** Add one gap of `gapUs` whole µs carried by a chunk of `k` tokens (k values of gap/k). */
  addGap(gapUs: number, k = 1): void {
    this.count += k;
    this.sumUs += gapUs;
    if (k === 1) {
      // `!`: each index below is inside `dense` (checked, or just grown to fit).
      if (gapUs < this.dense.length) this.dense[gapUs]!++;
      else if (gapUs < DENSE_MAX) {
        this.grow(gapUs);
        this.dense[gapUs]!++;
      } else this.sparse.set(gapUs, (this.sparse.get(gapUs) ?? 0) + 1);
      return;
    }
    this.addValue(gapUs / k, k);
  }

  /** Add `times` copies of value `v` µs (any non-negative number). */
  addValue(v: number, times: number): void {
    if (Number.isInteger(v) && v < DENSE_MAX) {
      if (v >= this.dense.length) this.grow(v);
      this.dense[v]! += times; // `!`: grown above to hold index v
    } else this.sparse.set(v, (this.sparse.get(v) ?? 0) + times);
  }

  /**
   * Add all gaps of one request. `gaps` in whole µs; `chunkTokens[i]` tokens
   * of chunk i (chunk 0 is the first, so gap i belongs to chunk i + 1).
   */
  addRequest(gaps: ArrayLike<number>, chunkTokens: ArrayLike<number> | null): void {
    const n = gaps.length;
    if (chunkTokens === null) {
      let d = this.dense;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const g = gaps[i]!;
        sum += g;
        // `!`: g is inside d (checked, or just grown to fit).
        if (g < d.length) d[g]!++;
        else if (g < DENSE_MAX) {
          this.grow(g);
          d = this.dense;
          d[g]!++;
        } else this.sparse.set(g, (this.sparse.get(g) ?? 0) + 1);
      }
      this.count += n;
      this.sumUs += sum;
      return;
    }
    for (let i = 0; i < n; i++) this.addGap(gaps[i]!, Math.max(1, chunkTokens[i + 1] ?? 1));
  }

  /** Remove what addRequest added (for the stable stage). */
  removeRequest(gaps: ArrayLike<number>, chunkTokens: ArrayLike<number> | null): void {
    for (let i = 0; i < gaps.length; i++) {
      const g = gaps[i]!;
      const k = chunkTokens ? Math.max(1, chunkTokens[i + 1] ?? 1) : 1;
      const v = g / k;
      this.count -= k;
      this.sumUs -= g;
      // `!`: addRequest put v in dense (it grew dense to hold it), and dense never shrinks.
      if (Number.isInteger(v) && v < DENSE_MAX) this.dense[v]! -= k;
      else {
        const c = (this.sparse.get(v) ?? 0) - k;
        if (c > 0) this.sparse.set(v, c);
        else this.sparse.delete(v);
      }
    }
  }

  merge(o: ItlHistogram | ItlHistogramState): void {
    const od = o.dense;
    if (od.length > this.dense.length) this.grow(od.length - 1);
    const d = this.dense;
    // `!`: d was grown above to at least od.length.
    for (let i = 0; i < od.length; i++) if (od[i]) d[i]! += od[i]!;
    const entries = o instanceof ItlHistogram ? o.sparse.entries() : o.sparse;
    for (const [v, c] of entries) this.sparse.set(v, (this.sparse.get(v) ?? 0) + c);
    this.count += o.count;
    this.sumUs += o.sumUs;
  }

  clone(): ItlHistogram {
    const h = new ItlHistogram();
    h.merge(this);
    return h;
  }

  toState(): ItlHistogramState {
    return { dense: this.dense, sparse: [...this.sparse], count: this.count, sumUs: this.sumUs };
  }

  static fromState(s: ItlHistogramState): ItlHistogram {
    const h = new ItlHistogram();
    h.merge(s);
    return h;
  }

  /** Values for a stats list, in ms (NaN when empty). One walk over the distinct values. */
  statsMs(stats: readonly string[], method: 'linear' | 'floor' = 'linear'): number[] {
    const n = this.count;
    if (n === 0) return stats.map(() => NaN);
    // Ranks needed (0-based): floor(h) and floor(h)+1 of each percentile
    // (floor: EvalScope's index int(n·p/100), stats.ts percentileFloorSorted).
    const want = stats.map((s) => {
      const p = statPercent(s);
      if (Number.isNaN(p)) return null;
      const h = method === 'floor' && p > 0 ? Math.min(n - 1, Math.floor((n * p) / 100)) : ((n - 1) * p) / 100;
      const lo = Math.floor(h);
      return { lo, frac: h - lo, a: NaN, b: NaN };
    });
    const targets = want.filter((w): w is NonNullable<typeof w> => w !== null);
    const sparseKeys = [...this.sparse.keys()].sort((x, y) => x - y);
    const d = this.dense;
    let i = 0;
    let j = 0;
    let seen = 0; // values before the current distinct value
    let pending = targets.length;
    while (pending > 0 && (i < d.length || j < sparseKeys.length)) {
      while (i < d.length && d[i] === 0) i++;
      let v: number;
      let c: number;
      if (i < d.length && (j >= sparseKeys.length || i <= sparseKeys[j]!)) {
        v = i;
        c = d[i]!;
        i++;
        if (j < sparseKeys.length && sparseKeys[j] === v) c += this.sparse.get(sparseKeys[j++]!)!;
      } else if (j < sparseKeys.length) {
        v = sparseKeys[j]!;
        c = this.sparse.get(v)!;
        j++;
      } else break;
      const upto = seen + c; // ranks [seen, upto) hold v
      for (const t of targets) {
        if (Number.isNaN(t.a) && t.lo < upto) {
          t.a = v;
          if (t.frac === 0 || t.lo + 1 >= n) {
            t.b = v;
            pending--;
          }
        }
        if (!Number.isNaN(t.a) && Number.isNaN(t.b) && t.lo + 1 < upto) {
          t.b = v;
          pending--;
        }
      }
      seen = upto;
    }
    return want.map((w) => (w === null ? this.sumUs / n / 1000 : (w.a + w.frac * (w.b - w.a)) / 1000));
  }
}
