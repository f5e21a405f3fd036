/**
 * `live.json` in a shard's run folder, rewritten every second while it runs:
 * its tasks' snapshots and live TTFT digests, so `aisbench-tui watch` can
 * show all shards of a run on one board from the shared folder (a volume in
 * Kubernetes) without any connection to the shards.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunStore } from '../engine/run-store.js';
import type { TaskSnapshot } from '../engine/types.js';
import type { Centroids } from './ipc-presenter.js';
import { RunLayout } from '../core/run-layout.js';

export const LIVE_FILE = RunLayout.liveState;
const EVERY_MS = 1000;

export interface LiveState {
  index: number;
  count: number;
  done: boolean;
  updatedAt: number;
  tasks: TaskSnapshot[];
  digests: Centroids[];
}

interface CentroidSource {
  ttftCentroids(): Centroids;
}

/** Start writing live.json; the returned function writes the last state (done) and stops. */
export function startLiveState(runDir: string, store: RunStore, shard: { index: number; count: number }): () => void {
  const file = path.join(runDir, LIVE_FILE);
  const write = (done: boolean): void => {
    const s = store.getSnapshot();
    const digests = store.providers().map((p) => (p as unknown as Partial<CentroidSource>).ttftCentroids?.() ?? []);
    const state: LiveState = { ...shard, done, updatedAt: Date.now(), tasks: [...s.tasks], digests };
    try {
      writeFileSync(file + '.tmp', JSON.stringify(state));
      renameSync(file + '.tmp', file);
    } catch {
      /* a full or gone volume must not stop the run: watch just sees an older state */
    }
  };
  const timer = setInterval(() => write(false), EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    write(true);
  };
}

export function readLiveState(dir: string): LiveState | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, LIVE_FILE), 'utf8')) as LiveState;
  } catch {
    return null;
  }
}
