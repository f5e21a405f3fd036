/**
 * One answer being sent: its schedule, its faults and its writes.
 *
 * Schedule (ms on the nowMs() clock): event j carries tokens [j*k, (j+1)*k)
 * and is due at
 *   receivedAt + ttft + promptTokens / prefillRate + j * k * itl + jitter_j (+ stall once j >= mid),
 * never earlier than event j - 1. Every due time is absolute, so a late
 * wake-up delays one event and not the ones after it. Events already due when
 * the answer is served are written together in one write.
 */
import { nowMs } from '../engine/clock.js';
import type { BodyWriter } from './body-writer.js';
import type { AnswerEvents } from './events.js';
import type { SimRequestLog } from './request-log.js';
import type { Rng } from './rng.js';
import { OutBuilder } from './out-builder.js';
import { EARLY_SLACK_MS, PRECISE_SLACK_MS } from './timer-heap.js';

export const GARBAGE_EVENT = 'data: {not json\n\n';
const DONE_EVENT = 'data: [DONE]\n\n';

export interface AnswerPlan {
  events: AnswerEvents;
  /** First event due (absolute ms). */
  start: number;
  /** Gap between events (ms) = tokensPerChunk * itl. */
  stepMs: number;
  jitterMs: number;
  stallMs: number;
  includeUsage: boolean;
  noDone: boolean;
  reset: boolean;
  garbage: boolean;
}

/** Something the shared timer serves: skipped once done. */
export interface Scheduled {
  done: boolean;
  serve(now: number): void;
}

export interface AnswerHost {
  rng: Rng;
  /** Schedules the item's next serve() at absolute time `at` (ms). */
  schedule(at: number, item: Scheduled): void;
  /** Same, on the precise timer (an answer's first token: TTFT). */
  schedulePrecise(at: number, item: Scheduled): void;
  /** Counts tokens written (for stats()). */
  addTokens(n: number): void;
  /** Called once when an answer is over (ended, cut or abandoned by the client). */
  finished(log: SimRequestLog): void;
}

/** What every answer shares: its log entry, and how it ends or is abandoned. */
export abstract class AnswerBase implements Scheduled {
  /** True once the answer is over; scheduled serves are then ignored. */
  done = false;

  constructor(
    readonly log: SimRequestLog,
    protected readonly host: AnswerHost,
  ) {}

  abstract serve(now: number): void;

  /** The client went away before the end. */
  abandon(): void {
    if (this.done) return;
    this.log.aborted = true;
    this.finish(nowMs());
  }

  protected finish(now: number): void {
    this.done = true;
    this.log.endedAt = now;
    this.host.finished(this.log);
  }
}

export class StreamAnswer extends AnswerBase {
  private next = 0;
  private nextDue: number;
  private readonly mid: number;
  private readonly chunks: number;

  constructor(
    private readonly plan: AnswerPlan,
    log: SimRequestLog,
    private readonly writer: BodyWriter,
    host: AnswerHost,
    /** Bytes sent before the first token event (the chat role event), if not yet written. */
    private pendingHead: string,
  ) {
    super(log, host);
    this.chunks = plan.events.chunks;
    this.mid = Math.floor(this.chunks / 2);
    this.nextDue = this.dueOf(0, -Infinity);
  }

  private dueOf(j: number, prev: number): number {
    const p = this.plan;
    let at = p.start + j * p.stepMs + this.host.rng.symmetric(p.jitterMs);
    if (j >= this.mid) at += p.stallMs;
    return at > prev ? at : prev;
  }

  /** Starts the answer: serves at once if already due, else writes the head and schedules. */
  begin(): void {
    const now = nowMs();
    if (this.nextDue <= now + PRECISE_SLACK_MS) {
      this.serve(now);
      return;
    }
    // Headers (and the chat role event) go out at once, as a real server's do:
    // a client can tell the first byte from the first token.
    if (this.pendingHead.length > 0) this.writer.write(this.pendingHead);
    else this.writer.flushHeaders();
    this.pendingHead = '';
    this.host.schedulePrecise(this.nextDue, this);
  }

  private tokensBetween(from: number, to: number): number {
    const k = this.plan.events.shape.perChunk;
    return Math.min(to * k, this.plan.events.shape.tokens) - from * k;
  }

  private account(from: number, to: number): void {
    if (to <= from) return;
    const n = this.tokensBetween(from, to);
    // A fresh reading, not the timer's `now`: one timer run may serve many
    // streams, and the log must say when these bytes were actually written.
    const at = nowMs();
    if (from === 0) this.log.firstTokenAt = at;
    this.log.lastTokenAt = at;
    this.log.tokens += n;
    this.log.chunks += to - from;
    this.host.addTokens(n);
  }

  /** Writes every event due by `now`, then ends or schedules the next one. */
  serve(now: number): void {
    if (this.done) return;
    const { events, reset, garbage } = this.plan;
    const limit = now + EARLY_SLACK_MS;
    const from = this.next;
    const out = new OutBuilder();
    out.add(this.pendingHead);
    this.pendingHead = '';
    let segment = from;
    let j = from;
    while (j < this.chunks && this.nextDue <= limit) {
      if (j === this.mid && (garbage || reset)) {
        events.render(segment, j, out);
        segment = j;
        if (garbage) out.add(GARBAGE_EVENT);
        if (reset) {
          this.account(from, j);
          this.writer.cut(out.take());
          this.finish(now);
          return;
        }
      }
      j++;
      if (j < this.chunks) this.nextDue = this.dueOf(j, this.nextDue);
    }
    events.render(segment, j, out);
    this.next = j;
    this.account(from, j);
    if (j < this.chunks) {
      if (!out.empty) this.writer.write(out.take());
      this.host.schedule(this.nextDue, this);
      return;
    }
    if (this.plan.includeUsage) out.add(events.usageEvent());
    if (!this.plan.noDone) out.add(DONE_EVENT);
    this.writer.end(out.take());
    this.finish(now);
  }
}
