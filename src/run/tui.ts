/**
 * The terminal presenter: the Ink app (board, then results view) in the
 * alternate screen, restored on every exit path.
 */
import type { PerfOptions } from '../config/options.js';
import type { SnapshotSource } from '../engine/types.js';
import { runInkApp, type InkAppHandle } from '../ui/run-app.js';
import { loadTheme, type Theme } from '../ui/theme.js';
import { getPrefs } from '../ui/prefs.js';
import type { FinalView, Presenter, PresenterControls } from './presenter.js';
import { runSummary } from './summary.js';
import type { AccuracyView } from '../scoring/view.js';

export class TuiPresenter implements Presenter {
  private app: InkAppHandle | null = null;
  readonly interactive = true;

  private constructor(
    readonly refreshHz: number,
    private readonly theme: Theme,
  ) {}

  static async create(o: Pick<PerfOptions, 'theme'>): Promise<TuiPresenter> {
    const prefs = getPrefs();
    const theme = loadTheme(o.theme ?? prefs.theme);
    return new TuiPresenter(prefs.refreshHz, theme);
  }

  start(source: SnapshotSource, controls: PresenterControls): void {
    this.app = runInkApp({
      source,
      theme: this.theme,
      runDir: source.getSnapshot().runDir,
      onStop: controls.onStop,
      onForceExit: controls.onForceExit,
    });
  }

  /** The results shown, summarised on the normal screen once the app closes. */
  private shown: FinalView | null = null;

  async showResults(v: FinalView): Promise<number | null> {
    if (v.results.length) this.shown = v;
    if (!this.app) {
      // perf_viz: no board, straight to the results view.
      const snap = { runDir: v.runDir, updatedAt: Date.now(), tasks: [], done: true, stopping: false };
      this.app = runInkApp({
        source: { subscribe: () => () => undefined, getSnapshot: () => snap },
        theme: this.theme,
        runDir: v.runDir,
        onStop: () => undefined,
        onForceExit: () => undefined,
      });
    }
    this.app.setResults(v.results, v.interrupted, v.message, v.capacity);
    // While the results wait for a key, a SIGTERM or a closed terminal
    // (SIGHUP) leaves at once: nobody may be there to press q.
    const app = this.app;
    const onTerm = (): void => app.close(143);
    const onHup = (): void => app.close(129);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    try {
      return await app.waitUntilExit();
    } finally {
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
    }
  }

  /** The board (if any) gives way to the accuracy results view. */
  async showAccuracy(v: AccuracyView): Promise<number | null> {
    this.app?.unmount();
    this.app = null;
    const { runAccuracyApp } = await import('../ui/accuracy/run-accuracy-app.js');
    return runAccuracyApp(v, this.theme);
  }

  close(): void {
    this.app?.unmount();
    this.app = null;
    // After the alternate screen is gone: a few lines that stay in the scrollback.
    if (this.shown) process.stdout.write(runSummary(this.shown.runDir, this.shown.results, this.shown.interrupted));
    this.shown = null;
  }
}
