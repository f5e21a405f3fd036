/**
 * The perf command line's flag table (commander): every flag, its help line
 * and the parser of its value. What the flags mean together is checked in
 * perf-options.ts; parseCli (args.ts) runs the two.
 */
import { readFileSync } from 'node:fs';
import { Command as Commander, Option } from 'commander';
import { DIALECTS, dialectNamed } from '../metrics/dialects.js';
import { UsageError } from '../core/errors.js';
import { parseSweep, type LoadKind, type SweepSpec } from '../capacity/sweep.js';
import {
  DEFAULT_STATS,
  type ExportFormat,
  type PerfMode,
  type PerfOptions,
  ACCURACY_MODES,
} from '../config/options.js';
import {
  nameList,
  nonNegInt,
  nonNegNumber,
  parseStatsList,
  positiveInt,
  positiveNumber,
  timerSeconds,
} from '../core/values.js';
import { parseExport, parseUrl } from './option-values.js';
import { parseRampUp } from '../core/ramp.js';
import { parseSlo } from '../core/slo.js';
import { checkUrl } from '../config/schema.js';
import { addNewcomerOptions, DEFAULTS_HELP, type NewcomerRaw } from './newcomer.js';

/** Names of the demo tasks (--demo-tasks variants: config/overrides.ts). */
export const DEMO_MODEL = 'sim_stream_chat';
export const DEMO_DATASET = 'synthetic_gen_demo';
/** Upper bound for --demo-tasks: the board pages through rows, but each task costs a run. */
export const MAX_DEMO_TASKS = 500;
/** --demo-tasks runs this many tasks at once unless --max-num-workers says otherwise. */
export const DEMO_PARALLEL_TASKS = 4;

const EXAMPLES = `
Examples:
  aisbench-tui --demo                        the demo, against the embedded simulator
  aisbench-tui --models vllm_api_stream_chat --datasets synthetic_gen \\
      --url http://127.0.0.1:8000 --max-concurrency 64
  aisbench-tui --models vllm_api_stream_chat --datasets custom --dataset-path prompts.jsonl
  aisbench-tui --search                      every task name and its config file
  aisbench-tui -m perf_viz --reuse --stats Average,P95   recompute the newest run
  aisbench-tui sim --port 8000 --ttft 50 --itl 10        run the simulator alone
  aisbench-tui compare RUN_A RUN_B --fail-over 5         A/B of two runs (exit 3 on a regression)
  aisbench-tui config set refreshHz 2        user preferences (get|set|unset|list|path)
  aisbench-tui ... --shard 0/3 --start-at 2026-12-01T10:00:00Z -w shards   one of 3 shards
  aisbench-tui merge shards                  one result from shard folders (watch shards: live)
  aisbench-tui k8s --shards 4 --image IMG -- <run arguments>   a Kubernetes Indexed Job
`;

/** Environment variable read when --api-key is not given. */
export const API_KEY_ENV = 'AISBENCH_TUI_API_KEY';

/** Dataset of --demo in the accuracy modes. */
export const DEMO_ACCURACY_DATASET = 'demo_gsm8k';

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(out: { text: string }): Commander {
  const p = new Commander('aisbench-tui');
  p.description('Benchmark OpenAI-compatible LLM servers (AISBench performance mode) with a live terminal board.')
    .usage('[options]')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        out.text += s;
      },
      writeErr: (s) => {
        out.text += s;
      },
      outputError: () => {},
    })
    .helpOption('-h, --help', 'show this help')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--models <names...>', 'model task names (see --search)', nameList)
    .option('--datasets <names...>', 'dataset task names', nameList)
    .option(
      '-m, --mode <mode>',
      'perf (default: run and measure), perf_viz (recompute a saved run); accuracy: all, infer, eval, viz',
      parseMode,
      'perf',
    )
    .option('-w, --work-dir <dir>', 'where run folders are created', 'outputs/default')
    .option('-r, --reuse [timestamp]', 'with perf_viz/infer/eval/viz: the run to reuse (default: the newest)')
    .option('--num-prompts <n>', 'use only the first N dataset entries', positiveInt('--num-prompts'))
    .option('--max-num-workers <n>', 'tasks run in parallel', positiveInt('--max-num-workers'), 1)
    .option('--num-warmups <n>', 'warm-up requests per task (0 = none)', nonNegInt('--num-warmups'), 1)
    .option('--debug', 'log to the terminal instead of the board; show stack traces')
    .option('--no-tui', 'plain line output (also when stdout is not a terminal)')
    .option('--search', 'print the config file behind each task name and exit')
    .option(
      '--summarizer <name>',
      "summarizer: 'stable_stage' adds the stable-stage rows (default_perf is accepted and does nothing)",
      parseSummarizer,
    )
    .option('--pressure', 'hold max concurrency for --pressure-time seconds')
    .option('--pressure-time <s>', 'pressure test length, s', timerSeconds('--pressure-time', true))
    .option('--config-dir <dir>', 'extra task configs: DIR/models/*.yaml, DIR/datasets/*.yaml')
    .option('--dry-run', 'resolve and print the tasks without sending requests')
    .option('--stats <list>', `stats list, up to 8 (default ${DEFAULT_STATS.join(',')})`, parseStatsList)
    .option('--theme <name>', 'colour theme (themes/*.json)')
    .option('--export <formats>', 'export the results screen: txt,ansi,svg,html', parseExport)
    .option('--dataset-path <file>', 'data file for custom/gsm8k/sharegpt/trace datasets')
    .option('--tokenizer <path>', 'local tokenizer folder or tokenizer.json')
    .option('--seed <n>', 'seed for synthetic data and the simulator', nonNegInt('--seed'))
    .option(
      '--slo <list>',
      "SLO in ms: per-request bounds 'ttft:500,tpot:50' and/or objectives 'ttft:p99<=500,e2el:avg<=3000'",
      parseSlo,
    )
    .option('--timeout <s>', 'whole-request timeout, s (0 = none, the default)', timerSeconds('--timeout'))
    .option(
      '--first-byte-timeout <s>',
      'time-to-first-token timeout, s (default 600, 0 = none)',
      timerSeconds('--first-byte-timeout'),
    )
    .option(
      '--idle-timeout <s>',
      'longest silence between reads of a streamed answer, s (default 300, 0 = none)',
      timerSeconds('--idle-timeout'),
    )
    .option('--workers <n>', 'engine worker threads', positiveInt('--workers'))
    .option('--demo', `run the demo: ${DEMO_MODEL} × ${DEMO_DATASET} against the embedded simulator`)
    .option(
      '--demo-tasks <n>',
      `demo with N simulated models of different latency profiles (${DEMO_PARALLEL_TASKS} at a time by default)`,
      positiveInt('--demo-tasks'),
    )
    .option('--url <url>', 'base URL for every model task, e.g. http://127.0.0.1:8000', parseUrl)
    // From the environment too, so the key need not show in `ps` or shell history.
    .addOption(new Option('--api-key <key>', 'API key for every model task (never written to disk)').env(API_KEY_ENV))
    .option(
      '--max-concurrency <n>',
      'maximum concurrency (= batch_size) for every model task',
      positiveInt('--max-concurrency'),
    )
    .option('--request-rate <rps>', 'request rate, req/s (0 = all at once)', nonNegNumber('--request-rate'))
    .option('--burstiness <k>', 'gamma shape of arrival gaps (1 = Poisson)', nonNegNumber('--burstiness'))
    .option('--ramp-up <spec>', "ramp the rate, e.g. 'linear:10:50' (req/s)", parseRampUp)
    .option('--max-out-len <tokens>', 'max output tokens per request', positiveInt('--max-out-len'))
    .option('--retry <n>', 'extra attempts per failed request', nonNegInt('--retry'))
    // Accuracy modes.
    .option('--num-return <n>', 'accuracy: samples per question (avg@n, pass@k, cons@n)', positiveInt('--num-return'))
    .option('--retest-failed', 'accuracy, with --reuse: re-send only the samples that failed')
    .option(
      '--accuracy <p>',
      "accuracy --demo: the simulator's probability of a right answer (default 0.7)",
      probability,
    )
    // Shards and processes (src/shard/).
    .option(
      '--shard <I/N>',
      'run shard I of N (every N-th request, 1/N of concurrency and rate); I may name an env variable',
    )
    .option('--start-at <when>', 'shards start together at an ISO 8601 instant or +SECONDS from now')
    .option('--processes <k>', 'run K local shards in K processes under one board', positiveInt('--processes'))
    .addOption(new Option('--ipc-progress').hideHelp())
    // #13 metric dialects
    .option('--metric-dialect <name>', `metric definitions: ${DIALECTS.join(', ')} (default aisbench)`, parseDialect)
    // Capacity questions (src/capacity/).
    .option(
      '--sweep <spec>',
      "one task per load point: 'concurrency=1,4,16,64', 'rate=2,4,8' or 'concurrency=1:64:x2'",
      parseSweep,
    )
    .option('--num-runs <n>', 'run every task N times; mean, sd, CV, 95% CI per metric', positiveInt('--num-runs'))
    .option(
      '--cv-threshold <pct>',
      'flag a repeated metric whose CV is above this, % (default 10)',
      positiveNumber('--cv-threshold'),
    )
    .option(
      '--slo-search <kind>',
      'largest concurrency|rate meeting the --slo objectives (bracketing, then bisection)',
      parseLoadKind('--slo-search'),
    )
    .option(
      '--adaptive [kind]',
      'one run: raise concurrency while the --slo objectives hold, back off, hold the boundary for --pressure-time',
    )
    .option('--search-min <n>', 'lower end of the search / adaptive range', positiveNumber('--search-min'))
    .option('--search-max <n>', 'upper end of the search / adaptive range', positiveNumber('--search-max'))
    .option(
      '--search-resolution <n>',
      'stop the search when the bracket is this narrow (default: 1 for concurrency)',
      positiveNumber('--search-resolution'),
    )
    // #15: the server's own Prometheus metrics beside the client's.
    .option(
      '--server-metrics [url]',
      "scrape the server's Prometheus metrics every second (default URL: base URL + /metrics; on by default when it answers)",
      (v: string) => {
        const msg = checkUrl(v);
        if (msg) throw new UsageError(`--server-metrics ${msg} (got ${JSON.stringify(v)})`);
        return v;
      },
    )
    .option('--no-server-metrics', "do not scrape the server's metrics")
    .option(
      '--spec-decode',
      'speculative decoding report from the /metrics counters (acceptance rate, mean length, per position)',
    )
    .option('--ca-cert <file>', 'https:// targets: trust the CA certificate(s) in this PEM file')
    .option('--insecure', 'https:// targets: do not verify the server certificate (a warning says so)');
  // #18 newcomer flags and EvalScope aliases (cli/newcomer.ts).
  addNewcomerOptions(p);
  p.addHelpText('after', DEFAULTS_HELP);
  return p;
}

export /** The parsed commander options, typed. */
interface Raw extends NewcomerRaw {
  models?: string[];
  datasets?: string[];
  mode: PerfMode;
  workDir: string;
  reuse?: string | true;
  numPrompts?: number;
  maxNumWorkers: number;
  numWarmups: number;
  debug?: boolean;
  tui: boolean;
  search?: boolean;
  summarizer?: string;
  pressure?: boolean;
  pressureTime?: number;
  configDir?: string;
  dryRun?: boolean;
  stats?: string[];
  theme?: string;
  export?: ExportFormat[];
  datasetPath?: string;
  tokenizer?: string;
  seed?: number;
  slo?: PerfOptions['slo'];
  timeout?: number;
  firstByteTimeout?: number;
  idleTimeout?: number;
  workers?: number;
  demo?: boolean;
  demoTasks?: number;
  url?: string;
  apiKey?: string;
  maxConcurrency?: number;
  requestRate?: number;
  burstiness?: number;
  rampUp?: PerfOptions['rampUp'];
  maxOutLen?: number;
  retry?: number;
  numReturn?: number;
  retestFailed?: boolean;
  accuracy?: number;
  metricDialect?: string;
  shard?: string;
  startAt?: string;
  processes?: number;
  ipcProgress?: boolean;
  sweep?: SweepSpec;
  numRuns?: number;
  cvThreshold?: number;
  sloSearch?: LoadKind;
  adaptive?: string | true;
  searchMin?: number;
  searchMax?: number;
  searchResolution?: number;
  serverMetrics?: string | boolean;
  specDecode?: boolean;
  caCert?: string;
  insecure?: boolean;
}

function parseMode(s: string): PerfMode {
  if (s === 'perf' || s === 'perf_viz' || (ACCURACY_MODES as readonly string[]).includes(s)) return s as PerfMode;
  throw new UsageError(`--mode must be perf, perf_viz, all, infer, eval or viz (got ${JSON.stringify(s)})`);
}

function probability(raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1)
    throw new UsageError(`--accuracy must be a probability in [0, 1] (got "${raw}")`);
  return v;
}

export const parseLoadKind =
  (flag: string) =>
  (s: string): LoadKind => {
    if (s === 'concurrency' || s === 'rate') return s;
    throw new UsageError(`${flag} must be concurrency or rate (got ${JSON.stringify(s)})`);
  };

/** AISBench's summarizer names; anything else is a typo that would silently do nothing. */
function parseSummarizer(v: string): string {
  if (v === 'stable_stage' || v === 'default_perf' || v === 'example') return v;
  throw new UsageError(`--summarizer must be stable_stage, default_perf or example (got ${JSON.stringify(v)})`);
}

function parseDialect(v: string): string {
  const d = dialectNamed(v);
  if (d === null) throw new UsageError(`--metric-dialect: unknown dialect '${v}' (use ${DIALECTS.join(', ')})`);
  return d;
}
