/** Options of the embedded OpenAI-compatible simulator, with their defaults and checks. */

export interface SimOptions {
  /** Loopback address to listen on. Default '127.0.0.1'. */
  host?: string;
  /** TCP port; 0 = an ephemeral port chosen by the OS. Default 0. */
  port?: number;
  /** Model name served by /v1/models and echoed in answers. Default 'sim-model'. */
  model?: string;
  /** Time to first token (ms) after the request arrives. Default 0. */
  ttftMs?: number;
  /**
   * Inter-token latency (ms): the server "generates" one token every itlMs.
   * With tokensPerChunk = k, consecutive SSE events are k * itlMs apart, so a
   * client that splits each gap evenly over the event's k tokens measures itlMs.
   * Default 0.
   */
  itlMs?: number;
  /** Uniform jitter (ms, ±) added to each event's scheduled time. Default 0. */
  jitterMs?: number;
  /** Tokens per SSE event (the last event may carry fewer). Default 1. */
  tokensPerChunk?: number;
  /** Prefill rate (tokens/ms): adds promptTokens / rate to the TTFT. 0 = off. Default 0. */
  prefillTokensPerMs?: number;
  /** Output length range (tokens) when ignore_eos is not set. Default 16..128. */
  outputMin?: number;
  outputMax?: number;
  /** Seed of the random draws (lengths, jitter, faults). Default 1. */
  seed?: number;
  /** Probability (0..1) that a request is answered with an error status. */
  failRate?: number;
  /** HTTP status of those errors: 500, 429 or 503. Default 500. */
  failStatus?: number;
  /** Probability (0..1) that the connection is destroyed in the middle of a stream. */
  resetRate?: number;
  /** Probability (0..1) that a malformed `data: {not json` event is sent mid-stream. */
  garbageRate?: number;
  /** Pause (ms) once, in the middle of every stream. 0 = off. */
  stallMs?: number;
  /** Write the response body one byte per write (setImmediate between writes). */
  drip?: boolean;
  /** End streams without the final `data: [DONE]`. */
  noDone?: boolean;
  /** Make one event in the middle of each stream carry this many bytes of content. 0 = off. */
  hugeChunkBytes?: number;
  /** #13: chat answers send their first N tokens as `reasoning_content` deltas (a reasoning model). 0 = off. */
  reasoningTokens?: number;
  /** How many requests requestLog() keeps (the most recent). Default 100,000. */
  logLimit?: number;
  /**
   * 'fixed': every answer on its own fixed schedule (ttftMs, itlMs; timing tests).
   * 'batch': a continuous-batching model (batch/model.ts) whose latency grows with load,
   * with GET /metrics in vLLM's names. Default 'fixed'.
   */
  engine?: 'fixed' | 'batch';
  /** batch: most sequences in one step (the rest wait). Default 256. */
  maxNumSeqs?: number;
  /** batch: token budget of one step (decode tokens + prefill chunks). Default 8192. */
  maxBatchedTokens?: number;
  /** batch: fixed cost of a step (ms). Default 5. */
  stepBaseMs?: number;
  /** batch: cost of each running sequence in a step (ms). Default 0.1. */
  stepPerSeqMs?: number;
  /** batch: KV cache size in blocks, and tokens per block. Default 8192 x 16. */
  kvBlocks?: number;
  blockSize?: number;
  /** batch: draft tokens per step (speculative decoding; 0 = off) and each one's acceptance probability. */
  specTokens?: number;
  specAccept?: number;
  /** GET /metrics answers 503 from this many ms after its first request (0 = never): a scrape failing mid-run. */
  metricsDownAfterMs?: number;
  /** Serve HTTPS with this PEM key and certificate (null = plain HTTP). */
  tls?: { key: string; cert: string } | null;
  /** Answer key file (see answer-key.ts); '' = none. */
  answerKey?: string;
  /** Probability (0..1) that a question of the answer key is answered correctly. Default 1. */
  accuracy?: number;
}

export type ResolvedSimOptions = Required<SimOptions>;

export const SIM_DEFAULTS: ResolvedSimOptions = {
  host: '127.0.0.1',
  port: 0,
  model: 'sim-model',
  ttftMs: 0,
  itlMs: 0,
  jitterMs: 0,
  tokensPerChunk: 1,
  prefillTokensPerMs: 0,
  outputMin: 16,
  outputMax: 128,
  seed: 1,
  failRate: 0,
  failStatus: 500,
  resetRate: 0,
  garbageRate: 0,
  stallMs: 0,
  drip: false,
  noDone: false,
  hugeChunkBytes: 0,
  reasoningTokens: 0,
  logLimit: 100_000,
  engine: 'fixed',
  maxNumSeqs: 256,
  maxBatchedTokens: 8192,
  stepBaseMs: 5,
  stepPerSeqMs: 0.1,
  kvBlocks: 8192,
  blockSize: 16,
  specTokens: 0,
  specAccept: 0.7,
  metricsDownAfterMs: 0,
  tls: null,
  answerKey: '',
  accuracy: 1,
};

export const FAIL_STATUSES = [500, 429, 503] as const;

/** True for 127.x.x.x, localhost and ::1: the simulator never listens elsewhere. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255);
}

/**
 * Fills defaults and checks every value. Returns a problem as one line
 * (the caller decides which error class it becomes) or the resolved options.
 */
export function resolveSimOptions(opts: SimOptions = {}): ResolvedSimOptions | string {
  const o: ResolvedSimOptions = { ...SIM_DEFAULTS };
  for (const [k, v] of Object.entries(opts)) {
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  }
  const nonNegative: (keyof ResolvedSimOptions)[] = [
    'ttftMs',
    'itlMs',
    'jitterMs',
    'prefillTokensPerMs',
    'stallMs',
    'hugeChunkBytes',
    'reasoningTokens',
    'stepBaseMs',
    'stepPerSeqMs',
    'metricsDownAfterMs',
  ];
  for (const k of nonNegative) {
    const v = o[k] as number;
    if (!Number.isFinite(v) || v < 0) return `${k} must be a number >= 0 (got ${String(v)})`;
  }
  const positiveInts: (keyof ResolvedSimOptions)[] = [
    'tokensPerChunk',
    'outputMin',
    'outputMax',
    'logLimit',
    'maxNumSeqs',
    'maxBatchedTokens',
    'kvBlocks',
    'blockSize',
  ];
  for (const k of positiveInts) {
    const v = o[k] as number;
    if (!Number.isInteger(v) || v < 1) return `${k} must be an integer >= 1 (got ${String(v)})`;
  }
  if (o.outputMin > o.outputMax) return `outputMin (${o.outputMin}) is greater than outputMax (${o.outputMax})`;
  if (o.engine !== 'fixed' && o.engine !== 'batch') return `engine must be fixed or batch (got ${String(o.engine)})`;
  if (!Number.isInteger(o.specTokens) || o.specTokens < 0 || o.specTokens > 16)
    return `specTokens must be an integer in 0..16 (got ${String(o.specTokens)})`;
  for (const k of ['failRate', 'resetRate', 'garbageRate', 'specAccept', 'accuracy'] as const) {
    const v = o[k];
    if (!Number.isFinite(v) || v < 0 || v > 1) return `${k} must be a probability in [0, 1] (got ${String(v)})`;
  }
  if (!(FAIL_STATUSES as readonly number[]).includes(o.failStatus)) {
    return `failStatus must be one of ${FAIL_STATUSES.join(', ')} (got ${String(o.failStatus)})`;
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
    return `port must be an integer in 0..65535 (got ${String(o.port)})`;
  if (!Number.isInteger(o.seed)) return `seed must be an integer (got ${String(o.seed)})`;
  if (!isLoopbackHost(o.host)) return `host ${o.host} is not a loopback address (use 127.0.0.1, localhost or ::1)`;
  if (o.model.length === 0) return 'model must not be empty';
  return o;
}
