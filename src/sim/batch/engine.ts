/**
 * The batch model on a clock: one scheduler loop for every request. A step
 * starts when the previous one ends (absolute times, so a late timer delays
 * one step, not the ones after it, and the mean step time stays the model's
 * even on a loaded machine; catch-up is limited to MAX_CATCH_UP_MS),
 * or on the next loop turn after a request arrives at an idle engine.
 * Requests arriving during a step join the next one, as in vLLM.
 */
import { nowMs } from '../../engine/clock.js';
import type { BodyWriter } from '../body-writer.js';
import type { SimRequestLog } from '../request-log.js';
import type { Wire } from '../wire.js';
import { BatchModel, type BatchConfig, type SeqInput, type Step } from './model.js';
import { BatchMetrics } from './prom.js';

/** A step never starts more than this many ms before now (after a long stall). */
const MAX_CATCH_UP_MS = 1000;
/** Steps due within this many ms are ended now (libuv timers have 1 ms granularity). */
const EARLY_SLACK_MS = 0.5;

export interface BatchHooks {
  addTokens(n: number): void;
  finished(log: SimRequestLog): void;
}

/** One request's answer: written token event by token event, or whole at the end. */
export class BatchAnswer {
  done = false;
  private sent = 0;
  private lastAt = 0;

  constructor(
    readonly log: SimRequestLog,
    private readonly wire: Wire,
    private readonly writer: BodyWriter,
    private readonly stream: boolean,
    private readonly total: number,
  ) {}

  begin(): void {
    if (!this.stream) return;
    const head = this.wire.head();
    if (head) this.writer.write(head);
    else this.writer.flushHeaders();
  }

  /** Writes n more tokens; returns the gap since the previous event (ms), or -1 for the first. */
  emit(n: number, end: boolean): number {
    const at = nowMs();
    const from = this.sent;
    this.sent += n;
    const gap = from === 0 ? -1 : at - this.lastAt;
    this.lastAt = at;
    if (from === 0) this.log.firstTokenAt = at;
    this.log.lastTokenAt = at;
    this.log.tokens += n;
    this.log.chunks++;
    if (!this.stream) {
      if (end) this.writer.end(this.wire.whole());
    } else {
      const ev = this.wire.event(from, this.sent, this.sent >= this.total);
      if (end) this.writer.end(ev + this.wire.tail());
      else this.writer.write(ev);
    }
    return gap;
  }
}

export class BatchEngine {
  readonly model: BatchModel;
  readonly metrics: BatchMetrics;
  private readonly answers = new Map<number, BatchAnswer>();
  private step: Step | null = null;
  private dueAt = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private closed = false;

  constructor(
    cfg: BatchConfig,
    modelName: string,
    private readonly random: () => number,
    private readonly hooks: BatchHooks,
  ) {
    this.model = new BatchModel(cfg);
    this.metrics = new BatchMetrics(this.model, modelName);
  }

  /** Queues an answer; a string is why it cannot run (answer 400). */
  submit(a: BatchAnswer, input: SeqInput): string | null {
    const problem = this.model.add(input);
    if (problem) return problem;
    this.answers.set(input.id, a);
    a.begin();
    if (this.step === null && this.timer === null) this.timer = setImmediate(() => this.startStep(nowMs()));
    return null;
  }

  /** The client went away. */
  abandon(a: BatchAnswer): void {
    if (a.done) return;
    a.done = true;
    a.log.aborted = true;
    a.log.endedAt = nowMs();
    this.model.cancel(a.log.id);
    this.answers.delete(a.log.id);
    this.hooks.finished(a.log);
  }

  close(): void {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = null;
  }

  private startStep(base: number): void {
    this.timer = null;
    if (this.closed) return;
    this.step = this.model.schedule();
    if (this.step === null) return;
    this.dueAt = base + this.step.durationMs;
    this.arm();
  }

  private arm(): void {
    const wait = this.dueAt - nowMs();
    this.timer = wait <= EARLY_SLACK_MS ? setImmediate(this.endStep) : setTimeout(this.endStep, Math.floor(wait));
  }

  private readonly endStep = (): void => {
    this.timer = null;
    if (this.closed || this.step === null) return;
    if (this.dueAt - nowMs() > EARLY_SLACK_MS) {
      this.arm();
      return;
    }
    const out = this.model.complete(this.step, this.random);
    this.step = null;
    const finished = new Set(out.finished);
    for (const [id, n] of out.emitted) {
      const a = this.answers.get(id);
      if (!a) continue;
      const end = finished.has(id);
      const gap = a.emit(n, end);
      this.hooks.addTokens(n);
      if (gap < 0) this.metrics.ttft.observe((a.log.firstTokenAt! - a.log.receivedAt) / 1000);
      else this.metrics.itl.observe(gap / 1000);
      if (end) {
        a.done = true;
        a.log.endedAt = nowMs();
        this.answers.delete(id);
        this.hooks.finished(a.log);
      }
    }
    this.startStep(Math.max(this.dueAt, nowMs() - MAX_CATCH_UP_MS));
  };
}
