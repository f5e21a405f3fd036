/**
 * One timer for every stream: a min-heap of absolute due times (ms on the
 * monotonic clock) and a single setTimeout armed for the earliest. Thousands
 * of concurrent streams cost one timer, and each event is due at an absolute
 * time, so late wake-ups never accumulate along a stream.
 */
import { nowMs } from '../engine/clock.js';

/**
 * Items due within this many ms are served now: libuv timers have 1 ms
 * granularity, so waiting for a sub-ms remainder would cost a whole extra
 * millisecond (or a busy loop). Serving up to 0.5 ms early keeps the mean error
 * near zero.
 */
export const EARLY_SLACK_MS = 0.5;

/**
 * A precise heap (first tokens: what TTFT measures) polls through the last
 * PRECISE_POLL_MS before its earliest item instead of trusting a timer
 * (setTimeout(0) is 1 ms in Node and libuv's clock is whole milliseconds, so
 * a timer alone was up to ~1.5 ms late), and serves items at most
 * PRECISE_SLACK_MS early. At 100 new streams a second that polling costs at
 * most ~20 % of a core; every later token keeps the cheap timer.
 */
export const PRECISE_POLL_MS = 2;
export const PRECISE_SLACK_MS = 0.02;

export class TimerHeap<T> {
  private due: number[] = [];
  private items: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;

  /** `fire(item, now)` is called once per scheduled item when it becomes due. */
  private readonly slack: number;

  constructor(
    private readonly fire: (item: T, now: number) => void,
    private readonly precise = false,
  ) {
    this.slack = precise ? PRECISE_SLACK_MS : EARLY_SLACK_MS;
  }

  get size(): number {
    return this.due.length;
  }

  /** Schedules item at absolute time `at` (ms, nowMs() clock). */
  push(at: number, item: T): void {
    if (this.closed) return;
    let i = this.due.length;
    this.due.push(at);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.due[parent]! <= at) break;
      this.due[i] = this.due[parent]!;
      this.items[i] = this.items[parent]!;
      i = parent;
    }
    this.due[i] = at;
    this.items[i] = item;
    if (at < this.armedFor) this.arm();
  }

  /** Stops the timer and forgets every item. */
  close(): void {
    this.closed = true;
    this.disarm();
    this.due = [];
    this.items = [];
  }

  private pop(): T {
    const top = this.items[0]!;
    const lastDue = this.due.pop()!;
    const lastItem = this.items.pop()!;
    const n = this.due.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.due[r]! < this.due[l]! ? r : l;
        if (this.due[c]! >= lastDue) break;
        this.due[i] = this.due[c]!;
        this.items[i] = this.items[c]!;
        i = c;
      }
      this.due[i] = lastDue;
      this.items[i] = lastItem;
    }
    return top;
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.armedFor = Infinity;
  }

  private arm(): void {
    this.disarm();
    if (this.due.length === 0 || this.closed) return;
    const at = this.due[0]!;
    this.armedFor = at;
    const wait = at - nowMs();
    // setImmediate rather than a synchronous run: items pushed from inside a
    // request handler are served after it returns, in one batch.
    if (this.precise) {
      if (wait <= PRECISE_POLL_MS) this.immediate = setImmediate(this.run);
      else this.timer = setTimeout(this.run, Math.max(1, Math.floor(wait - PRECISE_POLL_MS)));
    } else if (wait <= EARLY_SLACK_MS) this.immediate = setImmediate(this.run);
    else this.timer = setTimeout(this.run, Math.floor(wait));
  }

  private readonly run = (): void => {
    this.timer = null;
    this.immediate = null;
    // Items pushed back while serving must not re-arm the timer one by one.
    this.armedFor = -Infinity;
    let now = nowMs();
    let served = 0;
    while (this.due.length > 0 && this.due[0]! <= now + this.slack) {
      this.fire(this.pop(), now);
      // Writing to many sockets takes time: refresh the clock now and then.
      if ((++served & 63) === 0) now = nowMs();
    }
    this.arm();
  };
}
