/**
 * SSE event strings of one simulated answer, shaped like vLLM / OpenAI:
 * chat chunks `{"id","object":"chat.completion.chunk","created","model","choices":[{"index":0,"delta":{"content"},"finish_reason"}]}`,
 * completion chunks `{"id","object":"text_completion",...,"choices":[{"index":0,"text","finish_reason"}]}`.
 *
 * Long runs of events are built with repeat() over one period of the word
 * cycle, so a zero-latency answer of 1,000 tokens costs a few string copies
 * rather than 1,000 concatenations.
 */
import type { OutBuilder } from './out-builder.js';
import { WORD_PERIOD, outputText, tokenText } from './tokens.js';

export interface AnswerShape {
  chat: boolean;
  /** Answer id, e.g. 'chatcmpl-sim-12'. */
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  /** Output tokens of the whole answer. */
  tokens: number;
  /** Tokens per event (the last event may carry fewer). */
  perChunk: number;
  finishReason: 'length' | 'stop';
  promptTokens: number;
  /** Event index whose first token is replaced by a huge word, or -1. */
  hugeAt: number;
  /** Size (bytes) of that huge word. */
  hugeBytes: number;
  /** The answer's own tokens (answer key, see answer-key.ts) instead of the word cycle. */
  words?: readonly string[];
  /** Chat: events carrying the first this-many tokens are `reasoning_content` deltas (rounded up to whole events). */
  reasoningTokens?: number;
  /** vLLM's old /generate (sim/protocols.ts): the prompt every frame repeats; frames instead of SSE events. */
  generatePrompt?: string;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Renders the events of one answer; create once per request. */
export class AnswerEvents {
  readonly chunks: number;
  private readonly headText: string;
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly lastSuffix: string;
  /** Events sent as reasoning deltas (first ones), and their prefix. */
  readonly reasoningEvents: number;
  private readonly reasoningPrefix: string;
  /** Events per period of the word cycle: chunk j and j + period carry the same text. */
  private readonly period: number;

  constructor(readonly shape: AnswerShape) {
    const { chat, id, created, model, perChunk, finishReason } = shape;
    this.chunks = Math.ceil(shape.tokens / perChunk);
    const head = `data: {"id":"${id}","object":"${chat ? 'chat.completion.chunk' : 'text_completion'}","created":${created},"model":${JSON.stringify(model)},"choices":[`;
    this.headText = head;
    this.prefix = chat ? `${head}{"index":0,"delta":{"content":"` : `${head}{"index":0,"text":"`;
    const close = chat ? '"}' : '"';
    this.suffix = `${close},"finish_reason":null}]}\n\n`;
    this.lastSuffix = `${close},"finish_reason":"${finishReason}"}]}\n\n`;
    this.period =
      shape.words || shape.generatePrompt !== undefined ? Infinity : WORD_PERIOD / gcd(perChunk, WORD_PERIOD);
    this.reasoningEvents = chat ? Math.min(this.chunks, Math.ceil((shape.reasoningTokens ?? 0) / perChunk)) : 0;
    this.reasoningPrefix = `${head}{"index":0,"delta":{"reasoning_content":"`;
  }

  /** Tokens sent as reasoning (whole events). */
  get reasoningTokenCount(): number {
    return Math.min(this.shape.tokens, this.reasoningEvents * this.shape.perChunk);
  }

  /** The chat role event: no token (clients must not count it as the first token). */
  roleEvent(): string {
    return `${this.headText}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`;
  }

  /** The final usage event sent when stream_options.include_usage is true. */
  usageEvent(): string {
    const p = this.shape.promptTokens;
    const c = this.shape.tokens;
    const r =
      this.reasoningEvents > 0 ? `,"completion_tokens_details":{"reasoning_tokens":${this.reasoningTokenCount}}` : '';
    return `${this.headText}],"usage":{"prompt_tokens":${p},"completion_tokens":${c},"total_tokens":${p + c}${r}}}\n\n`;
  }

  /** Tokens carried by event j. */
  tokensIn(j: number): number {
    const k = this.shape.perChunk;
    return Math.min(k, this.shape.tokens - j * k);
  }

  private content(j: number): string {
    const k = this.shape.perChunk;
    const from = j * k;
    const to = Math.min(from + k, this.shape.tokens);
    if (this.shape.words) return jsonInner(this.shape.words.slice(from, to).join(''));
    if (j === this.shape.hugeAt)
      return ` ${'x'.repeat(Math.max(0, this.shape.hugeBytes - 1))}${tokenText(from + 1, to)}`;
    return tokenText(from, to);
  }

  private event(j: number): string {
    if (this.shape.generatePrompt !== undefined) {
      // Cumulative text: `{"text": [prompt + output so far]}` and a NUL byte (no repeating period).
      const to = Math.min((j + 1) * this.shape.perChunk, this.shape.tokens);
      return `{"text":[${JSON.stringify(this.shape.generatePrompt + this.textUpTo(to))}]}\0`;
    }
    return (
      (j < this.reasoningEvents ? this.reasoningPrefix : this.prefix) +
      this.content(j) +
      (j === this.chunks - 1 ? this.lastSuffix : this.suffix)
    );
  }

  /** Appends events [from, to) to out. */
  render(from: number, to: number, out: OutBuilder): void {
    let j = from;
    // Plain events strictly before the last one and not the huge one repeat with the period.
    const plainEnd = Math.min(to, this.chunks - 1);
    const huge = this.shape.hugeAt;
    while (j < to) {
      let stop = huge >= j && huge < plainEnd ? huge : plainEnd;
      // A repeated block never spans the switch from reasoning to answer events.
      if (j < this.reasoningEvents && this.reasoningEvents < stop) stop = this.reasoningEvents;
      const run = stop - j;
      if (run >= 2 * this.period) {
        let block = '';
        for (let i = 0; i < this.period; i++) block += this.event(j + i);
        const reps = Math.floor(run / this.period);
        out.repeat(block, reps);
        j += reps * this.period;
        continue;
      }
      out.add(this.event(j));
      j++;
    }
  }

  private textUpTo(to: number): string {
    return this.shape.words ? this.shape.words.slice(0, to).join('') : tokenText(0, to);
  }

  /** The whole text of the answer (non-streaming responses). */
  fullText(): string {
    const { tokens, perChunk, hugeAt, hugeBytes } = this.shape;
    if (this.shape.words) return this.shape.words.slice(0, tokens).join('');
    if (hugeAt < 0) return outputText(tokens);
    const at = hugeAt * perChunk;
    return tokenText(0, at) + ` ${'x'.repeat(Math.max(0, hugeBytes - 1))}` + tokenText(at + 1, tokens);
  }
}

/** A string as it goes between the quotes of a JSON string. */
function jsonInner(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
