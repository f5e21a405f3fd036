/** A fake SnapshotSource the board tests control: a tiny store they bump. */
import type { RunSnapshot, SnapshotSource, TaskSnapshot } from '../src/engine/types.js';

export function makeTask(i: number, finish = 0, over: Partial<TaskSnapshot> = {}): TaskSnapshot {
  const abbr = `vllm-api-stream-chat-${String(i).padStart(2, '0')}`;
  return {
    key: `${abbr}/demo_gsm8k`,
    abbr,
    dataset: 'demo_gsm8k',
    status: 'inferencing',
    total: 100,
    counts: { post: finish + 2, recv: finish + 1, finish, fail: 0 },
    threads: [1, 2],
    elapsedMs: 54_000,
    itPerSec: 0.1,
    inflight: 2,
    inflightHistory: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    ttftP50: 120,
    ttftP99: 480,
    outTokPerSec: 523,
    logPath: `logs/performance/${abbr}/demo_gsm8k.out`,
    ...over,
  };
}

export interface FakeSource extends SnapshotSource {
  /** Replace the snapshot with one whose counts grew by `by` and notify subscribers. */
  bump(by?: number): void;
  finishCount(): number;
}

export function fakeSource(tasks: number, start = Date.UTC(2025, 10, 6, 2, 34, 41)): FakeSource {
  let finish = 3;
  let now = start;
  const listeners = new Set<() => void>();
  const build = (): RunSnapshot => ({
    runDir: 'outputs/default/20251106_103326',
    updatedAt: now,
    tasks: Array.from({ length: tasks }, (_, i) => makeTask(i, finish)),
    done: false,
    stopping: false,
  });
  let snap = build();
  return {
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    getSnapshot: () => snap,
    bump(by = 1) {
      finish += by;
      now += 1000;
      snap = build();
      for (const cb of listeners) cb();
    },
    finishCount: () => finish,
  };
}
