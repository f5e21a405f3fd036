import type { DiffRow } from './differences.js';
import type { EvalScopeSummary } from './evalscope-summary.js';
import type { CommonMetricId, PerfMetricId } from '../core/metric-ids.js';
import type { TaskIdentity } from '../core/task.js';

/**
 * The results of a task: a plain object that the terminal UI, the plain-mode
 * printer, the CSV/JSON writers, the exporters and the HTML reports all read.
 */

/** A Performance Parameters metric (core/metric-ids.ts). */
export type PerfMetricName = PerfMetricId;

export type Stage = 'total' | 'stable';

/** One row of the Performance Parameters table. */
export interface PerfRow {
  metric: PerfMetricName;
  stage: Stage;
  /** 'ms', 'token/s' or '' (token counts). */
  unit: string;
  /** One value per entry of PerfTable.stats, same order; NaN when undefined. */
  values: number[];
  /** Requests that contributed to this row. */
  n: number;
}

export interface PerfTable {
  /** Stat names, e.g. ['Average','Min','Max','Median','P75','P90','P99']. */
  stats: string[];
  rows: PerfRow[];
}

/** One row of the Common Metric table. */
export interface CommonRow {
  /**
   * What the row is (core/metric-ids.ts): code looks rows up by id. Absent on
   * rows labelled at run time (per SLO objective, per server gauge) and on rows
   * written by hand with a label only (commonIdOf maps a known label back).
   */
  id?: CommonMetricId;
  /** The printed label (the tables', CSV's and JSON's key). */
  name: string;
  stage: Stage;
  value: number;
  /** 'ms', 'req/s', 'token/s', '%' or '' */
  unit: string;
}

/** One measured request in the drill-down list (times in ms since the task's run start, as in RequestRecord). */
export interface RequestRow {
  /** Line of the details file (finds the request again for its ITL). */
  line: number;
  id: number;
  turn: number;
  ok: boolean;
  /** Failure code and message, sanitised ('' on success). */
  code: string;
  message: string;
  /** Planned send time (-1 = no schedule), actual send time, end. */
  sched: number;
  t0: number;
  end: number;
  /** Relative to t0 (NaN when no token came). */
  ttft: number;
  e2el: number;
  /** NaN when undefined (failed, or one token under a dialect that leaves it out). */
  tpot: number;
  inTok: number;
  outTok: number;
}

export interface FailureRow {
  code: string;
  count: number;
  example: string;
}

/** Time series for plots, x in seconds since run start. */
export interface TaskSeries {
  /** Step function of in-flight requests: [t_s, inflight] at each change (may be decimated). */
  concurrency: Array<[number, number]>;
  /** Output tokens per second in 1 s bins (bin i covers [i, i+1) s). */
  outputTokPerSec: number[];
  /** [start_s, ttft_ms] per successful request (may be decimated). */
  ttftByStart: Array<[number, number]>;
  /** The server's own metrics, one point a second (src/servermetrics/series.ts); absent when not scraped. */
  server?: Array<{
    t: number;
    missing?: true;
    running?: number;
    waiting?: number;
    kv_pct?: number;
    prefix_hit_pct?: number;
  }>;
}

export interface TaskResult extends TaskIdentity {
  perf: PerfTable;
  common: CommonRow[];
  failures: FailureRow[];
  series: TaskSeries;
  /** True when the run was stopped before all requests were sent. */
  interrupted: boolean;
  /** Metric dialect the tables were computed in (dialects.ts). */
  dialect?: string;
  /** The same task under another dialect, recomputed from its details (results view key `m`). */
  switchDialect?: (dialect: string, stats: string[]) => Promise<TaskResult>;
  /** Each headline metric under every dialect, with causes (results view key `d`). */
  loadDifferences?: () => Promise<DiffRow[]>;
  /** Loaded differences, shown by the layout. */
  differences?: DiffRow[];
  /** The per-request list of the drill-down (results view key `l`), read from the details file. */
  loadRequests?: () => Promise<RequestRow[]>;
  /** Inter-token latencies (ms) of the request on details line `line` (drill-down Enter). */
  loadItl?: (line: number) => Promise<number[]>;
  /** Loaded request list, shown by the layout. */
  requests?: RequestRow[];
  /** EvalScope's own summary layout (dialect evalscope only). */
  evalscope?: EvalScopeSummary;
  /** Result files, paths relative to the run folder. */
  files: Record<string, string>;
  /**
   * Recompute the Performance Parameters table for another stats list from the
   * values kept in memory (absent on results loaded without their details).
   */
  recompute?: (stats: string[]) => PerfTable;
  /** A merged sharded run (#20): each shard's own figures, shown under the task's tables. */
  shards?: ShardBreakdownRow[];
}

/** One shard of one task of a merged run (shard/merge-command.ts writes them to shards.json). */
export interface ShardBreakdownRow {
  /** `abbr/dataset` */
  task: string;
  shard: number;
  host: string;
  requests: number;
  success: number;
  /** req/s over the shard's own duration. */
  requestThroughput: number;
  /** token/s over the shard's own duration. */
  outputTokenThroughput: number;
  /** ms. */
  ttftP99: number;
  /** ms the shard started after the agreed --start-at instant, by its own clock (null without --start-at). */
  startLagMs: number | null;
  /** ms between this shard's start and the earliest shard's, by their wall clocks. */
  startSpreadMs: number;
}
