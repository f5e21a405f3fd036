/**
 * Prompts of an exact token length under a given tokenizer. Words that are
 * single tokens both alone and after a space are joined by spaces, so for
 * word-level pre-tokenizers (GPT/Llama-3 BPE, SentencePiece with a metaspace)
 * N words are N tokens; a fix-up loop (trim by re-decoding the first N ids,
 * or append words) handles any tokenizer where that is not quite true.
 */
import type { Rng } from '../core/random.js';
import type { Tokenizer } from './types.js';
import { WORDS, randomWords } from './words.js';

const pools = new WeakMap<Tokenizer, readonly string[]>();

/** WORDS that encode to one token alone and after a space (or all of WORDS when none do). */
export function singleTokenWords(tk: Tokenizer): readonly string[] {
  let pool = pools.get(tk);
  if (!pool) {
    const ones = WORDS.filter((w) => tk.count(w) === 1 && tk.count(' ' + w) === 1);
    pool = ones.length >= 16 ? ones : WORDS;
    pools.set(tk, pool);
  }
  return pool;
}

/**
 * Text whose encoding has exactly `target` tokens, starting with `head` when
 * given (the head must encode to ≤ target tokens and is kept intact when it
 * ends at a word boundary). Returns the text and its real count, which equals
 * `target` unless the tokenizer defeats the fix-up loop (then the closest found).
 */
export function exactPrompt(tk: Tokenizer, target: number, rng: Rng, head = ''): { text: string; tokens: number } {
  const pool = singleTokenWords(tk);
  const headTokens = head ? tk.count(head) : 0;
  const fill = randomWords(Math.max(0, target - headTokens), rng, pool);
  let text = head && fill ? `${head} ${fill}` : head || fill;
  let ids = tk.encode(text);
  for (let i = 0; i < 20 && ids.length !== target; i++) {
    if (ids.length > target) text = tk.decode(ids.slice(0, target));
    else text += ' ' + randomWords(target - ids.length, rng, pool);
    ids = tk.encode(text);
  }
  return { text, tokens: ids.length };
}
