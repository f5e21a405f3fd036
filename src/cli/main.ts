/**
 * Entry point: parse arguments, dispatch to a mode, turn every failure into
 * one line on stderr and an exit code (2 usage/config, 1 runtime). Stack
 * traces only with --debug.
 */
import { parseCli, type PerfOptions } from './args.js';
import { UserError } from '../core/errors.js';
import type { Presenter } from '../run/presenter.js';
import type { MergeShards } from '../run/viz.js';
import { redactText, registeredSecrets } from '../core/redact.js';
import { sanitizeText } from '../core/sanitize.js';

// Modes are imported when used: an error path or `sim` should not pay for
// loading Ink and React (about 0.5 s of CPU per start).

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
      case 'compare':
        return await (await import('./compare-command.js')).runCompareCommand(cmd.argv);
      case 'sim':
        return await (
          await import('../sim/index.js')
        ).runSimCommand(cmd.argv, { signal: (await import('../run/controller.js')).stopOnSignals() });
      case 'config':
        return (await import('./config-command.js')).runConfigCommand(cmd.action, cmd.key, cmd.value);
      case 'shard-tool':
        return await (
          await import('../shard/command.js')
        ).runShardTool(cmd.tool, cmd.argv, makePresenter, parsePerfArgs);
      case 'perf': {
        const o = cmd.opts;
        if (o.search) {
          const { searchTable } = await import('./search.js');
          const { searchRows } = await import('../config/registry.js');
          process.stdout.write(searchTable(searchRows(o)) + '\n');
          return 0;
        }
        if (o.dryRun) {
          const { resolveTasks } = await import('../config/registry.js');
          process.stdout.write(await (await import('../run/dry-run.js')).dryRun(await resolveTasks(o), o));
          return 0;
        }
        if (o.processes !== undefined && !o.dryRun)
          return await (await import('../shard/processes.js')).runProcesses(o, makePresenter);
        const presenter = await makePresenter(o);
        if (cmd.mode === 'perf_viz') {
          // Loaded only when the folder holds shards.
          const merge: MergeShards = async (...a) => (await import('../shard/merge-command.js')).mergeShards(...a);
          return await (await import('../run/viz.js')).runViz(o, presenter, merge);
        }
        if (cmd.mode !== 'perf') return await (await import('../accuracy/run.js')).runAccuracy(cmd.mode, o, presenter);
        // Whether this run is a sweep, repeats, an SLO search or adaptive is decided here, above run/.
        const { planCampaign } = await import('../capacity/campaign.js');
        return await (await import('../run/perf.js')).runPerf(o, presenter, (tasks) => planCampaign(tasks, o));
      }
    }
  } catch (err) {
    return reportError(err, debug);
  }
}

/** The perf parser the shard tools get (they take perf arguments after their own). */
function parsePerfArgs(argv: string[]): PerfOptions | undefined {
  const cmd = parseCli(argv);
  return cmd.kind === 'perf' ? cmd.opts : undefined;
}

/** The Ink board and results view on a terminal, plain lines otherwise (or progress over IPC for a --processes child). */
export async function makePresenter(o: PerfOptions): Promise<Presenter> {
  if (o.ipcProgress) return new (await import('../run/ipc-presenter.js')).IpcPresenter();
  const tui = usesTui(o);
  // A terminal is attached, so the board is wanted (in colour) even inside a CI job.
  if (tui) (await import('../ui/color-env.js')).prepareInkEnv();
  return tui
    ? await (await import('../run/tui.js')).TuiPresenter.create(o)
    : new (await import('../run/plain.js')).PlainPresenter();
}

/** One line on stderr (secrets masked) and the exit code. */
export function reportError(err: unknown, debug: boolean): number {
  const e = err as Error;
  const msg = redactText(sanitizeText(e?.message ?? String(err), true).split('\n', 1)[0] ?? '', registeredSecrets());
  if (err instanceof UserError) {
    process.stderr.write(`aisbench-tui: ${msg}\n`);
    if (debug && e.stack) process.stderr.write(e.stack + '\n');
    return err.exitCode;
  }
  process.stderr.write(`aisbench-tui: internal error: ${msg}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && e?.stack) process.stderr.write(e.stack + '\n');
  return 1;
}
