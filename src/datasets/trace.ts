/**
 * trace: Mooncake-style JSONL, one request per line:
 * `{"timestamp": ms, "input_length": n, "output_length": m, "hash_ids"?: [..]}`.
 * Each hash id names a block of BLOCK_TOKENS tokens whose text is derived
 * from the id (and the seed) alone, so requests that share hash ids share
 * prompt prefixes exactly, as in the original trace; tokens beyond the blocks
 * are request-specific filler. Timestamps become ms relative to the first.
 */
import type { RequestSpec } from '../engine/types.js';
import { exactPrompt, singleTokenWords } from './exact-prompt.js';
import { emptyError, entryError, makeSpec, optTokens, parseJsonLines, promptLimit, readDatasetFile } from './read.js';
import { hash32, mulberry32 } from '../core/random.js';
import type { LoadOptions } from './types.js';
import { WORDS } from './words.js';

/** Tokens per hash block, as in the Mooncake traces. */
export const BLOCK_TOKENS = 512;

export async function loadTrace(
  path: string,
  seed: number,
  opts: LoadOptions,
): Promise<{ requests: RequestSpec[]; timestamps: number[] }> {
  const where = `trace dataset ${path}`;
  const lines = parseJsonLines(await readDatasetFile(path, 'trace dataset'), where, promptLimit(opts));
  if (lines.length === 0) throw emptyError(path);
  const tk = opts.tokenizer;
  const pool = tk ? singleTokenWords(tk) : WORDS;
  const requests: RequestSpec[] = [];
  const stamps: number[] = [];
  let prev = -Infinity;
  for (const [i, { line, value }] of lines.entries()) {
    const v = (value ?? {}) as Record<string, unknown>;
    const ts = v.timestamp;
    if (typeof ts !== 'number' || !Number.isFinite(ts))
      throw entryError(where, line, '"timestamp" (ms) must be a number');
    if (ts < prev) throw entryError(where, line, `timestamps must not decrease (${ts} ms after ${prev} ms)`);
    prev = ts;
    const inLen = optTokens(v.input_length, where, line, 'input_length');
    const outLen = optTokens(v.output_length, where, line, 'output_length');
    if (inLen === undefined || outLen === undefined)
      throw entryError(where, line, 'input_length and output_length are required');
    const ids = v.hash_ids ?? [];
    if (!Array.isArray(ids) || ids.some((h) => typeof h !== 'number' && typeof h !== 'string')) {
      throw entryError(where, line, '"hash_ids" must be a list of numbers');
    }
    // Whole words from the blocks, then filler; one pool word is one token (exact with a tokenizer after fix-up).
    const words: string[] = [];
    for (const h of ids as (number | string)[]) {
      if (words.length >= inLen) break;
      const take = Math.min(BLOCK_TOKENS, inLen - words.length);
      const rng = mulberry32(hash32(`${seed}:${h}`));
      for (let k = 0; k < take; k++) words.push(pool[Math.floor(rng.next() * pool.length)]!);
    }
    const fill = mulberry32(hash32(`${seed}:request:${i}`));
    while (words.length < inLen) words.push(pool[Math.floor(fill.next() * pool.length)]!);
    let text = words.join(' ');
    let tokens = inLen;
    if (tk && tk.count(text) !== inLen) ({ text, tokens } = exactPrompt(tk, inLen, fill, text));
    requests.push(makeSpec(i, text, outLen, opts, tokens));
    stamps.push(ts);
  }
  const t0 = stamps[0] ?? 0;
  return { requests, timestamps: stamps.map((t) => t - t0) };
}
