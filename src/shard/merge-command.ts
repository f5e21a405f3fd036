/**
 * `aisbench-tui merge DIR... [--out DIR] [display options]` and
 * `--mode perf_viz --reuse` over a folder of shard folders: one result from
 * the shards, shown and written like a single run's, with a per-shard
 * breakdown (shards.json, <dataset>_shards.csv, and a table on stdout).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { PerfArgsParser, PerfOptions } from '../config/options.js';
import { UsageError } from '../core/errors.js';
import { parseStats } from '../metrics/stats.js';
import type { ShardBreakdownRow, TaskResult } from '../metrics/types.js';
import { recomputeFromDetails } from '../output/details-recompute.js';
import type { Presenter } from '../run/presenter.js';
import type { RunController } from '../run/controller.js';
import { recomputeTask } from '../run/viz.js';
import { exportIfAsked } from '../run/export.js';
import { SHARD_FILE } from '../run/shard-manifest.js';
import { checkShards, expandShardDirs, shardShiftMs, writeMergedFolder, type ShardFolder } from './merge.js';
import { commonValueOf } from '../metrics/common.js';
import type { CommonMetricId } from '../core/metric-ids.js';
import { taskKey } from '../core/task.js';
import { RunLayout } from '../core/run-layout.js';

/** A breakdown row and the shard folder it came from. */
export interface ShardRow extends ShardBreakdownRow {
  dir: string;
}

const common = (r: TaskResult, id: CommonMetricId): number => commonValueOf(r.common, id) ?? NaN;

/** Each shard's own figures, recomputed from its own details. */
async function breakdown(shards: readonly ShardFolder[]): Promise<ShardRow[]> {
  const rows: ShardRow[] = [];
  shards[0]!.manifest.tasks.forEach((t, ti) => {
    const starts = shards.map((s) => s.manifest.tasks[ti]!.runStartWallMs).filter((w) => w > 0);
    const first = Math.min(...starts);
    shards.forEach((s) => {
      const e = s.manifest.tasks[ti]!;
      rows.push({
        task: t.key,
        shard: s.manifest.index,
        host: s.manifest.host,
        dir: s.dir,
        requests: e.requests,
        success: NaN,
        requestThroughput: NaN,
        outputTokenThroughput: NaN,
        ttftP99: NaN,
        startLagMs: e.startLagMs,
        startSpreadMs: e.runStartWallMs > 0 ? Math.round((e.runStartWallMs - first) * 1000) / 1000 : NaN,
      });
    });
  });
  let i = 0;
  for (const t of shards[0]!.manifest.tasks) {
    for (const s of shards) {
      const r = await recomputeFromDetails(path.join(s.dir, RunLayout.taskFile(t.abbr, t.dataset, 'details')), {
        key: t.key,
        abbr: t.abbr,
        dataset: t.dataset,
        model: '',
        maxConcurrency: 1,
        stats: ['P99'],
      });
      const row = rows[i++]!;
      row.success = common(r, 'success_requests');
      row.requestThroughput = common(r, 'request_throughput');
      row.outputTokenThroughput = common(r, 'output_token_throughput');
      row.ttftP99 = r.perf.rows.find((x) => x.metric === 'TTFT' && x.stage === 'total')?.values[0] ?? NaN;
    }
  }
  return rows;
}

const f1 = (x: number | null): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(1));

export function breakdownTable(rows: readonly ShardRow[]): string {
  const head = [
    'task',
    'shard',
    'host',
    'requests',
    'ok',
    'req/s',
    'out tok/s',
    'TTFT p99 ms',
    'start lag ms',
    'start spread ms',
  ];
  const body = rows.map((r) => [
    r.task,
    String(r.shard),
    r.host,
    String(r.requests),
    String(r.success),
    f1(r.requestThroughput),
    f1(r.outputTokenThroughput),
    f1(r.ttftP99),
    f1(r.startLagMs),
    f1(r.startSpreadMs),
  ]);
  const w = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  return [head, ...body]
    .map((cells) =>
      cells
        .map((x, c) => x.padEnd(w[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Merge shard folders into `out`, show and write the result; returns the exit
 * code. The caller's RunController closes the board ('close board', which
 * the caller registered): here early, so the breakdown lands below it.
 */
export async function mergeShards(
  dirs: readonly string[],
  out: string,
  opts: PerfOptions,
  presenter: Presenter,
  ctl: RunController,
): Promise<number> {
  const stats = parseStats(opts.stats);
  const shards = checkShards(expandShardDirs(dirs));
  const instants = new Set(shards.map((s) => s.manifest.startAt));
  if (instants.size > 1)
    process.stderr.write(
      `aisbench-tui: warning: the shards were given ${instants.size} different start instants (use one absolute --start-at); times are aligned on shard 0's\n`,
    );
  const tasks = await writeMergedFolder(out, shards);
  const results: TaskResult[] = [];
  const warnings: string[] = [];
  for (const t of tasks)
    results.push(
      await recomputeTask(
        out,
        { abbr: t.abbr, dataset: t.dataset, details: t.details, meta: t.meta },
        opts,
        stats,
        warnings,
      ),
    );
  const rows = await breakdown(shards);
  writeFileSync(
    path.join(out, RunLayout.shardsSummary),
    JSON.stringify(
      {
        shards: shards.map((s) => ({ dir: s.dir, ...s.manifest })),
        breakdown: rows,
        shiftMs: shards[0]!.manifest.tasks.map((_, ti) => shardShiftMs(shards, ti)),
      },
      null,
      2,
    ) + '\n',
  );
  for (const t of tasks) {
    const mine = rows.filter((r) => r.task === (t.meta.key ?? taskKey(t.abbr, t.dataset)));
    writeFileSync(
      path.join(out, RunLayout.taskFile(t.abbr, t.dataset, 'shards')),
      stringify([Object.keys(mine[0] ?? {}), ...mine.map((r) => Object.values(r).map(String))]),
    );
  }
  // The results view shows each task's rows under its tables (ui/results/shard-table.ts).
  for (const r of results) r.shards = rows.filter((x) => x.task === r.key);
  for (const w of warnings) process.stderr.write(`aisbench-tui: warning: ${w}\n`);
  await exportIfAsked(out, results, opts);
  const table = `merged ${shards.length} shards into ${out}\n${breakdownTable(rows)}\n`;
  try {
    if (!presenter.interactive) process.stdout.write(table);
    const chosen = await presenter.showResults({ runDir: out, results, interrupted: false });
    return chosen ?? 0;
  } finally {
    await ctl.run('close board');
    if (presenter.interactive) process.stdout.write(table);
  }
}

/** `merge` arguments: folders first, then `--out DIR` and the usual display options (--stats, --no-tui ...). */
export function parseMergeArgs(
  argv: readonly string[],
  parsePerf: PerfArgsParser,
): { dirs: string[]; out: string; opts: PerfOptions } {
  const dirs: string[] = [];
  let i = 0;
  while (i < argv.length && !argv[i]!.startsWith('-')) dirs.push(argv[i++]!);
  const rest = argv.slice(i);
  let out: string | undefined;
  const k = rest.findIndex((a) => a === '--out' || a === '-o');
  if (k >= 0) {
    out = rest[k + 1];
    if (!out) throw new UsageError('merge: --out needs a folder');
    rest.splice(k, 2);
  }
  if (dirs.length === 0) throw new UsageError('usage: aisbench-tui merge DIR... [--out DIR] [--stats LIST] [--no-tui]');
  const opts = parsePerf(['--mode', 'perf_viz', ...rest]);
  if (!opts) throw new UsageError('usage: aisbench-tui merge DIR... [--out DIR] [--stats LIST] [--no-tui]');
  // Default: beside the shard folders (a shared volume in Kubernetes).
  const first = path.resolve(dirs[0]!);
  out ??= existsSync(path.join(first, SHARD_FILE))
    ? path.join(path.dirname(first), RunLayout.mergedDir)
    : path.join(first, RunLayout.mergedDir);
  return { dirs, out, opts };
}
