/**
 * Task names → config files. Built-in tasks live in src/config/builtin/ (shipped in
 * the package); --config-dir adds or replaces tasks by file name. Files are
 * parsed only when a task is used, so one broken file in a config folder
 * does not block the others.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../core/errors.js';
import type { PerfOptions } from './options.js';
import { validateDatasetTask, validateModelTask } from './schema.js';
import type { DatasetTask, ModelTask, TaskConfig } from './types.js';
import { applyDatasetOverrides, applyModelOverrides, demoModelTasks } from './overrides.js';
import { taskKey } from '../core/task.js';

export type TaskKind = 'models' | 'datasets';
const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Task name → absolute config file path, per kind. */
export interface Registry {
  models: Map<string, string>;
  datasets: Map<string, string>;
}

/**
 * The folder holding the built-in models/, datasets/ and data/ (YAML and data
 * files beside the code that reads them). From src/config (tests) it is
 * ./builtin; from dist/config (the package) it is ../../src/config/builtin.
 */
export function builtinConfigDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const packaged = path.resolve(here, '../../src/config/builtin');
  return [path.resolve(here, 'builtin'), packaged].find((d) => existsSync(path.join(d, 'models'))) ?? packaged;
}

function indexDir(dir: string, into: Map<string, string>): void {
  if (!existsSync(dir)) return;
  // Sorted so .json/.yaml/.yml clashes resolve the same way on every machine.
  for (const f of readdirSync(dir).sort()) {
    const ext = path.extname(f);
    if (!EXTENSIONS.includes(ext)) continue;
    into.set(path.basename(f, ext), path.resolve(dir, f));
  }
}

/** Index built-in tasks, then those of `configDir` (which win on equal names). */
export function loadRegistry(configDir?: string): Registry {
  const reg: Registry = { models: new Map(), datasets: new Map() };
  const dirs = [builtinConfigDir()];
  if (configDir !== undefined) {
    if (!existsSync(configDir) || !statSync(configDir).isDirectory()) {
      throw new UsageError(`--config-dir ${configDir}: no such directory`);
    }
    dirs.push(configDir);
  }
  for (const d of dirs) {
    indexDir(path.join(d, 'models'), reg.models);
    indexDir(path.join(d, 'datasets'), reg.datasets);
  }
  return reg;
}

/** Parse a YAML or JSON file; a syntax error is a one-line UsageError naming file and line. */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`config ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'E_CONFIG');
  }
  if (text.trim() === '') throw new UsageError(`config ${file}: empty file`, 'E_CONFIG');
  try {
    // JSON is valid YAML, but JSON.parse gives the clearer message for .json files.
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const e = err as Error & { linePos?: Array<{ line: number }> };
    const line = e.linePos?.[0]?.line;
    const first = (e.message.split('\n', 1)[0] ?? '').replace(/ at line \d+.*$/, '').replace(/:$/, '');
    throw new UsageError(`config ${file}:${line ? ` line ${line}:` : ''} ${first}`, 'E_CONFIG');
  }
}

function lookup(reg: Registry, kind: TaskKind, name: string): string {
  const file = reg[kind].get(name);
  if (file) return file;
  const known = [...reg[kind].keys()].sort().join(', ');
  throw new UsageError(`unknown ${kind === 'models' ? 'model' : 'dataset'} task '${name}' (known: ${known})`);
}

/** Model task abbr → the config file it came from (for messages that name a field). */
const modelFiles = new Map<string, string>();
export const configFileOf = (abbr: string): string | undefined => modelFiles.get(abbr);

export function loadModelTask(reg: Registry, name: string): ModelTask {
  const file = lookup(reg, 'models', name);
  const task = validateModelTask(readConfigFile(file), file, name);
  modelFiles.set(task.abbr, file);
  return task;
}

export function loadDatasetTask(reg: Registry, name: string): DatasetTask {
  const file = lookup(reg, 'datasets', name);
  return validateDatasetTask(readConfigFile(file), file, name);
}

/** One row of the --search table. */
export interface SearchRow {
  type: '--models' | '--datasets';
  name: string;
  /** Absolute path of the config file. */
  file: string;
}

/**
 * The config files behind the requested task names (unknown names are an
 * error); every known task when no names are given.
 */
export function searchRows(opts: Pick<PerfOptions, 'models' | 'datasets' | 'configDir'>): SearchRow[] {
  const reg = loadRegistry(opts.configDir);
  if (opts.models.length === 0 && opts.datasets.length === 0) {
    const all = (kind: TaskKind) => [...reg[kind].entries()].sort(([a], [b]) => a.localeCompare(b));
    return [
      ...all('models').map(([name, file]) => ({ type: '--models' as const, name, file })),
      ...all('datasets').map(([name, file]) => ({ type: '--datasets' as const, name, file })),
    ];
  }
  return [
    ...opts.models.map((name) => ({ type: '--models' as const, name, file: lookup(reg, 'models', name) })),
    ...opts.datasets.map((name) => ({ type: '--datasets' as const, name, file: lookup(reg, 'datasets', name) })),
  ];
}

/**
 * Every model task × every dataset task, with the command-line overrides
 * applied. Keys are `abbr/datasetAbbr`, in --models then --datasets order.
 */
export async function resolveTasks(opts: PerfOptions): Promise<TaskConfig[]> {
  const reg = loadRegistry(opts.configDir);
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  let models = uniq(opts.models).map((n) => loadModelTask(reg, n));
  const datasets = uniq(opts.datasets).map((n) => applyDatasetOverrides(loadDatasetTask(reg, n), n, opts));
  if (opts.demo && opts.demoTasks !== undefined) models = models.flatMap((m) => demoModelTasks(m, opts.demoTasks!));
  models = models.map((m) => applyModelOverrides(m, opts));

  const tasks: TaskConfig[] = [];
  const seen = new Set<string>();
  for (const model of models) {
    for (const dataset of datasets) {
      const key = taskKey(model.abbr, dataset.abbr);
      if (seen.has(key)) throw new UsageError(`two tasks share the name '${key}': give them different abbr`);
      seen.add(key);
      tasks.push({ key, model, dataset });
    }
  }
  return tasks;
}
