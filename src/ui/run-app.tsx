/**
 * Runs the Ink app in the terminal: alternate screen in, board, results view,
 * and on every way out Ink unmounted first (its last frame stays on the
 * alternate screen), then the terminal restored.
 */
import { writeSync } from 'node:fs';
import { render } from 'ink';
import React, { useSyncExternalStore } from 'react';
import onExit from 'signal-exit';
import type { SnapshotSource } from '../engine/types.js';
import type { TaskResult } from '../metrics/types.js';
import type { CapacityReport } from '../capacity/campaign.js';
import { App } from './App.js';
import { renderProfile } from './render-profile.js';
import { enterAltScreen, restoreTerminal } from './terminal.js';
import type { Theme } from './theme.js';

export interface RunInkAppOptions {
  source: SnapshotSource;
  theme: Theme;
  /** Run folder (shown on the board and the results view). */
  runDir: string;
  /** First Ctrl+C: stop sending and finish the run (results follow via setResults). */
  onStop: () => void;
  /** Second Ctrl+C: called after the terminal is restored; the caller exits the process. */
  onForceExit: () => void;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** Route console.* output above the frame instead of through it (default true). */
  patchConsole?: boolean;
}

export interface InkAppHandle {
  /** Show the results view (the run ended or was stopped); `message` is shown when there are no results. */
  setResults(results: TaskResult[], interrupted: boolean, message?: string, capacity?: CapacityReport): void;
  /** Resolves with the exit code chosen in the results view, after the terminal is restored. */
  waitUntilExit(): Promise<number>;
  /** Leave now (e.g. on a fatal error): unmount and restore the terminal; waitUntilExit resolves with `code`. */
  close(code?: number): void;
  /** Same as close(): leave and restore the terminal (idempotent). */
  unmount(): void;
}

interface ResultsState {
  results: TaskResult[] | null;
  interrupted: boolean;
  message?: string;
  capacity?: CapacityReport;
}

export function runInkApp(opts: RunInkAppOptions): InkAppHandle {
  const stdout = opts.stdout ?? process.stdout;
  let state: ResultsState = { results: null, interrupted: false };
  const listeners = new Set<() => void>();
  const store = {
    subscribe: (cb: () => void) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    get: () => state,
  };

  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let closed = false;
  const prof = renderProfile();
  const source = prof.wrap(opts.source);

  const close = (code: number): void => {
    if (closed) return;
    closed = true;
    offExit();
    process.off('uncaughtExceptionMonitor', onCrash);
    instance.unmount();
    prof.finish();
    restoreTerminal();
    resolveExit(code);
  };
  // Registered before enterAltScreen and render, so on process exit or an
  // unhandled signal this runs before terminal.ts's and Ink's own hooks: Ink
  // unmounts (its last frame lands on the alternate screen), then the restore.
  const offExit = onExit((code) => close(code ?? 130));
  // A crash while Ink owns a terminal stderr hangs Node 20 after the 'exit'
  // event (seen with Ink 6.8 alone: no error printed, CPU and memory climbing).
  // So leave the screen, print the error ourselves and exit now.
  const onCrash = (err: unknown): void => {
    if (process.listenerCount('uncaughtException') > 0) return; // someone handles it: no crash
    close(1);
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    try {
      writeSync(2, `aisbench-tui: internal error: ${text}\n`);
    } finally {
      process.exit(1);
    }
  };

  function Root() {
    const s = useSyncExternalStore(store.subscribe, store.get);
    return (
      <App
        source={source}
        theme={opts.theme}
        runDir={opts.runDir}
        results={s.results}
        interrupted={s.interrupted}
        message={s.message}
        capacity={s.capacity}
        onStop={opts.onStop}
        onForceExit={() => {
          close(130);
          opts.onForceExit();
        }}
        onExit={(code) => close(code)}
      />
    );
  }

  enterAltScreen(stdout, opts.stdin ?? process.stdin);
  const instance = render(<Root />, {
    stdout,
    // Ink spreads these over its defaults: an explicit undefined would erase process.stdin.
    ...(opts.stdin ? { stdin: opts.stdin } : {}),
    ...(opts.stderr ? { stderr: opts.stderr } : {}),
    ...(prof.onRender ? { onRender: prof.onRender } : {}),
    exitOnCtrlC: false,
    patchConsole: opts.patchConsole ?? true,
    // Not incrementalRendering: after a resize the terminal reflows old lines
    // and Ink 6.8's line diff leaves stale rows behind (seen in tmux).
  });
  process.prependListener('uncaughtExceptionMonitor', onCrash);

  return {
    setResults(results, interrupted, message, capacity) {
      prof.boardDone();
      state = { results, interrupted, message, capacity };
      for (const cb of listeners) cb();
    },
    waitUntilExit: () => exited,
    close: (code = 1) => close(code),
    unmount: () => close(1),
  };
}
