/** From a request body to the plan of its answer: length, schedule and faults. */
import type { SimReq } from './raw-http.js';
import type { AnswerPlan } from './answer.js';
import { AnswerEvents } from './events.js';
import type { ResolvedSimOptions } from './options.js';
import type { SimRequestLog } from './request-log.js';
import type { Rng } from './rng.js';
import { promptTokensOf } from './tokens.js';
import type { AnswerKey } from './answer-key.js';

/** Request bodies above this size are refused (bytes). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Reads and parses a JSON object body; a string is the problem to answer with 400. */
export function readJsonBody(req: SimReq): Promise<Record<string, unknown> | string> {
  // Plain 'data'/'end' events: async iteration of the request stream costs
  // several times more per request, which shows up as queueing when a burst
  // of requests arrives together (the simulator must not be the bottleneck).
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (part: Buffer) => {
      if (failed) return;
      size += part.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        resolve(`request body larger than ${MAX_BODY_BYTES} bytes`);
        return;
      }
      parts.push(part);
    });
    req.on('error', () => {
      if (!failed) resolve('request body could not be read');
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      let body: unknown;
      try {
        body = JSON.parse((parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts)).toString('utf8'));
      } catch {
        resolve('request body is not valid JSON');
        return;
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        resolve('request body must be a JSON object');
      else resolve(body as Record<string, unknown>);
    });
  });
}

function optionalCount(body: Record<string, unknown>, key: string): number | undefined | string {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return `${key} must be an integer >= 1`;
  return v;
}

/**
 * Output length: max_tokens when ignore_eos is true, else uniform in
 * [outputMin, outputMax] capped by max_tokens (and raised to min_tokens).
 */
function outputLength(body: Record<string, unknown>, o: ResolvedSimOptions, rng: Rng): number | string {
  const max = optionalCount(body, 'max_tokens') ?? optionalCount(body, 'max_completion_tokens');
  if (typeof max === 'string') return max;
  const min = optionalCount(body, 'min_tokens');
  if (typeof min === 'string') return min;
  if (body.ignore_eos === true && max !== undefined) return max;
  let n = rng.int(o.outputMin, o.outputMax);
  if (min !== undefined) n = Math.max(n, min);
  if (max !== undefined) n = Math.min(n, max);
  return n;
}

/** Plans the answer and fills the entry's stream, promptTokens and plannedTokens; a string is a 400 problem. */
export function planAnswer(
  body: Record<string, unknown>,
  chat: boolean,
  entry: SimRequestLog,
  o: ResolvedSimOptions,
  rng: Rng,
  key?: AnswerKey | null,
  /** vLLM's old /generate: frames repeating the prompt, no [DONE] (sim/protocols.ts). */
  generate = false,
): AnswerPlan | string {
  if (chat && !Array.isArray(body.messages)) return 'messages must be an array';
  if (!chat && body.prompt === undefined) return 'prompt is required';
  let tokens = outputLength(body, o, rng);
  if (typeof tokens === 'string') return tokens;
  // A known question is answered from the key: its own words, cut at max_tokens.
  const words = key?.answer(body) ?? undefined;
  if (words)
    tokens = Math.max(1, Math.min(words.length, (optionalCount(body, 'max_tokens') as number | undefined) ?? Infinity));
  const promptTokens = promptTokensOf(body, chat);
  const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
  const max = body.max_tokens ?? body.max_completion_tokens;
  entry.stream = body.stream === true;
  entry.promptTokens = promptTokens;
  entry.plannedTokens = tokens;
  const events = new AnswerEvents({
    chat,
    id: `${chat ? 'chatcmpl' : 'cmpl'}-sim-${entry.id}`,
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' && body.model.length > 0 ? body.model : o.model,
    tokens,
    perChunk: o.tokensPerChunk,
    finishReason: tokens === max ? 'length' : 'stop',
    promptTokens,
    hugeAt: o.hugeChunkBytes > 0 ? Math.floor(Math.ceil(tokens / o.tokensPerChunk) / 2) : -1,
    hugeBytes: o.hugeChunkBytes,
    words,
    reasoningTokens: chat ? o.reasoningTokens : 0,
    ...(generate ? { generatePrompt: String(body.prompt) } : {}),
  });
  const prefill = o.prefillTokensPerMs > 0 ? promptTokens / o.prefillTokensPerMs : 0;
  // Draw the faults in a fixed order so one seed gives one fault pattern.
  const reset = rng.chance(o.resetRate);
  const garbage = rng.chance(o.garbageRate);
  if (reset) entry.fault = 'reset';
  else if (garbage) entry.fault = 'garbage';
  return {
    events,
    start: entry.receivedAt + o.ttftMs + prefill,
    stepMs: o.tokensPerChunk * o.itlMs,
    jitterMs: o.jitterMs,
    stallMs: o.stallMs,
    includeUsage: streamOptions?.include_usage === true,
    noDone: o.noDone || generate,
    reset,
    garbage,
  };
}
