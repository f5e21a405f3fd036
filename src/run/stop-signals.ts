/**
 * The stop rules perf and accuracy runs share: the first Ctrl+C / SIGTERM (or
 * the board's stop key) stops sending and lets in-flight requests finish; a
 * second one, more than 300 ms later, aborts what is still in flight.
 * signal-exit (loaded with Ink) re-raises a signal it sees, so one kill can
 * arrive twice within a few ms: only a repeat after 300 ms means "force".
 */
import type { RunStore } from '../engine/run-store.js';
import type { Presenter } from './presenter.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

interface Stoppable {
  runner: { stop(): void; abortNow(): void };
}

export interface StopSignals {
  /** The first signal that asked the run to stop (the board's stop key counts as SIGINT); null while none has. */
  readonly signal: StopSignal | null;
  /** True once a stop was asked for by any route. */
  readonly stopping: boolean;
  /** Stops every job (idempotent). */
  stopAll(): void;
  /** Removes the process signal handlers. */
  dispose(): void;
}

/**
 * Installs SIGINT/SIGTERM handlers and starts the presenter on `store` with
 * the same stop and force-exit actions. `jobs` is read on every stop, so jobs
 * added during the run (an SLO search's probes) are stopped too.
 */
export function watchStopSignals(store: RunStore, jobs: () => readonly Stoppable[], presenter: Presenter): StopSignals {
  let signal: StopSignal | null = null;
  let stopping = false;
  let firstAt = 0;
  const stopAll = (): void => {
    if (stopping) return;
    stopping = true;
    store.stopping = true;
    for (const j of jobs()) j.runner.stop();
  };
  const forceExit = (): void => {
    for (const j of jobs()) j.runner.abortNow();
  };
  const onSignal = (s: StopSignal) => (): void => {
    if (signal) {
      if (Date.now() - firstAt > 300) forceExit();
      return;
    }
    signal = s;
    firstAt = Date.now();
    stopAll();
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  presenter.start(store, {
    onStop: () => {
      signal ??= 'SIGINT';
      stopAll();
    },
    onForceExit: forceExit,
  });
  return {
    get signal() {
      return signal;
    },
    get stopping() {
      return stopping;
    },
    stopAll,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
