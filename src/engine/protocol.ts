/**
 * Messages between the main thread and the load workers, and the layout of
 * the shared control block. Workers claim work and concurrency slots through
 * Atomics on shared memory (no message per request); they post batched,
 * mergeable deltas on a timer.
 */
import type { ApiKind } from '../config/types.js';
import type { RequestRecord } from './types.js';
import type { TlsOptions } from './tls.js';
import type { PackedUnits } from './unit-store.js';

/** Int32 slots of the shared control block. */
export const CTL = {
  /** Next unit index to claim. */
  NEXT: 0,
  /** Requests in flight across all workers of the task. */
  INFLIGHT: 1,
  /** 1 = stop claiming new units. */
  STOP: 2,
  /** Concurrency cap. */
  MAX: 3,
  SIZE: 4,
} as const;

export interface WorkerInit {
  type: 'init';
  workerIndex: number;
  origin: string;
  /** Request path, e.g. /v1/chat/completions */
  path: string;
  api: ApiKind;
  headers: Record<string, string>;
  /** Fields merged into every request body (model, stream, generation kwargs...). */
  baseBody: Record<string, unknown>;
  /** Units (single requests, or for multi-turn whole conversations), packed once in shared memory for all workers. */
  units: PackedUnits;
  /** Units are recycled (pressure mode): unit of claim i is units[i % units.length]. */
  recycle: boolean;
  /** Shared Int32Array control block (CTL layout). */
  control: SharedArrayBuffer;
  /** Shared Float64Array of planned send offsets (ms from run start) or null. */
  schedule: SharedArrayBuffer | null;
  /** Extra attempts after the first. */
  retry: number;
  /** Whole-request timeout, ms (0 = none). */
  timeoutMs: number;
  /** First-token timeout, ms (0 = none). */
  firstByteTimeoutMs: number;
  /** Longest silence between reads once the answer streams, ms (0 = none). */
  idleTimeoutMs: number;
  /** Delta interval, ms. */
  tickMs: number;
  /** Warmup requests this worker sends before the measured phase (only worker 0). */
  warmups: number;
  /** Collect streamed text (multi-turn, token audit). */
  collectText: boolean;
  /** Count each answer's tokens with this local tokenizer (token audit). */
  tokenizerPath?: string;
  /**
   * Details file the worker appends each finished request to, one write per
   * line the moment it finishes (O_APPEND keeps lines of several workers
   * whole), so a crash or SIGKILL keeps every finished request. null = lines
   * travel in the deltas instead.
   */
  detailsPath: string | null;
  /**
   * This worker's share of the task's concurrency: its Pool's connection
   * count and the most requests it holds in flight (shares add up to the
   * concurrency: one connection per slot). 0 = unbounded.
   */
  connections: number;
  /** https:// targets: CA and --insecure (engine/tls.ts). */
  tls?: TlsOptions | null;
  /** Connections to open before the measured phase (keep-alive), so TTFT excludes TCP setup. */
  preconnect: number;
  /** Record id of claim i = idOffset + i × idStride (shards keep the whole plan's ids; default 0 and 1). */
  idOffset?: number;
  idStride?: number;
}

export interface WorkerGo {
  type: 'go';
  /** Run start on the shared monotonic clock (ms). */
  runStart: number;
}

export interface WorkerAbort {
  type: 'abort';
}

/** Touch the pre-opened connections again (a long wait for a start instant would let keep-alive close them). */
export interface WorkerKeepWarm {
  type: 'keepWarm';
}

export type ToWorker = WorkerInit | WorkerGo | WorkerAbort | WorkerKeepWarm;

export interface WorkerDelta {
  type: 'delta';
  workerIndex: number;
  threadId: number;
  post: number;
  recv: number;
  finish: number;
  fail: number;
  /** Finished records since the last delta. */
  records: RequestRecord[];
  /** Their details lines (encoded in the worker), '\n'-terminated, or ''. */
  lines: string;
  /** TTFT centroids [mean, n] of the interval (tdigest), for the live view. */
  ttftCentroids: Array<{ mean: number; n: number }>;
  /** Output tokens finished in the interval. */
  outTokens: number;
}

export interface WorkerWarmupDone {
  type: 'warmupDone';
  ok: number;
  failed: number;
  firstError?: string;
}

/** Pre-connection done: the worker is ready for 'go'. */
export interface WorkerReady {
  type: 'ready';
  workerIndex: number;
}

export interface WorkerDone {
  type: 'done';
  workerIndex: number;
}

export interface WorkerFatal {
  type: 'fatal';
  message: string;
}

export type FromWorker = WorkerDelta | WorkerWarmupDone | WorkerReady | WorkerDone | WorkerFatal;
