/**
 * The flags a newcomer sets first (issue 18), kept in one module so the
 * shared parser only registers and forwards them: --model, --input-len /
 * --output-len / --prefix-len, --ignore-eos, --header, --temperature, and
 * EvalScope's spellings (--parallel, --number, --api openai) so its users can
 * switch with the same command line.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command as Commander } from 'commander';
import { UsageError } from '../core/errors.js';
import { positiveInt } from '../core/values.js';
import type { LenRange, PerfOptions } from '../config/options.js';
import { RunLayout } from '../core/run-layout.js';

/** Model task used by `--api openai` when --models is not given (EvalScope's default API). */
export const API_MODEL: Record<string, string> = { openai: 'vllm_api_stream_chat' };
/** Dataset used by `--api` when --datasets is not given. */
export const API_DATASET = 'synthetic_gen';

/** `128` → {min:128,max:128}; `64:256` → uniform 64..256 (tokens). */
export const lengthRange =
  (flag: string) =>
  (s: string): LenRange => {
    const m = /^\s*(\d+)\s*(?::\s*(\d+)\s*)?$/.exec(s);
    const min = m ? Number(m[1]) : NaN;
    const max = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || min < 1 || max < min || max > 1 << 20) {
      throw new UsageError(
        `${flag} must be N or MIN:MAX tokens with 1 ≤ MIN ≤ MAX ≤ 1048576 (got ${JSON.stringify(s)})`,
      );
    }
    return { min, max };
  };

/** `K:V` (also `K: V`) → [K, V]; repeated flags add up. */
export function headerPair(s: string, prev: Record<string, string> | undefined): Record<string, string> {
  const i = s.indexOf(':');
  const k = i > 0 ? s.slice(0, i).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k))
    throw new UsageError(`--header must be NAME:VALUE with a valid header name (got ${JSON.stringify(s)})`);
  return { ...(prev ?? {}), [k]: s.slice(i + 1).trim() };
}

function temperature(s: string): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || v < 0)
    throw new UsageError(`--temperature must be a number ≥ 0 (got ${JSON.stringify(s)})`);
  return v;
}

export function addNewcomerOptions(p: Commander): void {
  p.option(
    '--model <name>',
    "served model name for every model task (default: the task's 'model', else the first of /v1/models)",
  )
    .option(
      '--input-len <n|min:max>',
      'synthetic_gen input length, tokens: fixed N or uniform MIN:MAX',
      lengthRange('--input-len'),
    )
    .option(
      '--output-len <n|min:max>',
      'synthetic_gen output length, tokens: fixed N or uniform MIN:MAX',
      lengthRange('--output-len'),
    )
    .option(
      '--prefix-len <n>',
      'synthetic_gen: tokens shared by every prompt (needs a fixed --input-len)',
      positiveInt('--prefix-len'),
    )
    .option('--ignore-eos', 'send ignore_eos: true, exact output lengths (default: on in the built-in model tasks)')
    .option('--no-ignore-eos', 'do not send ignore_eos (for servers that reject unknown fields)')
    .option('--temperature <t>', 'sampling temperature (default 0.01 in the built-in model tasks)', temperature)
    .option('--header <name:value>', 'extra HTTP header for every request (repeatable)', headerPair)
    .addOption(
      new Option('--parallel <n>', 'EvalScope spelling of --max-concurrency').argParser(positiveInt('--parallel')),
    )
    .addOption(new Option('--number <n>', 'EvalScope spelling of --num-prompts').argParser(positiveInt('--number')))
    .addOption(
      new Option(
        '--api <name>',
        `EvalScope: the API kind; 'openai' = --models ${API_MODEL.openai} (and --datasets ${API_DATASET} unless given)`,
      ),
    );
}

export interface NewcomerRaw {
  model?: string;
  inputLen?: LenRange;
  outputLen?: LenRange;
  prefixLen?: number;
  ignoreEos?: boolean;
  temperature?: number;
  header?: Record<string, string>;
  parallel?: number;
  number?: number;
  api?: string;
  models?: string[];
  datasets?: string[];
  maxConcurrency?: number;
  numPrompts?: number;
}

/**
 * Folds the aliases into the canonical fields (in place, before validation):
 * --parallel → --max-concurrency, --number → --num-prompts, --api → task names.
 * Giving both spellings with different values is an error.
 */
export function foldAliases(o: NewcomerRaw, ignoreEosSource: string | undefined): void {
  const same = (a: string, b: string, x: number | undefined, y: number | undefined): number | undefined => {
    if (x !== undefined && y !== undefined && x !== y)
      throw new UsageError(`${a} ${x} and ${b} ${y} say different things: give one`);
    return x ?? y;
  };
  o.maxConcurrency = same('--max-concurrency', '--parallel', o.maxConcurrency, o.parallel);
  o.numPrompts = same('--num-prompts', '--number', o.numPrompts, o.number);
  if (o.api !== undefined) {
    const model = API_MODEL[o.api];
    if (!model)
      throw new UsageError(
        `--api must be ${Object.keys(API_MODEL).join(', ')} (got ${JSON.stringify(o.api)}); other servers: --models, see --search`,
      );
    if (!o.models?.length) o.models = [model];
    if (!o.datasets?.length) o.datasets = [API_DATASET];
  }
  // Commander gives --no-ignore-eos a default of true: only a flag on the command line counts.
  if (ignoreEosSource !== 'cli') delete o.ignoreEos;
}

export function newcomerOptions(
  o: NewcomerRaw,
): Pick<PerfOptions, 'model' | 'inputLen' | 'outputLen' | 'prefixLen' | 'ignoreEos' | 'temperature' | 'headers'> {
  if (o.prefixLen !== undefined) {
    if (!o.inputLen || o.inputLen.min !== o.inputLen.max)
      throw new UsageError('--prefix-len needs a fixed --input-len N (the whole prompt, prefix included)');
    if (o.prefixLen > o.inputLen.min)
      throw new UsageError(`--prefix-len ${o.prefixLen} must be at most --input-len ${o.inputLen.min}`);
  }
  if (o.model !== undefined && !o.model.trim()) throw new UsageError('--model needs a name');
  return {
    model: o.model,
    inputLen: o.inputLen,
    outputLen: o.outputLen,
    prefixLen: o.prefixLen,
    ignoreEos: o.ignoreEos,
    temperature: o.temperature,
    headers: o.header,
  };
}

/** Shown after the options in --help: where the defaults of a run come from. */
export const DEFAULTS_HELP = `
Defaults of the built-in model tasks (src/config/builtin/models/*.yaml; --search shows the file):
  URL http://127.0.0.1:8080 (host_ip, host_port; --url)   concurrency 1 (batch_size; --max-concurrency)
  request rate 0 = all at once (request_rate; --request-rate)   retries 2 (retry; --retry)
  max output 512 tokens (max_out_len; --max-out-len)   temperature 0.01 (--temperature)
  ignore_eos true (--no-ignore-eos)   model: first of /v1/models (model; --model)
synthetic_gen: 1000 requests (--num-prompts), input 50-500, output 20-200 tokens (--input-len, --output-len)
`;

const VIEW_HELP = `Usage: aisbench-tui view [TIMESTAMP|DIR] [-w WORK_DIR] [--stats LIST] [--theme NAME]

Opens the results view of a saved run without rewriting any file. TIMESTAMP is a
run folder name under WORK_DIR (default outputs/default); DIR is a run folder's
path. Without either, a list of the runs in WORK_DIR (newest first) to pick from
(on a terminal; otherwise the newest).
`;

/** `view` arguments → the perf_viz command line they stand for. */
export function viewArgs(argv: string[]): { argv: string[]; pick: boolean; help?: string } {
  if (argv.includes('-h') || argv.includes('--help')) return { argv, pick: false, help: VIEW_HELP };
  const [first, ...rest] = argv;
  const base = ['--mode', 'perf_viz'];
  if (first === undefined || first.startsWith('-')) return { argv: [...base, '--reuse', ...argv], pick: true };
  // A path to a run folder (has performances/), else a timestamp under --work-dir.
  const dir = path.resolve(first);
  if (existsSync(path.join(dir, RunLayout.performances)) && statSync(dir).isDirectory()) {
    if (rest.includes('-w') || rest.includes('--work-dir'))
      throw new UsageError('view DIR names the run folder itself: drop -w/--work-dir');
    return { argv: [...base, '--reuse', path.basename(dir), '-w', path.dirname(dir), ...rest], pick: false };
  }
  if (first.includes('/') || first.includes(path.sep))
    throw new UsageError(`view: ${first} is not a run folder (no performances/ inside)`);
  return { argv: [...base, '--reuse', first, ...rest], pick: false };
}
