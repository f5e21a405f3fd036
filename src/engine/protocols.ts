/**
 * Request shapes of the non-OpenAI backends AISBench names (its TGICustomAPI,
 * TritonCustomAPI and MindieStreamApi model classes): a text prompt, the
 * generation kwargs under `parameters`, max_new_tokens for the output length.
 *
 * | api    | streamed path                          | body                                                  |
 * | tgi    | /generate_stream (else /generate)      | {inputs, parameters: {...kwargs, max_new_tokens}}     |
 * | triton | /v2/models/{model}/generate_stream     | {id, text_input, parameters: {...kwargs, max_new_tokens}} |
 * | mindie | /infer                                 | {inputs, stream: true, parameters: {...kwargs, max_new_tokens}} |
 *
 * Their answers are SSE events of one token each (TGI and MindIE: `token.text`,
 * Triton: `text_output`), read by sse.ts; they carry no usage, so output
 * tokens are the token events and input tokens the dataset's own count.
 */
import type { ApiKind } from '../config/types.js';
import { UsageError } from '../core/errors.js';

export type TextApi = 'tgi' | 'triton' | 'mindie';

export function isTextApi(api: ApiKind): api is TextApi {
  return api === 'tgi' || api === 'triton' || api === 'mindie';
}

export function protocolPath(api: TextApi, prefix: string, model: string, stream: boolean): string {
  if (api === 'tgi') return `${prefix}/${stream ? 'generate_stream' : 'generate'}`;
  if (api === 'triton')
    return `${prefix}/v2/models/${encodeURIComponent(model)}/${stream ? 'generate_stream' : 'generate'}`;
  return `${prefix}/infer`;
}

/** The part of every body that does not change per request. */
export function protocolBaseBody(
  api: TextApi,
  stream: boolean,
  kwargs: Record<string, unknown>,
): Record<string, unknown> {
  return { ...(api === 'mindie' ? { stream } : {}), parameters: { ...kwargs } };
}

export function protocolBody(
  api: TextApi,
  base: Record<string, unknown>,
  prompt: string,
  maxOutLen: number,
  id: number,
): string {
  const parameters = { ...(base.parameters as Record<string, unknown>), max_new_tokens: maxOutLen };
  if (api === 'triton') return JSON.stringify({ id: String(id), text_input: prompt, parameters });
  return JSON.stringify({ ...base, inputs: prompt, parameters });
}

/**
 * vLLM's old /generate (api_server.py of vLLM 0.2.x, AISBench's vllm_api_old
 * / VLLMTextClient): `{prompt, stream, max_tokens, ...sampling kwargs}`, no
 * model (every other key goes to SamplingParams, which refuses unknown ones).
 * Its answers carry no token counts: streamed, each NUL-separated frame is one
 * step's token (nul-frames.ts); a non-streamed answer is one text, and output
 * tokens come from the model task's tokenizer (`path` / --tokenizer), counted
 * on the load worker (worker-send.ts) as AISBench counts them; without a
 * tokenizer the non-stream form is refused with one line rather than counted wrong.
 */
export function vllmOldBaseBody(
  abbr: string,
  stream: boolean,
  kwargs: Record<string, unknown>,
  hasTokenizer: boolean,
): Record<string, unknown> {
  if (!stream && !hasTokenizer) {
    throw new UsageError(
      `model task '${abbr}' (vllm_old, /generate): stream: false needs a tokenizer to count output tokens (the answer carries no counts): set path (or --tokenizer DIR), or stream: true (one frame per token)`,
    );
  }
  return { stream, ...kwargs };
}
