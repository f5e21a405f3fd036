import type { TaskKey } from '../core/task.js';
/**
 * Contracts shared by the engine, the metrics, the writers and the UI.
 * Nothing here imports React, Ink or undici: these are plain data shapes.
 *
 * Time: every timestamp is milliseconds on one monotonic clock (see clock.ts),
 * and in records it is relative to the task's run start (t = 0 when the first
 * request of the measured phase may be sent).
 */

/** Stable, typed failure codes. `E_HTTP_<status>` for any non-2xx answer. */
export type ErrorCode =
  | 'E_CONNECT'
  | 'E_CONNECT_TIMEOUT'
  | 'E_FIRST_BYTE_TIMEOUT'
  | 'E_TIMEOUT'
  | 'E_IDLE_TIMEOUT'
  | 'E_FD_LIMIT'
  | 'E_PORT_LIMIT'
  | 'E_STREAM_RESET'
  | 'E_BAD_SSE'
  | 'E_EMPTY'
  | 'E_ABORTED'
  | 'E_SERVER_ERROR'
  | 'E_UNKNOWN'
  | `E_HTTP_${number}`;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One request to send, as built from a dataset entry. */
export interface RequestSpec {
  /** Index of the dataset entry (stable id in details files). */
  id: number;
  /** Turn number inside a multi-turn conversation (0 for single-turn). */
  turn?: number;
  /** Completions prompt (v1/completions). */
  prompt?: string;
  /** Chat messages (v1/chat/completions). */
  messages?: ChatMessage[];
  /** max_tokens for this request (tokens). */
  maxOutLen: number;
  /** Input length in tokens when the client knows it (tokenizer or synthetic target). */
  inputTokens?: number;
  /**
   * Accuracy modes: fields copied into the request's line, which then holds
   * the prompt and the full output too (scoring/predictions.ts).
   */
  echo?: Record<string, unknown>;
}

/**
 * One finished request (success or failure), as produced by a worker and as
 * stored (one line each) in `<dataset>_details.jsonl`.
 */
export interface RequestRecord {
  id: number;
  turn: number;
  ok: boolean;
  /** Failure code when !ok. */
  code?: ErrorCode;
  /** Human-readable failure message (never contains secrets). */
  message?: string;
  /** Attempts made (1 = no retry). */
  attempts: number;
  /** Each earlier, failed attempt: [t0, end (ms since run start), code]; absent when there was none. */
  retries?: Array<[number, number, string]>;
  /** Warmup requests are written to details but excluded from every metric. */
  warmup?: boolean;
  /** Planned send time, ms since run start (-1 = no schedule). */
  sched: number;
  /** Actual send time t0 (of the attempt that counted), ms since run start. */
  t0: number;
  /** Time to the first token-bearing event (text, reasoning or tool call), ms (NaN when none arrived). */
  ttft: number;
  /** Time to the last token-bearing event, ms (NaN when none arrived). */
  e2el: number;
  /** When the request ended (stream closed, or failed), ms since run start. */
  end: number;
  /**
   * Gaps between consecutive timed events (every SSE event but `[DONE]` and
   * keep-alives: role-only, empty and usage chunks too), in whole
   * microseconds (length = events - 1).
   */
  gapsUs: Uint32Array;
  /**
   * Kind of each event (EV_* in sse.ts), or null when every event was a text
   * delta (then `first` = `ttft`). Records of details files written before
   * events were classified hold token-bearing events only: kinds null.
   */
  kinds: Uint8Array | null;
  /** Time to the first timed event of any kind, ms (NaN when none). */
  first: number;
  /**
   * Tokens carried by each event (0 for events without tokens), or null when
   * every token-bearing event carried 1. Estimated from the server's usage
   * total split by text length (sse.ts tokensPerChunk).
   */
  chunkTokens: Uint32Array | null;
  /** The 2xx stream ended cleanly without `data: [DONE]` (a success when it carried tokens). */
  noDone?: boolean;
  /** Reasoning tokens as the server reported them (usage.completion_tokens_details), when it did. */
  reasoningTokens?: number;
  /** The client's own count of the prompt (tokenizer, or the synthetic target) when the server also reported usage: the token audit. */
  localIn?: number;
  /**
   * The local tokenizer's count of the answer text (`--tokenizer`) of a
   * success whose token-bearing events were all answer text (reasoning and
   * tool-call text is not collected): the output token audit beside server
   * usage, and the vllm dialect's count where vLLM would tokenize.
   */
  localOut?: number;
  /** Input tokens (server usage, else tokenizer/synthetic target, else 0). */
  inTok: number;
  /** Output tokens (server usage, else the count of streamed tokens). */
  outTok: number;
  /** True when inTok/outTok came from the server's usage report. */
  usage: boolean;
}

/** Status of a task on the board. */
export type TaskStatus =
  'waiting' | 'warmup' | 'inferencing' | 'computing' | 'evaluating' | 'finish' | 'error' | 'stopped';

/** Live counters of one task, as merged on the main thread. */
export interface TaskCounts {
  /** Requests sent (first attempt). */
  post: number;
  /** Requests that received an HTTP response head. */
  recv: number;
  /** Requests that completed successfully. */
  finish: number;
  /** Requests that failed after their retries. */
  fail: number;
}

/** One task as the board sees it: a frozen value, replaced every tick. */
export interface TaskSnapshot extends TaskKey {
  status: TaskStatus;
  /** Requests planned (NaN when unbounded, e.g. pressure mode). */
  total: number;
  counts: TaskCounts;
  /** Worker thread ids serving this task. */
  threads: number[];
  /** ms since the task started (0 while waiting). */
  elapsedMs: number;
  /** Completed requests per second over the task so far. */
  itPerSec: number;
  /** Requests in flight now. */
  inflight: number;
  /** In-flight requests sampled once a second, oldest first, at most 60. */
  inflightHistory: number[];
  /** Live TTFT median and p99 (ms) from the merged digests; NaN before data. */
  ttftP50: number;
  ttftP99: number;
  /** Output tokens/s over the last few seconds. */
  outTokPerSec: number;
  /** Log path relative to the run folder. */
  logPath: string;
  /** Error text when status is 'error'. */
  error?: string;
  /** SLO pass/fail of a finished task of a capacity run. */
  verdict?: 'pass' | 'fail';
  /** A problem the run has now, one line (e.g. the requested rate is out of reach: run/rate-check.ts). */
  warning?: string;
  /** The server's own metrics, latest scrape (--server-metrics); absent when not scraped. */
  server?: ServerLatest;
}

/** What the board shows of the server's metrics (src/servermetrics); a field is absent when the server does not say. */
export interface ServerLatest {
  missing?: boolean;
  running?: number;
  waiting?: number;
  kvPct?: number;
  prefixHitPct?: number;
}

export interface RunSnapshot {
  /** Run folder (the board's "Base path of result&log"). */
  runDir: string;
  /** Wall-clock epoch ms when this snapshot was taken. */
  updatedAt: number;
  tasks: readonly TaskSnapshot[];
  /** True once every task has ended. */
  done: boolean;
  /** True after the user asked to stop (first Ctrl+C / SIGTERM). */
  stopping: boolean;
}

/** What the UI subscribes to (shape of React's useSyncExternalStore source). */
export interface SnapshotSource {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): RunSnapshot;
}
