/**
 * The parent's view of K child shards: one TaskSnapshot per task from the
 * children's latest snapshots. Counts, rates and in-flight add up; live TTFT
 * percentiles come from one t-digest filled with every child's centroids
 * (tdigest has no merge(): push_centroid of the other digest's toArray()).
 */
import { newLiveDigest } from '../engine/live-digest.js';
import type { TaskSnapshot, TaskStatus } from '../engine/types.js';
import type { Centroids } from '../run/ipc-presenter.js';

/** The board shows the least advanced child's status (the task is not finished until all are). */
const ORDER: TaskStatus[] = ['error', 'waiting', 'warmup', 'inferencing', 'computing', 'stopped', 'finish'];

export function mergeDigests(parts: readonly Centroids[]): { p50: number; p99: number } {
  const d = newLiveDigest();
  for (const c of parts) if (c.length) d.push_centroid(c);
  if (d.size() === 0) return { p50: NaN, p99: NaN };
  return { p50: d.percentile(0.5) ?? NaN, p99: d.percentile(0.99) ?? NaN };
}

function sumTail(hists: readonly number[][]): number[] {
  const len = Math.max(0, ...hists.map((h) => h.length));
  const out = new Array<number>(len).fill(0);
  for (const h of hists) h.forEach((v, i) => (out[len - h.length + i]! += v));
  return out;
}

/** One task's snapshot over the children that report it (snaps[i], digests[i] of child i). */
export function mergeTaskSnapshots(snaps: readonly TaskSnapshot[], digests: readonly Centroids[]): TaskSnapshot {
  const first = snaps[0]!;
  const sum = (f: (s: TaskSnapshot) => number): number => snaps.reduce((a, s) => a + f(s), 0);
  const status = snaps.map((s) => s.status).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0]!;
  const q = mergeDigests(digests);
  return {
    ...first,
    status,
    total: sum((s) => s.total),
    counts: {
      post: sum((s) => s.counts.post),
      recv: sum((s) => s.counts.recv),
      finish: sum((s) => s.counts.finish),
      fail: sum((s) => s.counts.fail),
    },
    threads: snaps.flatMap((s) => s.threads),
    elapsedMs: Math.max(...snaps.map((s) => s.elapsedMs)),
    itPerSec: sum((s) => s.itPerSec),
    inflight: sum((s) => s.inflight),
    inflightHistory: sumTail(snaps.map((s) => s.inflightHistory)),
    ttftP50: q.p50,
    ttftP99: q.p99,
    outTokPerSec: sum((s) => s.outTokPerSec),
    error: snaps.find((s) => s.error)?.error,
  };
}
