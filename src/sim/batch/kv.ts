/**
 * KV cache of the batch model: `total` blocks of `blockSize` tokens.
 *
 * A sequence holds private blocks (counted) and shared prompt blocks (named by
 * the chain hash of the prompt up to the block's end, refcounted). A shared
 * block nobody holds stays cached (idle, evictable in LRU order) so a later
 * prompt with the same prefix finds it; it counts as free, as vLLM's free
 * block queue does, and is evicted only when a fresh block is needed.
 *
 * usage = blocks held by sequences / total (vllm:kv_cache_usage_perc).
 */
export class KvPool {
  /** Blocks held by at least one sequence (private + shared with refs > 0). */
  used = 0;
  /** hash → refs (0 = idle, also listed in `idle`). */
  private readonly refs = new Map<number, number>();
  /** Idle cached blocks, oldest first (Map keeps insertion order). */
  private readonly idle = new Map<number, true>();

  constructor(
    readonly total: number,
    readonly blockSize: number,
  ) {}

  /** Blocks neither held nor cached. */
  get free(): number {
    return this.total - this.used - this.idle.size;
  }

  /** Blocks a sequence could get now (free + evictable idle). */
  get available(): number {
    return this.total - this.used;
  }

  get usage(): number {
    return this.total > 0 ? this.used / this.total : 0;
  }

  /** Leading hashes present in the cache (held or idle), at most `max`. */
  cachedPrefix(hashes: readonly number[], max: number): number {
    let n = 0;
    while (n < max && n < hashes.length && this.refs.has(hashes[n]!)) n++;
    return n;
  }

  /** Takes a reference on cached block `hash` (must be cached). */
  ref(hash: number): void {
    const r = this.refs.get(hash)!;
    if (r === 0) {
      this.idle.delete(hash);
      this.used++;
    }
    this.refs.set(hash, r + 1);
  }

  /** Drops a reference; the block stays cached (idle) when nobody holds it. */
  unref(hash: number): void {
    const r = this.refs.get(hash);
    if (r === undefined) return;
    if (r <= 1) {
      this.refs.set(hash, 0);
      this.idle.set(hash, true);
      this.used--;
    } else this.refs.set(hash, r - 1);
  }

  /** Takes n fresh private blocks, evicting idle cached ones if needed; false if there is no room. */
  alloc(n: number): boolean {
    if (n <= 0) return true;
    if (this.available < n) return false;
    let short = n - this.free;
    for (const h of this.idle.keys()) {
      if (short <= 0) break;
      this.idle.delete(h);
      this.refs.delete(h);
      short--;
    }
    this.used += n;
    return true;
  }

  release(n: number): void {
    this.used -= n;
  }

  /**
   * A private block now holds the full prompt block `hash`: it becomes shared.
   * If another sequence already cached the same block, the private copy is
   * released and the cached one referenced instead.
   */
  publish(hash: number): void {
    if (this.refs.has(hash)) {
      this.release(1);
      this.ref(hash);
    } else this.refs.set(hash, 1);
  }
}
