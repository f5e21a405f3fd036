/**
 * `--mode perf_viz --reuse [TIMESTAMP]`: recompute every metric of an earlier
 * run from its saved details with the current --stats (and --slo, stable
 * stage), rewrite the CSV/JSON and the HTML reports, and show the results.
 */
import type { Dialect } from '../metrics/dialects.js';
import { attachDialectTools } from './dialect-tools.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hideStreamOnly } from '../metrics/non-stream.js';
import { readServerFiles } from '../servermetrics/task-server.js';
import type { PerfOptions } from '../config/options.js';
import { UsageError } from '../core/errors.js';
import { taskKey } from '../core/task.js';
import { parseStats } from '../metrics/stats.js';
import type { ShardBreakdownRow, TaskResult } from '../metrics/types.js';
import { recomputeFromDetails } from '../output/details-recompute.js';
import { writeTaskResultFiles } from '../output/results-files.js';
import { findRun } from '../output/run-folder.js';
import { writeReports } from '../report/index.js';
import type { Presenter } from './presenter.js';
import { withController, type RunController } from './controller.js';
import type { TaskMeta } from './task-job.js';
import { exportIfAsked } from './export.js';
import { SHARD_FILE } from './shard-manifest.js';
import { RunLayout, TASK_FILE_SUFFIX } from '../core/run-layout.js';

export interface Found {
  abbr: string;
  dataset: string;
  details: string;
  meta: Partial<TaskMeta>;
}

function findDetails(runDir: string): Found[] {
  const perf = path.join(runDir, RunLayout.performances);
  const out: Found[] = [];
  if (!existsSync(perf)) return out;
  for (const abbr of readdirSync(perf).sort()) {
    const dir = path.join(perf, abbr);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of names.sort()) {
      if (!f.endsWith(TASK_FILE_SUFFIX.details)) continue;
      const dataset = f.slice(0, -TASK_FILE_SUFFIX.details.length);
      const metaPath = path.join(runDir, RunLayout.taskFile(abbr, dataset, 'meta'));
      let meta: Partial<TaskMeta> = {};
      try {
        meta = JSON.parse(readFileSync(metaPath, 'utf8'));
      } catch {
        /* older or hand-made folder: defaults below */
      }
      out.push({ abbr, dataset, details: path.join(dir, f), meta });
    }
  }
  return out;
}

function holdsShards(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => existsSync(path.join(dir, n, SHARD_FILE)));
  } catch {
    return false;
  }
}

/** A merged run's per-shard rows of task `key` (shards.json, written by `merge`), or null. */
function readShardBreakdown(runDir: string, key: string): ShardBreakdownRow[] | null {
  try {
    const j = JSON.parse(readFileSync(path.join(runDir, RunLayout.shardsSummary), 'utf8')) as {
      breakdown?: ShardBreakdownRow[];
    };
    const rows = (j.breakdown ?? []).filter((r) => r.task === key);
    return rows.length > 0 ? rows : null;
  } catch {
    return null; // not a merged run (or an unreadable file: the tables stand without it)
  }
}

/** Recompute one task of a run folder from its details; rewrite its CSV/JSON/HTML. */
export async function recomputeTask(
  runDir: string,
  f: Found,
  opts: PerfOptions,
  stats: string[],
  warnings: string[],
): Promise<TaskResult> {
  const key = f.meta.key ?? taskKey(f.abbr, f.dataset);
  const r = await recomputeFromDetails(f.details, {
    key,
    abbr: f.abbr,
    dataset: f.dataset,
    model: f.meta.model ?? '',
    maxConcurrency: f.meta.maxConcurrency ?? 1,
    stats,
    slo: opts.slo,
    stable: opts.summarizer === 'stable_stage' || Boolean(f.meta.pressure),
    dialect: opts.metricDialect as Dialect | undefined,
    audit: Boolean(f.meta.tokenizer),
    onWarning: (w: string) => warnings.push(`${key}: ${w}`),
  });
  if (f.meta.stream === false) hideStreamOnly(r);
  const server = readServerFiles(path.dirname(f.details), f.dataset);
  if (server) {
    r.common.push(...server.rows);
    r.series.server = server.points;
  }
  const shards = readShardBreakdown(runDir, key);
  if (shards) r.shards = shards;
  attachDialectTools(r, f.details, {
    key,
    abbr: f.abbr,
    dataset: f.dataset,
    model: f.meta.model ?? '',
    maxConcurrency: f.meta.maxConcurrency ?? 1,
    slo: opts.slo,
    stable: opts.summarizer === 'stable_stage' || Boolean(f.meta.pressure),
    audit: Boolean(f.meta.tokenizer),
  });
  // `view` shows a saved run as it is: nothing is written.
  if (opts.view) {
    r.files = { ...r.files, details: path.relative(runDir, f.details) };
    return r;
  }
  const files = writeTaskResultFiles(runDir, r);
  r.files = { ...r.files, ...files, details: path.relative(runDir, f.details) };
  const written = await writeReports(runDir, f.abbr, f.dataset, f.details, {
    model: f.meta.model ?? '',
    title: `${key} (metric dialect ${r.dialect ?? 'aisbench'})`,
    requestRate: f.meta.requestRate,
    rampUp: f.meta.rampUp,
    burstiness: f.meta.burstiness,
    ...(r.series.server ? { server: r.series.server } : {}),
  });
  for (const w of written) r.files[w.endsWith(TASK_FILE_SUFFIX.rps) ? 'rps' : 'plot'] = path.relative(runDir, w);
  return r;
}

/** How shard folders are merged and shown (shard/merge-command.ts's mergeShards, handed down by cli/). */
export type MergeShards = (
  dirs: readonly string[],
  out: string,
  opts: PerfOptions,
  presenter: Presenter,
  ctl: RunController,
) => Promise<number>;

/** Crash handler and teardown ('close board') from run/controller.ts. */
export function runViz(opts: PerfOptions, presenter: Presenter, mergeShards: MergeShards): Promise<number> {
  return withController(presenter, opts.debug, (ctl) => recomputeRun(opts, presenter, mergeShards, ctl));
}

async function recomputeRun(
  opts: PerfOptions,
  presenter: Presenter,
  mergeShards: MergeShards,
  ctl: RunController,
): Promise<number> {
  const stats = parseStats(opts.stats);
  // A folder of shard folders (a sharded run's shared volume): merge them.
  if ((opts.reuse ?? true) === true && holdsShards(opts.workDir)) {
    return mergeShards([opts.workDir], path.join(opts.workDir, RunLayout.mergedDir), opts, presenter, ctl);
  }
  let runDir = findRun(opts.workDir, opts.reuse ?? true, (msg) => process.stderr.write(`aisbench-tui: note: ${msg}\n`));
  // `view` without a run on a terminal: pick one (newest first).
  if (opts.view?.pick && presenter.interactive) {
    const runs = (await import('../output/run-list.js')).listRunEntries(opts.workDir);
    if (runs.length > 1) {
      const { loadTheme } = await import('../ui/theme.js');
      const chosen = await (await import('../ui/RunPicker.js')).pickRun(runs, loadTheme(opts.theme));
      if (!chosen) return 0;
      runDir = chosen.dir;
    }
  }
  if (holdsShards(runDir)) return mergeShards([runDir], path.join(runDir, RunLayout.mergedDir), opts, presenter, ctl);
  const found = findDetails(runDir);
  if (found.length === 0) {
    throw new UsageError(
      `no *${TASK_FILE_SUFFIX.details} under ${path.join(runDir, RunLayout.performances)}: nothing to recompute`,
      'E_NO_DETAILS',
    );
  }
  const results: TaskResult[] = [];
  const warnings: string[] = [];
  for (const f of found) results.push(await recomputeTask(runDir, f, opts, stats, warnings));
  for (const w of warnings) process.stderr.write(`aisbench-tui: warning: ${w}\n`);
  if (!opts.view) await exportIfAsked(runDir, results, opts);
  try {
    const chosen = await presenter.showResults({ runDir, results, interrupted: false });
    return chosen ?? 0;
  } finally {
    await ctl.run('close board');
  }
}
