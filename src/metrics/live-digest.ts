/**
 * A mergeable digest for the LIVE board (TTFT, E2EL, TPOT while a run goes).
 *
 * Why tdigest only here: final results are exact (values are kept per
 * request, ITL in an exact histogram; see itl-histogram.ts) because that is
 * cheap even at 250,000 requests. The live view needs something workers can
 * fill and post as small deltas every tick, which a digest is. tdigest 0.1.3
 * cannot merge two digests natively: a delta is its centroid list, replayed
 * on the receiving side with push_centroid. compress() is never called (it
 * shuffles with Math.random, making results irreproducible): K = 0 disables
 * the automatic call; delta bounds the centroid count anyway.
 */
import tdigest from 'tdigest';

export class LiveDigest {
  private d = new tdigest.TDigest(0.01, 0, 1.1);

  /** Add one value (ms for latencies). */
  push(x: number): void {
    if (Number.isFinite(x)) this.d.push(x);
  }

  /** Number of values added or merged. */
  get count(): number {
    return this.d.n;
  }

  /** Centroids as [mean, count] pairs: the delta a worker posts. */
  toCentroids(): Array<[number, number]> {
    return this.d.toArray().map((c) => [c.mean, c.n] as [number, number]);
  }

  /** Merge another digest's centroids (from toCentroids()). */
  mergeCentroids(c: ReadonlyArray<readonly [number, number]>): void {
    for (const [mean, n] of c) if (n > 0) this.d.push_centroid({ mean, n });
  }

  /** Estimated percentile; `pct` in 0..100 (50 = median). NaN when empty. */
  percentile(pct: number): number {
    if (this.d.n === 0) return NaN;
    return this.d.percentile(pct / 100) ?? NaN;
  }

  /** Forget everything (a worker resets after posting its delta). */
  reset(): void {
    this.d.reset();
  }
}
