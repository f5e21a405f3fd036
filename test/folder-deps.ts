/**
 * The folder-dependency check (issue 19): which top-level folder of src/ may
 * import which. Imports are read with the TypeScript compiler's own scanner
 * (ts.preProcessFile: static, dynamic and `import type`, re-exports too), so a
 * file need not compile for its imports to be seen. A computed import string
 * (`await import(name)`) is invisible to any such check; don't write one.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Folders in data-flow order, lowest first: a folder may import only folders
 * before it. `core` imports no folder and no npm package (node: builtins only).
 * A folder missing here is held only to the no-cycle rule; add it where it belongs.
 */
export const LAYERS = [
  'core', // shared vocabulary: errors, specs, PRNG, percentile, run-folder layout
  'config', // model/dataset task configs (built-in task YAML in config/builtin/ is data, not code)
  'engine', // worker threads + undici: sends requests, stamps times, emits records
  'datasets', // builds the engine's units from files and generators
  'metrics', // pure maths over records
  'servermetrics', // the server's own /metrics, scraped during a run
  'sim', // the embedded simulator (a real HTTP server)
  'output', // run folder files: CSV, JSON, details, logs
  'report', // self-contained HTML reports
  'scoring', // accuracy scoring: judge answers, metrics, predictions/results/summary files
  'capacity', // sweeps, SLO search, compare: plans, points, curves, summaries (cli drives them through run/)
  'ui', // Ink board and results view
  'run', // tasks -> plans -> runs -> results; the process lifecycle
  'accuracy', // accuracy modes: infer runs, then scoring/ (the driver)
  'shard', // one run split over processes or pods, and merged back
  'cli', // command line parsing and entry point
] as const;

/** One import between two top-level folders of src/, as `src/a/x.ts -> src/b/y.ts`. */
export interface Edge {
  from: string;
  to: string;
  fromFolder: string;
  toFolder: string;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** `./x.js` written in `dir` → the source file it names (x.ts, x.tsx, x/index.ts), relative to srcRoot. */
function resolveSource(srcRoot: string, fromFile: string, spec: string): string {
  const abs = path.resolve(srcRoot, path.dirname(fromFile), spec);
  const base = abs.replace(/\.(js|jsx|mjs)$/, '');
  for (const cand of [abs, `${base}.ts`, `${base}.tsx`, path.join(abs, 'index.ts')]) {
    if (existsSync(cand) && cand.match(/\.(ts|tsx|json)$/))
      return path.relative(srcRoot, cand).split(path.sep).join('/');
  }
  return path.relative(srcRoot, abs).split(path.sep).join('/');
}

/** Every import between different top-level folders of `srcRoot`, plus the npm packages core/ imports. */
export function folderEdges(srcRoot: string): { edges: Edge[]; corePackages: string[] } {
  const edges: Edge[] = [];
  const corePackages: string[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const fromFolder = file.split('/')[0]!;
    if (!file.includes('/')) continue; // src/*.ts at the top belongs to no folder
    const info = ts.preProcessFile(readFileSync(path.join(srcRoot, file), 'utf8'), true, true);
    for (const imp of info.importedFiles) {
      const spec = imp.fileName;
      if (!spec.startsWith('.')) {
        if (fromFolder === 'core' && !spec.startsWith('node:')) corePackages.push(`src/${file} -> ${spec}`);
        continue;
      }
      const target = resolveSource(srcRoot, file, spec);
      const toFolder = target.split('/')[0]!;
      if (toFolder === fromFolder || target.startsWith('..') || !target.includes('/')) continue;
      edges.push({ from: `src/${file}`, to: `src/${target}`, fromFolder, toFolder });
    }
  }
  return { edges, corePackages };
}

export const edgeName = (e: Edge): string => `${e.from} -> ${e.to}`;

/** Folder cycles (strongly connected components of more than one folder) in the given edges. */
export function folderCycles(edges: Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.fromFolder)) next.set(e.fromFolder, new Set());
    next.get(e.fromFolder)!.add(e.toFolder);
  }
  // Tarjan's algorithm; a handful of folders, so recursion depth is no concern.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

export interface Verdict {
  /** Imports against LAYERS along a folder pair the allowlist does not name, as `src/a/x.ts -> src/b/y.ts`. */
  forbidden: string[];
  /** Folder cycles left after removing the allowlisted folder pairs. */
  cycles: string[][];
  /** Allowlisted pairs that no longer have a forbidden import: delete them (the list only shrinks). */
  stale: string[];
  /** npm packages imported by core/. */
  corePackages: string[];
}

const pairName = (e: Edge): string => `${e.fromFolder} -> ${e.toFolder}`;

/**
 * Checks `srcRoot` against `layers`. `allowed` names today's known violations
 * as folder pairs (`engine -> output`): per pair rather than per file, so that
 * seven people adding files in parallel do not each break the check; a new
 * pair, a cycle through a new pair, or core/ importing a package fails it.
 */
export function checkFolders(srcRoot: string, layers: readonly string[], allowed: readonly string[]): Verdict {
  const { edges, corePackages } = folderEdges(srcRoot);
  const allow = new Set(allowed);
  const rank = (f: string): number => layers.indexOf(f);
  const against = edges.filter((e) => {
    const a = rank(e.fromFolder);
    const b = rank(e.toFolder);
    return a >= 0 && b >= 0 && b >= a;
  });
  const forbidden = [...new Set(against.filter((e) => !allow.has(pairName(e))).map(edgeName))].sort();
  const cycles = folderCycles(edges.filter((e) => !allow.has(pairName(e))));
  const used = new Set(against.map(pairName));
  const stale = allowed.filter((a) => !used.has(a));
  return { forbidden, cycles, stale, corePackages };
}

/**
 * Each folder's public entry points: the files of `src/<folder>/` that other
 * folders may import (paths inside the folder). Any other file is the folder's
 * internals, for its own files only. `core` is public as a whole (the shared
 * vocabulary). Add an entry when an import from another folder legitimately
 * needs a file that is not listed (first ask whether an entry point already
 * has what you need, or whether the thing should move there); delete an entry
 * when no other folder imports the file any more. The test fails both ways.
 * No barrel index.ts that re-exports a whole folder: a perf start loads only
 * the modules it needs, and a barrel would load them all.
 */
export const PUBLIC: Readonly<Record<string, 'all' | readonly string[]>> = {
  core: 'all',
  config: [
    'options.ts', // PerfOptions: what a task config plus the command line resolve to
    'types.ts', // ModelConfig, DatasetConfig, ApiKind: the resolved task
    'registry.ts', // resolveTasks: built-in and --config-dir tasks
    'overrides.ts', // command-line overrides applied to a task
    'schema.ts', // the task YAML schema (zod), its enums for flag help
  ],
  engine: [
    'types.ts', // RequestRecord, RequestSpec, RunSnapshot: the engine's vocabulary
    'task-runner.ts', // TaskRunner: runs one task's workers
    'run-store.ts', // RunStore: the frozen snapshot per tick
    'arrival.ts', // arrival schedules (rate, ramp, burstiness)
    'protocols.ts', // request body and path per ApiKind
    'tokenizer.ts', // Tokenizer and loadTokenizer
    'tls.ts', // undici TLS options from --ca-cert
    'clock.ts', // the monotonic clock every timestamp uses
    'sse.ts', // SSE event kinds (EV_*) that records carry
    'gap-varint.ts', // the details file's gap coding (written here, read by output/ and metrics/)
    'details-codec.ts', // the details line codec (written here, read by output/ and shard/)
    'echo-line.ts', // the accuracy details line (read back by scoring/)
    'dist-file.ts', // the compiled .js of a worker-thread entry
    'live-digest.ts', // the one t-digest factory (the shard parent merges live digests)
  ],
  datasets: [
    'index.ts', // loadDataset
    'accuracy/kind.ts', // which accuracy kind a dataset is
    'accuracy/samples.ts', // each row's question and reference answer
    'accuracy/prompts.ts', // an accuracy sample's prompt
    'accuracy/gsm8k-number.ts', // GSM8K number reading (scoring/)
  ],
  metrics: [
    'types.ts', // TaskResult, Stat: what a finished task is
    'common.ts', // Common Metric rows
    'accumulator.ts', // per-task accumulation of records
    'stats.ts', // stats and percentiles
    'dialects.ts', // metric dialects (aisbench, vllm, ...)
    'differences.ts', // differences between dialects
    'evalscope-summary.ts', // evalscope-style summary tables
    'slo-rows.ts', // SLO goodput rows
    'non-stream.ts', // non-streaming metric rows
    'token-audit.ts', // token count audit
    'stable.ts', // the steady-state window
    'inflight.ts', // the one in-flight sweep
  ],
  servermetrics: [
    'task-server.ts', // one task's /metrics scrape
  ],
  sim: [
    'index.ts', // startSim and its options
  ],
  output: [
    'run-folder.ts', // the run folder: create, config, resume
    'results-files.ts', // CSV and JSON results
    'task-log.ts', // a task's log file
    'tables.ts', // plain-text tables
    'safe-write.ts', // writes that report a full disk in one line
    'run-list.ts', // earlier runs in an output folder
    'details-reader.ts', // reading details files
    'details-recompute.ts', // results from details files (perf_viz, merge)
    'details-requests.ts', // per-request rows from details files
    'details-differences.ts', // dialect differences from details files
  ],
  report: [
    'index.ts', // writeReports: the HTML reports of a task
    'escape.ts', // escapeHtml
  ],
  scoring: [
    'view.ts', // AccuracyView: what the results view and the printer show
    'eval.ts', // a task's accuracy results
    'summary.ts', // the summary tables and files
    'predictions.ts', // the predictions file
  ],
  capacity: [
    'campaign.ts', // a capacity campaign: sweep, SLO search
    'compare.ts', // the compare command's data
    'sweep.ts', // parsing a sweep
    'curves.ts', // curves over the points
    'summary.ts', // the campaign summary
  ],
  ui: [
    'run-app.tsx', // the live board app
    'accuracy/run-accuracy-app.tsx', // the accuracy results app
    'compare/run-compare.tsx', // the compare screen
    'RunPicker.tsx', // choosing a run (perf_viz)
    'theme.ts', // themes
    'prefs.ts', // the preferences store (conf)
    'color-env.ts', // NO_COLOR / FORCE_COLOR
    'board/format.ts', // board number formats (plain printer)
    'results/format.ts', // results number formats
    'results/tables-for.ts', // the tables of a result
    'results/export-screen.ts', // SVG/HTML screen exports
  ],
  run: [
    'controller.ts', // RunController: signals, teardown, exit codes
    'presenter.ts', // the Presenter (TUI or plain)
    'perf.ts', // runPerf
    'prepare.ts', // tasks to plans
    'plain.ts', // the plain printer
    'tui.ts', // the TUI presenter
    'ipc-presenter.ts', // progress over IPC (--processes)
    'live-state.ts', // live state from IPC progress
    'dry-run.ts', // --dry-run
    'viz.ts', // perf_viz
    'export.ts', // --export
    'sim-host.ts', // the simulator in a thread
    'shard-manifest.ts', // a shard's manifest
    'shard-plan.ts', // splitting a run into shards
  ],
  accuracy: [
    'run.ts', // the accuracy modes
  ],
  shard: [
    'command.ts', // k8s and shard tools
    'merge-command.ts', // merging shards
    'processes.ts', // --processes
  ],
  cli: [],
};

/** Imports of a non-public file from another folder, and PUBLIC entries no other folder imports. */
export interface PublicVerdict {
  /** `src/a/x.ts -> src/b/y.ts (declare 'y.ts' under b in PUBLIC, test/folder-deps.ts)` */
  internal: string[];
  /** `b: y.ts` — no file outside b/ imports it (or it is gone): delete it from PUBLIC. */
  stale: string[];
}

/** Checks that `srcRoot`'s imports between folders reach only the entry points in `pub`. */
export function checkPublic(srcRoot: string, pub: Readonly<Record<string, 'all' | readonly string[]>>): PublicVerdict {
  const { edges } = folderEdges(srcRoot);
  const inside = (e: Edge): string => e.to.slice(`src/${e.toFolder}/`.length);
  const isPublic = (e: Edge): boolean => {
    const list = pub[e.toFolder];
    return list === 'all' || (list ?? []).includes(inside(e));
  };
  const internal = [
    ...new Set(
      edges
        .filter((e) => !isPublic(e))
        .map(
          (e) =>
            `${edgeName(e)} (not an entry point of ${e.toFolder}/: import one, or declare '${inside(e)}' under ${e.toFolder} in PUBLIC, test/folder-deps.ts)`,
        ),
    ),
  ].sort();
  const used = new Set(edges.map((e) => `${e.toFolder}: ${inside(e)}`));
  const stale = Object.entries(pub)
    .flatMap(([folder, list]) => (list === 'all' ? [] : list.map((f) => `${folder}: ${f}`)))
    .filter((name) => !used.has(name));
  return { internal, stale };
}
