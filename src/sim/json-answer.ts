/**
 * A non-streaming answer: one JSON body with `usage`, written when the last
 * token would have been generated (same schedule as a stream, see answer.ts).
 */
import { nowMs } from '../engine/clock.js';
import { AnswerBase, type AnswerHost, type AnswerPlan } from './answer.js';
import type { BodyWriter } from './body-writer.js';
import type { SimRequestLog } from './request-log.js';
import { EARLY_SLACK_MS } from './timer-heap.js';

export class JsonAnswer extends AnswerBase {
  private readonly due: number;

  constructor(
    private readonly plan: AnswerPlan,
    log: SimRequestLog,
    private readonly writer: BodyWriter,
    host: AnswerHost,
  ) {
    super(log, host);
    const chunks = plan.events.chunks;
    this.due = plan.start + (chunks - 1) * plan.stepMs + plan.stallMs + host.rng.symmetric(plan.jitterMs);
  }

  begin(): void {
    const now = nowMs();
    if (this.due <= now + EARLY_SLACK_MS) this.serve(now);
    else this.host.schedule(this.due, this);
  }

  private body(): string {
    const { shape } = this.plan.events;
    // vLLM's old /generate: the prompt and the output as one text, no usage.
    if (shape.generatePrompt !== undefined)
      return `{"text":[${JSON.stringify(shape.generatePrompt + this.plan.events.fullText())}]}`;
    const text = JSON.stringify(this.plan.events.fullText());
    const choice = shape.chat
      ? `{"index":0,"message":{"role":"assistant","content":${text}},"finish_reason":"${shape.finishReason}"}`
      : `{"index":0,"text":${text},"finish_reason":"${shape.finishReason}"}`;
    const p = shape.promptTokens;
    const c = shape.tokens;
    return `{"id":"${shape.id}","object":"${shape.chat ? 'chat.completion' : 'text_completion'}","created":${shape.created},"model":${JSON.stringify(shape.model)},"choices":[${choice}],"usage":{"prompt_tokens":${p},"completion_tokens":${c},"total_tokens":${p + c}}}`;
  }

  serve(now: number): void {
    if (this.done) return;
    if (this.plan.reset) {
      this.writer.cut('');
      this.finish(now);
      return;
    }
    this.writer.end(this.plan.garbage ? '{not json' : this.body());
    const n = this.plan.events.shape.tokens;
    const at = nowMs();
    this.log.firstTokenAt = at;
    this.log.lastTokenAt = at;
    this.log.tokens = n;
    this.log.chunks = 1;
    this.host.addTokens(n);
    this.finish(at);
  }
}
