/**
 * The live statistics of one task for the board, computed from what the
 * engine publishes (oha keeps the client that produces results apart from
 * the monitor that summarises them: client.rs / monitor.rs): the workers'
 * deltas (counts, TTFT centroids, output tokens) and, at each snapshot tick,
 * the in-flight count. TaskRunner owns the threads and the lifecycle; this
 * owns the numbers. These are live estimates only: the results tables are
 * computed from the records (metrics/), never from here.
 */
import { nowMs } from './clock.js';
import { newLiveDigest } from './live-digest.js';
import type { TaskCounts, TaskSnapshot } from './types.js';

/** What one worker delta adds (protocol.ts 'delta', without its records). */
export interface LiveDelta {
  post: number;
  recv: number;
  finish: number;
  fail: number;
  ttftCentroids: Array<{ mean: number; n: number }>;
  outTokens: number;
}

/** The task's state a snapshot needs from its runner. */
export interface LiveClock {
  /** Warm-up or measured phase: throughput and in-flight history are sampled. */
  running: boolean;
  /** Requests in flight now. */
  inflight: number;
  /** Start of the phase shown (ms, shared clock); 0 before any. */
  startedAt: number;
  /** End of the run (ms), 0 while it runs. */
  endedAt: number;
}

/** Seconds of output tokens the board's tok/s averages over. */
const OUT_WINDOW_MS = 5000;
/** In-flight samples kept (one a second): the board's last minute. */
const HISTORY = 60;

export type LiveStats = Pick<
  TaskSnapshot,
  'counts' | 'elapsedMs' | 'itPerSec' | 'inflightHistory' | 'ttftP50' | 'ttftP99' | 'outTokPerSec'
>;

export class LiveMonitor {
  readonly counts: TaskCounts = { post: 0, recv: 0, finish: 0, fail: 0 };
  private readonly ttft = newLiveDigest();
  private readonly inflightHistory: number[] = [];
  /** [arrival ms, tokens] of recent deltas. */
  private readonly outWindow: Array<[number, number]> = [];
  private lastSample = 0;

  /** Consumes one worker delta. */
  add(d: LiveDelta, now = nowMs()): void {
    this.counts.post += d.post;
    this.counts.recv += d.recv;
    this.counts.finish += d.finish;
    this.counts.fail += d.fail;
    // tdigest has no merge(): combine by pushing the other digest's centroids.
    if (d.ttftCentroids.length) this.ttft.push_centroid(d.ttftCentroids);
    if (d.outTokens) this.outWindow.push([now, d.outTokens]);
  }

  /** The statistics of one snapshot; samples the in-flight count at most once a second. */
  stats(c: LiveClock, now = nowMs()): LiveStats {
    if (c.running && now - this.lastSample >= 1000) {
      this.lastSample = now;
      this.inflightHistory.push(c.inflight);
      if (this.inflightHistory.length > HISTORY) this.inflightHistory.shift();
    }
    for (let head = this.outWindow[0]; head && now - head[0] > OUT_WINDOW_MS; head = this.outWindow[0])
      this.outWindow.shift();
    let out = 0;
    for (const [, k] of this.outWindow) out += k;
    const elapsed = c.startedAt === 0 ? 0 : Math.max(0, (c.endedAt || now) - c.startedAt);
    const windowS = Math.min(OUT_WINDOW_MS / 1000, Math.max(elapsed / 1000, 0.001));
    const doneN = this.counts.finish + this.counts.fail;
    const hasTtft = this.ttft.size() > 0;
    return {
      counts: { ...this.counts },
      elapsedMs: elapsed,
      itPerSec: elapsed > 0 ? doneN / (elapsed / 1000) : 0,
      inflightHistory: [...this.inflightHistory],
      ttftP50: hasTtft ? (this.ttft.percentile(0.5) ?? NaN) : NaN,
      ttftP99: hasTtft ? (this.ttft.percentile(0.99) ?? NaN) : NaN,
      outTokPerSec: c.running ? out / windowS : 0,
    };
  }

  /** The live TTFT digest's centroids (a --processes child sends them to the parent, which merges them). */
  ttftCentroids(): Array<{ mean: number; n: number }> {
    return this.ttft.size() > 0 ? (this.ttft.toArray() as Array<{ mean: number; n: number }>) : [];
  }
}
