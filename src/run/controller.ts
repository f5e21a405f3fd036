/**
 * The one owner of a run's process lifecycle (#19): the signal handlers, the
 * order of teardown and the exit code, for perf runs (capacity campaigns run
 * through runPerf), accuracy runs, the `--processes` parent
 * (shard/processes.ts) and `watch` (onSignals); perf_viz and `merge` run
 * inside withController(); the CLI's `sim` command stops on stopOnSignals().
 *
 * Signals. The first Ctrl+C / SIGTERM (or the board's stop key) stops
 * sending and lets in-flight requests finish (TaskRunner's grace); a second
 * one, more than 300 ms later, aborts what is still in flight. signal-exit
 * (loaded with Ink) re-raises a signal it sees, so one kill can arrive twice
 * within a few ms: only a repeat after 300 ms means "force". SIGHUP is left
 * to Node / signal-exit during the run (the process ends by the signal; the
 * details file keeps every finished request, whole lines); the results view
 * leaves on SIGHUP / SIGTERM itself (run/tui.ts).
 *
 * Exit codes: 0 done; 1 every request failed, a runtime error, a write
 * failure, a local limit (descriptors, ports) or a crash; 130 stopped by
 * SIGINT (or the stop key, or a task interrupted); 143 by SIGTERM.
 *
 * Tests: test/run-controller.test.ts (order, exit rule, crash, Ctrl+C twice,
 * SIGHUP, normal end) and test/crash.test.ts (SIGKILL, SIGINT, SIGTERM).
 */
import type { RunStore } from '../engine/run-store.js';
import { redactText, registeredSecrets } from '../core/redact.js';
import { sanitizeText } from '../core/sanitize.js';
import type { Presenter } from './presenter.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Every way out (normal end, error, crash) runs these steps in this order,
 * each at most once, whatever order they were registered in; an error in one
 * does not skip the rest.
 * - 'signal handlers off': a late Ctrl+C must not force-abort a run being torn down;
 * - 'stop jobs': no new requests (a normal end has none left; after an error the others stop);
 * - 'flush files': the run store's last snapshot, shard manifest and live state
 *   (a normal end runs it early, before the results are shown);
 * - 'close board': Ink unmounts (its last frame stays on the alternate screen), the
 *   terminal is restored, then the summary lines land in the scrollback;
 * - 'close simulators': last, after the workers that talk to them.
 */
export const TEARDOWN_STEPS = [
  'signal handlers off',
  'stop jobs',
  'flush files',
  'close board',
  'close simulators',
] as const;
export type TeardownStep = (typeof TEARDOWN_STEPS)[number];

interface Stoppable {
  runner: { stop(): void; abortNow(): void };
}

/** What decides a perf run's exit code, gathered by the run loop. */
export interface RunOutcome {
  signal: StopSignal | null;
  /** A task reported an interruption (e.g. a stop key) without a signal. */
  interrupted: boolean;
  /** At least one task produced results. */
  hasResults: boolean;
  /** Every task's requests failed (Success Requests 0, Failed > 0). */
  allFailed: boolean;
  /** Its one line. */
  allFailedMessage: string;
  fatal: Error | null;
  writeFailure: Error | undefined;
  /** A local limit (descriptors, ports) explains the failures. */
  localFailure: string | undefined;
}

/**
 * The exit code and the one line to show (perf). The order of the rules is
 * the contract: a signal's code wins over an error's; a fatal error without
 * results outranks "every request failed"; a write failure or a local limit
 * turns a clean 0 into 1.
 */
export function perfExit(o: RunOutcome): { code: number; message?: string } {
  let code = o.signal === 'SIGTERM' ? 143 : o.signal === 'SIGINT' || o.interrupted ? 130 : 0;
  let message: string | undefined;
  if (o.fatal && !o.hasResults) {
    message = o.fatal.message;
    code = code || 1;
  } else if (o.allFailed && code === 0) {
    message = o.allFailedMessage;
    code = 1;
  } else if (o.fatal) {
    message = o.fatal.message;
    code = code || 1;
  }
  if (o.writeFailure && !message) message = o.writeFailure.message;
  if (o.writeFailure) code = code || 1;
  if (o.localFailure && !message) message = o.localFailure;
  if (o.localFailure) code = code || 1;
  return { code, message };
}

/**
 * The exit code of a command that waits on others (the `--processes` parent
 * for its children, `watch` for the shards): 143 after SIGTERM, 130 after
 * SIGINT or the stop key or when what it waited on was interrupted, else
 * `code` (the merge's, for the parent).
 */
export function stoppedExit(signal: StopSignal | null, interrupted: boolean, code: number): number {
  return signal === 'SIGTERM' ? 143 : signal !== null || interrupted ? 130 : code;
}

export interface ControllerOptions {
  debug?: boolean;
  /** Where a failed teardown step is reported (one line). Default stderr. */
  warn?: (line: string) => void;
  /**
   * Tests only: throw an uncaught exception this many ms after watch() (the
   * crash path end to end). Read from AISBENCH_TUI_TEST_CRASH_MS.
   */
  crashAfterMs?: number;
}

export class RunController {
  private readonly steps = new Map<TeardownStep, () => unknown>();
  private readonly done = new Set<TeardownStep>();
  private signalSeen: StopSignal | null = null;
  private stoppingNow = false;
  private offSignals: () => void = () => undefined;
  private stopAction: (s: StopSignal) => void = () => undefined;
  private forceAction: (s: StopSignal) => void = () => undefined;
  private crashTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: ControllerOptions = {}) {
    // 'uncaughtException' (not the monitor): the crash is handled here, so
    // Node neither prints a stack nor skips the teardown. run-app.tsx's
    // monitor sees this listener and leaves the crash to us.
    process.on('uncaughtException', this.onCrash);
  }

  /** Registers the action of a step (replacing an earlier one); it runs at teardown unless run() ran it already. */
  on(step: TeardownStep, fn: () => unknown): void {
    this.steps.set(step, fn);
  }

  /** Runs one step now (once): a normal end flushes files before it shows the results. */
  async run(step: TeardownStep): Promise<void> {
    if (this.done.has(step)) return;
    this.done.add(step);
    const fn = this.steps.get(step);
    try {
      await fn?.();
    } catch (err) {
      (this.opts.warn ?? ((l: string) => process.stderr.write(l)))(
        `aisbench-tui: teardown step '${step}' failed: ${oneLine(err)}\n`,
      );
    }
  }

  /** Every step not yet run, in TEARDOWN_STEPS order; then the crash handler goes. */
  async teardown(): Promise<void> {
    for (const step of TEARDOWN_STEPS) await this.run(step);
    this.dispose();
  }

  /** The first signal that asked the run to stop (the stop key counts as SIGINT); null while none has. */
  get signal(): StopSignal | null {
    return this.signalSeen;
  }

  /** True once a stop was asked for by any route. */
  get stopping(): boolean {
    return this.stoppingNow;
  }

  /**
   * Installs SIGINT/SIGTERM handlers: the first signal calls `stop(signal)`
   * (at most once, whatever the route: a signal or requestStop()); a repeat
   * more than 300 ms after the first calls `force(signal)`. The handlers go
   * at 'signal handlers off'. watch() builds a perf run's stop on this; the
   * `--processes` parent and `watch` use it directly.
   */
  onSignals(stop: (s: StopSignal) => void, force: (s: StopSignal) => void): void {
    let firstAt = 0;
    this.stopAction = (s) => {
      if (this.stoppingNow) return;
      this.stoppingNow = true;
      stop(s);
    };
    this.forceAction = force;
    const onSignal = (s: StopSignal) => (): void => {
      if (this.signalSeen) {
        if (Date.now() - firstAt > 300) force(s);
        return;
      }
      this.signalSeen = s;
      firstAt = Date.now();
      this.stopAction(s);
    };
    const onInt = onSignal('SIGINT');
    const onTerm = onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    this.offSignals = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
    this.on('signal handlers off', () => this.offSignals());
  }

  /** The board's stop key (first Ctrl+C in raw mode): as a first SIGINT. */
  requestStop(): void {
    this.signalSeen ??= 'SIGINT';
    this.stopAction('SIGINT');
  }

  /** The board's second Ctrl+C: the force action of onSignals(). */
  requestForce(): void {
    this.forceAction('SIGINT');
  }

  /**
   * Installs SIGINT/SIGTERM handlers and starts the presenter on `store` with
   * the same stop and force actions. `jobs` is read on every stop, so jobs
   * added during the run (an SLO search's probes) are stopped too.
   */
  watch(store: RunStore, jobs: () => readonly Stoppable[], presenter: Presenter): void {
    const stopAll = (): void => {
      store.stopping = true;
      for (const j of jobs()) j.runner.stop();
    };
    this.onSignals(stopAll, () => {
      for (const j of jobs()) j.runner.abortNow();
    });
    this.on('stop jobs', () => this.stopAction('SIGINT'));
    presenter.start(store, { onStop: () => this.requestStop(), onForceExit: () => this.requestForce() });
    this.armTestCrash();
  }

  /**
   * Tests only: an uncaught exception crashAfterMs after this call (the crash
   * path end to end); no-op without crashAfterMs. Disarmed by teardown.
   */
  armTestCrash(): void {
    const crashMs = this.opts.crashAfterMs;
    if (crashMs !== undefined && crashMs >= 0 && !this.crashTimer) {
      this.crashTimer = setTimeout(() => {
        throw new Error('injected crash (AISBENCH_TUI_TEST_CRASH_MS)');
      }, crashMs);
    }
  }

  /** Removes the crash handler and the test crash timer (teardown calls it). */
  dispose(): void {
    process.off('uncaughtException', this.onCrash);
    if (this.crashTimer) clearTimeout(this.crashTimer);
    this.crashTimer = null;
  }

  /**
   * A crash (an exception nobody caught, or an unhandled rejection): the
   * steps run synchronously as far as they go (the details file and logs are
   * written a whole line at a time, so what is on disk stays readable by
   * --reuse), one line on stderr, exit 1 (as Node's own crash exit).
   */
  private readonly onCrash = (err: unknown): void => {
    for (const step of TEARDOWN_STEPS) {
      if (this.done.has(step)) continue;
      this.done.add(step);
      try {
        void Promise.resolve(this.steps.get(step)?.()).catch(() => undefined);
      } catch {
        // Keep going: the terminal and the exit code matter more than one step.
      }
    }
    const detail =
      this.opts.debug && err instanceof Error && err.stack ? `\n${err.stack}` : ' (run with --debug for details)';
    process.stderr.write(`aisbench-tui: internal error: ${oneLine(err)}${detail}\n`);
    process.exit(1);
  };
}

/**
 * A command with no run loop of its own (perf_viz, merge): the crash handler
 * and the teardown steps ('close board' closes `presenter`) around `body`.
 * Signals keep Node's default (a recompute or a merge killed part way is
 * done again from the same files).
 */
export async function withController<T>(
  presenter: Presenter,
  debug: boolean | undefined,
  body: (ctl: RunController) => Promise<T>,
): Promise<T> {
  const ctl = new RunController({ debug, crashAfterMs: testCrashAfterMs() });
  ctl.on('close board', () => presenter.close());
  ctl.armTestCrash();
  try {
    return await body(ctl);
  } finally {
    await ctl.teardown();
  }
}

/**
 * The `sim` command's stop: an AbortSignal aborted at the first SIGINT or
 * SIGTERM (both handlers go then: a second one ends the process as Node
 * does). The simulator closes its sockets and the command exits 0.
 */
export function stopOnSignals(): AbortSignal {
  const ac = new AbortController();
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    ac.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return ac.signal;
}

/** Crash-test hook: AISBENCH_TUI_TEST_CRASH_MS as a number, or undefined. */
export function testCrashAfterMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.AISBENCH_TUI_TEST_CRASH_MS;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** An error as one terminal-safe line without secrets. */
function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return redactText(sanitizeText(text, true).split('\n')[0] ?? '', registeredSecrets());
}
