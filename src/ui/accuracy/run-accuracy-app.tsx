/**
 * Mounts the accuracy results view on the alternate screen and resolves with
 * the exit code chosen there (q: 0, or 130 after a stopped run); a SIGTERM or
 * a closed terminal (SIGHUP) leaves at once, as in the perf results view.
 */
import { render } from 'ink';
import type { AccuracyView as AccuracyData } from '../../scoring/view.js';
import { enterAltScreen, restoreTerminal } from '../terminal.js';
import type { Theme } from '../theme.js';
import { AccuracyView } from './AccuracyView.js';

export async function runAccuracyApp(view: AccuracyData, theme: Theme): Promise<number> {
  let done!: (code: number) => void;
  const exited = new Promise<number>((r) => (done = r));
  enterAltScreen(process.stdout, process.stdin);
  const instance = render(<AccuracyView view={view} theme={theme} onExit={(c) => done(c)} />, {
    exitOnCtrlC: false,
    patchConsole: true,
  });
  const onTerm = (): void => done(143);
  const onHup = (): void => done(129);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  try {
    return await exited;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
    instance.unmount();
    restoreTerminal();
  }
}
