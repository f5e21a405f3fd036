/** File reading shared by the file-backed loaders; every failure is a one-line UsageError. */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import type { ChatMessage, RequestSpec } from '../engine/types.js';
import type { LoadOptions } from './types.js';

/** Reads a dataset file as UTF-8 (BOM stripped). `label` e.g. 'custom dataset'. */
export async function readDatasetFile(path: string, label: string): Promise<string> {
  if (!path) throw new UsageError(`${label} needs a file: give --dataset-path`, 'E_DATASET');
  try {
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`;
    throw new UsageError(`${label} ${path}: file ${why}`, 'E_DATASET');
  }
}

/** One parsed JSONL record and its 1-based line number. */
export interface Line<T = unknown> {
  line: number;
  value: T;
}

/** Parses JSON Lines, skipping blank lines; a bad line names its number. Stops after `limit` records. */
export function parseJsonLines(text: string, where: string, limit = Infinity): Line[] {
  const out: Line[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < limit; i++) {
    const s = lines[i]!.trim();
    if (s === '') continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(s) });
    } catch {
      throw new UsageError(`${where}: line ${i + 1}: invalid JSON`, 'E_DATASET');
    }
  }
  return out;
}

/** A fail-fast error about one entry: `<where>: line N: <msg>`. */
export function entryError(where: string, line: number, msg: string): UsageError {
  return new UsageError(`${where}: line ${line}: ${msg}`, 'E_DATASET');
}

/** The N of --num-prompts, checked (undefined = all). */
export function promptLimit(opts: LoadOptions): number {
  const n = opts.numPrompts;
  if (n === undefined) return Infinity;
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--num-prompts must be a whole number > 0, got ${n}`);
  return n;
}

export function emptyError(where: string): UsageError {
  return new UsageError(`dataset ${where} is empty`, 'E_DATASET');
}

/** A positive whole number of tokens, or undefined when absent. */
export function optTokens(v: unknown, where: string, line: number, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw entryError(where, line, `${field} must be a whole number > 0, got ${JSON.stringify(v)}`);
  }
  return n;
}

/**
 * A single-turn request for `api`: chat kinds get messages, completions a
 * prompt string. `inputTokens` comes from the tokenizer when there is one.
 */
export function makeSpec(
  id: number,
  content: string | ChatMessage[],
  maxOutLen: number,
  opts: LoadOptions,
  inputTokens?: number,
): RequestSpec {
  const spec: RequestSpec = { id, turn: 0, maxOutLen };
  if (opts.api === 'completions') {
    spec.prompt = typeof content === 'string' ? content : content.map((m) => m.content).join('\n\n');
  } else {
    spec.messages = typeof content === 'string' ? [{ role: 'user', content }] : content;
  }
  const counted = inputTokens ?? countInput(spec, opts);
  if (counted !== undefined) spec.inputTokens = counted;
  return spec;
}

/** Tokens of a spec's text by the tokenizer (sum over messages), or undefined without one. */
export function countInput(spec: RequestSpec, opts: LoadOptions): number | undefined {
  const tk = opts.tokenizer;
  if (!tk) return undefined;
  if (spec.prompt !== undefined) return tk.count(spec.prompt);
  return (spec.messages ?? []).reduce((n, m) => n + tk.count(m.content), 0);
}
