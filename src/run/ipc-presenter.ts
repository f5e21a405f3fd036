/**
 * The presenter of a `--processes` child: no screen; it posts its tasks'
 * snapshots and live TTFT digests to the parent over the IPC channel four
 * times a second, and where its run folder is when it ends.
 */
import type { RunStore } from '../engine/run-store.js';
import type { SnapshotSource, TaskSnapshot } from '../engine/types.js';
import type { FinalView, Presenter, PresenterControls } from './presenter.js';

export type Centroids = Array<{ mean: number; n: number }>;

export type ChildMessage =
  | { type: 'progress'; runDir: string; tasks: TaskSnapshot[]; digests: Centroids[] }
  | { type: 'ready'; task: string }
  | { type: 'result'; runDir: string; interrupted: boolean; message?: string };

/** Parent → child: every process is ready for this task; start its measured phase at `at` (epoch ms). */
export interface GoMessage {
  type: 'go';
  task: string;
  at: number;
}

/**
 * A start barrier for a --processes child: tell the parent this task is
 * warmed up and wait for its 'go', so the K processes start together
 * however long each took to load.
 */
export function ipcStartGate(task: string): () => Promise<number> {
  return () =>
    new Promise<number>((resolve) => {
      const on = (m: GoMessage): void => {
        if (m?.type !== 'go' || m.task !== task) return;
        process.off('message', on);
        resolve(m.at);
      };
      process.on('message', on);
      process.send?.({ type: 'ready', task } satisfies ChildMessage);
    });
}

interface CentroidSource {
  ttftCentroids(): Centroids;
}

export class IpcPresenter implements Presenter {
  readonly refreshHz = 4;
  readonly interactive = false;
  private timer: NodeJS.Timeout | null = null;
  private source: SnapshotSource | null = null;

  private send(m: ChildMessage): void {
    if (process.connected) process.send?.(m);
  }

  private progress(): void {
    if (!this.source) return;
    const s = this.source.getSnapshot();
    const providers = (this.source as Partial<RunStore>).providers?.() ?? [];
    const digests = providers.map((p) => (p as unknown as Partial<CentroidSource>).ttftCentroids?.() ?? []);
    this.send({ type: 'progress', runDir: s.runDir, tasks: [...s.tasks], digests });
  }

  start(source: SnapshotSource, _controls: PresenterControls): void {
    this.source = source;
    this.timer = setInterval(() => this.progress(), 1000 / this.refreshHz);
    this.timer.unref();
  }

  async showResults(v: FinalView): Promise<number | null> {
    this.progress();
    this.send({ type: 'result', runDir: v.runDir, interrupted: v.interrupted, message: v.message });
    if (v.message) process.stderr.write(`aisbench-tui: ${v.message}\n`);
    return null;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
