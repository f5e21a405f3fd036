/**
 * The one place a t-digest is made (issue 19: the worker's delta, the live
 * monitor and the shard parent's merge each called `new TDigest()` with the
 * package defaults). These digests feed the board's live TTFT p50 / p99 only;
 * the results tables use exact percentiles over the records (metrics/).
 *
 * tdigest 0.1.3 has no merge(): digests are combined by pushing one's
 * centroids (`toArray()`) into another with `push_centroid`, so every digest
 * that takes part must be made with the same parameters: here.
 */
import tdigestPkg from 'tdigest';
import type { TDigest } from 'tdigest';

/**
 * Compression (tdigest's `delta`): a centroid holds at most this fraction of
 * the samples in the middle of the distribution, fewer towards the tails
 * (the q(1 − q) bound), so p99 stays close with ~1/DELTA centroids. The
 * package default; the live figures have always used it.
 */
const LIVE_DIGEST_DELTA = 0.01;
/** Recompress once there are more than K / DELTA centroids (the package default, 25). */
const RECOMPRESS_K = 25;
/** How often cached cumulative counts are refreshed while pushing (the package default, 1.1). */
const CUMULATE_CX = 1.1;

/** A t-digest for live TTFT estimates, with the parameters every merging party shares. */
export function newLiveDigest(): TDigest {
  return new tdigestPkg.TDigest(LIVE_DIGEST_DELTA, RECOMPRESS_K, CUMULATE_CX);
}
