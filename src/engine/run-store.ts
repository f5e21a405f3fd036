/**
 * Publishes one frozen RunSnapshot per tick for the UI
 * (`useSyncExternalStore(store.subscribe, store.getSnapshot)`). Subscribers
 * are only called when something visible changed, so an idle board costs
 * nothing. The UI never touches the runners.
 */
import type { RunSnapshot, SnapshotSource, TaskSnapshot } from './types.js';

export interface SnapshotProvider {
  snapshot(): TaskSnapshot;
}

export class RunStore implements SnapshotSource {
  private snap: RunSnapshot;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private lastKey = '';
  done = false;
  stopping = false;

  constructor(
    readonly runDir: string,
    readonly providers: () => readonly SnapshotProvider[],
  ) {
    this.snap = this.build();
  }

  /** Start publishing at `hz` snapshots per second. */
  start(hz: number): void {
    const ms = Math.max(33, Math.round(1000 / Math.max(0.5, hz)));
    this.timer = setInterval(() => this.tick(), ms);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.tick();
  }

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  getSnapshot = (): RunSnapshot => this.snap;

  /** Take a new snapshot; notify only when it differs from the last one. */
  tick(): void {
    const next = this.build();
    const key = JSON.stringify(next.tasks) + next.done + next.stopping;
    // The clock in the header moves every second; the rest only on change.
    const second = Math.floor(next.updatedAt / 1000) !== Math.floor(this.snap.updatedAt / 1000);
    if (key === this.lastKey && !second) return;
    this.lastKey = key;
    this.snap = next;
    for (const l of this.listeners) l();
  }

  private build(): RunSnapshot {
    const tasks = this.providers().map((p) => Object.freeze(p.snapshot()));
    return Object.freeze({
      runDir: this.runDir,
      updatedAt: Date.now(),
      tasks: Object.freeze(tasks),
      done: this.done,
      stopping: this.stopping,
    });
  }
}
