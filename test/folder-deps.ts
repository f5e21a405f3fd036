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
    if (existsSync(cand) && cand.match(/\.(ts|tsx|json)$/)) return path.relative(srcRoot, cand).split(path.sep).join('/');
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
