/**
 * `aisbench-tui watch DIR...`: one board for every shard of a run, read from
 * the shards' live.json files in the shared folder (shards may appear late:
 * the folder is scanned again every second). Ends when every shard of the
 * run has finished (or on Ctrl+C / SIGTERM) and prints the merge command.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PerfArgsParser, PerfOptions } from '../config/options.js';
import { UsageError } from '../core/errors.js';
import type { Presenter } from '../run/presenter.js';
import { LIVE_FILE, readLiveState, type LiveState } from '../run/live-state.js';
import { ChildrenSource } from './processes.js';
import { RunController, stoppedExit, testCrashAfterMs } from '../run/controller.js';

const POLL_MS = 1000;

/** Shard folders under the given folders (themselves, or one level down) that have a live.json. */
function liveDirs(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (existsSync(path.join(d, LIVE_FILE))) out.push(d);
    else if (existsSync(d) && statSync(d).isDirectory()) {
      for (const n of readdirSync(d).sort()) if (existsSync(path.join(d, n, LIVE_FILE))) out.push(path.join(d, n));
    }
  }
  return out;
}

export function watchLine(states: readonly LiveState[]): string {
  const count = states[0]?.count ?? 0;
  const done = states.filter((s) => s.done).length;
  const tasks = (states[0]?.tasks ?? []).map((t, i) => {
    const c = states.reduce(
      (a, s) => ({
        finish: a.finish + (s.tasks[i]?.counts.finish ?? 0),
        fail: a.fail + (s.tasks[i]?.counts.fail ?? 0),
      }),
      { finish: 0, fail: 0 },
    );
    return `${t.key} FINISH ${c.finish} FAIL ${c.fail}`;
  });
  return `watch: ${done} of ${count} shards finished; ${tasks.join('; ')}`;
}

export async function runWatchCommand(
  argv: string[],
  makePresenter: (o: PerfOptions) => Promise<Presenter>,
  parsePerf: PerfArgsParser,
): Promise<number> {
  const dirs: string[] = [];
  let i = 0;
  while (i < argv.length && !argv[i]!.startsWith('-')) dirs.push(argv[i++]!);
  if (dirs.length === 0) throw new UsageError('usage: aisbench-tui watch DIR... [--no-tui]');
  // A folder that does not exist yet is waited for (shards may start after watch).
  for (const d of dirs)
    if (existsSync(d) && !statSync(d).isDirectory()) throw new UsageError(`watch: ${d} is not a folder`);
  const opts = parsePerf(['--mode', 'perf_viz', ...argv.slice(i)]);
  if (!opts) throw new UsageError('usage: aisbench-tui watch DIR... [--no-tui]');
  const presenter = await makePresenter(opts);
  let source = new ChildrenSource(path.resolve(dirs[0]!), 0);
  let states: LiveState[] = [];
  // Signals and teardown are run/controller.ts's: the first Ctrl+C or SIGTERM
  // (or the board's stop key) ends the watch at its next look; the shards go on.
  const ctl = new RunController({ debug: opts.debug, crashAfterMs: testCrashAfterMs() });
  let stop = false;
  ctl.onSignals(
    () => {
      stop = true;
    },
    () => undefined,
  );
  ctl.on('close board', () => presenter.close());
  ctl.armTestCrash();
  let started = false;
  try {
    for (;;) {
      states = liveDirs(dirs).flatMap((d) => readLiveState(d) ?? []);
      const count = states[0]?.count ?? 0;
      if (count && source.latest.length !== count) source = new ChildrenSource(source.runDir, count);
      for (const s of states)
        if (s.index < source.latest.length) source.latest[s.index] = { tasks: s.tasks, digests: s.digests };
      source.done = count > 0 && states.filter((s) => s.done).length >= count;
      source.update();
      if (!started && count) {
        presenter.start(source, { onStop: () => ctl.requestStop(), onForceExit: () => ctl.requestStop() });
        started = true;
      }
      if (source.done || stop) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    await ctl.teardown();
  }
  process.stdout.write(`${watchLine(states)}\n`);
  if (source.done) process.stdout.write(`merge with: aisbench-tui merge ${dirs.join(' ')}\n`);
  // Stopped before the end: 130 (Ctrl+C), 143 (SIGTERM), as a stopped run.
  return source.done ? 0 : stoppedExit(ctl.signal, true, 0);
}
