import type { CapacityTag } from '../core/task.js';

/**
 * Model and dataset task shapes after validation (see schema.ts for the
 * validators and defaults). Field names follow AISBench's config files.
 */

export interface TrafficCfg {
  /** Gamma shape of inter-arrival gaps: 1 = Poisson, 0/unset = fixed gaps. */
  burstiness?: number;
  ramp_up_strategy?: 'linear' | 'exponential';
  /** req/s at the start of a ramp. */
  ramp_up_start_rps?: number;
  /** req/s at the end of a ramp. */
  ramp_up_end_rps?: number;
}

/** Latency profile of the embedded simulator, for `sim_*` model tasks. */
export interface SimProfile {
  /** ms before the first token. */
  ttft_ms: number;
  /** ms between chunks. */
  itl_ms: number;
  /** ± ms of uniform jitter on every delay. */
  jitter_ms: number;
  /** Tokens carried by each streamed chunk. */
  tokens_per_chunk: number;
  /** Extra prefill time: input tokens ÷ this rate (tokens/ms); 0 = none. */
  prefill_tokens_per_ms: number;
  /** Accuracy demo: a dataset file the simulator answers from (sim/answer-key.ts). */
  answer_key?: string;
  /** Probability of a right answer from the key. */
  accuracy?: number;
  /** 'batch' = the load-aware continuous-batching model (src/sim/batch/model.ts); default fixed. */
  engine?: 'fixed' | 'batch';
  /** batch: step time = step_base_ms + step_per_seq_ms × running + prefill tokens ÷ prefill_tokens_per_ms. */
  step_base_ms?: number;
  step_per_seq_ms?: number;
  max_num_seqs?: number;
  max_batched_tokens?: number;
  kv_blocks?: number;
  block_size?: number;
  /** batch: speculative draft tokens per step and each one's acceptance probability. */
  spec_tokens?: number;
  spec_accept?: number;
}

/** OpenAI-compatible kinds, and (#15) TGI, Triton and MindIE streams (engine/protocols.ts) and vLLM's old /generate (engine/nul-frames.ts). */
export type ApiKind = 'chat' | 'completions' | 'chat_multiturn' | 'tgi' | 'triton' | 'mindie' | 'vllm_old';

export interface ModelTask {
  /** Task id, used in output paths. */
  abbr: string;
  /** Which OpenAI-compatible endpoint to call. */
  api: ApiKind;
  /** Served model name; '' = ask the server's /v1/models. */
  model: string;
  host_ip: string;
  host_port: number;
  /** Full base URL (e.g. http://127.0.0.1:8000); overrides host_ip/host_port when set. */
  url: string;
  /** Secret: never logged, dumped or exported. */
  api_key: string;
  headers: Record<string, string>;
  stream: boolean;
  /** req/s; below 0.001 = all at once. */
  request_rate: number;
  traffic_cfg: TrafficCfg;
  use_timestamp: boolean;
  /** Extra attempts per request after the first. */
  retry: number;
  /** max_tokens when a dataset entry gives none (tokens). */
  max_out_len: number;
  /** Maximum concurrency. */
  batch_size: number;
  /** Local tokenizer folder or tokenizer.json. */
  path: string;
  generation_kwargs: Record<string, unknown>;
  /** Whole-request timeout, s (0 = none). */
  timeout: number;
  /** Time to first byte timeout, s (0 = none). */
  first_byte_timeout: number;
  /** Longest silence between two reads of a streamed answer, s (0 = none). */
  idle_timeout: number;
  /** Start the embedded simulator with this profile and point the task at it. */
  sim?: SimProfile;
}

export type LengthDist =
  | { Method: 'uniform'; Params: { MinValue: number; MaxValue: number } }
  | { Method: 'gaussian'; Params: { Mean: number; Var: number; MinValue: number; MaxValue: number } }
  | { Method: 'zipf'; Params: { Alpha: number; MinValue: number; MaxValue: number } };

export interface SyntheticConfig {
  Type: 'string' | 'tokenid';
  RequestCount: number;
  StringConfig?: { Input: LengthDist; Output: LengthDist };
  TokenIdConfig?: { RequestSize: number; PrefixLen: number; Output?: LengthDist };
}

export interface DatasetTask {
  /** Name used in output file names (`<abbr>.csv`). */
  abbr: string;
  type: 'synthetic' | 'custom' | 'gsm8k' | 'sharegpt' | 'trace' | 'mmlu' | 'ceval' | 'custom_qa';
  /** File for custom/gsm8k/sharegpt/trace datasets. */
  path: string;
  synthetic?: SyntheticConfig;
  /** Seed for synthetic generation. */
  seed?: number;
  /** custom_qa: regex whose first group (or whole match) is the answer in the output. */
  answer_regex?: string;
  /** Accuracy modes: samples per question (--num-return overrides). */
  num_return?: number;
}

/** One task = one model task × one dataset task. */
export interface TaskConfig {
  key: string;
  model: ModelTask;
  dataset: DatasetTask;
  /** Sweep point / run / search probe this task stands for (capacity/sweep.ts). */
  capacity?: CapacityTag;
}
