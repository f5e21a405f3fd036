/**
 * The simulator's TGI, Triton and MindIE endpoints (batch engine only): their
 * request bodies mapped to a completions body for planAnswer, and their
 * stream events. Shapes follow the servers' streaming APIs:
 * - TGI /generate_stream: `data:{"index","token":{"id","text","logprob","special"},"generated_text","details"}`,
 *   the last event with the whole text and `details.generated_tokens`; no [DONE].
 * - Triton /v2/models/{model}/generate_stream: `data: {"model_name","model_version","text_output"}`.
 * - MindIE /infer (stream): TGI-like token events.
 * - vLLM's old /generate (api_server.py, vLLM 0.2.x): `{"text": [prompt + output so far]}` then a NUL
 *   byte, one frame per step (both engines; events.ts renders the fixed engine's); not streamed: one
 *   `{"text": [prompt + output]}`. No token counts in either.
 */
import type { AnswerShape } from './events.js';
import { outputText, tokenText } from './tokens.js';
import type { Wire } from './wire.js';

export type SimProtocol = 'tgi' | 'triton' | 'mindie' | 'vllm_old';

/** Which protocol a POST path speaks, or null. */
export function protocolOf(path: string): SimProtocol | null {
  if (path === '/generate_stream') return 'tgi';
  if (path === '/generate') return 'vllm_old';
  if (path === '/infer') return 'mindie';
  if (/^\/v2\/models\/[^/]+\/generate_stream$/.test(path)) return 'triton';
  return null;
}

/** The body as /v1/completions would take it (a string is the 400 problem). */
export function toCompletionsBody(proto: SimProtocol, body: Record<string, unknown>): Record<string, unknown> | string {
  // vLLM's old /generate already takes a completions-like body (sampling params beside the prompt); it streams only when asked.
  if (proto === 'vllm_old')
    return typeof body.prompt === 'string' ? { ...body, stream: body.stream === true } : 'prompt must be a string';
  const prompt = proto === 'triton' ? body.text_input : body.inputs;
  if (typeof prompt !== 'string') return `${proto === 'triton' ? 'text_input' : 'inputs'} must be a string`;
  const p = (body.parameters ?? {}) as Record<string, unknown>;
  if (typeof p !== 'object' || Array.isArray(p)) return 'parameters must be an object';
  return {
    prompt,
    stream: proto === 'mindie' ? body.stream !== false : true,
    ...(p.max_new_tokens !== undefined ? { max_tokens: p.max_new_tokens } : {}),
    ...(p.ignore_eos !== undefined ? { ignore_eos: p.ignore_eos } : {}),
  };
}

export function protocolWire(proto: SimProtocol, shape: AnswerShape): Wire {
  if (proto === 'vllm_old') return generateWire(shape);
  const text = (from: number, to: number): string =>
    JSON.stringify(shape.words ? shape.words.slice(from, to).join('') : tokenText(from, to));
  const whole = (): string =>
    JSON.stringify(shape.words ? shape.words.slice(0, shape.tokens).join('') : outputText(shape.tokens));
  const details = `{"finish_reason":"${shape.finishReason === 'length' ? 'length' : 'eos_token'}","generated_tokens":${shape.tokens},"seed":null}`;
  if (proto === 'triton') {
    const head = `data: {"model_name":${JSON.stringify(shape.model)},"model_version":"1","text_output":`;
    return {
      streamType: 'text/event-stream',
      head: () => '',
      event: (from, to) => `${head}${text(from, to)}}\n\n`,
      tail: () => '',
      whole: () => `{"model_name":${JSON.stringify(shape.model)},"model_version":"1","text_output":${whole()}}`,
    };
  }
  return {
    streamType: 'text/event-stream',
    head: () => '',
    event: (from, to, last) =>
      `data:{"index":${to},"token":{"id":${to},"text":${text(from, to)},"logprob":0.0,"special":false},` +
      `"generated_text":${last ? whole() : 'null'},"details":${last ? details : 'null'}}\n\n`,
    tail: () => '',
    whole: () => `{"generated_text":${whole()},"details":${details}}`,
  };
}

/** vLLM's old /generate frames: every frame repeats the prompt and the whole output so far. */
function generateWire(shape: AnswerShape): Wire {
  const prompt = shape.generatePrompt ?? '';
  const upTo = (to: number): string =>
    JSON.stringify(prompt + (shape.words ? shape.words.slice(0, to).join('') : tokenText(0, to)));
  return {
    streamType: 'application/octet-stream',
    head: () => '',
    event: (_from, to) => `{"text":[${upTo(to)}]}\0`,
    tail: () => '',
    whole: () => `{"text":[${upTo(shape.tokens)}]}`,
  };
}
