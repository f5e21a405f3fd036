/**
 * The run folder's layout (AISBench's, plus this tool's extra files): the one
 * place that spells a path inside `<workDir>/<YYYYMMDD_HHMMSS>/`. Every path
 * here is relative to the run folder; callers join it with the folder.
 *
 *   configs/<run>_config.yaml            merged configuration, secrets redacted
 *   logs/<phase>/<abbr>/<dataset>.out    task log (phase: performance, infer, ...)
 *   performances/<abbr>/<dataset>.csv    Performance Parameters
 *   performances/<abbr>/<dataset>.json   Common Metric
 *   performances/<abbr>/<dataset>_*      details, meta, HTML reports, extra views
 *   summary/                             capacity and accuracy summaries
 *   predictions/<abbr>/<dataset>.json    accuracy answers (JSON Lines, AISBench's name)
 *   results/<abbr>/<dataset>.json        accuracy scores of one task
 *   shard.json, live.json                a --shard run's manifest and live state
 *   shards.json, shards/                 a merged run's breakdown; the --processes children's folders
 *   merged/                              merge's output in a folder of shards
 */
import path from 'node:path';

/** Task file name endings after `<dataset>`, for the readers that scan a task folder. */
export const TASK_FILE_SUFFIX = {
  csv: '.csv',
  json: '.json',
  details: '_details.jsonl',
  meta: '_meta.json',
  plot: '_plot.html',
  rps: '_rps_distribution_plot.html',
  serverRows: '_server_rows.json',
  evalscope: '_evalscope.json',
  shards: '_shards.csv',
  screen: '_screen',
} as const;

export type TaskFileKind = keyof typeof TASK_FILE_SUFFIX;

export const RunLayout = {
  configs: 'configs',
  performances: 'performances',
  summary: 'summary',
  predictions: 'predictions',
  results: 'results',
  /** `configs/<run>_config.yaml`; `run` is the run folder's name. */
  configFile: (run: string): string => path.join('configs', `${run}_config.yaml`),
  /** `logs/<phase>`: the task logs of one phase. */
  logDir: (phase = 'performance'): string => path.join('logs', phase),
  /** `logs/<phase>/<abbr>/<dataset><suffix>` (suffix `.out`; a merged shard's copy `.shardN.out`). */
  taskLog: (abbr: string, dataset: string, phase = 'performance', suffix = '.out'): string =>
    path.join('logs', phase, abbr, `${dataset}${suffix}`),
  /** `performances/<abbr>`: one model config's result files. */
  taskDir: (abbr: string): string => path.join('performances', abbr),
  /** `performances/<abbr>/<dataset><suffix of kind>`. */
  taskFile: (abbr: string, dataset: string, kind: TaskFileKind): string =>
    path.join('performances', abbr, `${dataset}${TASK_FILE_SUFFIX[kind]}`),
  /** `predictions/<abbr>/<dataset>.json`: one line per answered request (accuracy modes). */
  predictionsFile: (abbr: string, dataset: string): string => path.join('predictions', abbr, `${dataset}.json`),
  /** `results/<abbr>/<dataset>.json`: a task's accuracy scores; `screen`: its exported results screen, `<dataset>_screen.txt`. */
  resultsFile: (abbr: string, dataset: string, kind: 'scores' | 'screen' = 'scores'): string =>
    path.join('results', abbr, `${dataset}${kind === 'screen' ? '_screen.txt' : '.json'}`),
  /**
   * The `<dataset>` part of a task file's path, the inverse of taskFile for the
   * given kinds (`performances/a/gsm8k_c16.csv` → `gsm8k_c16`); a name that
   * ends in none of them comes back whole.
   */
  taskFileDataset: (file: string, kinds: readonly TaskFileKind[] = ['csv', 'json']): string => {
    const base = path.basename(file);
    const kind = kinds.find((k) => base.endsWith(TASK_FILE_SUFFIX[k]));
    return kind ? base.slice(0, -TASK_FILE_SUFFIX[kind].length) : base;
  },
  /** A `--shard` run's manifest (run/shard-manifest.ts). */
  shardManifest: 'shard.json',
  /** A `--shard` run's live state, rewritten every second for `watch` (run/live-state.ts). */
  liveState: 'live.json',
  /** A merged run's shards and per-shard breakdown (shard/merge-command.ts). */
  shardsSummary: 'shards.json',
  /** The `--processes` parent's folder of its children's run folders. */
  shardsDir: 'shards',
  /** Where `merge` (and `perf_viz` on a folder of shards) writes the merged run: inside that folder, or beside the shard folders. */
  mergedDir: 'merged',
  /** `summary/<name>`. */
  summaryFile: (name: string): string => path.join('summary', name),
  /** The sub-folders a perf run creates up front. */
  perfSubdirs: (): string[] => ['configs', path.join('logs', 'performance'), 'performances'],
} as const;
