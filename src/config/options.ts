/**
 * The option vocabulary: what the command line (cli/) and a task config's
 * overrides resolve to. It lives in config/, below every folder that reads
 * it (run, output, accuracy, capacity, shard), so none of them imports cli/
 * (and commander); cli/ builds it. The Command union stays in cli/command.ts.
 */

import type { Slo } from '../core/slo.js';
import type { LoadKind, SweepSpec } from '../core/task.js';

export type ExportFormat = 'txt' | 'ansi' | 'svg' | 'html';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['txt', 'ansi', 'svg', 'html'];

export type PerfMode = 'perf' | 'perf_viz' | AccuracyMode;
/** The accuracy modes (seeds 002/004): infer → eval → summary, or one part of it. */
export type AccuracyMode = 'all' | 'infer' | 'eval' | 'viz';
export const ACCURACY_MODES: readonly AccuracyMode[] = ['all', 'infer', 'eval', 'viz'];

import type { RampUp } from '../core/ramp.js';
export type { RampUp };

/** The default stats list of the Performance Parameters table. */
export const DEFAULT_STATS: readonly string[] = ['Average', 'Min', 'Max', 'Median', 'P75', 'P90', 'P99'];

export interface PerfOptions {
  /** Model task names (registry names, not abbrs). */
  models: string[];
  /** Dataset task names. */
  datasets: string[];
  /** Parent of the timestamped run folders. */
  workDir: string;
  /** --reuse: a run timestamp, or true for the newest run. */
  reuse?: string | true;
  /** Use only the first N dataset entries. */
  numPrompts?: number;
  /** Tasks run in parallel. */
  maxNumWorkers: number;
  /** Warm-up requests per task before measuring (0 = none). */
  numWarmups: number;
  debug: boolean;
  noTui: boolean;
  search: boolean;
  summarizer?: string;
  /** Hold max concurrency for pressureTime seconds instead of running the dataset once. */
  pressure: boolean;
  /** s. */
  pressureTime?: number;
  configDir?: string;
  dryRun: boolean;
  /** Raw stat names as given (validated by the metrics module); DEFAULT_STATS when not given. */
  stats: string[];
  theme?: string;
  export?: ExportFormat[];
  datasetPath?: string;
  /** Local tokenizer folder or tokenizer.json (sets every model task's `path`). */
  tokenizer?: string;
  /** Seed for synthetic datasets and the simulator. */
  seed?: number;
  /** Service-level objectives (core/slo.ts). */
  slo?: Slo;
  /** Whole-request timeout, s. */
  timeout?: number;
  /** Time-to-first-byte timeout, s. */
  firstByteTimeout?: number;
  /** Longest silence between reads of a streamed answer, s. */
  idleTimeout?: number;
  /** Engine worker threads (default: from concurrency and cores). */
  workers?: number;
  /** Run the built-in demo (simulator × small synthetic dataset). */
  demo: boolean;
  /** With demo: this many simulated model tasks with different latency profiles. */
  demoTasks?: number;
  // Quick overrides, applied to every model task.
  url?: string;
  apiKey?: string;
  /** = batch_size. */
  maxConcurrency?: number;
  /** req/s. */
  requestRate?: number;
  /** Gamma shape of arrival gaps. */
  burstiness?: number;
  rampUp?: RampUp;
  /** tokens. */
  maxOutLen?: number;
  retry?: number;
  // Accuracy modes (all/infer/eval/viz).
  /** Samples per question (pass@k, avg@n, cons@n); overrides a dataset's num_return. */
  numReturn?: number;
  /** With --reuse: re-send only the samples whose last attempt failed. */
  retestFailed?: boolean;
  /** --demo in an accuracy mode: the simulator's probability of a right answer. */
  accuracy?: number;
  // Shards and processes (issue 20: src/shard/).
  /** --shard I/N: this process runs shard I of N. */
  shard?: { index: number; count: number };
  /** --start-at: the measured phase starts at this wall-clock instant (epoch ms). */
  startAt?: number;
  /** --processes K: run K local shards under one board. */
  processes?: number;
  /** Internal (set by --processes on its children): progress goes to the parent over IPC. */
  ipcProgress?: boolean;
  /** #13: metric dialect (src/metrics/dialects.ts), default 'aisbench'. */
  metricDialect?: string;
  /** Sweeps, repeats, SLO search, adaptive (absent when none is asked). */
  capacity?: CapacityOptions;
  /** #15: scrape the server's /metrics: a URL, true (base URL + /metrics, warn if it fails), false (off); absent = on when it answers. */
  serverMetrics?: string | boolean;
  /** #15: the speculative decoding report (implies scraping). */
  specDecode?: boolean;
  /** #15: https:// targets: PEM text of --ca-cert FILE, and --insecure. */
  tls?: { ca?: string; insecure?: boolean };
  // #18 newcomer flags (cli/newcomer.ts).
  /** --model: served model name for every model task. */
  model?: string;
  /** --input-len / --output-len: synthetic lengths, tokens (min = max: fixed). */
  inputLen?: LenRange;
  outputLen?: LenRange;
  /** --prefix-len: tokens shared by every synthetic prompt. */
  prefixLen?: number;
  /** --ignore-eos (true) / --no-ignore-eos (false); undefined = as the task says. */
  ignoreEos?: boolean;
  temperature?: number;
  /** --header NAME:VALUE, added to every model task's headers. */
  headers?: Record<string, string>;
  /** `aisbench-tui view`: show a saved run, write nothing; pick one when no run is named. */
  view?: { pick: boolean };
}

/**
 * A perf command line to options, or undefined when it is not a perf run.
 * cli/ hands its parser to the shard tools (merge, watch, k8s take perf
 * arguments after their own) so they need not import cli/.
 */
export type PerfArgsParser = (argv: string[]) => PerfOptions | undefined;

/** A length range in tokens, inclusive. */
export interface LenRange {
  min: number;
  max: number;
}

/** Capacity questions (src/capacity/): sweeps, repeats, SLO search, adaptive load. */
export interface CapacityOptions {
  sweep?: SweepSpec;
  /** Runs of every task (≥ 1). */
  numRuns: number;
  /** Coefficient of variation above which a repeated metric is flagged, %. */
  cvThresholdPct: number;
  /** --slo-search: bracketing then bisection over [min, max], stopping at `resolution`. */
  search?: { kind: LoadKind; min?: number; max?: number; resolution?: number };
  /** --adaptive: one run whose concurrency follows the SLO. */
  adaptive?: { kind: LoadKind; min?: number; max?: number };
}
