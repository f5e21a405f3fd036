/**
 * How the batch engine's answers look on the wire, one format per protocol.
 * An event may carry several tokens (speculative decoding); the text of
 * tokens [from, to) comes from tokens.ts, one word per token.
 */
import type { AnswerShape } from './events.js';
import { outputText, tokenText } from './tokens.js';

export interface Wire {
  /** content-type of a streamed answer. */
  readonly streamType: string;
  /** Bytes sent with the headers, before any token (the chat role event), or ''. */
  head(): string;
  /** One event carrying tokens [from, to); `last` when it holds the final token. */
  event(from: number, to: number, last: boolean): string;
  /** After the last token event (usage, [DONE]). */
  tail(): string;
  /** The whole non-streamed answer. */
  whole(): string;
}

export interface WireOptions {
  includeUsage: boolean;
  noDone: boolean;
}

/** OpenAI chat / text completions, as vLLM sends them (see events.ts for the shapes). */
export function openAiWire(shape: AnswerShape, o: WireOptions): Wire {
  const { chat, id, created, model, finishReason, promptTokens: p, tokens: c } = shape;
  const head = `data: {"id":"${id}","object":"${chat ? 'chat.completion.chunk' : 'text_completion'}","created":${created},"model":${JSON.stringify(model)},"choices":[`;
  const open = chat ? `${head}{"index":0,"delta":{"content":"` : `${head}{"index":0,"text":"`;
  const close = chat ? '"}' : '"';
  // The answer key's own tokens (answer-key.ts) when given, else the word cycle.
  const words = shape.words;
  const text = (from: number, to: number): string =>
    words ? JSON.stringify(words.slice(from, to).join('')).slice(1, -1) : tokenText(from, to);
  const usage = `"usage":{"prompt_tokens":${p},"completion_tokens":${c},"total_tokens":${p + c}}`;
  return {
    streamType: 'text/event-stream; charset=utf-8',
    head: () => (chat ? `${head}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n` : ''),
    event: (from, to, last) =>
      `${open}${text(from, to)}${close},"finish_reason":${last ? `"${finishReason}"` : 'null'}}]}\n\n`,
    tail: () => (o.includeUsage ? `${head}],${usage}}\n\n` : '') + (o.noDone ? '' : 'data: [DONE]\n\n'),
    whole: () => {
      const all = JSON.stringify(words ? words.slice(0, c).join('') : outputText(c));
      const choice = chat
        ? `{"index":0,"message":{"role":"assistant","content":${all}},"finish_reason":"${finishReason}"}`
        : `{"index":0,"text":${all},"finish_reason":"${finishReason}"}`;
      return `{"id":"${id}","object":"${chat ? 'chat.completion' : 'text_completion'}","created":${created},"model":${JSON.stringify(model)},"choices":[${choice}],${usage}}`;
    },
  };
}
