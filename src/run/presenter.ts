/**
 * How a run is shown: the Ink board and results view on a terminal, or plain
 * lines for pipes and CI. The run loop only talks to this interface.
 */
import type { CapacityReport } from '../capacity/campaign.js';
import type { SnapshotSource } from '../engine/types.js';
import type { TaskResult } from '../metrics/types.js';
import type { AccuracyView } from '../scoring/view.js';

export interface PresenterControls {
  /** First Ctrl+C: stop sending, keep what finished. */
  onStop(): void;
  /** Second Ctrl+C: cancel in-flight requests now. */
  onForceExit(): void;
}

export interface FinalView {
  runDir: string;
  results: TaskResult[];
  interrupted: boolean;
  /** One-line summary of a failure (every request failed, runtime error). */
  message?: string;
  /** Sweep / repeats / search summary (src/capacity/). */
  capacity?: CapacityReport;
}

export interface Presenter {
  /** Snapshots per second wanted from the store. */
  readonly refreshHz: number;
  /** Waits for the user in showResults (the Ink results view). */
  readonly interactive: boolean;
  start(source: SnapshotSource, controls: PresenterControls): void;
  /** Show the results; resolves with an exit code chosen by the user (results view) or null. */
  showResults(view: FinalView): Promise<number | null>;
  /** Accuracy modes: show the summary (and the samples); resolves like showResults. */
  showAccuracy?(view: AccuracyView): Promise<number | null>;
  /** Leave the screen as it was (idempotent; called on every exit path). */
  close(): void;
}
