/**
 * `--processes K`: K local shards (`--shard k/K`) in K child processes, so
 * one machine goes past one process's open-file limit. The children report
 * their snapshots and TTFT digests over IPC; the parent shows one board
 * (live-merge.ts), then merges the children's run folders into its own run
 * folder, which ends up like a single run's (the shard folders stay in
 * `<run>/shards/`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { PerfOptions } from '../config/options.js';
import { RuntimeError } from '../core/errors.js';
import type { SnapshotSource, RunSnapshot, TaskSnapshot } from '../engine/types.js';
import { createRunFolder } from '../output/run-folder.js';
import type { Presenter } from '../run/presenter.js';
import type { Centroids, ChildMessage, GoMessage } from '../run/ipc-presenter.js';
import { mergeTaskSnapshots } from './live-merge.js';
import { mergeShards } from './merge-command.js';
import { RunController, stoppedExit, testCrashAfterMs } from '../run/controller.js';
import { RunLayout } from '../core/run-layout.js';

/** Flags the parent sets for its children (removed from the argv it passes on). */
const VALUE_FLAGS = new Set(['--processes', '--shard', '--start-at', '--work-dir', '-w']);

/** 'go' names an instant this far ahead (ms), so the message reaches every child before it. */
const GO_AHEAD_MS = 100;

export function childArgv(
  argv: readonly string[],
  k: number,
  K: number,
  startAt: number | undefined,
  workDir: string,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.split('=', 1)[0] ?? a;
    if (VALUE_FLAGS.has(name)) {
      if (!a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  const at = startAt !== undefined ? ['--start-at', new Date(startAt).toISOString()] : [];
  return [...out, '--shard', `${k}/${K}`, ...at, '--work-dir', workDir, '--no-tui', '--ipc-progress'];
}

/** One board over several shards: their latest snapshots, merged per task (live-merge.ts). */
export class ChildrenSource implements SnapshotSource {
  private readonly listeners = new Set<() => void>();
  readonly latest: Array<{ tasks: TaskSnapshot[]; digests: Centroids[] } | undefined>;
  done = false;
  stopping = false;
  private snap: RunSnapshot;

  constructor(
    readonly runDir: string,
    k: number,
  ) {
    this.latest = new Array<{ tasks: TaskSnapshot[]; digests: Centroids[] } | undefined>(k).fill(undefined);
    this.snap = this.build();
  }

  subscribe = (f: () => void): (() => void) => {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  };

  getSnapshot = (): RunSnapshot => this.snap;

  update(): void {
    this.snap = this.build();
    for (const l of this.listeners) l();
  }

  private build(): RunSnapshot {
    const have = this.latest.filter((x) => x !== undefined);
    const n = have[0]?.tasks.length ?? 0;
    const tasks: TaskSnapshot[] = [];
    for (let t = 0; t < n; t++) {
      const parts = have.filter((h) => h.tasks[t]);
      tasks.push(
        mergeTaskSnapshots(
          parts.map((h) => h.tasks[t]!),
          parts.map((h) => h.digests[t] ?? []),
        ),
      );
    }
    return Object.freeze({
      runDir: this.runDir,
      updatedAt: Date.now(),
      tasks,
      done: this.done,
      stopping: this.stopping,
    });
  }
}

/**
 * The parent of `--processes K`. Its lifecycle is run/controller.ts's: the
 * first Ctrl+C / SIGTERM goes on to the children (SIGINT also marks the board
 * stopping), a repeat 300 ms later goes on again (the children's force);
 * teardown kills children still running, then closes the board. Exit code:
 * 143 after SIGTERM, 130 after SIGINT or a child stopped by one, else merge's.
 */
export async function runProcesses(
  opts: PerfOptions,
  makePresenter: (o: PerfOptions) => Promise<Presenter>,
  argv = process.argv.slice(2),
): Promise<number> {
  const K = opts.processes!;
  const runDir = await createRunFolder(opts.workDir);
  const shardsDir = path.join(runDir, RunLayout.shardsDir);
  const bin = fileURLToPath(new URL('../../bin/aisbench-tui.mjs', import.meta.url));
  const source = new ChildrenSource(runDir, K);
  const presenter = await makePresenter(opts);
  const children: ChildProcess[] = [];
  const errors: string[] = [];
  const results: Array<ChildMessage & { type: 'result' }> = [];
  const live = (): ChildProcess[] => children.filter((c) => c.exitCode === null);
  const ctl = new RunController({ debug: opts.debug, crashAfterMs: testCrashAfterMs() });
  ctl.onSignals(
    (s) => {
      if (s === 'SIGINT') source.stopping = true;
      for (const c of live()) c.kill(s);
    },
    (s) => {
      for (const c of live()) c.kill(s);
    },
  );
  // Only children that outlive the run (an error before their exits were awaited, a crash) are killed.
  ctl.on('stop jobs', () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  ctl.on('close board', () => presenter.close());
  // Start barrier per task: when every live child is warmed up, all get one instant a little ahead.
  const waiting = new Map<string, Set<number>>();
  const gone = new Set<number>();
  const ready = (task: string, k: number): void => {
    const set = waiting.get(task) ?? new Set<number>();
    waiting.set(task, set.add(k));
    if ([...Array(K).keys()].every((i) => set.has(i) || gone.has(i))) {
      waiting.delete(task);
      const go: GoMessage = { type: 'go', task, at: Date.now() + GO_AHEAD_MS };
      for (const c of children) if (c.connected) c.send(go);
    }
  };
  try {
    const exits = Array.from({ length: K }, (_, k) => {
      const child = fork(bin, childArgv(argv, k, K, opts.startAt, shardsDir), {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'progress') {
          source.latest[k] = { tasks: m.tasks, digests: m.digests };
          source.update();
        } else if (m.type === 'ready') ready(m.task, k);
        else if (m.type === 'result') results.push(m);
      });
      return new Promise<number>((resolve) =>
        child.on('exit', (code, sig) => {
          gone.add(k);
          for (const t of waiting.keys()) ready(t, k);
          const line = stderr.trim().split('\n').at(-1);
          if (code !== 0 && code !== 130 && code !== 143) errors.push(`process ${k}: ${line || `exit ${code ?? sig}`}`);
          resolve(code ?? 1);
        }),
      );
    });
    presenter.start(source, { onStop: () => ctl.requestStop(), onForceExit: () => ctl.requestForce() });
    ctl.armTestCrash();
    const codes = await Promise.all(exits);
    source.done = true;
    source.update();
    if (results.length < K) {
      await ctl.run('close board');
      throw new RuntimeError(errors[0] ?? `${K - results.length} of ${K} processes ended without results`);
    }
    const code = await mergeShards([shardsDir], runDir, opts, presenter, ctl);
    return stoppedExit(
      ctl.signal,
      codes.some((c) => c === 130 || c === 143),
      code,
    );
  } finally {
    await ctl.teardown();
  }
}
