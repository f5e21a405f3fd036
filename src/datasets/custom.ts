/**
 * custom: the user's own prompts, one per entry, from JSONL
 * (`{"prompt": "...", "max_out_len"?: n}` per line) or CSV (a header with a
 * `prompt` column and an optional `max_out_len` column), chosen by the file
 * extension (`.csv` = CSV, anything else = JSONL).
 */
import { parse } from 'csv-parse/sync';
import type { RequestSpec } from '../engine/types.js';
import { emptyError, entryError, makeSpec, optTokens, parseJsonLines, promptLimit, readDatasetFile } from './read.js';
import type { LoadOptions } from './types.js';

interface Entry {
  line: number;
  prompt: unknown;
  maxOutLen: unknown;
}

export async function loadCustom(path: string, opts: LoadOptions): Promise<RequestSpec[]> {
  const where = `custom dataset ${path}`;
  const limit = promptLimit(opts);
  const text = await readDatasetFile(path, 'custom dataset');
  const entries = path.toLowerCase().endsWith('.csv')
    ? csvEntries(text, where, limit)
    : jsonlEntries(text, where, limit);
  if (entries.length === 0) throw emptyError(path);
  return entries.map((e, i) => {
    if (typeof e.prompt !== 'string' || e.prompt.trim() === '') {
      throw entryError(where, e.line, '"prompt" must be a non-empty string');
    }
    const max = optTokens(e.maxOutLen, where, e.line, 'max_out_len') ?? opts.maxOutLen;
    return makeSpec(i, e.prompt, max, opts);
  });
}

function jsonlEntries(text: string, where: string, limit: number): Entry[] {
  return parseJsonLines(text, where, limit).map(({ line, value }) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw entryError(where, line, 'expected an object like {"prompt": "..."}');
    }
    const v = value as Record<string, unknown>;
    return { line, prompt: v.prompt, maxOutLen: v.max_out_len };
  });
}

function csvEntries(text: string, where: string, limit: number): Entry[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      info: true,
      to: limit === Infinity ? undefined : limit,
    }) as unknown as typeof rows;
  } catch (e) {
    const err = e as Error & { lines?: number };
    const msg = (err.message.split('\n', 1)[0] ?? '').replace(/^Invalid [^:]*:\s*/, '');
    throw entryError(where, err.lines ?? 0, `invalid CSV: ${msg}`);
  }
  if (rows[0] && !('prompt' in rows[0].record)) {
    throw entryError(where, 1, 'the header needs a "prompt" column (and optionally "max_out_len")');
  }
  return rows.map(({ record, info }) => ({ line: info.lines, prompt: record.prompt, maxOutLen: record.max_out_len }));
}
