/**
 * The run folder, AISBench's layout:
 *   <workDir>/YYYYMMDD_HHMMSS/{configs/, logs/performance/, performances/}
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { stringify as toYaml, parse as parseYaml } from 'yaml';
import { RuntimeError, UsageError } from '../core/errors.js';
import type { TaskConfig } from '../config/types.js';
import { redact } from '../core/redact.js';
import { replaceFileSync } from './safe-write.js';
import { RunLayout, TASK_FILE_SUFFIX } from '../core/run-layout.js';

/** Run folder names: a local-time stamp, plus _2, _3 ... when two runs start in the same second. */
export const RUN_NAME = /^(\d{8}_\d{6})(?:_(\d+))?$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** `20251106_103326` in local time. */
export function runTimestamp(d = new Date()): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}_${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent is not a directory',
  ENOSPC: 'no space left on device',
  EEXIST: 'a file of that name exists',
};

function cannotWrite(dir: string, err: unknown): RuntimeError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return new RuntimeError(`cannot write to work dir ${dir}: ${REASONS[code] ?? code ?? 'error'}`, 'E_WORK_DIR');
}

/**
 * Create `<workDir>/<timestamp>` with its sub-folders and return its path.
 * mkdir without `recursive` on the run folder itself, so two processes
 * starting in the same second each get their own folder.
 */
export async function createRunFolder(
  workDir: string,
  now = new Date(),
  subs: string[] = RunLayout.perfSubdirs(),
): Promise<string> {
  try {
    mkdirSync(workDir, { recursive: true });
  } catch (err) {
    throw cannotWrite(workDir, err);
  }
  const base = runTimestamp(now);
  for (let i = 1; ; i++) {
    const dir = path.join(workDir, i === 1 ? base : `${base}_${i}`);
    try {
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && i < 1000) continue;
      throw cannotWrite(workDir, err);
    }
    try {
      for (const sub of subs) {
        mkdirSync(path.join(dir, sub), { recursive: true });
      }
    } catch (err) {
      throw cannotWrite(workDir, err);
    }
    return dir;
  }
}

/**
 * What configs/<timestamp>_config.yaml holds. The options are written as
 * given and read back as the reader asks (accuracy/ reads its PerfOptions):
 * the run folder does not need to know the option vocabulary.
 */
export interface RunConfigFile<C extends object = Record<string, unknown>> {
  /** Command-line options of the run (apiKey redacted). */
  cli: Partial<C>;
  /** Every task with its merged model and dataset config (secrets redacted). */
  tasks: TaskConfig[];
}

/** Write the merged configuration, secrets redacted. Returns the file's path. */
export function writeRunConfig(runDir: string, tasks: TaskConfig[], cli: object): string {
  const file = path.join(runDir, RunLayout.configFile(path.basename(runDir)));
  // JSON round trip drops undefined fields, which YAML would print as null.
  const body: RunConfigFile = redact(JSON.parse(JSON.stringify({ cli, tasks })) as RunConfigFile);
  const header = '# Merged configuration of this run. Secrets (api keys, auth headers) are redacted.\n';
  replaceFileSync(file, header + toYaml(body, { lineWidth: 0 }));
  return file;
}

/** Read back a run's merged configuration (for perf_viz). */
export function readRunConfig<C extends object = Record<string, unknown>>(runDir: string): RunConfigFile<C> {
  const dir = path.join(runDir, RunLayout.configs);
  const f = existsSync(dir) ? readdirSync(dir).find((n) => /_config\.(ya?ml|json)$/.test(n)) : undefined;
  if (!f) throw new UsageError(`run ${runDir} has no ${RunLayout.configFile('*')}`);
  const file = path.join(dir, f);
  try {
    return parseYaml(readFileSync(file, 'utf8')) as RunConfigFile<C>;
  } catch (err) {
    throw new UsageError(`config ${file}: ${(err as Error).message.split('\n')[0]}`, 'E_CONFIG');
  }
}

/** Run folder names under workDir, oldest first. */
export function listRuns(workDir: string): string[] {
  if (!existsSync(workDir) || !statSync(workDir).isDirectory()) return [];
  const key = (n: string) => {
    const [, stamp = '', index] = RUN_NAME.exec(n) ?? [];
    return [stamp, Number(index ?? 1)] as const;
  };
  return readdirSync(workDir)
    .filter((n) => RUN_NAME.test(n) && statSync(path.join(workDir, n)).isDirectory())
    .sort((a, b) => {
      const [ta, ia] = key(a);
      const [tb, ib] = key(b);
      return ta < tb ? -1 : ta > tb ? 1 : ia - ib;
    });
}

/** True when some task of the run wrote a details file (a run that failed before sending has none). */
export function hasDetails(runDir: string): boolean {
  const perf = path.join(runDir, RunLayout.performances);
  try {
    return readdirSync(perf).some((abbr) => {
      try {
        return readdirSync(path.join(perf, abbr)).some((f) => f.endsWith(TASK_FILE_SUFFIX.details));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * The run folder for --reuse: that timestamp, or the newest run when `true`,
 * passing over runs that failed before sending anything (each named through
 * `note`, with where its log is).
 */
export function findRun(workDir: string, reuse: string | true, note?: (msg: string) => void): string {
  const runs = listRuns(workDir);
  if (reuse === true) {
    if (runs.length === 0) throw new UsageError(`no runs in ${workDir} to reuse`, 'E_REUSE');
    for (let i = runs.length - 1; i >= 0; i--) {
      const dir = path.join(workDir, runs[i]!);
      if (!hasDetails(dir)) continue;
      for (const skipped of runs.slice(i + 1)) {
        note?.(`skipping run ${skipped}: it sent no request (see ${path.join(workDir, skipped, RunLayout.logDir())})`);
      }
      return dir;
    }
    // None has details: the newest, whose own error then says so.
    return path.join(workDir, runs.at(-1)!);
  }
  // A run folder not named by a timestamp (`merge` writes `merged/`, #20) is reusable by its name too.
  if (!runs.includes(reuse) && !existsSync(path.join(workDir, reuse, RunLayout.performances))) {
    throw new UsageError(`no run ${reuse} in ${workDir}`, 'E_REUSE');
  }
  return path.join(workDir, reuse);
}
