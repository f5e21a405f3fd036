/**
 * Entry point: parse arguments, dispatch to a mode, turn every failure into
 * one line on stderr and an exit code (2 usage/config, 1 runtime). Stack
 * traces only with --debug.
 */
import { parseCli, type PerfOptions } from './args.js';
import { UserError } from './errors.js';
import { searchTable } from './search.js';
import { searchRows } from '../config/registry.js';
import { runSimCommand } from '../sim/index.js';
import { runPerf } from '../run/perf.js';
import { runViz } from '../run/viz.js';
import { PlainPresenter } from '../run/plain.js';
import { TuiPresenter } from '../run/tui.js';
import type { Presenter } from '../run/presenter.js';
import { runConfigCommand } from '../ui/prefs.js';
import { redactText, registeredSecrets } from '../output/redact.js';

function usesTui(o: PerfOptions): boolean {
  return Boolean(process.stdout.isTTY && process.stdin.isTTY && !o.noTui && !o.debug);
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const cmd = parseCli(argv);
    switch (cmd.kind) {
      case 'help':
      case 'version':
        process.stdout.write(cmd.text.endsWith('\n') ? cmd.text : cmd.text + '\n');
        return 0;
      case 'sim':
        return await runSimCommand(cmd.argv);
      case 'config':
        return runConfigCommand(cmd.action, cmd.key, cmd.value);
      case 'perf': {
        const o = cmd.opts;
        if (o.search) {
          process.stdout.write(searchTable(searchRows(o)) + '\n');
          return 0;
        }
        const presenter: Presenter = usesTui(o) ? await TuiPresenter.create(o) : new PlainPresenter();
        if (cmd.mode === 'perf_viz') return await runViz(o, presenter);
        return await runPerf(o, presenter);
      }
    }
  } catch (err) {
    return reportError(err, debug);
  }
}

/** One line on stderr (secrets masked) and the exit code. */
export function reportError(err: unknown, debug: boolean): number {
  const e = err as Error;
  const msg = redactText(e?.message ?? String(err), registeredSecrets()).split('\n')[0];
  if (err instanceof UserError) {
    process.stderr.write(`aisbench-tui: ${msg}\n`);
    if (debug && e.stack) process.stderr.write(e.stack + '\n');
    return err.exitCode;
  }
  process.stderr.write(`aisbench-tui: internal error: ${msg}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && e?.stack) process.stderr.write(e.stack + '\n');
  return 1;
}
