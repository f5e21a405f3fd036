/**
 * A local Hugging Face tokenizer (`tokenizer.json`), read offline with
 * @lenml/tokenizers (a dependency-free port of transformers.js tokenizers).
 * Counts exclude special tokens (no BOS): they measure the prompt text, not
 * the chat template the server wraps around it.
 *
 * In engine/ because both sides use it: datasets count prompts, and the
 * load workers count each answer for the token audit (#13).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { TokenizerLoader } from '@lenml/tokenizers';
import { UsageError } from '../core/errors.js';

/** A local Hugging Face tokenizer. Counts exclude special tokens. */
export interface Tokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
  /** Tokens in `text` (= encode(text).length). */
  count(text: string): number;
}

const cache = new Map<string, Promise<Tokenizer>>();

/**
 * Loads `path` (a folder holding tokenizer.json, or the file itself; a
 * tokenizer_config.json beside it is used when present). Loads of the same
 * path share one instance. Missing or invalid file → one-line UsageError.
 */
export function loadTokenizer(path: string): Promise<Tokenizer> {
  // Key by the file a folder implies, so `dir` and `dir/tokenizer.json` share one load.
  const abs = resolve(path);
  const key = abs.endsWith('.json') ? abs : join(abs, 'tokenizer.json');
  let p = cache.get(key);
  if (!p) {
    p = load(abs);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function load(path: string): Promise<Tokenizer> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'tokenizer.json');
  } catch {
    throw new UsageError(`tokenizer not found: ${path}`, 'E_TOKENIZER');
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const what = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'is not valid JSON';
    throw new UsageError(`tokenizer ${file} ${what}`, 'E_TOKENIZER');
  }
  if (typeof json !== 'object' || json === null || typeof (json as { model?: unknown }).model !== 'object') {
    throw new UsageError(`tokenizer ${file} is not a Hugging Face tokenizer.json (no "model")`, 'E_TOKENIZER');
  }
  let config: object = {};
  try {
    config = JSON.parse(await readFile(join(dirname(file), 'tokenizer_config.json'), 'utf8')) as object;
  } catch {
    // Optional: tokenizer.json alone defines the encoding.
  }
  let tk: ReturnType<typeof TokenizerLoader.fromPreTrained>;
  try {
    tk = TokenizerLoader.fromPreTrained({ tokenizerJSON: json as object, tokenizerConfig: config });
    tk.encode('probe', { add_special_tokens: false });
  } catch (e) {
    const msg = String((e as Error).message ?? e).split('\n')[0];
    throw new UsageError(`tokenizer ${file} cannot be loaded: ${msg}`, 'E_TOKENIZER');
  }
  return {
    encode: (text) => tk.encode(text, { add_special_tokens: false }),
    decode: (ids) => tk.decode(ids, { skip_special_tokens: true }),
    count: (text) => tk.encode(text, { add_special_tokens: false }).length,
  };
}
