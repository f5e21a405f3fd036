/**
 * `shard.json`: what a shard's run folder adds to an ordinary run folder so
 * that `merge` can put shards together and check they belong together.
 *
 *   { kind, version, index, count, startAt, host, pid, finished,
 *     tasks: [{ key, abbr, dataset, planHash, requests, maxConcurrency,
 *               runStartWallMs, startLagMs }] }
 *
 * runStartWallMs is t = 0 of the shard's details on its own wall clock;
 * startLagMs = runStartWallMs − startAt, how far after the agreed instant the
 * shard actually started (by its own clock). Merge shifts each shard's times
 * by this lag so all shards share the time axis of the start instant.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { PerfOptions } from '../config/options.js';
import type { TaskJob } from './task-job.js';
import type { TaskKey } from '../core/task.js';
import { RunLayout } from '../core/run-layout.js';

export const SHARD_FILE = RunLayout.shardManifest;
export const SHARD_KIND = 'aisbench-tui-shard';

export interface ShardTaskEntry extends TaskKey {
  planHash: string;
  /** Requests of this shard (turns of its units). */
  requests: number;
  /** This shard's concurrency cap. */
  maxConcurrency: number;
  /** t = 0 of the details on this shard's wall clock, epoch ms (0 = never started). */
  runStartWallMs: number;
  /** The start instant this task waited for (ISO), or null. */
  startAt: string | null;
  /** runStartWallMs − startAt, ms (null without a start instant). */
  startLagMs: number | null;
}

export interface ShardManifest {
  kind: typeof SHARD_KIND;
  version: 1;
  index: number;
  count: number;
  /** ISO instant of --start-at, or null. */
  startAt: string | null;
  host: string;
  pid: number;
  /** false while the shard runs. */
  finished: boolean;
  tasks: ShardTaskEntry[];
}

export function writeShardManifest(
  runDir: string,
  opts: Pick<PerfOptions, 'shard' | 'startAt'>,
  jobs: readonly TaskJob[],
): void {
  const s = opts.shard!;
  const finished = jobs.every((j) => j.result !== null);
  const m: ShardManifest = {
    kind: SHARD_KIND,
    version: 1,
    index: s.index,
    count: s.count,
    startAt: opts.startAt !== undefined ? new Date(opts.startAt).toISOString() : null,
    host: hostname(),
    pid: process.pid,
    finished,
    tasks: jobs.map((j) => {
      const wall = j.runner.runStartWallMs;
      const at = j.runner.startInstantMs ?? opts.startAt;
      return {
        key: j.plan.key,
        abbr: j.plan.abbr,
        dataset: j.plan.dataset,
        planHash: j.meta.shard?.planHash ?? '',
        requests: j.plan.units.reduce((a, u) => a + u.length, 0),
        maxConcurrency: j.plan.maxConcurrency,
        runStartWallMs: Math.round(wall * 1000) / 1000,
        startAt: at !== undefined ? new Date(at).toISOString() : null,
        startLagMs: at !== undefined && wall > 0 ? Math.round((wall - at) * 1000) / 1000 : null,
      };
    }),
  };
  const file = path.join(runDir, SHARD_FILE);
  // Written whole then renamed: a reader (merge, watch) never sees half a file.
  writeFileSync(file + '.tmp', JSON.stringify(m, null, 2) + '\n');
  renameSync(file + '.tmp', file);
}

/** The manifest of a shard folder, or an Error saying why not (caller words the message). */
export function readShardManifest(dir: string): ShardManifest | Error {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(dir, SHARD_FILE), 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return new Error(
      code === 'ENOENT'
        ? `${dir} is not a shard folder (no ${SHARD_FILE})`
        : `${path.join(dir, SHARD_FILE)}: not valid JSON`,
    );
  }
  const m = raw as Partial<ShardManifest>;
  if (m?.kind !== SHARD_KIND || !Number.isInteger(m.index) || !Number.isInteger(m.count) || !Array.isArray(m.tasks)) {
    return new Error(`${path.join(dir, SHARD_FILE)}: not an aisbench-tui shard manifest`);
  }
  return m as ShardManifest;
}
