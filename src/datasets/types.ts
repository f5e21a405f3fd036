/** Shapes shared by the dataset loaders (see index.ts for loadDataset). */
import type { ApiKind } from '../config/types.js';
import type { RequestSpec } from '../engine/types.js';

import type { Tokenizer } from '../engine/tokenizer.js';

export type { Tokenizer };

export interface LoadOptions {
  /** Endpoint the requests are for: chat → messages, completions → prompt. */
  api: ApiKind;
  /** max_tokens when an entry gives none (tokens). */
  maxOutLen: number;
  /** Keep only the first N entries (conversations for multi-turn); N ≥ 1. */
  numPrompts?: number;
  /** --max-out-len: caps every request's output limit (tokens). */
  outCap?: number;
  /** Counts input tokens and makes synthetic prompts exact in tokens. */
  tokenizer?: Tokenizer;
  /** PRNG seed for synthetic prompts and lengths (overrides DatasetTask.seed). */
  seed?: number;
}

export interface Dataset {
  /**
   * One request per entry. For multi-turn data this is each conversation's
   * first user turn (what a single-turn API can send).
   */
  requests: RequestSpec[];
  /**
   * Multi-turn: each conversation's user turns, in order (`turn` = 0, 1, …,
   * `id` = conversation index). A turn's `messages` hold only that turn's own
   * user content as the last element (turn 0 may start with a system
   * message); the engine builds the history by appending each assistant
   * answer. Set for sharegpt, and for any dataset when api is chat_multiturn
   * (one single-turn conversation per request).
   */
  conversations?: RequestSpec[][];
  /** Trace replay: planned send times in ms relative to the first, same order as `requests`. */
  timestamps?: number[];
}
