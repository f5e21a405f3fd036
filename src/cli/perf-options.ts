/**
 * Parsed flags → PerfOptions: the rules between flags (demo vs --models,
 * --reuse per mode, accuracy-only flags, capacity and shard combinations)
 * and the files a flag names (--ca-cert). Each breach is one UsageError line.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { DEFAULT_STATS, type CapacityOptions, type PerfOptions, ACCURACY_MODES } from '../config/options.js';
import { MAX_SHARDS, parseShard, parseStartAt } from '../run/shard-plan.js';
import { newcomerOptions } from './newcomer.js';
import { DEMO_ACCURACY_DATASET, DEMO_DATASET, DEMO_MODEL, MAX_DEMO_TASKS, parseLoadKind, type Raw } from './program.js';

export function toPerfOptions(o: Raw, noArgs: boolean): PerfOptions {
  let models = o.models ?? [];
  let datasets = o.datasets ?? [];
  const demo = !!o.demo || o.demoTasks !== undefined || noArgs;
  const accuracy = (ACCURACY_MODES as readonly string[]).includes(o.mode);
  if (demo) {
    if (models.length || datasets.length) {
      throw new UsageError('--demo and --demo-tasks choose their own tasks: drop --models/--datasets');
    }
    if (o.demoTasks !== undefined && o.demoTasks > MAX_DEMO_TASKS) {
      throw new UsageError(`--demo-tasks must be at most ${MAX_DEMO_TASKS} (got ${o.demoTasks})`);
    }
    models = [DEMO_MODEL];
    datasets = [accuracy ? DEMO_ACCURACY_DATASET : DEMO_DATASET];
  } else if ((o.mode === 'perf' || ((o.mode === 'all' || o.mode === 'infer') && o.reuse === undefined)) && !o.search) {
    if (!models.length) throw new UsageError('--models is required (or --demo); see --help');
    if (!datasets.length) throw new UsageError('--datasets is required (or --demo); see --help');
  }
  if (o.reuse !== undefined && (o.mode === 'perf' || o.mode === 'all')) {
    throw new UsageError(`--reuse needs --mode perf_viz, infer, eval or viz (not ${o.mode})`);
  }
  if ((o.mode === 'eval' || o.mode === 'viz') && o.reuse === undefined) {
    throw new UsageError(`--mode ${o.mode} works on an earlier run: add --reuse [TIMESTAMP]`);
  }
  if (o.retestFailed && o.reuse === undefined)
    throw new UsageError('--retest-failed needs --mode infer --reuse [TIMESTAMP]');
  if (!accuracy && (o.numReturn !== undefined || o.accuracy !== undefined)) {
    throw new UsageError(`--num-return and --accuracy belong to the accuracy modes (--mode all|infer|eval|viz)`);
  }
  return {
    models,
    datasets,
    workDir: o.workDir,
    reuse: o.reuse,
    numPrompts: o.numPrompts,
    maxNumWorkers: o.maxNumWorkers,
    numWarmups: o.numWarmups,
    debug: !!o.debug,
    noTui: !o.tui,
    search: !!o.search,
    summarizer: o.summarizer,
    // --adaptive is one pressure run (the dataset recycled) whose cap the controller moves.
    pressure: !!o.pressure || o.pressureTime !== undefined || o.adaptive !== undefined,
    pressureTime: o.pressureTime,
    configDir: o.configDir,
    dryRun: !!o.dryRun,
    stats: o.stats ?? [...DEFAULT_STATS],
    theme: o.theme,
    export: o.export,
    datasetPath: o.datasetPath,
    tokenizer: o.tokenizer,
    seed: o.seed,
    slo: o.slo,
    timeout: o.timeout,
    firstByteTimeout: o.firstByteTimeout,
    idleTimeout: o.idleTimeout,
    workers: o.workers,
    demo,
    demoTasks: o.demoTasks,
    url: o.url,
    apiKey: o.apiKey,
    maxConcurrency: o.maxConcurrency,
    requestRate: o.requestRate,
    burstiness: o.burstiness,
    rampUp: o.rampUp,
    maxOutLen: o.maxOutLen,
    retry: o.retry,
    numReturn: o.numReturn,
    retestFailed: o.retestFailed,
    accuracy: o.accuracy,
    ...shardOptions(o),
    metricDialect: o.metricDialect,
    capacity: capacityOptions(o),
    ...(o.serverMetrics !== undefined ? { serverMetrics: o.serverMetrics } : {}),
    ...(o.specDecode ? { specDecode: true } : {}),
    ...(o.caCert !== undefined || o.insecure
      ? {
          tls: {
            ...(o.caCert !== undefined ? { ca: readCaCert(o.caCert) } : {}),
            ...(o.insecure ? { insecure: true } : {}),
          },
        }
      : {}),
    ...newcomerOptions(o),
  };
}

/** --ca-cert FILE: its PEM text; an unreadable or non-PEM file is a one-line usage error. */
function readCaCert(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--ca-cert: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new UsageError(`--ca-cert: ${file} holds no PEM certificate`);
  return text;
}

function capacityOptions(o: Raw): CapacityOptions | undefined {
  const adaptive =
    o.adaptive === undefined
      ? undefined
      : parseLoadKind('--adaptive')(o.adaptive === true ? 'concurrency' : o.adaptive);
  const ranged = o.searchMin !== undefined || o.searchMax !== undefined || o.searchResolution !== undefined;
  if (!o.sweep && !o.numRuns && !o.sloSearch && !adaptive && o.cvThreshold === undefined && !ranged) return undefined;
  const modes = [o.sweep && '--sweep', o.sloSearch && '--slo-search', adaptive && '--adaptive'].filter(Boolean);
  if (modes.length > 1) throw new UsageError(`${modes.join(' and ')} cannot be combined: choose one`);
  if (ranged && !o.sloSearch && !adaptive)
    throw new UsageError('--search-min/--search-max/--search-resolution need --slo-search or --adaptive');
  if ((o.sloSearch || adaptive) && !o.slo?.objectives?.length) {
    throw new UsageError(
      `${o.sloSearch ? '--slo-search' : '--adaptive'} needs SLO objectives, e.g. --slo 'ttft:p99<=500'`,
    );
  }
  if (o.searchMin !== undefined && o.searchMax !== undefined && o.searchMin >= o.searchMax) {
    throw new UsageError(`--search-min ${o.searchMin} must be below --search-max ${o.searchMax}`);
  }
  const kind = o.sloSearch ?? adaptive;
  if (kind === 'concurrency') {
    for (const [flag, v] of [
      ['--search-min', o.searchMin],
      ['--search-max', o.searchMax],
      ['--search-resolution', o.searchResolution],
    ] as const) {
      if (v !== undefined && !Number.isInteger(v))
        throw new UsageError(`${flag} must be a whole number for concurrency (got ${v})`);
    }
  }
  if (adaptive === 'rate') throw new UsageError('--adaptive rate is not supported yet: use --adaptive concurrency');
  const range = { min: o.searchMin, max: o.searchMax };
  return {
    sweep: o.sweep,
    numRuns: o.numRuns ?? 1,
    cvThresholdPct: o.cvThreshold ?? 10,
    search: o.sloSearch ? { kind: o.sloSearch, ...range, resolution: o.searchResolution } : undefined,
    adaptive: adaptive ? { kind: adaptive, ...range } : undefined,
  };
}

/** --shard, --start-at, --processes (src/shard/). */
function shardOptions(o: Raw): Pick<PerfOptions, 'shard' | 'startAt' | 'processes' | 'ipcProgress'> {
  const shard = o.shard !== undefined ? parseShard(o.shard) : undefined;
  if (o.processes !== undefined && o.processes > MAX_SHARDS)
    throw new UsageError(`--processes must be at most ${MAX_SHARDS}`);
  if ((shard || o.processes) && o.mode !== 'perf') throw new UsageError('--shard and --processes need --mode perf');
  if ((shard || o.processes) && (o.sweep || o.numRuns || o.sloSearch || o.adaptive)) {
    throw new UsageError(
      '--shard and --processes split one plan: they cannot be combined with --sweep, --num-runs, --slo-search or --adaptive yet',
    );
  }
  if (shard && o.processes)
    throw new UsageError('--processes runs its own shards: drop --shard (or run one --shard per machine)');
  return {
    shard,
    startAt: o.startAt !== undefined ? parseStartAt(o.startAt) : undefined,
    processes: o.processes,
    ipcProgress: o.ipcProgress,
  };
}
